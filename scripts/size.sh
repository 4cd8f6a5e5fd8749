#!/usr/bin/env bash
# size: raw/gzip/brotli bytes of dist/, fails if a first visit downloads more than the budget
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# What a first-time visitor downloads before deciding (akkoord.js + akkoord.wasm, the first
# visit's module), brotli-compressed. BUDGET is enforced and may never exceed GOAL (48 KiB):
# it is a ratchet set just above the last measured size, so nothing grows unnoticed. Lower it
# whenever a change cuts bytes; never raise it without saying why in the commit.
GOAL_BROTLI_BYTES=$((48 * 1024))
# 48,640: the measured 48,621 once the glue's init functions were replaced by the one the
# loader calls (scripts/tools/glue-init.js, -0.5 KB).
# It was 49,140 before (the first visit's module of its own, services::CODES, texts::fill),
# 61,230 before that, 68,300 before that, and 79,700 before the pinned nightly, serde-free
# consent() and short names.
BUDGET_BROTLI_BYTES=48640
[ "$BUDGET_BROTLI_BYTES" -le "$GOAL_BROTLI_BYTES" ] || die "size: the budget may not exceed the 48 KiB goal"

# Usage: ./run size [--twiggy]   (--twiggy installs twiggy if needed: minutes of compiling)
# --report-only (used by build): print, warn over budget, exit 0.
twiggy=0
report_only=0
for arg in "$@"; do
    case "$arg" in
        --twiggy) twiggy=1 ;;
        --report-only) report_only=1 ;;
        *) die "size: unknown argument '$arg'" ;;
    esac
done

[ -f dist/akkoord.js ] && [ -f dist/akkoord.wasm ] || die "dist/ is not built: ./run build"
have brotli || die "brotli not found: ./run setup"

gz_size() { gzip -9 -n -c "$1" | wc -c; }
br_size() { brotli -q 11 -c "$1" | wc -c; }

printf '%-22s %10s %10s %10s\n' "dist/" "raw" "gzip" "brotli"
first_raw=0 first_gz=0 first_br=0
statement_br=0 full_br=0 loader_br=0
for f in dist/*; do
    case "$f" in *.br|*.gz) continue ;; esac
    [ -f "$f" ] || continue
    r=$(wc -c <"$f"); g=$(gz_size "$f"); b=$(br_size "$f")
    printf '%-22s %10d %10d %10d\n' "$(basename "$f")" "$r" "$g" "$b"
    case "$(basename "$f")" in
        akkoord.js|akkoord.wasm)
            first_raw=$((first_raw + r)); first_gz=$((first_gz + g)); first_br=$((first_br + b))
            [ "$(basename "$f")" = akkoord.js ] && loader_br=$b ;;
        akkoord-full.js|akkoord-full.wasm) full_br=$((full_br + b)) ;;
        akkoord-statement.js|akkoord-statement.wasm) statement_br=$((statement_br + b)) ;;
    esac
done
printf '%-22s %10d %10d %10d\n' "first visit (js+wasm)" "$first_raw" "$first_gz" "$first_br"
# A visitor with a stored choice that grants something: the loader and the full module. A first
# visit that grants something fetches the full module after the decision, on top.
if [ "$full_br" -gt 0 ]; then
    printf '%-22s %10s %10s %10d\n' "stored choice (full)" "" "" $((loader_br + full_br))
    printf '%-22s %10s %10s %10d\n' "+ after first consent" "" "" $((first_br + full_br))
fi
# Only a page with [data-akkoord-statement] adds the statement module (not part of the budget).
if [ "$statement_br" -gt 0 ]; then
    printf '%-22s %10s %10s %10d\n' "+ statement page" "" "" $((first_br + statement_br))
fi
budget_tenths=$((BUDGET_BROTLI_BYTES * 10 / 1024))
printf 'budget: %d bytes brotli (%d.%d KiB, enforced); used %d%%\n' \
    "$BUDGET_BROTLI_BYTES" $((budget_tenths / 10)) $((budget_tenths % 10)) $((first_br * 100 / BUDGET_BROTLI_BYTES))
if [ "$first_br" -gt "$GOAL_BROTLI_BYTES" ]; then
    printf 'goal:   %d bytes brotli (%d KiB): not met, %d bytes over\n' \
        "$GOAL_BROTLI_BYTES" $((GOAL_BROTLI_BYTES / 1024)) $((first_br - GOAL_BROTLI_BYTES))
else
    printf 'goal:   %d bytes brotli (%d KiB): met\n' "$GOAL_BROTLI_BYTES" $((GOAL_BROTLI_BYTES / 1024))
fi

if [ "$twiggy" -eq 1 ] && ! have twiggy; then
    say "cargo install twiggy"
    cargo install twiggy
fi
if have twiggy; then
    echo
    echo "twiggy top -n 15 (before wasm-opt, with names where the build kept them):"
    wasm="target/wasm-bindgen/akkoord_bg.wasm"
    [ -f "$wasm" ] || wasm=dist/akkoord.wasm
    twiggy top -n 15 "$wasm"
fi

if [ "$first_br" -gt "$BUDGET_BROTLI_BYTES" ]; then
    msg="first visit is $first_br bytes brotli, over the budget of $BUDGET_BROTLI_BYTES"
    if [ "$report_only" -eq 1 ]; then warn "$msg"; exit 0; fi
    die "$msg"
fi
