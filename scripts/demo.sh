#!/usr/bin/env bash
# demo: set up, build, then serve the demo site at http://127.0.0.1:8080/
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Usage: ./run demo [--addr HOST:PORT]
addr="${AKKOORD_DEMO_ADDR:-127.0.0.1:8080}"
if [ "${1:-}" = "--addr" ] && [ -n "${2:-}" ]; then addr="$2"; fi

bash "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/build.sh"
# The receipts database and its signing key stay under target/, out of the work tree.
mkdir -p "$ROOT/target/demo"
say "serving the demo at http://$addr/ (Ctrl-C stops)"
exec "$AKKOORD_BIN" serve --site "$ROOT/www/demo" --assets "$ROOT/dist" --addr "$addr" \
    --db "$ROOT/target/demo/akkoord.db"
