#!/usr/bin/env bash
# Benchmark of `akkoord audience build` against a plain Python csv+hashlib script doing the same
# normalize + hash + suppress + opt-in + dedupe work, on one generated file, in one invocation.
#
#   scripts/bench-audience.sh                  # 1,000,000 rows (about a minute)
#   scripts/bench-audience.sh --rows 5000000   # the flat-memory check
#   scripts/bench-audience.sh --no-python      # only akkoord
#
# Prints a Markdown table: wall time, rows per second, CPU use and peak RSS of each.
set -euo pipefail

rows=1000000
python=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --rows=*) rows="${1#--rows=}"; shift ;;
    --no-python) python=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-audience: unknown argument $1" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# /usr/bin/time (GNU time) reports peak RSS; the shell builtin does not.
if [ ! -x /usr/bin/time ]; then
  echo "bench-audience: installing GNU time" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq time >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null; fi
fi
if [ "$python" = 1 ] && ! command -v python3 >/dev/null; then
  echo "bench-audience: installing python3" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3 >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq python3 >/dev/null; fi
fi

echo "bench-audience: building (release)" >&2
cargo build -q -p akkoord-audience --release
bin="$root/target/release/akkoord-audience"

work="$(mktemp -d "${TMPDIR:-/tmp}/akkoord-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "bench-audience: generating $rows rows" >&2
"$bin" generate --rows "$rows" --out "$work/customers.csv" --objections-out "$work/objections.csv"
size_mib=$(( $(stat -c %s "$work/customers.csv") / 1048576 ))

# measure NAME CMD...: runs CMD under GNU time and appends one table row.
table=""
measure() {
  local name="$1"; shift
  echo "bench-audience: running $name" >&2
  /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
    cat "$work/stderr.txt" >&2; exit 1; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")
  cpu=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$work/time.txt")
  local rate
  rate=$(awk -v r="$rows" -v w="$wall" 'BEGIN { if (w <= 0) w = 0.01; printf "%.0f", r / w }')
  table+="| $name | $rows | $wall | $rate | $cpu | $rss |"$'\n'
  last_rate="$rate"
}

measure "akkoord audience build" "$bin" build --platform meta --country NL --quiet \
  --input "$work/customers.csv" --objections "$work/objections.csv" --out "$work/akkoord.csv"
akkoord_rate="$last_rate"

if [ "$python" = 1 ]; then
  measure "python3 csv + hashlib" python3 "$root/audience/bench/baseline.py" \
    "$work/customers.csv" "$work/objections.csv" "$work/python.csv"
  python_rate="$last_rate"
  # Same work, same result: the two upload files must be byte-identical.
  if cmp -s "$work/akkoord.csv" "$work/python.csv"; then same="identical"; else same="DIFFERENT"; fi
fi

echo
echo "Input: $rows rows, $size_mib MiB; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| implementation | rows | wall s | rows/s | CPU | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s' "$table"
if [ "$python" = 1 ]; then
  echo
  awk -v a="$akkoord_rate" -v p="$python_rate" 'BEGIN { printf "Speed-up: %.1fx\n", a / p }'
  echo "Output files: $same"
  [ "$same" = identical ] || exit 1
fi
