#!/usr/bin/env bash
# setup: install what the build and the tests need and is missing (idempotent; Debian, as root)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Debian packages: browser + driver for the wasm and end-to-end tests, PostgreSQL for the
# server's tests, brotli for the size report. Node.js (for Playwright and wasm-opt) is the
# machine's own when present.
APT_PACKAGES=(chromium chromium-driver postgresql brotli gzip)

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

# The pinned nightly that builds the shipped banner (scripts/lib/common.sh says why), with the
# standard library's source for -Zbuild-std. The minimal profile: no docs, no clippy.
if ! banner_toolchain_ready; then
    say "rustup toolchain install $BANNER_TOOLCHAIN --component rust-src"
    rustup toolchain install "$BANNER_TOOLCHAIN" --profile minimal --component rust-src
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

# npm packages pinned by lockfile: wasm-opt (scripts/tools) and Playwright (tests/e2e).
# Playwright drives the system Chromium; it must not try to download browsers of its own.
npm_ci() {
    local dir="$1"
    if [ ! -f "$dir/node_modules/.package-lock.json" ] \
        || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        say "npm ci (${dir#"$ROOT"/})"
        (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    fi
}
npm_ci "$ROOT/scripts/tools"
npm_ci "$ROOT/tests/e2e"

[ -x "$WASM_OPT" ] || die "wasm-opt missing after npm ci in scripts/tools"
"$WASM_OPT" "${WASM_OPT_FEATURES[@]}" --version >/dev/null 2>&1 \
    || die "wasm-opt does not accept ${WASM_OPT_FEATURES[*]}"

say "setup done"
