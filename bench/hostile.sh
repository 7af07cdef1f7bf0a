#!/usr/bin/env bash
# The generator under hostile input (issue 25; part of bench/run.sh; runs alone too): the
# release `sdkgen generate` on descriptions built to find super-linear cost
# (`sdkgen::synth::hostile`, printed by the `hostile_spec` example): 10,000-long chains of each
# kind of reference, nesting 100,000 deep (refused at the limit), a body of 100,000 fields and
# a 50 MB file of 10 million short lines; then peak memory on every published description of
# generator/tests/real/. Each row: the median wall time of HOSTILE_RUNS runs (default 3) and
# the largest peak resident memory (GNU time's %M, the whole process).
# With BENCH_REPORT_DIR set, the rows go to $BENCH_REPORT_DIR/16-hostile.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$root/target/bench-hostile"
runs="${HOSTILE_RUNS:-3}"
export CARGO_TERM_COLOR=never
rm -rf "$work" && mkdir -p "$work"
cargo build --release -q -p sdkgen --bin sdkgen --example hostile_spec
sdkgen="$root/target/release/sdkgen"

# measure SPEC: prints "MEDIAN_SECONDS PEAK_KB EXIT"
measure() {
  local spec=$1 times=() peak=0 code=0
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    code=0
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$sdkgen" generate "$spec" --out "$work/out" \
      >/dev/null 2>"$work/stderr.txt" || code=$?
    seconds=$(tail -1 "$work/time.txt" | cut -d' ' -f1)
    kilobytes=$(tail -1 "$work/time.txt" | cut -d' ' -f2)
    times+=("$seconds")
    [ "$kilobytes" -gt "$peak" ] && peak=$kilobytes
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  echo "$median $peak $code"
}

megabytes() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1e6}'; }

rows=()
# chain KIND N LABEL: under 1 s, exit 0
for kind in ref-chain alias-chain one-of-chain any-of-chain; do
  "$root/target/release/examples/hostile_spec" "$kind" 10000 >"$work/$kind.yaml"
  read -r t m code < <(measure "$work/$kind.yaml")
  met=$(awk -v t="$t" -v c="$code" 'BEGIN {print (t < 1 && c == 0) ? "yes" : "**no**"}')
  rows+=("| hostile | \`$kind\` of 10,000 ($(megabytes "$work/$kind.yaml") MB): file → formatted sources, median of $runs | $t s, peak $((m / 1024)) MB, exit $code | < 1 s, exit 0 | $met |")
done
for kind in flow-nesting compact-nesting; do
  "$root/target/release/examples/hostile_spec" "$kind" 100000 >"$work/$kind.yaml"
  read -r t m code < <(measure "$work/$kind.yaml")
  located=$(grep -c "^$work/$kind.yaml:[0-9]*:[0-9]*: error: #: collections nest deeper than 128 levels" "$work/stderr.txt" || true)
  met=$(awk -v t="$t" -v c="$code" -v l="$located" 'BEGIN {print (t < 1 && c == 2 && l == 1) ? "yes" : "**no**"}')
  rows+=("| hostile | \`$kind\` 100,000 deep ($(megabytes "$work/$kind.yaml") MB): refused, median of $runs | $t s, peak $((m / 1024)) MB, exit $code, $located located error | < 1 s, exit 2, one located error | $met |")
done
"$root/target/release/examples/hostile_spec" wide-body 100000 >"$work/wide-body.yaml"
read -r t m code < <(measure "$work/wide-body.yaml")
out_mb=$(du -sm "$work/out/src" | cut -f1)
rows+=("| hostile | \`wide-body\`: one request body of 100,000 fields ($(megabytes "$work/wide-body.yaml") MB), median of $runs | $t s, peak $((m / 1024)) MB, exit $code, ${out_mb} MB of Rust | (reported; was 31 s, 2.06 GB) | — |")
"$root/target/release/examples/hostile_spec" long-file 10000000 >"$work/long-file.yaml"
read -r t m code < <(measure "$work/long-file.yaml")
size=$(megabytes "$work/long-file.yaml")
met=$(awk -v m="$m" -v s="$size" 'BEGIN {print (m / 1024 <= 10 * s + 50) ? "yes" : "**no**"}')
rows+=("| hostile | \`long-file\`: 10 million short lines of an extension's data ($size MB), median of $runs | $t s, peak $((m / 1024)) MB, exit $code | ≤ 10 × size + 50 MB | $met |")

# Every published description: the worst peak against 10 × size + 50 MB.
worst="" worst_ratio=0 openai=""
for spec in generator/tests/real/*.yaml generator/tests/real/*.json; do
  read -r t m code < <(runs=1 measure "$spec")
  size=$(megabytes "$spec")
  ratio=$(awk -v m="$m" -v s="$size" 'BEGIN {printf "%.2f", (m / 1024) / (10 * s + 50)}')
  line="$(basename "$spec") ($size MB): peak $((m / 1024)) MB"
  if awk -v r="$ratio" -v w="$worst_ratio" 'BEGIN {exit !(r > w)}'; then
    worst="$line" worst_ratio=$ratio
  fi
  case "$spec" in *openai.yaml) openai="$line" ;; esac
done
met=$(awk -v r="$worst_ratio" 'BEGIN {print (r <= 1) ? "yes" : "**no**"}')
rows+=("| hostile | peak memory on every description of \`generator/tests/real/\`: OpenAI's, and the highest against its bound | $openai; highest: $worst ($worst_ratio of its bound) | ≤ 10 × size + 50 MB | $met |")

printf '%s\n' "${rows[@]}"
if [ -n "${BENCH_REPORT_DIR:-}" ]; then
  mkdir -p "$BENCH_REPORT_DIR"
  printf '%s\n' "${rows[@]}" >"$BENCH_REPORT_DIR/16-hostile.md"
fi
