#!/bin/sh
# Run a command against a throwaway PostgreSQL server on loopback:
#   sh scripts/with-postgres.sh .venv/bin/python -m pytest
# Installs PostgreSQL with apt-get when it is missing, creates a cluster in a temporary
# directory, starts it on 127.0.0.1, exports EARFUL_DATABASE_URL, runs the command, stops it.
set -eu

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

find_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PGBIN=$(find_bin)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib
    PGBIN=$(find_bin)
fi

DIR=$(mktemp -d /tmp/earful-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN=""
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres system user.
    id postgres >/dev/null 2>&1 || useradd --system --home "$DIR" postgres
    chown postgres "$DIR"
    RUN="runuser -u postgres --"
fi
chmod 700 "$DIR"

$RUN "$PGBIN/initdb" -D "$DIR/data" -U earful --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
$RUN "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null

stop() {
    $RUN "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT INT TERM

"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U earful earful
export EARFUL_DATABASE_URL="postgres://earful@127.0.0.1:$PORT/earful"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
"$@"
