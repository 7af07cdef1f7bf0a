//! The names `sdkgen` infers from OpenAI's description, held against the official Python SDK's
//! (`bench/official-names/`): with no hints, at least 90 % of the routes both have get the
//! same method name and 60 % the same call path; with the five-line overlay there, 90 % the
//! same call path. `bench/official_names.sh` prints the figures and every difference.

#[path = "support/official_names.rs"]
mod scoring;
mod support;

use std::path::PathBuf;

use scoring::{generated_routes, official_routes, Score};
use sdkgen::{Overlay, Settings};

fn score(settings: &Settings) -> Score {
    let root = support::manifest_dir().join("..");
    let listings = root.join("bench/official-names/openai-python");
    let api_md: Vec<PathBuf> = [
        "api.md",
        "conversations.api.md",
        "realtime.api.md",
        "responses.api.md",
    ]
    .iter()
    .map(|file| listings.join(file))
    .collect();
    let official = official_routes(&api_md).expect("read the api.md files");
    let spec = support::manifest_dir().join("tests/real/openai.yaml");
    let generated = sdkgen::generate(&spec, "openai.yaml", settings).expect("generate");
    Score::of(
        &official,
        &generated_routes(&generated.surface.to_jsonl("")),
    )
}

#[test]
fn without_hints_most_routes_get_the_official_names() {
    let score = score(&Settings::default());
    assert_eq!(
        score.routes, 281,
        "every route api.md lists is in the description"
    );
    assert!(
        score.percent(score.same_method) >= 90.0,
        "same method name for {} of {} routes",
        score.same_method,
        score.routes
    );
    assert!(
        score.percent(score.same_path) >= 60.0,
        "same call path for {} of {} routes",
        score.same_path,
        score.routes
    );
}

#[test]
fn with_five_lines_of_overlay_nine_routes_in_ten_get_the_official_call() {
    let overlay =
        support::manifest_dir().join("../bench/official-names/openai-python.overlay.yaml");
    let text = std::fs::read_to_string(&overlay).expect("read the overlay");
    let lines = text.lines().filter(|line| !line.trim().is_empty()).count();
    assert!(lines <= 5, "the overlay has {lines} lines");
    let settings = Settings {
        overlays: vec![Overlay::read(&overlay).expect("parse the overlay")],
        ..Settings::default()
    };
    let score = score(&settings);
    assert!(
        score.percent(score.same_path) >= 90.0,
        "same call path for {} of {} routes",
        score.same_path,
        score.routes
    );
}
