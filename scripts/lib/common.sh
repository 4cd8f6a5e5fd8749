# Shared by the scripts in scripts/: repository root, PATH, logging, tool versions.
# Sourced, not run: `. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"`.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# cargo install puts its binaries here; rustup may not have added it to PATH.
case ":$PATH:" in
    *":$HOME/.cargo/bin:"*) ;;
    *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac

WASM_TARGET=wasm32-unknown-unknown
# The shipped banner is built by a pinned nightly that rebuilds the standard library for it
# (`-Zbuild-std`): a panic becomes a bare trap instead of pulling in the code that formats
# panic messages, and std's own size-optimised paths are used. Measured: -6.1 KB
# brotli (-8 %) on the first visit. Everything else (the CLI, clippy, the tests, the
# wasm-bindgen-test module) builds with the stable toolchain.
BANNER_TOOLCHAIN=nightly-2026-05-19
# The toolchain is usable for -Zbuild-std only with the standard library's source.
banner_toolchain_ready() {
    rustup component list --toolchain "$BANNER_TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src'
}
# The CLI the demo and the end-to-end tests run. A debug build shares its
# artifacts with `cargo test`, which matters more here than serving speed.
AKKOORD_BIN="$ROOT/target/debug/akkoord"
# wasm-opt from npm `binaryen`, pinned in scripts/tools/package-lock.json. Debian's binaryen
# (108) is not used: reading and writing the module re-points wasm-bindgen's
# `__wbindgen_externrefs` table export at the funcref table, and the glue then fails with
# "WebAssembly.Table.set(): Argument 1 is invalid for table".
WASM_OPT="$ROOT/scripts/tools/node_modules/.bin/wasm-opt"
# The features rustc emits for wasm32-unknown-unknown (1.82+), enabled explicitly (not
# --all-features: nothing newer may appear in the output).
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
    --enable-reference-types --enable-multivalue --enable-mutable-globals)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Version of a package as resolved in Cargo.lock, e.g. `lock_version wasm-bindgen`.
lock_version() {
    awk -v name="$1" '
        $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
        /^\[\[package\]\]/ { found = 0 }
    ' "$ROOT/Cargo.lock"
}

have() { command -v "$1" >/dev/null 2>&1; }
