#!/usr/bin/env bash
# What users pay for a whole API: clean builds of a tiny application that lists the
# organization's certificates (one operation) through
#   (a) the crate generated from OpenAI's whole description, default features (every part),
#   (b) the same crate with only its `certificates` feature,
#   (c) async-openai (the hand-written OpenAI crate, latest 0.x) with its `full` feature,
#   (d) async-openai with only its `administration` feature,
# in the dev profile, each application its own workspace and empty target directory under
# target/bench-compile/, in alternating order over COMPILE_COST_ROUNDS rounds (default 2).
# Then, once each: the API crate alone with its dependencies built (`cargo clean -p` it and
# build again), and the incremental rebuild after touching the application's main.rs. Peak
# memory is GNU time's %M over cargo: the largest process of the build, a rustc.
# Every build is non-incremental (CARGO_INCREMENTAL=0), as cargo builds a dependency from a
# registry; the generated crate's row is also measured as a path dependency (incremental,
# cargo's default for local crates), as a crate generated into a workspace is built.
# Part of bench/run.sh; runs alone too. Needs the crates.io registry once, to resolve
# async-openai (its version is in the rows); the builds themselves run --offline.
# With BENCH_REPORT_DIR set, the rows go to $BENCH_REPORT_DIR/35-compile.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/bench-compile"
rounds="${COMPILE_COST_ROUNDS:-2}"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0
unset CARGO_TARGET_DIR RUSTC_WRAPPER || true
mkdir -p "$work"
cd "$root"

# ---- the crate generated from the whole description --------------------------------------------
cargo build --release -q -p sdkgen --bin sdkgen
"$root/target/release/sdkgen" generate generator/tests/real/openai.yaml --out "$work/openai-generated" \
  --crate-name openai-generated --runtime-path "$root/runtime" \
  --hint x-sdk-query-array-format=brackets >/dev/null

# ---- the four applications -----------------------------------------------------------------------
make_app() { # name, dependency line, main.rs
  local dir="$work/$1"
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.1.0"
edition = "2021"
publish = false

# Its own workspace, not a member of the repository's.
[workspace]

[dependencies]
$2
tokio = { version = "1", features = ["rt", "macros"] }
TOML
  printf '%s\n' "$3" >"$dir/src/main.rs"
}

generated_main='
use openai_generated::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let page = client.organization().certificates().list().send().await?;
    for certificate in &page.data {
        println!("{} {:?}", certificate.id, certificate.name);
    }
    Ok(())
}'
async_openai_main='
use async_openai::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new();
    let page = client.admin().certificates().list_organization().await?;
    for certificate in &page.data {
        println!("{} {:?}", certificate.id, certificate.name);
    }
    Ok(())
}'
generated_dependency="openai-generated = { path = \"$work/openai-generated\""
make_app a-generated-default "$generated_dependency }" "$generated_main"
make_app b-generated-certificates "$generated_dependency, default-features = false, features = [\"certificates\"] }" "$generated_main"
make_app c-async-openai-full 'async-openai = { version = "0.43", features = ["full"] }' "$async_openai_main"
make_app d-async-openai-administration 'async-openai = { version = "0.43", features = ["administration"] }' "$async_openai_main"
apps=(a-generated-default b-generated-certificates c-async-openai-full d-async-openai-administration)
a_app=a-generated-default

# Resolve and download once, so that the timed builds only compile: the generated crate's
# applications on the versions the repository is tested with, async-openai's on the latest.
for app in "${apps[@]}"; do
  case "$app" in
    *generated*) cp "$root/Cargo.lock" "$work/$app/Cargo.lock" ;;
    *) (cd "$work/$app" && cargo generate-lockfile -q) ;;
  esac
  (cd "$work/$app" && cargo fetch -q)
done
async_openai_version=$(awk '/^name = "async-openai"$/ {getline; gsub(/"/, "", $3); print $3; exit}' \
  "$work/c-async-openai-full/Cargo.lock")

# timed APP LOG ARGS... -> "wall cpu peak-kB"; fails with the log when the build fails.
timed() {
  local app=$1 log=$2
  shift 2
  if ! (cd "$work/$app" && /usr/bin/time -f '%e %U %S %M' -o "$work/$app.time" \
        cargo build --offline "$@" >"$log" 2>&1); then
    cat "$log" >&2
    echo "error: building $app failed (log: $log)" >&2
    exit 1
  fi
  awk '{print $1, $2 + $3, $4}' "$work/$app.time"
}

declare -A walls cpus peaks
for ((round = 0; round < rounds; round++)); do
  order=("${apps[@]}")
  if ((round % 2 == 1)); then order=(d-async-openai-administration c-async-openai-full b-generated-certificates a-generated-default); fi
  for app in "${order[@]}"; do
    rm -rf "$work/$app/target"
    read -r wall cpu peak < <(timed "$app" "$work/$app.log")
    echo "compile cost: clean build of $app (round $((round + 1))/$rounds): $wall s wall, $cpu s CPU, peak $((peak / 1024)) MB" >&2
    walls[$app]+="$wall "; cpus[$app]+="$cpu "
    [ "${peaks[$app]:-0}" -lt "$peak" ] && peaks[$app]=$peak
  done
done

# Once each, on the last clean build: the API crate alone, then an edit of the application.
declare -A alone_wall alone_peak incremental
# The generated crate alone as a path dependency is built, incremental.
(cd "$work/$a_app" && CARGO_INCREMENTAL=1 cargo build -q --offline >/dev/null 2>&1 && CARGO_INCREMENTAL=1 cargo clean -q --offline -p openai-generated)
read -r path_wall _ path_peak < <(export CARGO_INCREMENTAL=1; timed "$a_app" "$work/$a_app.path.log")
echo "compile cost: $a_app: openai-generated alone as an incremental path dependency $path_wall s (peak $((path_peak / 1024)) MB)" >&2
for app in "${apps[@]}"; do
  case "$app" in *generated*) crate=openai-generated ;; *) crate=async-openai ;; esac
  (cd "$work/$app" && cargo clean -q --offline -p "$crate")
  read -r wall _ peak < <(timed "$app" "$work/$app.alone.log")
  alone_wall[$app]=$wall; alone_peak[$app]=$peak
  touch "$work/$app/src/main.rs"
  read -r wall _ _ < <(timed "$app" "$work/$app.incremental.log")
  incremental[$app]=$wall
  echo "compile cost: $app: $crate alone ${alone_wall[$app]} s (peak $((peak / 1024)) MB), incremental $wall s" >&2
done

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
wall() { median "${walls[$1]}"; }
cpu() { median "${cpus[$1]}"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
crates() { grep -c '^ *Compiling' "$work/$1.log" || true; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN {printf "%.2f", x / y}'; }
met() { awk -v r="$1" -v t="$2" 'BEGIN {print (r <= t) ? "yes" : "**no**"}'; }
describe() { # app -> "W s (N crates, C s CPU, peak M MB)"
  printf '%.1f s (%s crates, %.0f s CPU, rustc peak %s MB)' "$(wall "$1")" "$(crates "$1")" "$(cpu "$1")" "$(mb "${peaks[$1]}")"
}

a=a-generated-default b=b-generated-certificates c=c-async-openai-full d=d-async-openai-administration
ac=$(ratio "$(wall $a)" "$(wall $c)")
bd=$(ratio "$(wall $b)" "$(wall $d)")
alone_met=$(awk -v t="${alone_wall[$a]}" -v m="${alone_peak[$a]}" 'BEGIN {print (t <= 25 && m / 1048576 <= 1.2) ? "yes" : "**no**"}')
rows=(
  "| compile | clean \`cargo build\` (dev) of a tiny app calling one operation: (a) the crate generated from OpenAI's whole description, default features, vs (c) async-openai $async_openai_version \`full\`, median of $rounds alternating rounds | (a) $(describe $a) vs (c) $(describe $c) = **${ac}×** | ≤ 0.6× | $(met "$ac" 0.6) |"
  "| compile | the same app, (b) the generated crate with only its \`certificates\` feature vs (d) async-openai $async_openai_version \`administration\` | (b) $(describe $b) vs (d) $(describe $d) = **${bd}×** | ≤ 0.6× | $(met "$bd" 0.6) |"
  "| compile | the API crate alone, its dependencies built (\`cargo clean -p\`, build): (a) generated, default features / (b) \`certificates\` / (c) async-openai \`full\` / (d) \`administration\` | (a) ${alone_wall[$a]} s, rustc peak $(mb "${alone_peak[$a]}") MB / (b) ${alone_wall[$b]} s, $(mb "${alone_peak[$b]}") MB / (c) ${alone_wall[$c]} s, $(mb "${alone_peak[$c]}") MB / (d) ${alone_wall[$d]} s, $(mb "${alone_peak[$d]}") MB | (a) ≤ 25 s, ≤ 1.2 GB | $alone_met |"
  "| compile | (a) alone as an incremental path dependency (a crate generated into the workspace) | $path_wall s, rustc peak $(mb "$path_peak") MB | — | — |"
  "| compile | incremental rebuild of the app after touching its \`main.rs\`: (a) / (b) / (c) / (d) | ${incremental[$a]} s / ${incremental[$b]} s / ${incremental[$c]} s / ${incremental[$d]} s | — | — |"
)
printf '%s\n' "${rows[@]}"
if [ -n "${BENCH_REPORT_DIR:-}" ]; then
  mkdir -p "$BENCH_REPORT_DIR"
  printf '%s\n' "${rows[@]}" >"$BENCH_REPORT_DIR/35-compile.md"
fi
