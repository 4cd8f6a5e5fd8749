#!/usr/bin/env bash
# test: set up, build, then lint + native + wasm (headless Chromium) + end-to-end tests
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Usage: ./run test [--e2e-only] [-- <playwright args>]
# Every stage runs even when an earlier one failed; the last line is "N passed, N failed".
e2e_only=0
pw_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --e2e-only) e2e_only=1 ;;
        --) shift; pw_args=("$@"); break ;;
        *) die "test: unknown argument '$1'" ;;
    esac
    shift
done

logs="$ROOT/target/test-logs"
mkdir -p "$logs"
passed=0
failed=0
results=()
started=$SECONDS

# Cargo's libtest and wasm-bindgen-test-runner both close every binary with
# "test result: ok. 12 passed; 0 failed; ...".
count_cargo() {
    awk '/test result: /{
            for (i = 1; i <= NF; i++) {
                if ($(i+1) ~ /^passed;?$/) p += $i
                if ($(i+1) ~ /^failed;?$/) f += $i
            }
        } END { printf "%d %d\n", p, f }' "$1"
}

# Playwright's JSON report: stats.expected passed, stats.unexpected failed.
count_playwright() {
    node -e '
        const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const s = r.stats || {};
        const errs = (r.errors || []).length;
        console.log(`${(s.expected || 0) + (s.flaky || 0)} ${(s.unexpected || 0) + errs}`);
    ' "$1" 2>/dev/null || echo "0 0"
}

# stage <name> <cargo|check|playwright> <command...>
stage() {
    local name="$1" kind="$2"; shift 2
    local log="$logs/$name.log" rc p=0 f=0 t0=$SECONDS
    say "[$name] $*"
    set +e
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    case "$kind" in
        cargo) read -r p f < <(count_cargo "$log") ;;
        playwright) read -r p f < <(count_playwright "$logs/e2e.json") ;;
        check) if [ "$rc" -eq 0 ]; then p=1; else f=1; fi ;;
    esac
    # A non-zero exit that no test owned (a compile error, a crashed runner) is a failure too.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    results+=("$(printf '%-14s %4d passed %4d failed  (%ds, exit %d)' "$name" "$p" "$f" $((SECONDS - t0)) "$rc")")
    return 0
}

skip_failed() {
    failed=$((failed + 1))
    results+=("$(printf '%-14s %4d passed %4d failed  (not run: %s)' "$1" 0 1 "$2")")
}

finish() {
    echo
    echo "stages ($((SECONDS - started))s in all; logs in target/test-logs/):"
    printf '  %s\n' "${results[@]}"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

if ! bash "$ROOT/scripts/setup.sh"; then
    echo "setup failed"
    echo "0 passed, 1 failed"
    exit 1
fi

built=0
stage build check bash "$ROOT/scripts/build.sh"
if [ -f dist/akkoord.js ] && [ -f dist/akkoord.wasm ] && [ -x "$AKKOORD_BIN" ] \
    && [ "$failed" -eq 0 ]; then
    built=1
fi

if [ "$e2e_only" -eq 0 ]; then
    stage size check bash "$ROOT/scripts/size.sh"
    stage fmt check cargo fmt --all -- --check
    stage clippy check cargo clippy --workspace --all-targets -- -D warnings
    # The banner and the cookie-statement module together, then the statement module and the
    # first visit's module alone (what a module does not use must not warn either).
    stage clippy-wasm check cargo clippy -p akkoord --lib --tests --target "$WASM_TARGET" --all-features -- -D warnings
    stage clippy-statement check cargo clippy -p akkoord --lib --target "$WASM_TARGET" \
        --no-default-features --features statement-page -- -D warnings
    # The first visit's module: the banner without gating.
    stage clippy-first-visit check cargo clippy -p akkoord --lib --target "$WASM_TARGET" \
        --no-default-features --features banner -- -D warnings

    # The server's tests want PostgreSQL; its owner's wrapper starts one and exports
    # AKKOORD_TEST_DATABASE_URL. Used once it is committed.
    if [ -x scripts/with-postgres.sh ] && git ls-files --error-unmatch scripts/with-postgres.sh >/dev/null 2>&1; then
        stage native cargo bash scripts/with-postgres.sh cargo test --workspace
    else
        stage native cargo cargo test --workspace
    fi

    # wasm-bindgen-test in headless Chromium (webdriver.json adds the flags this machine needs).
    if [ -f tests/web.rs ]; then
        stage wasm cargo env CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_ONLY_WEB=1 \
            WASM_BINDGEN_TEST_TIMEOUT=180 WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json" \
            cargo test -p akkoord --target "$WASM_TARGET" --test web
    else
        skip_failed wasm "tests/web.rs is missing"
    fi
fi

if [ "$built" -eq 1 ]; then
    rm -f "$logs/e2e.json"
    stage e2e playwright env AKKOORD_BIN="$AKKOORD_BIN" PLAYWRIGHT_JSON_OUTPUT_NAME="$logs/e2e.json" \
        bash -c 'cd tests/e2e && exec npx --no-install playwright test "$@"' _ "${pw_args[@]}"
else
    skip_failed e2e "the build failed"
fi

finish
