#!/usr/bin/env bash
# build: the banner into dist/ (akkoord.js, akkoord.wasm, css, d.ts, .br/.gz) and the akkoord CLI
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Usage: ./run build [--no-cli]
build_cli=1
for arg in "$@"; do
    case "$arg" in
        --no-cli) build_cli=0 ;;
        *) die "build: unknown argument '$arg'" ;;
    esac
done

have wasm-bindgen || die "wasm-bindgen not found: ./run setup"
banner_toolchain_ready || die "toolchain $BANNER_TOOLCHAIN with rust-src not found: ./run setup"
[ -x "$WASM_OPT" ] || die "wasm-opt not found ($WASM_OPT): ./run setup"
[ -f www/akkoord.js ] || die "www/akkoord.js (the loader) is missing"

say "cargo +$BANNER_TOOLCHAIN build -p akkoord --lib --target $WASM_TARGET --profile wasm -Zbuild-std"
# -Cpanic=immediate-abort: a panic traps at once instead of first formatting a message that
# nothing reads (the banner has no panic hook; with panic=abort it trapped all the same). The
# loader turns a trap in boot() or an API call into a console error and the fail-closed state.
# -Zlocation-detail=none drops the file/line strings panics would have carried. RUSTFLAGS from
# the caller's shell are not mixed in: the build is pinned.
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    cargo "+$BANNER_TOOLCHAIN" build -p akkoord --lib --target "$WASM_TARGET" --profile wasm \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size

raw="target/$WASM_TARGET/wasm/akkoord.wasm"
mkdir -p dist target
# Everything is staged next to dist/ (same filesystem), so each file lands with an atomic
# rename: a server reading dist/ during a build sees the old file or the new one, never half
# of one, and two builds at once do not write into each other's files.
tmp="$(mktemp -d "$ROOT/target/dist.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
bindgen_out="$tmp/bindgen"

say "wasm-bindgen --target no-modules"
wasm-bindgen --target no-modules --no-modules-global akkoordWasm --no-typescript \
    --out-dir "$bindgen_out" "$raw"

# Short import and export names in the module and the glue (scripts/tools/import-names.js):
# wasm-bindgen's carry random hashes, written twice. -3.5 KB brotli.
node "$ROOT/scripts/tools/import-names.js" "$bindgen_out/akkoord_bg.wasm" "$bindgen_out/akkoord.js" \
    || die "renaming the module's imports and exports failed"

say "wasm-opt -Oz"
# --low-memory-unused: Rust lays the stack out first (data starts at 1 MiB), so the low 1 KiB
# is only reached by a 1 MiB-deep stack; binaryen may then fold constant offsets into
# addresses. A second -Oz pass finds more after the first (measured: -444 bytes brotli).
# The `producers` and `target_features` custom sections are build metadata no browser reads
# (wasm-bindgen has read target_features already): -226 bytes brotli.
"$WASM_OPT" --low-memory-unused --strip-producers --strip-target-features -Oz -Oz \
    "${WASM_OPT_FEATURES[@]}" "$bindgen_out/akkoord_bg.wasm" -o "$tmp/akkoord.wasm"

# One classic script: the wasm-bindgen glue and the loader share one function scope, so the
# glue's `akkoordWasm` never becomes a page global (docs/internals.md, "dist/").
{
    printf '(function(){'
    cat "$bindgen_out/akkoord.js"
    printf '\n'
    cat www/akkoord.js
    printf '})();\n'
} >"$tmp/akkoord.unminified.js"
node --check "$tmp/akkoord.unminified.js" || die "dist/akkoord.js does not parse"
# Minified: the glue is generated code with long comments and names (-40 % brotli). Names the
# loader and the glue share across the scope are mangled together, nothing is left global.
say "terser"
"$ROOT/scripts/tools/node_modules/.bin/terser" "$tmp/akkoord.unminified.js" \
    --compress passes=2 --mangle --ecma 2017 --comments '/^!/' -o "$tmp/akkoord.js"
rm -f "$tmp/akkoord.unminified.js"

cp www/akkoord.css "$tmp/akkoord.css"
if [ -f www/akkoord.d.ts ]; then cp www/akkoord.d.ts "$tmp/akkoord.d.ts"; fi

# Precompressed siblings, served as-is by `akkoord serve` (and by any static server that can).
for f in "$tmp"/akkoord.*; do
    brotli -q 11 -f -o "$f.br" "$f"
    gzip -9 -n -c "$f" >"$f.gz"
done

new_files=()
for f in "$tmp"/akkoord.*; do new_files+=("$(basename "$f")"); mv -f "$f" dist/; done
# Drop what an older build left behind (a d.ts that is no longer written, say).
for f in dist/akkoord.*; do
    case " ${new_files[*]} " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac
done

# Kept for `./run size` (twiggy reads the module before wasm-opt, names and all).
rm -rf target/wasm-bindgen.old
[ -d target/wasm-bindgen ] && mv target/wasm-bindgen target/wasm-bindgen.old
mv "$bindgen_out" target/wasm-bindgen
rm -rf target/wasm-bindgen.old

if [ "$build_cli" -eq 1 ]; then
    say "cargo build -p akkoord-cli"
    cargo build -p akkoord-cli
fi

bash "$ROOT/scripts/size.sh" --report-only
