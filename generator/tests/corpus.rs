//! The corpus: one small spec per construct the generator supports (under `tests/corpus/`).
//! Each generates a crate whose code matches its golden snapshot (`tests/snapshots/<name>/`,
//! templates copied verbatim excluded) and that compiles and passes clippy without a
//! warning. All crates are checked by one cargo invocation over a temporary workspace, and
//! `tests/corpus_checks/` then tests how some of them behave on the wire.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p sdkgen --test corpus` rewrites the snapshots.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use sdkgen::{write, GeneratedFile, Settings};
use support::{manifest_dir, Workspace};

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
        ..Settings::default()
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
    let mut workspace = Workspace::create("corpus-workspace");

    let mut problems = Vec::new();
    for (name, spec) in &corpus {
        let files = generate(name, spec);
        problems.extend(check_snapshot(name, &files));
        workspace.add_generated(name, &files);
    }
    assert!(
        problems.is_empty(),
        "snapshots are stale; review and run with UPDATE_SNAPSHOTS=1:\n{}",
        problems.join("\n")
    );

    let fault_server = manifest_dir().join("../tests/support/fault_server.rs");
    workspace.add_fixture(
        "corpus_checks",
        &manifest_dir().join("tests/corpus_checks"),
        &[(&fault_server, "src/fault_server.rs")],
    );
    workspace.seal();
    workspace.clippy(&["--all-targets", "--all-features"]);
    workspace.test("corpus-checks");
}

/// Files copied verbatim from the generator's templates: the same in every crate, so they are
/// not snapshotted per crate.
fn is_verbatim_template(path: &str) -> bool {
    path.starts_with("src/runtime/") || path == "src/bin/cli/app.rs"
}
