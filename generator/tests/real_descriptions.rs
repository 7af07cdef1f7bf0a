//! Real, published API descriptions (`tests/real/`, unmodified; see `SOURCES.md` there): each
//! generates a crate, with the warnings it is expected to have and no error, and every crate
//! passes clippy with `-D warnings` on its default features and with every feature on. They
//! are too large to snapshot; the corpus (`tests/corpus/`) snapshots each construct instead.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sdkgen::{write, Settings};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Each description, and the JSON pointers of the warnings it is known to produce (what is
/// generated with a fallback); a new or missing warning fails the test.
const DESCRIPTIONS: &[(&str, &[&str])] = &[(
    "openai.yaml",
    &[
        "#/components/schemas/ResponsesWebSocketStreamEvent/allOf/0",
        "#/components/schemas/BetaResponsesWebSocketStreamEvent/allOf/0",
    ],
)];

#[test]
fn real_descriptions_generate_and_pass_clippy_with_default_and_all_features() {
    let workspace = manifest_dir().join("../target/real-workspace");
    let _ = fs::remove_dir_all(&workspace);
    fs::create_dir_all(&workspace).expect("create the workspace");
    let mut members = Vec::new();
    for (file, expected_warnings) in DESCRIPTIONS {
        let spec = manifest_dir().join("tests/real").join(file);
        let name = file.split('.').next().unwrap_or(file).replace('_', "-");
        let settings = Settings {
            crate_name: Some(format!("real-{name}")),
            ..Settings::default()
        };
        let generated = sdkgen::generate(&spec, &format!("tests/real/{file}"), &settings)
            .unwrap_or_else(|error| panic!("{file} is rejected:\n{error}"));
        let warnings: Vec<&str> = generated
            .warnings
            .iter()
            .map(|warning| warning.pointer.as_str())
            .collect();
        assert_eq!(
            warnings, *expected_warnings,
            "{file}: the warnings changed: {:#?}",
            generated.warnings
        );
        write::sync(&workspace.join(&name), &generated.files).expect("write the crate");
        members.push(format!("{name:?}"));
    }
    let manifest = format!(
        "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
        members.join(", ")
    );
    fs::write(workspace.join("Cargo.toml"), manifest).expect("write the workspace manifest");
    fs::copy(
        manifest_dir().join("../Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");

    for features in [&[][..], &["--all-targets", "--all-features"][..]] {
        let mut args = vec!["clippy", "--keep-going"];
        args.extend_from_slice(features);
        args.extend_from_slice(&["--", "-D", "warnings"]);
        let clippy = cargo(&workspace, &args);
        assert!(
            clippy.status.success(),
            "a crate does not compile cleanly ({features:?}):\n{}",
            String::from_utf8_lossy(&clippy.stderr)
        );
    }
    let _ = fs::remove_dir_all(&workspace);
}

/// Runs cargo in the workspace; artefacts are shared with the corpus test's target directory,
/// so the dependencies are built once.
fn cargo(workspace: &Path, args: &[&str]) -> std::process::Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", manifest_dir().join("../target/corpus"))
        .output()
        .expect("run cargo")
}
