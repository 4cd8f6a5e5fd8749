#!/usr/bin/env bash
# Load test of POST /akkoord/receipts: throughput and p50/p99 latency on SQLite and
# PostgreSQL. Loopback only, bounded in count and time (see akkoord-loadgen --help).
#
#   scripts/bench-receipts.sh              # both stores
#   scripts/bench-receipts.sh sqlite       # one of them
#   COUNT=50000 SECONDS_MAX=30 CONCURRENCY="16 32 64" scripts/bench-receipts.sh
#
# PostgreSQL runs on a throwaway cluster from scripts/with-postgres.sh unless
# AKKOORD_TEST_DATABASE_URL already points at one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WHICH="${1:-all}"
COUNT="${COUNT:-50000}"
SECONDS_MAX="${SECONDS_MAX:-30}"
CONCURRENCY="${CONCURRENCY:-16 32 64}"
SQLITE_SYNC="${SQLITE_SYNC:-full normal}"

if [ "$WHICH" != "sqlite" ] && [ -z "${AKKOORD_TEST_DATABASE_URL:-}" ]; then
  if [ "$WHICH" = "all" ]; then
    "$0" sqlite
  fi
  exec scripts/with-postgres.sh "$0" postgres
fi

cargo build --release -p akkoord-server --bins >&2
BIN=target/release

WORK="$(mktemp -d "${TMPDIR:-/tmp}/akkoord-bench.XXXXXX")"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/site" "$WORK/dist"
echo '{"purposes":["necessary","functional","analytics","marketing"]}' > "$WORK/site/akkoord.json"

start_server() {
  : > "$WORK/out"
  "$BIN/akkoord-server" --addr 127.0.0.1:0 --site "$WORK/site" --assets "$WORK/dist" \
    --key "$WORK/receipts.key" "$@" > "$WORK/out" 2> "$WORK/err" &
  PID=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$WORK/out"; then break; fi
    sleep 0.1
  done
  ADDR="$(sed -n 's#^listening on http://##p' "$WORK/out" | head -n 1)"
  [ -n "$ADDR" ] || { cat "$WORK/err" >&2; exit 1; }
}

stop_server() {
  kill -TERM "$PID"
  wait "$PID" || true
  PID=""
}

MODES="$SQLITE_SYNC"
[ "$WHICH" = "sqlite" ] || MODES="-"
for mode in $MODES; do
for c in $CONCURRENCY; do
  case "$WHICH" in
    sqlite)
      rm -f "$WORK"/bench.db*
      start_server --db "$WORK/bench.db" --sqlite-sync "$mode"
      label="SQLite (WAL, synchronous=$mode)"
      ;;
    postgres)
      start_server --database-url "$AKKOORD_TEST_DATABASE_URL"
      label="PostgreSQL (synchronous_commit=on)"
      ;;
    *) echo "usage: $0 [all|sqlite|postgres]" >&2; exit 2 ;;
  esac
  printf '%s, %s connections: ' "$label" "$c"
  "$BIN/akkoord-loadgen" --addr "$ADDR" --count "$COUNT" --seconds "$SECONDS_MAX" --concurrency "$c"
  stop_server
done
done
