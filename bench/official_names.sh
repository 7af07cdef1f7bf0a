#!/usr/bin/env bash
# Names without hints, measured against the official SDK (part of bench/run.sh; runs alone too):
# for each route of OpenAI's description that openai-python's api.md also lists, whether
# `sdkgen` gives it the same method name and the same call path, with no hints and with the
# five-line overlay bench/official-names/openai-python.overlay.yaml. Sources and license:
# bench/official-names/SOURCES.md. The same figures are held by tests/official_names.rs.
# With BENCH_REPORT_DIR set, the rows go to $BENCH_REPORT_DIR/60-names.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
names="bench/official-names"
cargo build --release -q -p sdkgen --example official_names
score() { # label, method target %, path target %, extra arguments
  local label=$1 method_target=$2 path_target=$3
  shift 3
  local output
  output=$("$root/target/release/examples/official_names" generator/tests/real/openai.yaml \
    "$names"/openai-python/api.md "$names"/openai-python/*.api.md "$@")
  local line=${output%%$'\n'*}
  echo "$line" >&2
  awk -v label="$label" -v line="$line" -v mt="$method_target" -v pt="$path_target" 'BEGIN {
    match(line, /routes both have: [0-9]+/); routes = substr(line, RSTART + 18, RLENGTH - 18)
    match(line, /same method name: [0-9]+ \([0-9.]+ %\)/); method = substr(line, RSTART + 18, RLENGTH - 18)
    match(line, /same call path: [0-9]+ \([0-9.]+ %\)/); path = substr(line, RSTART + 16, RLENGTH - 16)
    split(method, m, /[(%]/); split(path, p, /[(%]/)
    met = (m[2] + 0 >= mt && p[2] + 0 >= pt) ? "yes" : "**no**"
    printf "| names | OpenAI vs openai-python'"'"'s `api.md`, %s, %s routes both have: same method name, same call path | %s, %s | ≥ %d %%, ≥ %d %% | %s |\n", label, routes, method, path, mt, pt, met
  }'
}
rows=$(
  score "no hints" 90 60
  score "five-line overlay" 90 90 --overlay "$names/openai-python.overlay.yaml"
)
printf '%s\n' "$rows"
if [ -n "${BENCH_REPORT_DIR:-}" ]; then
  mkdir -p "$BENCH_REPORT_DIR"
  printf '%s\n' "$rows" >"$BENCH_REPORT_DIR/60-names.md"
fi
