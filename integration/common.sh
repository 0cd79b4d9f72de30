# shellcheck shell=bash disable=SC2034  # sourced; the variables are used by setup.sh and stop.sh
# Settings shared by integration/setup.sh and integration/stop.sh (sourced, not run).
# Every knob is an environment variable; see integration/README.md.

ORCH_TUI_CORE_HOME="${ORCH_TUI_CORE_HOME:-/tmp/orch-tui-core}"
ORCH_TUI_CORE_API_PORT="${ORCH_TUI_CORE_API_PORT:-18080}"
ORCH_TUI_CORE_PG_PORT="${ORCH_TUI_CORE_PG_PORT:-55439}"
ORCH_TUI_CORE_VERSION="${ORCH_TUI_CORE_VERSION:-5.5.0}"

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"

WORK="$ORCH_TUI_CORE_HOME"
PG_DIR="$WORK/pg"               # owned by the postgres user
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_SOCKET_DIR="$PG_DIR/socket"
RUN_DIR="$WORK/run"             # pid files and fingerprints
LOG_DIR="$WORK/log"
VENV="$WORK/venv"
APP_DIR="$WORK/app"
ENV_FILE="$WORK/env.sh"
UVICORN_PID="$RUN_DIR/uvicorn.pid"
POSTGRES_PID="$RUN_DIR/postgres.pid"
MARKER="$WORK/.orch-tui-core-home"   # stop.sh --purge deletes only a directory carrying it

as_postgres() { runuser -u postgres -- "$@"; }

pg_is_running() {
    [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# true when something accepts TCP connections on 127.0.0.1:$1
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# the pid in the pid file, if that process still is our uvicorn (not a reused pid)
uvicorn_pid() {
    local pid
    pid="$(cat "$UVICORN_PID" 2>/dev/null)" || return 1
    pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q uvicorn && echo "$pid"
}

# stop the uvicorn started by setup.sh (its own session and process group), politely first
stop_uvicorn() {
    local pid
    pid="$(uvicorn_pid || true)"
    if pid_alive "$pid"; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do
            pid_alive "$pid" || break
            sleep 0.25
        done
        if pid_alive "$pid"; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "stopped uvicorn (pid $pid)"
    fi
    rm -f "$UVICORN_PID" "$RUN_DIR/uvicorn.fingerprint"
}
