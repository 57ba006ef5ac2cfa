#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server for the store tests.
#
#   eval "$(.ci/postgres.sh)"      # exports WIRESCOPE_TEST_PG=postgresql://...
#   .ci/postgres.sh stop           # stops it
#
# Installs Debian's postgresql package when no server binaries are found (needs
# root), keeps its data under /tmp, listens on 127.0.0.1 only (trust auth: it
# is for tests). Idempotent: a second run finds the running server and reuses it.
# Progress goes to stderr; stdout is only the export line, for eval.
# Settings: WIRESCOPE_PG_PORT (first port tried, 55432), WIRESCOPE_PG_DATA.
set -euo pipefail

PORT=${WIRESCOPE_PG_PORT:-55432}
DATA=${WIRESCOPE_PG_DATA:-/tmp/wirescope-pg}
DB=wirescope_test
log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    return 1
}

BIN=$(find_bindir) || {
    [ "$(id -u)" = 0 ] || { log "PostgreSQL is not installed and I am not root: apt-get install postgresql"; exit 1; }
    log "installing PostgreSQL (apt-get install postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    BIN=$(find_bindir) || { log "no initdb after installing postgresql"; exit 1; }
}

# The server refuses to run as root: run its tools as the postgres user then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DATA" postgres
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

if [ "${1:-}" = stop ]; then
    [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initdb in $DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres: "$DATA"
    chmod 700 "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2 \
        || as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >&2
fi

if as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    PORT=$(sed -n 4p "$DATA/postmaster.pid")
    log "reusing the server on 127.0.0.1:$PORT"
else
    # First free port from PORT up.
    while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
    log "starting on 127.0.0.1:$PORT"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA -c fsync=off" >&2
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" >&2
fi

URL="postgresql://postgres@127.0.0.1:$PORT/$DB"
log "ready: $URL"
echo "export WIRESCOPE_TEST_PG=$URL"
