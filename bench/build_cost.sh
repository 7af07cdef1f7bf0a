#!/usr/bin/env bash
# Build cost, two checks (part of bench/run.sh; runs alone too):
#  1. A no-op `cargo build` does not run the generator again: `cargo build -v` shows the
#     workbench build script as Fresh and never runs it.
#  2. A clean build of a tiny application that depends on generated/, against the same
#     application written by hand on reqwest (the same features and TLS setup), serde, serde_json and tokio.
#     Each application is its own workspace under target/bench-build/ with a copy of the repo's
#     Cargo.lock, built with --offline into its own empty target directory, so both compile
#     the same crate versions from scratch. BUILD_COST_ROUNDS (default 2) alternates the order
#     (A B, then B A, ...) so that a shared machine's noise falls on both alike.
# With BENCH_REPORT_DIR set, the rows of the table go to $BENCH_REPORT_DIR/30-build.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/bench-build"
rounds="${BUILD_COST_ROUNDS:-2}"
export CARGO_TERM_COLOR=never
unset CARGO_TARGET_DIR RUSTC_WRAPPER || true

rows=()

# ---- 1. no-op build --------------------------------------------------------------------------
# Others may be editing the work tree: a build that finds a changed input ("Dirty" in -v output)
# is not a no-op, so try again (up to 5 times) until one finds nothing changed.
cd "$root"
mkdir -p "$work"
# Bring the build up to date first; a build that regenerates generated/ fails once on purpose.
cargo build -q >/dev/null 2>&1 || cargo build -q
for attempt in 1 2 3 4 5; do
  start=$(date +%s.%N)
  noop="$(cargo build -v 2>&1)" || { printf '%s\n' "$noop" >&2; exit 1; }
  end=$(date +%s.%N)
  printf '%s\n' "$noop" >"$work/noop-build.log"
  if ! printf '%s\n' "$noop" | grep -q '^ *Dirty '; then break; fi
  echo "build cost: the no-op build found changed inputs (someone is editing); trying again" >&2
  sleep 5
done
noop_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
fresh=$(printf '%s\n' "$noop" | grep -c '^ *Fresh workbench' || true)
dirty=$(printf '%s\n' "$noop" | grep -c '^ *Dirty ' || true)
if printf '%s\n' "$noop" | grep -q 'Running `[^`]*/build/workbench-[^/`]*/build-script-build'; then
  ran="**yes**"; met="**no**"
elif [ "$dirty" -gt 0 ]; then
  ran="not measured (the work tree kept changing)"; met="—"
else
  ran="no"; met="yes"
fi
rows+=("| build | no-op \`cargo build\`: does the generator (workbench build script) run again? | ${ran} (\`cargo build -v\`: \`Fresh workbench\` × ${fresh}, no \`Running …/build-script-build\`, $(printf '%.2f' "$noop_seconds") s; log: target/bench-build/noop-build.log) | no | ${met} |")

# ---- 2. clean build of a tiny application ----------------------------------------------------
make_app() { # name, dependencies, main.rs
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
TOML
  printf '%s\n' "$3" >"$dir/src/main.rs"
  cp "$root/Cargo.lock" "$dir/Cargo.lock"
}

make_app app-generated "openai-admin-certificates = { path = \"$root/generated\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\", \"time\"] }" '
use openai_admin_certificates::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let certificates = client.admin().organization().certificates();
    let page = certificates.list().limit(10).send().await?;
    for certificate in &page.data {
        println!("{} {:?}", certificate.id, certificate.name);
    }
    if let Some(first) = page.data.first() {
        let certificate = certificates.retrieve(&first.id).send().await?;
        println!("{} created at {}", certificate.id, certificate.created_at);
    }
    Ok(())
}'

make_app app-by-hand "reqwest = { version = \"0.13\", default-features = false, features = [\"rustls-no-provider\"] }
rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"] }
webpki-roots = \"1\"
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
tokio = { version = \"1\", features = [\"rt\", \"macros\", \"time\"] }" '
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Certificate {
    id: String,
    name: Option<String>,
    created_at: i64,
}

#[derive(Debug, Deserialize)]
struct Page {
    data: Vec<Certificate>,
}

async fn get<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    key: &str,
    url: String,
) -> Result<T, Box<dyn std::error::Error>> {
    let response = http.get(url).bearer_auth(key).send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    Ok(serde_json::from_slice(&body)?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("OPENAI_ADMIN_KEY")?;
    let base = std::env::var("OPENAI_BASE_URL").unwrap_or_else(|_| "https://api.openai.com/v1".into());
    // TLS as the generated client sets it up: rustls on ring, Mozilla'"'"'s roots.
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let http = reqwest::Client::builder().tls_backend_preconfigured(tls).build()?;
    let page: Page = get(&http, &key, format!("{base}/organization/certificates?limit=10")).await?;
    for certificate in &page.data {
        println!("{} {:?}", certificate.id, certificate.name);
    }
    if let Some(first) = page.data.first() {
        let certificate: Certificate =
            get(&http, &key, format!("{base}/organization/certificates/{}", first.id)).await?;
        println!("{} created at {}", certificate.id, certificate.created_at);
    }
    Ok(())
}'

clean_build() { # app -> prints "wall-seconds cpu-seconds"; the log is target/bench-build/<app>.log
  local dir="$work/$1"
  rm -rf "$dir/target"
  local times TIMEFORMAT='%R %U %S'
  if ! times=$( { time (cd "$dir" && cargo build --offline >"$work/$1.log" 2>&1); } 2>&1 ); then
    cat "$work/$1.log" >&2
    echo "error: clean build of $1 failed" >&2
    exit 1
  fi
  awk '{print $1, $2 + $3}' <<<"$times"
}

generated_times=(); generated_cpu=()
by_hand_times=(); by_hand_cpu=()
for ((round = 0; round < rounds; round++)); do
  if ((round % 2 == 0)); then order=(app-by-hand app-generated); else order=(app-generated app-by-hand); fi
  for app in "${order[@]}"; do
    read -r wall cpu < <(clean_build "$app")
    echo "build cost: clean build of $app (round $((round + 1))/$rounds): ${wall} s wall, ${cpu} s CPU" >&2
    if [ "$app" = app-generated ]; then
      generated_times+=("$wall"); generated_cpu+=("$cpu")
    else
      by_hand_times+=("$wall"); by_hand_cpu+=("$cpu")
    fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
g=$(median "${generated_times[@]}")
h=$(median "${by_hand_times[@]}")
ratio=$(awk -v g="$g" -v h="$h" 'BEGIN {printf "%.3f", g / h}')
gc=$(median "${generated_cpu[@]}")
hc=$(median "${by_hand_cpu[@]}")
cpu_ratio=$(awk -v g="$gc" -v h="$hc" 'BEGIN {printf "%.3f", g / h}')
crates_g=$(grep -c '^ *Compiling' "$work/app-generated.log" || true)
crates_h=$(grep -c '^ *Compiling' "$work/app-by-hand.log" || true)
met=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.10) ? 1 : 0}')
rows+=("| build | clean \`cargo build\` (dev profile) of a tiny app on generated/ vs the same app by hand on reqwest + serde + serde_json + tokio, median of ${rounds} | $(printf '%.1f' "$g") s (${crates_g} crates) vs $(printf '%.1f' "$h") s (${crates_h} crates) = **$(printf '%.3f' "$ratio")×** wall (CPU time: $(printf '%.0f' "$gc") s vs $(printf '%.0f' "$hc") s = $(printf '%.3f' "$cpu_ratio")×) | ≤ 1.10× | $([ "$met" = 1 ] && echo yes || echo '**no**') |")

printf '%s\n' "${rows[@]}"
if [ -n "${BENCH_REPORT_DIR:-}" ]; then
  mkdir -p "$BENCH_REPORT_DIR"
  printf '%s\n' "${rows[@]}" >"$BENCH_REPORT_DIR/30-build.md"
fi
