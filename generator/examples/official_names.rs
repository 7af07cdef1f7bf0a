//! How close the names `sdkgen` infers come to an official SDK's: for each route both have,
//! whether the method name (the last segment of the call) is the same, and whether the whole
//! call path is.
//!
//! ```text
//! cargo run --release -p sdkgen --example official_names -- SPEC API_MD... [--overlay FILE]
//! ```
//!
//! `API_MD` are the SDK's `api.md` files, in the format Stainless writes them (each method a
//! `<code title="get /path/{id}">client.a.b.<a ...>method</a>` line), as openai-python has
//! them. A call path is compared without a leading `admin.`, the Python SDK's own grouping of
//! the administration API, which nothing in the description says; the route's `{params}`
//! are compared by position, not by name. Prints the two figures, then every route whose
//! names differ. `bench/official_names.sh` runs it on OpenAI's description.

use std::path::PathBuf;
use std::process::ExitCode;

use sdkgen::{Overlay, Settings};

#[path = "../tests/support/official_names.rs"]
mod scoring;

use scoring::{generated_routes, official_routes, Score};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("official_names: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let spec = PathBuf::from(
        args.next()
            .ok_or("usage: SPEC API_MD... [--overlay FILE]")?,
    );
    let mut api_md = Vec::new();
    let mut settings = Settings::default();
    while let Some(arg) = args.next() {
        if arg == "--overlay" {
            let path = PathBuf::from(args.next().ok_or("--overlay needs a file")?);
            settings
                .overlays
                .push(Overlay::read(&path).map_err(|e| e.to_string())?);
        } else {
            api_md.push(PathBuf::from(arg));
        }
    }
    let official = official_routes(&api_md)?;
    let generated = sdkgen::generate(&spec, &spec.display().to_string(), &settings)
        .map_err(|error| error.to_string())?;
    let ours = generated_routes(&generated.surface.to_jsonl(""));
    let score = Score::of(&official, &ours);
    println!(
        "routes both have: {}; same method name: {} ({:.1} %); same call path: {} ({:.1} %)",
        score.routes,
        score.same_method,
        score.percent(score.same_method),
        score.same_path,
        score.percent(score.same_path)
    );
    for (route, official, ours) in &score.differences {
        println!("  {route}: {} | ours: {ours}", official.join(" or "));
    }
    Ok(())
}
