#!/usr/bin/env bash
# Benchmark of `akkoord audience build` against a plain Python csv+hashlib script doing the same
# normalize + hash + suppress + opt-in + dedupe work, on one generated file, in one invocation.
#
#   scripts/bench-audience.sh                  # 1,000,000 rows, akkoord and Python (~1 minute)
#   scripts/bench-audience.sh --rows 5000000   # another size
#   scripts/bench-audience.sh --no-python      # only akkoord
#   scripts/bench-audience.sh --memory         # peak RSS at 1 M and 5 M rows, all-distinct and
#                                              # 100,000 distinct people (the flat-memory check)
#
# Prints Markdown tables: wall time, rows per second, CPU use and peak RSS.
set -euo pipefail

rows=1000000
python=1
memory=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --rows=*) rows="${1#--rows=}"; shift ;;
    --no-python) python=0; shift ;;
    --memory) memory=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench-audience: unknown argument $1" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

install_pkg() {
  echo "bench-audience: installing $1" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$1" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "$1" >/dev/null; fi
}
# GNU time reports peak RSS; the shell keyword does not.
[ -x /usr/bin/time ] || install_pkg time
if [ "$python" = 1 ] && [ "$memory" = 0 ]; then command -v python3 >/dev/null || install_pkg python3; fi

echo "bench-audience: building (release)" >&2
cargo build -q -p akkoord-audience --release
bin="$root/target/release/akkoord-audience"

work="$(mktemp -d "${TMPDIR:-/tmp}/akkoord-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# measure CMD...: runs CMD under GNU time; sets wall (s), cpus (user+sys s), rss (MiB), cpu (%)
# and keeps its stdout. CPU seconds say more than wall time on a machine shared with other work.
measure() {
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || {
    cat "$work/stderr.txt" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")
  cpu=$(awk -F': ' '/Percent of CPU/ { print $2 }' "$work/time.txt")
  cpus=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")
}

rate_of() { awk -v r="$1" -v w="$2" 'BEGIN { if (w <= 0) w = 0.01; printf "%.0f", r / w }'; }

akkoord_build() {
  measure "$bin" build --platform meta --country NL --quiet \
    --input "$work/customers.csv" --objections "$work/objections.csv" --out "$work/akkoord.csv"
}

if [ "$memory" = 1 ]; then
  echo "| rows | distinct people | output rows | wall s | CPU s | peak RSS MiB |"
  echo "|---:|---:|---:|---:|---:|---:|"
  for n in 1000000 5000000; do
    for distinct in all 100000; do
      echo "bench-audience: $n rows, $distinct distinct" >&2
      extra=()
      [ "$distinct" = all ] || extra=(--distinct "$distinct")
      "$bin" generate --rows "$n" "${extra[@]}" --out "$work/customers.csv" --objections-out "$work/objections.csv"
      akkoord_build
      out=$(awk '$1 == "output" { print $2 }' "$work/stdout.txt")
      echo "| $n | $distinct | $out | $wall | $cpus | $rss |"
    done
  done
  echo
  echo "$(nproc) cores; $(date -u +%Y-%m-%d)"
  exit 0
fi

echo "bench-audience: generating $rows rows" >&2
"$bin" generate --rows "$rows" --out "$work/customers.csv" --objections-out "$work/objections.csv"
size_mib=$(( $(stat -c %s "$work/customers.csv") / 1048576 ))

echo "bench-audience: running akkoord" >&2
akkoord_build
table="| akkoord audience build | $rows | $wall | $(rate_of "$rows" "$wall") | $cpus | $(rate_of "$rows" "$cpus") | $cpu | $rss |"$'\n'
akkoord_wall="$wall"
akkoord_cpus="$cpus"

if [ "$python" = 1 ]; then
  echo "bench-audience: running the Python baseline" >&2
  measure python3 "$root/audience/bench/baseline.py" "$work/customers.csv" "$work/objections.csv" "$work/python.csv"
  table+="| python3 csv + hashlib | $rows | $wall | $(rate_of "$rows" "$wall") | $cpus | $(rate_of "$rows" "$cpus") | $cpu | $rss |"$'\n'
  python_wall="$wall"
  python_cpus="$cpus"
  # Same work, same result: the two upload files must be byte-identical.
  if cmp -s "$work/akkoord.csv" "$work/python.csv"; then same="identical"; else same="DIFFERENT"; fi
fi

echo
echo "Input: $rows rows, $size_mib MiB; $(nproc) cores; load average $(cut -d' ' -f1 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo
echo "| implementation | rows | wall s | rows/s | CPU s | rows per CPU s | CPU | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s' "$table"
if [ "$python" = 1 ]; then
  echo
  awk -v a="$akkoord_wall" -v p="$python_wall" -v ac="$akkoord_cpus" -v pc="$python_cpus" \
    'BEGIN { if (a <= 0) a = 0.01; if (ac <= 0) ac = 0.01; printf "Speed-up: %.1fx wall, %.1fx CPU time\n", p / a, pc / ac }'
  echo "Upload files: $same"
  [ "$same" = identical ] || exit 1
fi
