#!/usr/bin/env bash
# The generator on whole descriptions, as a user runs it (part of bench/run.sh; runs alone too):
# the release `sdkgen generate --vendor-runtime` on OpenAI's published description
# (generator/tests/real/openai.yaml), on the same rewritten as OpenAPI 3.2 writes it (its
# streams as `itemSchema`, by `examples/as_openapi_3_2.rs`), on Slack's Web API (a Swagger 2.0
# description, read as 3.0) and on the synthetic 300-operation, 1,400-schema spec.
# Each is run GENERATOR_RUNS times (default 5): the median wall time, the largest peak
# resident memory (GNU time's %M, the whole process) and the bytes of Rust written (the crate's
# src/, the vendored runtime included).
# With BENCH_REPORT_DIR set, the rows go to $BENCH_REPORT_DIR/15-generator-whole.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$root/target/bench-generator"
runs="${GENERATOR_RUNS:-5}"
export CARGO_TERM_COLOR=never
rm -rf "$work" && mkdir -p "$work"
cargo build --release -q -p sdkgen --bin sdkgen --example synthetic_spec --example as_openapi_3_2
sdkgen="$root/target/release/sdkgen"
"$root/target/release/examples/synthetic_spec" 300 1400 >"$work/synthetic.yaml"
"$root/target/release/examples/as_openapi_3_2" generator/tests/real/openai.yaml >"$work/openai-3.2.yaml"

# row LABEL SPEC TIME_TARGET_S MEMORY_TARGET_MB BYTES_TARGET_MB
row() {
  local label=$1 spec=$2 time_target=$3 memory_target=$4 bytes_target=$5
  local out="$work/out" times=() peak=0
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$sdkgen" generate "$spec" --out "$out" --vendor-runtime >/dev/null 2>&1
    read -r seconds kilobytes <"$work/time.txt"
    times+=("$seconds")
    [ "$kilobytes" -gt "$peak" ] && peak=$kilobytes
  done
  local median bytes
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  bytes=$(find "$out/src" -name '*.rs' -print0 | xargs -0 cat | wc -c)
  awk -v label="$label" -v t="$median" -v m="$peak" -v b="$bytes" -v tt="$time_target" \
      -v mt="$memory_target" -v bt="$bytes_target" -v runs="$runs" 'BEGIN {
    met = (t < tt && m / 1024 < mt && b / 1e6 <= bt) ? "yes" : "**no**"
    printf "| generator | %s: file → formatted sources, release `sdkgen`, median of %d | %.2f s, peak %.0f MB, %.1f MB of Rust | < %g s, < %g MB, ≤ %g MB | %s |\n",
      label, runs, t, m / 1024, b / 1e6, tt, mt, bt, met
  }'
}

rows=$(
  row "OpenAI's description (288 ops, 1,422 schemas, 3.0 MB)" generator/tests/real/openai.yaml 1 100 12
  row "OpenAI's description as OpenAPI 3.2 (streams as \`itemSchema\`)" "$work/openai-3.2.yaml" 1 100 12
  row "Slack's Web API, Swagger 2.0 (174 ops, 48 definitions, 1.2 MB)" generator/tests/real/slack-web.json 1 100 6
  row "synthetic 300 ops, 1,400 schemas, 3.5 MB" "$work/synthetic.yaml" 1 100 12.5
)
printf '%s\n' "$rows"
if [ -n "${BENCH_REPORT_DIR:-}" ]; then
  mkdir -p "$BENCH_REPORT_DIR"
  printf '%s\n' "$rows" >"$BENCH_REPORT_DIR/15-generator-whole.md"
fi
