//! The corpus: one small spec per construct the generator supports (under `tests/corpus/`).
//! Each generates a crate whose code matches its golden snapshot (`tests/snapshots/<name>/`,
//! templates copied verbatim excluded) and that compiles and passes clippy without a
//! warning. All crates are checked by one cargo invocation over a temporary workspace, and
//! `tests/corpus_checks/` then tests how some of them behave on the wire.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p sdkgen --test corpus` rewrites the snapshots.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sdkgen::{write, GeneratedFile, Settings};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Vec<(String, PathBuf)> {
    let mut specs: Vec<(String, PathBuf)> = fs::read_dir(manifest_dir().join("tests/corpus"))
        .expect("list the corpus")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .map(|path| {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            (name, path)
        })
        .collect();
    specs.sort();
    specs
}

fn generate(name: &str, spec: &Path) -> Vec<GeneratedFile> {
    let label = format!(
        "tests/corpus/{}",
        spec.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    );
    let settings = Settings {
        crate_name: Some(format!("corpus-{}", name.replace('_', "-"))),
        deny_warnings: true,
    };
    sdkgen::generate(spec, &label, &settings)
        .unwrap_or_else(|error| panic!("{name}: {error}"))
        .files
}

/// Compares (or, with UPDATE_SNAPSHOTS=1, rewrites) the non-runtime files of one crate.
fn check_snapshot(name: &str, files: &[GeneratedFile]) -> Vec<String> {
    let dir = manifest_dir().join("tests/snapshots").join(name);
    let own: Vec<GeneratedFile> = files
        .iter()
        .filter(|file| !is_verbatim_template(&file.path))
        .cloned()
        .collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let _ = fs::remove_dir_all(&dir);
        write::sync(&dir, &own).expect("write the snapshot");
        return Vec::new();
    }
    let mut problems = Vec::new();
    for file in &own {
        match fs::read_to_string(dir.join(&file.path)) {
            Ok(expected) if expected == file.contents => {}
            Ok(_) => problems.push(format!("{name}/{} differs from its snapshot", file.path)),
            Err(_) => problems.push(format!("{name}/{} has no snapshot", file.path)),
        }
    }
    problems
}

#[test]
fn every_corpus_spec_matches_its_snapshot_and_compiles_cleanly() {
    let corpus = corpus();
    assert!(corpus.len() >= 15, "the corpus has {} specs", corpus.len());
    let workspace = manifest_dir().join("../target/corpus-workspace");
    let _ = fs::remove_dir_all(&workspace);
    fs::create_dir_all(&workspace).expect("create the corpus workspace");

    let mut problems = Vec::new();
    for (name, spec) in &corpus {
        let files = generate(name, spec);
        problems.extend(check_snapshot(name, &files));
        write::sync(&workspace.join(name), &files).expect("write the crate");
    }
    assert!(
        problems.is_empty(),
        "snapshots are stale; review and run with UPDATE_SNAPSHOTS=1:\n{}",
        problems.join("\n")
    );

    let checks = workspace.join("corpus_checks");
    fs::create_dir_all(checks.join("src")).expect("create the checks crate");
    let fixture = manifest_dir().join("tests/corpus_checks");
    fs::copy(fixture.join("Cargo.toml.in"), checks.join("Cargo.toml")).expect("copy its manifest");
    fs::copy(fixture.join("src/lib.rs"), checks.join("src/lib.rs")).expect("copy its tests");
    let mut members: Vec<String> = corpus.iter().map(|(name, _)| format!("{name:?}")).collect();
    members.push("\"corpus_checks\"".to_owned());
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

    let clippy = cargo(
        &workspace,
        &[
            "clippy",
            "--keep-going",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(
        clippy.status.success(),
        "a corpus crate does not compile cleanly:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
    let checks = cargo(&workspace, &["test", "-p", "corpus-checks"]);
    let stdout = String::from_utf8_lossy(&checks.stdout);
    assert!(
        checks.status.success() && stdout.contains("test result: ok. 9 passed"),
        "the corpus checks fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&checks.stderr)
    );
    let _ = fs::remove_dir_all(&workspace);
}

/// Runs cargo in the corpus workspace; its artefacts persist under the real target directory.
fn cargo(workspace: &Path, args: &[&str]) -> std::process::Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", manifest_dir().join("../target/corpus"))
        .output()
        .expect("run cargo")
}

/// Files copied verbatim from the generator's templates: the same in every crate, so they are
/// not snapshotted per crate.
fn is_verbatim_template(path: &str) -> bool {
    path.starts_with("src/runtime/") || path == "src/bin/cli/app.rs"
}
