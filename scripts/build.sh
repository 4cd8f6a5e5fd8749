#!/usr/bin/env bash
# build: the banner into dist/ (akkoord.js, akkoord.wasm, css, d.ts, the cookie statement's
# akkoord-statement.js and .wasm, .br/.gz of each) and the akkoord CLI
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

mkdir -p dist target
# Everything is staged next to dist/ (same filesystem), so each file lands with an atomic
# rename: a server reading dist/ during a build sees the old file or the new one, never half
# of one, and two builds at once do not write into each other's files.
tmp="$(mktemp -d "$ROOT/target/dist.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/out"
mkdir -p "$out"

# module NAME GLOBAL [cargo args]: one wasm module from the crate, through wasm-bindgen, the
# short names and wasm-opt, into $out/NAME.wasm; its glue stays in $tmp/NAME/bindgen.
module() {
    local name="$1" global="$2"
    shift 2
    local work="$tmp/$name"
    say "cargo +$BANNER_TOOLCHAIN build -p akkoord --lib --target $WASM_TARGET --profile wasm -Zbuild-std $*"
    # -Cpanic=immediate-abort: a panic traps at once instead of first formatting a message
    # that nothing reads (the banner has no panic hook; with panic=abort it trapped all the
    # same). The loader turns a trap in boot() or an API call into a console error and the
    # fail-closed state. -Zlocation-detail=none drops the file/line strings panics would have
    # carried. RUSTFLAGS from the caller's shell are not mixed in: the build is pinned.
    # --artifact-dir: both modules are the crate's cdylib, so cargo's own copy in
    # target/…/wasm/ is shared by them; this one is the build's own.
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
        cargo "+$BANNER_TOOLCHAIN" build -p akkoord --lib --target "$WASM_TARGET" --profile wasm \
        -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
        -Zunstable-options --artifact-dir "$work/raw" "$@"

    say "wasm-bindgen --target no-modules ($name)"
    wasm-bindgen --target no-modules --no-modules-global "$global" --no-typescript \
        --out-dir "$work/bindgen" "$work/raw/akkoord.wasm"

    # Short import and export names in the module and the glue
    # (scripts/tools/import-names.js): wasm-bindgen's carry random hashes, written twice.
    # -3.5 KB brotli for the banner.
    node "$ROOT/scripts/tools/import-names.js" "$work/bindgen/akkoord_bg.wasm" "$work/bindgen/akkoord.js" \
        || die "renaming the imports and exports of $name failed"
    # The one init function the loader calls, instead of wasm-bindgen's six
    # (scripts/tools/glue-init.js; -0.5 KB brotli per glue).
    node "$ROOT/scripts/tools/glue-init.js" "$work/bindgen/akkoord.js" \
        || die "replacing the init functions of $name's glue failed"

    say "wasm-opt -Oz ($name)"
    # --low-memory-unused: Rust lays the stack out first (data starts at 1 MiB), so the low
    # 1 KiB is only reached by a 1 MiB-deep stack; binaryen may then fold constant offsets
    # into addresses. A second -Oz pass finds more after the first (measured: -444 bytes
    # brotli). The `producers` and `target_features` custom sections are build metadata no
    # browser reads (wasm-bindgen has read target_features already): -226 bytes brotli.
    # --flatten --rereloop first: binaryen rebuilds every function's control flow from
    # scratch, which -Oz then shrinks further than the structure rustc emitted (-295 bytes
    # brotli for the banner, with a third -Oz pass; about 1.5 s more).
    "$WASM_OPT" --low-memory-unused --strip-producers --strip-target-features \
        --flatten --rereloop -Oz -Oz -Oz \
        "${WASM_OPT_FEATURES[@]}" "$work/bindgen/akkoord_bg.wasm" -o "$out/$name.wasm"
}

# minify SRC DEST: the glue is generated code with long comments and names (-40 % brotli).
# Names the loader and the glue share across the scope are mangled together, nothing is left
# global.
minify() {
    node --check "$1" || die "$(basename "$2") does not parse"
    "$ROOT/scripts/tools/node_modules/.bin/terser" "$1" \
        --compress passes=2 --mangle --ecma 2017 --comments '/^!/' -o "$2"
}

# The first visit's module: asks, stores the choice, then hands over (src/web/mod.rs, GATING).
module akkoord akkoordWasm --no-default-features --features banner
# The full module: for a visitor with a stored choice, and after the first decision.
module akkoord-full akkoordFull
# The cookie statement's renderer: only a page with [data-akkoord-statement] downloads it
# (src/statement_page.rs).
module akkoord-statement akkoordStatement --no-default-features --features statement-page

# One classic script: the wasm-bindgen glue and the loader share one function scope, so the
# glue's `akkoordWasm` never becomes a page global (docs/internals.md, "dist/").
say "terser"
{
    printf '(function(){'
    cat "$tmp/akkoord/bindgen/akkoord.js"
    printf '\n'
    cat www/akkoord.js
    printf '})();\n'
} >"$tmp/akkoord.unminified.js"
minify "$tmp/akkoord.unminified.js" "$out/akkoord.js"
# The statement module's glue, in a scope of its own too. The loader inserts this script and
# finds the glue on the script element, so it needs no page global either.
{
    printf '(function(){'
    cat "$tmp/akkoord-statement/bindgen/akkoord.js"
    printf '\ndocument.currentScript.akkoord=akkoordStatement;})();\n'
} >"$tmp/akkoord-statement.unminified.js"
minify "$tmp/akkoord-statement.unminified.js" "$out/akkoord-statement.js"
# The full module's glue, the same way.
{
    printf '(function(){'
    cat "$tmp/akkoord-full/bindgen/akkoord.js"
    printf '\ndocument.currentScript.akkoord=akkoordFull;})();\n'
} >"$tmp/akkoord-full.unminified.js"
minify "$tmp/akkoord-full.unminified.js" "$out/akkoord-full.js"

cp www/akkoord.css "$out/akkoord.css"
if [ -f www/akkoord.d.ts ]; then cp www/akkoord.d.ts "$out/akkoord.d.ts"; fi

# Precompressed siblings, served as-is by `akkoord serve` (and by any static server that can).
for f in "$out"/*; do
    brotli -q 11 -f -o "$f.br" "$f"
    gzip -9 -n -c "$f" >"$f.gz"
done

new_files=()
for f in "$out"/*; do new_files+=("$(basename "$f")"); mv -f "$f" dist/; done
# Drop what an older build left behind (a d.ts that is no longer written, say).
for f in dist/akkoord.* dist/akkoord-*; do
    [ -e "$f" ] || continue
    case " ${new_files[*]} " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac
done

# Kept for `./run size` (twiggy reads the module before wasm-opt, names and all).
rm -rf target/wasm-bindgen.old
[ -d target/wasm-bindgen ] && mv target/wasm-bindgen target/wasm-bindgen.old
mv "$tmp/akkoord/bindgen" target/wasm-bindgen
rm -rf target/wasm-bindgen.old

if [ "$build_cli" -eq 1 ]; then
    say "cargo build -p akkoord-cli"
    cargo build -p akkoord-cli
fi

bash "$ROOT/scripts/size.sh" --report-only
