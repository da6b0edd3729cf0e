#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 for the store tests (Debian's `postgresql`
# package) and print its URL. Each checkout has its own server (folder and port derived
# from the checkout's path), so two checkouts' test runs never share a database;
# tools/stop-postgres.sh stops it, and `make test` does so when it is done.
# Idempotent: reuses this checkout's running server.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd -P)
TAG=$(printf '%s' "$HERE" | cksum | cut -d' ' -f1)
PORT=${LEDGER_TEST_PG_PORT:-$((20000 + TAG % 20000))}
DIR=${LEDGER_TEST_PG_DIR:-/tmp/ledger-test-pg-$TAG}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
if [ ! -s "$DIR/PG_VERSION" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  "${AS[@]}" "$BIN/initdb" -D "$DIR" -A trust -U postgres >/dev/null
fi
if ! "${AS[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
fi
if ! "${AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='ledger_test'" | grep -q 1; then
  "${AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres ledger_test
fi
echo "postgresql://postgres@127.0.0.1:$PORT/ledger_test"
