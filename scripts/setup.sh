#!/usr/bin/env bash
# setup: install what the build and the tests need and is missing (idempotent; Debian, as root)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Debian packages: browser + driver for the wasm and end-to-end tests, PostgreSQL for the
# server's tests, brotli for the size report, binaryen for wasm-opt, Node.js for Playwright.
APT_PACKAGES=(chromium chromium-driver postgresql brotli binaryen gzip)

apt_updated=0
apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        die "missing Debian packages: $*; install them as root (apt-get install $*)"
    fi
    if [ "$apt_updated" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
# The machine's own Node.js (20+) is used when present; Debian's is the fallback.
have node || missing+=(nodejs)
have npm || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# The wasm32 target.
if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "rustup target add $WASM_TARGET"
    rustup target add "$WASM_TARGET"
fi

# rustfmt and clippy for the lint stages of ./run test.
for c in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$c-"; then
        say "rustup component add $c"
        rustup component add "$c"
    fi
done

# wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) at exactly the version the
# crate links against: the CLI refuses a module built by another version.
# No --locked: the CLI's own lockfile pins a dependency that has since been yanked.
wb_want="$(lock_version wasm-bindgen)"
[ -n "$wb_want" ] || die "no wasm-bindgen in Cargo.lock"
wb_have() { wasm-bindgen --version 2>/dev/null | awk '{print $2}'; }
if [ "$(wb_have)" != "$wb_want" ]; then
    # Another `cargo install` of the same thing may be running (a second shell): wait for it.
    while pgrep -f "cargo install wasm-bindgen-cli" >/dev/null 2>&1; do
        say "waiting for a running 'cargo install wasm-bindgen-cli'"
        sleep 10
    done
    if [ "$(wb_have)" != "$wb_want" ]; then
        say "cargo install wasm-bindgen-cli --version =$wb_want (a few minutes)"
        cargo install wasm-bindgen-cli --version "=$wb_want"
    fi
fi
[ "$(wb_have)" = "$wb_want" ] || die "wasm-bindgen $(wb_have) installed, $wb_want needed"

# wasm-opt: Debian's binaryen is old (108) but handles the features rustc emits when
# they are enabled explicitly; check that once here rather than mid-build.
have wasm-opt || die "wasm-opt not found after installing binaryen"
wasm-opt "${WASM_OPT_FEATURES[@]}" --version >/dev/null 2>&1 \
    || die "wasm-opt does not accept ${WASM_OPT_FEATURES[*]}"

# Playwright for the end-to-end tests, exactly as pinned in tests/e2e/package-lock.json.
# It drives the system Chromium; it must not try to download browsers of its own.
e2e="$ROOT/tests/e2e"
if [ ! -f "$e2e/node_modules/.package-lock.json" ] \
    || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
    say "npm ci (tests/e2e)"
    (cd "$e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

say "setup done"
