#!/usr/bin/env bash
# Stop what integration/setup.sh started: uvicorn (by its pid file) and the private PostgreSQL
# cluster. Safe to run when nothing runs.
#
#   bash integration/stop.sh            stop both; keep the work dir (venv, database) for a fast restart
#   bash integration/stop.sh --purge    also delete the work dir ($ORCH_TUI_CORE_HOME)
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=integration/common.sh
. "$HERE/common.sh"

purge=false
case "${1:-}" in
    "") ;;
    --purge) purge=true ;;
    *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac

status=0
stop_uvicorn
if pg_is_running; then
    if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null; then
        echo "stopped postgres ($PG_DATA)"
    else
        echo "could not stop postgres ($PG_DATA); see $PG_LOG" >&2
        status=1
    fi
fi
rm -f "$POSTGRES_PID"

if $purge && [ -d "$WORK" ]; then
    if [ ! -f "$MARKER" ]; then
        echo "not deleting $WORK: it has no $(basename "$MARKER") (not made by setup.sh?)" >&2
        exit 1
    fi
    if [ "$status" -ne 0 ]; then
        echo "not deleting $WORK while postgres may still run from it" >&2
        exit 1
    fi
    rm -rf "$WORK" && echo "removed $WORK"
fi
exit "$status"
