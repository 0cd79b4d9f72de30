#!/usr/bin/env bash
# Start a real orchestrator-core (SURF Workflow Orchestrator backend) for orch-tui's integration
# tests: a private PostgreSQL 15 cluster and uvicorn serving the Lab Node app in integration/app,
# both on 127.0.0.1 only. Debian 12, as root, no Docker. Idempotent: a rerun installs nothing that
# is already there, keeps what is running and healthy, and restarts only what is not (or the API
# when the app or its settings changed).
#
#   bash integration/setup.sh          then   . "$ORCH_TUI_CORE_HOME/env.sh"
#   bash integration/stop.sh [--purge]
#
# Knobs (environment): ORCH_TUI_CORE_HOME (work dir, default /tmp/orch-tui-core),
# ORCH_TUI_CORE_API_PORT (18080), ORCH_TUI_CORE_PG_PORT (55439), ORCH_TUI_CORE_VERSION (5.5.0),
# ORCH_TUI_CORE_PYTHON (/usr/bin/python3), ORCH_TUI_CORE_START_TIMEOUT (seconds, 120).
# Outside the work dir it writes only Debian packages, pip's cache and the pgvector extension
# files (into PostgreSQL 15's extension and library directories).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=integration/common.sh
. "$HERE/common.sh"
PYTHON="${ORCH_TUI_CORE_PYTHON:-/usr/bin/python3}"
START_TIMEOUT="${ORCH_TUI_CORE_START_TIMEOUT:-120}"
API_URL="http://127.0.0.1:$ORCH_TUI_CORE_API_PORT"
DB_NAME=orchestrator
DB_USER=orch
DATABASE_URI="postgresql+psycopg://$DB_USER:$DB_USER@127.0.0.1:$ORCH_TUI_CORE_PG_PORT/$DB_NAME"
DATA_REVISION=1ab0de0c0001   # revision id of app/data_migrations/labnode_0001_add_lab_node.py

T0=$(date +%s)
say() { printf '[integration setup %3ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() {
    printf '[integration setup] ERROR: %s\n' "$*" >&2
    exit 1
}
# run a command quietly into a log file; on failure show the log's tail and stop
logged() {
    local log="$1"
    shift
    printf '\n$ %s\n' "$*" >>"$log"
    if ! "$@" >>"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "'$*' failed (full log: $log)"
    fi
}

[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages and runs PostgreSQL as the postgres user)"
if ! grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
    say "warning: made for Debian 12 (bookworm); this is $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")"
fi
case "$WORK" in /* ) ;; *) die "ORCH_TUI_CORE_HOME must be an absolute path, not '$WORK'" ;; esac
mkdir -p "$WORK" "$RUN_DIR" "$LOG_DIR"
chmod 755 "$WORK"
touch "$MARKER"
export DEBIAN_FRONTEND=noninteractive

# ----------------------------------------------------------------------------- Debian packages
PACKAGES=("postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" build-essential dpkg-dev
          python3 python3-venv ca-certificates)
missing=()
for pkg in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    logged "$LOG_DIR/apt.log" apt-get update
    logged "$LOG_DIR/apt.log" apt-get install -y --no-install-recommends "${missing[@]}"
fi
# Installing postgresql-server-dev-15 may upgrade postgresql-15 too; a cluster started from the old
# binaries then fails to load plpgsql.so ("undefined symbol"). Remember the version the cluster was
# started with and restart it when the package changed.
PG_PACKAGE_VERSION="$(dpkg-query -W -f='${Version}' postgresql-$PG_MAJOR)"

# ----------------------------------------------------------------------------- pgvector
# orchestrator-core 5.x migrations run CREATE EXTENSION vector. Debian 12 has no pgvector package,
# so build the one from Debian's own source package (trixie), fetched with private apt lists:
# the system's apt sources and caches are not touched.
PG_SHAREDIR="$("$PG_BIN/pg_config" --sharedir)"
if [ ! -f "$PG_SHAREDIR/extension/vector.control" ]; then
    say "building pgvector from Debian's source package"
    APT_PRIVATE="$WORK/apt"
    rm -rf "$APT_PRIVATE"
    mkdir -p "$APT_PRIVATE/lists/partial" "$APT_PRIVATE/cache/archives/partial" "$APT_PRIVATE/build"
    echo "deb-src http://deb.debian.org/debian trixie main" >"$APT_PRIVATE/sources.list"
    APT_OPTS=(-o "Dir::Etc::sourcelist=$APT_PRIVATE/sources.list" -o "Dir::Etc::sourceparts=-"
              -o "Dir::State::Lists=$APT_PRIVATE/lists" -o "Dir::Cache=$APT_PRIVATE/cache"
              -o "APT::Sandbox::User=root")
    logged "$LOG_DIR/pgvector.log" apt-get "${APT_OPTS[@]}" update
    (cd "$APT_PRIVATE/build" && apt-get "${APT_OPTS[@]}" source pgvector) >>"$LOG_DIR/pgvector.log" 2>&1 \
        || { tail -n 30 "$LOG_DIR/pgvector.log" >&2; die "apt-get source pgvector failed"; }
    SRC="$(find "$APT_PRIVATE/build" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
    [ -n "$SRC" ] || die "no pgvector source directory after apt-get source (see $LOG_DIR/pgvector.log)"
    # OPTFLAGS="" drops pgvector's default -march=native, so the build runs on any x86-64/arm64 CPU
    logged "$LOG_DIR/pgvector-build.log" make -C "$SRC" -j"$(nproc)" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""
    logged "$LOG_DIR/pgvector-install.log" make -C "$SRC" install PG_CONFIG="$PG_BIN/pg_config"
    say "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$PG_SHAREDIR/extension/vector.control") installed"
fi

# ----------------------------------------------------------------------------- PostgreSQL
if ! runuser -u postgres -- test -x "$WORK"; then
    die "the postgres user cannot enter $WORK (a parent directory is not world-executable); pick another ORCH_TUI_CORE_HOME"
fi
mkdir -p "$PG_DIR"
chown postgres:postgres "$PG_DIR"
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "initdb $PG_DATA"
    logged "$LOG_DIR/initdb.log" as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8
    rm -f "$PG_DIR/migrated.stamp"
fi
as_postgres mkdir -p "$PG_SOCKET_DIR"
if pg_is_running && [ "$(cat "$PG_DIR/started-with" 2>/dev/null)" != "$PG_PACKAGE_VERSION" ]; then
    say "postgresql-$PG_MAJOR is now $PG_PACKAGE_VERSION, not the version this cluster started with: restarting it"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
fi
PG_STARTED=false   # a (re)started database means a fresh uvicorn too: its pooled connections are gone
if ! pg_is_running; then
    PG_STARTED=true
    port_in_use "$ORCH_TUI_CORE_PG_PORT" && die "127.0.0.1:$ORCH_TUI_CORE_PG_PORT is taken; set ORCH_TUI_CORE_PG_PORT"
    say "starting PostgreSQL on 127.0.0.1:$ORCH_TUI_CORE_PG_PORT"
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -c port=$ORCH_TUI_CORE_PG_PORT -c unix_socket_directories=$PG_SOCKET_DIR" \
        >"$LOG_DIR/pg_ctl.log" 2>&1; then
        tail -n 30 "$PG_LOG" >&2 || true
        die "PostgreSQL did not start (log: $PG_LOG)"
    fi
    echo "$PG_PACKAGE_VERSION" >"$PG_DIR/started-with"
fi
head -n 1 "$PG_DATA/postmaster.pid" >"$POSTGRES_PID"
psql_admin() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$ORCH_TUI_CORE_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]; then
    # superuser: orchestrator-core's migrations create extensions (uuid-ossp, vector, ...)
    psql_admin -c "CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_USER'"
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
fi

# ----------------------------------------------------------------------------- Python venv
if [ ! -x "$VENV/bin/python" ]; then
    say "python venv $VENV ($("$PYTHON" --version 2>&1))"
    logged "$LOG_DIR/venv.log" "$PYTHON" -m venv "$VENV"
    logged "$LOG_DIR/pip.log" "$VENV/bin/python" -m pip install --upgrade pip
fi
if ! compgen -G "$VENV/lib/python3*/site-packages/orchestrator_core-$ORCH_TUI_CORE_VERSION.dist-info" >/dev/null; then
    say "pip install orchestrator-core==$ORCH_TUI_CORE_VERSION (a minute or two with a cold pip cache)"
    logged "$LOG_DIR/pip.log" "$VENV/bin/python" -m pip install "orchestrator-core==$ORCH_TUI_CORE_VERSION"
fi

# ----------------------------------------------------------------------------- app + settings
# The app is copied so that `db init` (which writes alembic.ini and migrations/) stays out of the repo.
mkdir -p "$APP_DIR"
rm -rf "$APP_DIR/labnode" "$APP_DIR/translations" "$APP_DIR/data_migrations"
cp -r "$HERE/app/." "$APP_DIR/"
find "$APP_DIR" -name __pycache__ -prune -exec rm -rf {} +

cat >"$ENV_FILE" <<EOF
# written by integration/setup.sh; source it to talk to the test orchestrator (or to run its manage.py)
export ORCH_TUI_CORE_URL="$API_URL"
export ORCH_TUI_CORE_WS_URL="ws://127.0.0.1:$ORCH_TUI_CORE_API_PORT/api/ws/events"
export ORCH_TUI_CORE_HOME="$WORK"
export DATABASE_URI="$DATABASE_URI"
export OAUTH2_ACTIVE=False
export ENVIRONMENT=local
export ENVIRONMENT_IGNORE_MUTATION_DISABLED='["local"]'
export TRANSLATIONS_DIR="$APP_DIR/translations"
export LOG_LEVEL=INFO
export LOG_OUTPUT=plain
export ORCH_TUI_CORE_VENV="$VENV"   # not put on PATH: run \$ORCH_TUI_CORE_VENV/bin/python manage.py ... in $APP_DIR
EOF

# Run a command in the app dir with only the settings above: a variable that happens to be set in
# the caller's environment (CI's, a developer's) must not reconfigure orchestrator-core.
in_app() {
    # shellcheck disable=SC2016  # expanded by the inner bash
    (cd "$APP_DIR" && env -i HOME="$WORK" LANG=C.UTF-8 PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin" \
        bash -c '. "$0" && exec "$@"' "$ENV_FILE" "$@")
}

# ----------------------------------------------------------------------------- migrations
if [ ! -f "$APP_DIR/migrations/env.py" ]; then
    say "python manage.py db init"
    logged "$LOG_DIR/db-init.log" in_app python manage.py db init
fi
DATA_MIGRATION="$APP_DIR/migrations/versions/schema/labnode_0001_add_lab_node.py"
HEAD_CACHE="$RUN_DIR/core-schema-head"   # "<orchestrator-core version> <head>": importing the core takes seconds
read_core_head() {
    rm -f "$DATA_MIGRATION"   # written below, once the core's head is known
    in_app python - "$DATA_REVISION" <<'PY' | sed -n 's/^core-schema-head=\([0-9a-f]*\)$/\1/p'
import sys
from alembic.script import ScriptDirectory
from orchestrator.core.cli.database import alembic_cfg  # alembic.ini + orchestrator-core's own versions

heads = [h for h in ScriptDirectory.from_config(alembic_cfg()).get_heads() if h != sys.argv[1]]
if len(heads) != 1:
    sys.exit(f"expected one orchestrator-core schema head, found {heads}")
print(f"core-schema-head={heads[0]}")  # marked: importing orchestrator-core also logs to stdout
PY
}
CORE_HEAD="$(sed -n "s/^$ORCH_TUI_CORE_VERSION \([0-9a-f]*\)$/\1/p" "$HEAD_CACHE" 2>/dev/null || true)"
if [ -z "$CORE_HEAD" ]; then
    CORE_HEAD="$(read_core_head || true)"
    [ -n "$CORE_HEAD" ] || die "could not read orchestrator-core's schema head"
    echo "$ORCH_TUI_CORE_VERSION $CORE_HEAD" >"$HEAD_CACHE"
fi
sed "s/@CORE_SCHEMA_HEAD@/$CORE_HEAD/" "$APP_DIR/data_migrations/labnode_0001_add_lab_node.py" >"$DATA_MIGRATION.tmp"
mv "$DATA_MIGRATION.tmp" "$DATA_MIGRATION"
MIGRATION_STAMP="$ORCH_TUI_CORE_VERSION $(sha256sum "$DATA_MIGRATION" | cut -d' ' -f1)"
if [ "$(cat "$PG_DIR/migrated.stamp" 2>/dev/null)" != "$MIGRATION_STAMP" ]; then
    say "python manage.py db upgrade heads (core schema head $CORE_HEAD + Lab Node data)"
    logged "$LOG_DIR/db-upgrade.log" in_app python manage.py db upgrade heads
    echo "$MIGRATION_STAMP" >"$PG_DIR/migrated.stamp"
fi

# ----------------------------------------------------------------------------- API server
api_healthy() {
    "$VENV/bin/python" - "$API_URL/api/health/" <<'PY' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}
FINGERPRINT="$( (cat "$ENV_FILE"; cd "$HERE/app" && find . -type f ! -path '*/__pycache__/*' -print0 | sort -z \
    | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)"
PID="$(uvicorn_pid || true)"
if ! $PG_STARTED && pid_alive "$PID" && [ "$(cat "$RUN_DIR/uvicorn.fingerprint" 2>/dev/null)" = "$FINGERPRINT" ] \
    && api_healthy; then
    say "uvicorn already serving $API_URL (pid $PID), app unchanged"
else
    stop_uvicorn >/dev/null
    port_in_use "$ORCH_TUI_CORE_API_PORT" && die "127.0.0.1:$ORCH_TUI_CORE_API_PORT is taken; set ORCH_TUI_CORE_API_PORT"
    say "starting uvicorn on $API_URL"
    # setsid: own session and process group, so it outlives this script and stop.sh can end it whole
    # shellcheck disable=SC2016  # expanded by the inner bash
    setsid env -i HOME="$WORK" LANG=C.UTF-8 PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin" bash -c \
        'cd "$1" && . "$2" && exec uvicorn --host 127.0.0.1 --port "$3" server:app' \
        _ "$APP_DIR" "$ENV_FILE" "$ORCH_TUI_CORE_API_PORT" \
        </dev/null >"$LOG_DIR/uvicorn.log" 2>&1 &
    PID=$!
    echo "$PID" >"$UVICORN_PID"
    deadline=$(($(date +%s) + START_TIMEOUT))
    until api_healthy; do
        if ! pid_alive "$PID"; then
            tail -n 40 "$LOG_DIR/uvicorn.log" >&2
            rm -f "$UVICORN_PID"
            die "uvicorn exited during start-up (log: $LOG_DIR/uvicorn.log)"
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            tail -n 40 "$LOG_DIR/uvicorn.log" >&2
            stop_uvicorn >/dev/null
            die "no answer from $API_URL/api/health/ within ${START_TIMEOUT}s"
        fi
        sleep 0.5
    done
    echo "$FINGERPRINT" >"$RUN_DIR/uvicorn.fingerprint"
fi

say "ready"
cat <<EOF
  API         $API_URL/api   (GraphQL $API_URL/api/graphql, OpenAPI $API_URL/api/docs)
  websocket   ws://127.0.0.1:$ORCH_TUI_CORE_API_PORT/api/ws/events
  database    postgresql://$DB_USER:$DB_USER@127.0.0.1:$ORCH_TUI_CORE_PG_PORT/$DB_NAME
  pids        uvicorn $(cat "$UVICORN_PID") ($UVICORN_PID), postgres $(cat "$POSTGRES_PID") ($POSTGRES_PID)
  env file    . $ENV_FILE
  logs        $LOG_DIR/*.log, $PG_LOG
  stop        ORCH_TUI_CORE_HOME=$WORK bash $HERE/stop.sh [--purge]
EOF
