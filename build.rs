//! Keeps `generated/` in step with `spec/openapi.yaml`.
//!
//! The crate is generated in memory and compared with what is committed. Identical: nothing
//! is touched, so nothing recompiles. Different: the changed files are rewritten atomically
//! and the build fails on purpose, because cargo compiles `generated/` in parallel with this
//! script and may already have built the old code; the next build compiles the new one.
//! A spec the generator rejects fails the build and leaves `generated/` untouched.

use std::path::PathBuf;
use std::process::ExitCode;

const SPEC: &str = "spec/openapi.yaml";
const OUT: &str = "generated";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed={SPEC}");
    println!("cargo::rerun-if-changed={OUT}");
    let root = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            eprintln!("error: CARGO_MANIFEST_DIR is not set; run this through cargo");
            return ExitCode::FAILURE;
        }
    };
    // `generated/` depends on the workspace's runtime crate by path.
    let settings = sdkgen::Settings {
        runtime: sdkgen::RuntimeDependency::Path("../runtime".to_owned()),
        ..sdkgen::Settings::default()
    };
    let generated = match sdkgen::generate(&root.join(SPEC), SPEC, &settings) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: the SDK generator rejected the spec; {OUT}/ is untouched.\n{error}");
            return ExitCode::FAILURE;
        }
    };
    // What was generated with a fallback (`serde_json::Value`), as cargo warnings.
    for warning in &generated.warnings {
        println!(
            "cargo::warning={}",
            sdkgen::located(std::path::Path::new(SPEC), warning)
        );
    }
    match sdkgen::write::sync(&root.join(OUT), &generated.files) {
        Ok(changes) if changes.is_empty() => ExitCode::SUCCESS,
        Ok(changes) => {
            eprintln!("error: {OUT}/ was out of date with {SPEC} and has been regenerated:");
            for change in &changes {
                eprintln!("  {change}");
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
