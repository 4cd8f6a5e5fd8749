#!/usr/bin/env bash
# bench: page cost of the banner vs. peer banners in headless Chromium; writes bench/RESULTS.md
#
#   ./run bench                       # build if dist/ is missing, npm ci in bench/, 5 runs (~10 min)
#   ./run bench --runs 3              # other arguments go to bench/bench.js (see bench/README.md)
#   ./run bench --no-write            # print the tables, leave bench/RESULTS.md alone
#   BENCH_ASSETS=<dir> ./run bench    # measure another build of dist/
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

have node || die "node not found: apt-get install nodejs npm"
have npm || die "npm not found: apt-get install npm"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found: ./run setup (or apt-get install chromium)"

assets="${BENCH_ASSETS:-$ROOT/dist}"
if [ -z "${BENCH_ASSETS:-}" ] && { [ ! -f dist/akkoord.js ] || [ ! -f dist/akkoord.wasm ]; }; then
    say "dist/ is not built: ./run build"
    bash scripts/build.sh
fi
# The akkoord+prerender target is served by the CLI (`akkoord serve`), akkoord+static made by it.
if [ -z "${AKKOORD_BIN:-}" ] && [ ! -x target/debug/akkoord ]; then
    say "cargo build -p akkoord-cli"
    cargo build -p akkoord-cli
fi

# The peers and playwright-core at the versions pinned in bench/package-lock.json. Their install
# scripts are not needed (nothing is compiled, no browser is downloaded).
stamp=bench/node_modules/.bench-lock.sha256
want="$(sha256sum bench/package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "npm ci in bench/"
    (cd bench && npm ci --ignore-scripts --no-audit --no-fund)
    echo "$want" >"$stamp"
fi

say "bench: $assets"
cd bench
exec node bench.js --assets "$assets" "$@"
