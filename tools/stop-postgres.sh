#!/usr/bin/env bash
# Stop this checkout's test PostgreSQL (tools/start-postgres.sh) and remove its folder.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd -P)
TAG=$(printf '%s' "$HERE" | cksum | cut -d' ' -f1)
DIR=${LEDGER_TEST_PG_DIR:-/tmp/ledger-test-pg-$TAG}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] && [ -s "$DIR/PG_VERSION" ] || exit 0
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
rm -rf "$DIR"
