#!/usr/bin/env bash
# Per real description (generator/tests/real/): operations, schemas, generation time (release
# sdkgen, best of 3), lines generated, and `cargo check` time of the crate alone with its
# dependencies already built. Prints a Markdown table. A measurement, not a test: run it on a
# quiet machine; the numbers are for comparing descriptions within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
work=target/real-measure
rm -rf "$work" && mkdir -p "$work"
cargo build --release -q -p sdkgen
sdkgen=target/release/sdkgen

count() { # operations and schemas of a description, from its own text
  python3 - "$1" <<'PY'
import json, sys
import yaml
path = sys.argv[1]
with open(path) as f:
    doc = json.load(f) if path.endswith(".json") else yaml.safe_load(f)
methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
ops = sum(1 for item in (doc.get("paths") or {}).values() if isinstance(item, dict) for m in item if m in methods)
print(ops, len((doc.get("components") or {}).get("schemas") or {}))
PY
}

members=()
for spec in generator/tests/real/*.yaml generator/tests/real/*.json; do
  name=$(basename "${spec%.*}")
  hints=()
  [ "$name" = openai ] && hints=(--hint x-sdk-query-array-format=brackets)
  best=
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$sdkgen" generate "$spec" --out "$work/$name" --crate-name "measure-$name" --runtime-path ../../../runtime "${hints[@]}" >/dev/null 2>&1
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$elapsed < $best" | bc)" = 1 ]; then best=$elapsed; fi
  done
  echo "$name $best" >> "$work/generation.txt"
  members+=("\"$name\"")
done
printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "$(IFS=,; echo "${members[*]}")" > "$work/Cargo.toml"
cp Cargo.lock "$work/"
# Dependencies first, through the smallest crate, so each crate's time is its own.
(cd "$work" && cargo check -q -p measure-oai-uspto)

echo "| description | operations | schemas | generation (s) | lines | cargo check (s) |"
echo "|---|---:|---:|---:|---:|---:|"
while read -r name generation; do
  spec=$(ls generator/tests/real/"$name".*)
  read -r ops schemas < <(count "$spec")
  lines=$(cat $(find "$work/$name/src" -name '*.rs' -not -path '*/runtime/*' -not -path '*/bin/*') | wc -l)
  start=$(date +%s.%N)
  (cd "$work" && cargo check -q -p "measure-$name")
  check=$(echo "$(date +%s.%N) - $start" | bc)
  printf '| %s | %s | %s | %.2f | %s | %.1f |\n' "$name" "$ops" "$schemas" "$generation" "$lines" "$check"
done < "$work/generation.txt"
