//! Keeps `generated/` in step with `spec/openapi.yaml` and the overlays beside it
//! (`spec/*.overlay.yaml`, applied in name order: the SDK's hints live there).
//!
//! The crate is generated in memory and compared with what is committed. Identical: nothing
//! is touched, so nothing recompiles. Different: the changed files are rewritten atomically
//! and the build fails on purpose, because cargo compiles `generated/` in parallel with this
//! script and may already have built the old code; the next build compiles the new one.
//! A spec the generator rejects fails the build and leaves `generated/` untouched. When the
//! public API changes, the message says how (from `generated/public-api.jsonl`, the API as it
//! was), and warns when a breaking change comes without the version bump it needs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SPEC: &str = "spec/openapi.yaml";
const SPEC_DIR: &str = "spec";
const OUT: &str = "generated";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed={SPEC_DIR}");
    println!("cargo::rerun-if-changed={OUT}");
    let root = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            eprintln!("error: CARGO_MANIFEST_DIR is not set; run this through cargo");
            return ExitCode::FAILURE;
        }
    };
    // `generated/` depends on the workspace's runtime crate by path.
    let overlays = match sdkgen::Overlay::in_dir(&root.join(SPEC_DIR), Path::new(SPEC_DIR)) {
        Ok(overlays) => overlays,
        Err(error) => {
            eprintln!("error: an overlay could not be read; {OUT}/ is untouched.\n{error}");
            return ExitCode::FAILURE;
        }
    };
    let settings = sdkgen::Settings {
        runtime: sdkgen::RuntimeDependency::Path("../runtime".to_owned()),
        overlays,
        ..sdkgen::Settings::default()
    };
    let generated = match sdkgen::generate(&root.join(SPEC), SPEC, &settings) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: the SDK generator rejected the spec; {OUT}/ is untouched.\n{error}");
            return ExitCode::FAILURE;
        }
    };
    // A description split over files may name files outside `spec/`.
    for source in &generated.sources {
        println!("cargo::rerun-if-changed={}", source.display());
    }
    // What was generated with a fallback (`serde_json::Value`), as cargo warnings.
    for warning in &generated.warnings {
        println!(
            "cargo::warning={}",
            sdkgen::located(std::path::Path::new(SPEC), warning)
        );
    }
    let report = match sdkgen::previous_surface(&root.join(OUT)) {
        Ok(previous) => previous
            .map(|old| sdkgen::changes::Report::between(&old, &generated.surface))
            .filter(|report| !report.changes.is_empty()),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(report) = report
        .as_ref()
        .filter(|report| report.breaks_without_bump())
    {
        println!(
            "cargo::warning=the public API breaks and the crate version was not bumped: {}",
            report.headline()
        );
    }
    match sdkgen::write::sync(&root.join(OUT), &generated.files) {
        Ok(changes) if changes.is_empty() => ExitCode::SUCCESS,
        Ok(changes) => {
            eprintln!("error: {OUT}/ was out of date with {SPEC} and has been regenerated:");
            for change in &changes {
                eprintln!("  {change}");
            }
            if let Some(report) = &report {
                eprint!("{}", report.summary());
            }
            eprintln!(
                "This build may have compiled the old code, so it stops here.\n\
                 Review `git diff {OUT}/` and run the command again."
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: could not update {OUT}/: {error}");
            ExitCode::FAILURE
        }
    }
}
