#!/usr/bin/env bash
# Every benchmark, then one table: the generator's stages and scaling (criterion,
# generator/benches/pipeline.rs), the generator on whole descriptions (bench/generator_cost.sh) and on
# hostile ones (bench/hostile.sh), the names it infers against the official SDK's
# (bench/official_names.sh), the generated client against a hand-written one and
# auto-pagination memory (criterion + a counting allocator, benches/client.rs), build cost
# (bench/build_cost.sh) and the compile cost of the whole OpenAI API against async-openai
# (bench/compile_cost.sh). Takes about 40 minutes on 2 cores. See BENCHMARKS.md.
#
#   bash bench/run.sh            # run everything, print the table
#   bash bench/run.sh --write    # ... and replace the table in BENCHMARKS.md
#
# The table is also left in target/bench-report/table.md; criterion's own reports are under
# target/criterion/. Speed is never asserted here or in tests: a missed target says "no".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
write=false
case "${1:-}" in
  --write) write=true ;;
  "") ;;
  *) echo "usage: bash bench/run.sh [--write]" >&2; exit 2 ;;
esac
export CARGO_TERM_COLOR=never
export BENCH_REPORT_DIR="$root/target/bench-report"
rm -rf "$BENCH_REPORT_DIR"
mkdir -p "$BENCH_REPORT_DIR"

step() { printf '\n==> %s\n' "$*" >&2; }

# A build that regenerates generated/ fails once on purpose; settle that first.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

step "build"
cargo build -q 2>/dev/null || cargo build -q

step "generator: stages and scaling (criterion)"
cargo bench -p sdkgen --bench pipeline

step "generator: whole descriptions (time, peak memory, output size)"
bash bench/generator_cost.sh

step "generator: hostile input (chains, nesting, a wide body, a 50 MB file; memory on real descriptions)"
bash bench/hostile.sh

step "names: inferred without hints vs the official Python SDK"
bash bench/official_names.sh

step "client: throughput, allocations, pagination memory (criterion + counting allocator)"
cargo bench -p workbench --bench client

step "build cost"
bash bench/build_cost.sh

step "compile cost: the whole OpenAI API, generated vs async-openai"
bash bench/compile_cost.sh

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- generator generated src benches bench spec Cargo.toml build.rs 2>/dev/null | wc -l)
{
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) at commit \`$commit\`$([ "$dirty" -gt 0 ] && echo " (+ $dirty uncommitted files)") on $(nproc) cores, ${cpu_model}, ${memory}; load average before/after the run: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| area | measurement | result | target | met |"
  echo "|---|---|---|---|---|"
  cat "$BENCH_REPORT_DIR"/[0-9]*.md
} >"$BENCH_REPORT_DIR/table.md"

step "table (also in target/bench-report/table.md)"
cat "$BENCH_REPORT_DIR/table.md"

if $write; then
  # Replace what stands between the markers in BENCHMARKS.md.
  awk -v table="$BENCH_REPORT_DIR/table.md" '
    /<!-- bench-table:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- bench-table:end -->/ { skip = 0 }
    !skip { print }
  ' BENCHMARKS.md >"$BENCH_REPORT_DIR/BENCHMARKS.md"
  mv "$BENCH_REPORT_DIR/BENCHMARKS.md" BENCHMARKS.md
  echo "BENCHMARKS.md updated" >&2
fi
