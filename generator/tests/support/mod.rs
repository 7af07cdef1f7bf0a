//! What the tests that compile generated crates share: a throwaway cargo workspace whose
//! build artefacts persist in one target directory, so dependencies are built once.
//!
//! Each test binary compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sdkgen::{write, GeneratedFile, RuntimeDependency};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The root files of descriptions split over files, under `tests/real/`.
const SPLIT_DESCRIPTIONS: &[&str] = &[
    "digitalocean/specification/DigitalOcean-public.v2.yaml",
    "opensearch/spec/namespaces/asynchronous_search.yaml",
    "lob/lob-api-public.yml",
];

/// Every real description (`tests/real/`), by its root file's path there, sorted.
pub fn real_descriptions() -> Vec<String> {
    let mut all: Vec<String> = fs::read_dir(manifest_dir().join("tests/real"))
        .expect("list tests/real")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".json"))
        .chain(SPLIT_DESCRIPTIONS.iter().map(|root| (*root).to_owned()))
        .collect();
    all.sort();
    all
}

/// `digitalocean/specification/...` → `digitalocean`; `openai.yaml` → `openai`.
pub fn short_name(file: &str) -> String {
    let first = file.split('/').next().unwrap_or(file);
    first.split('.').next().unwrap_or(first).to_owned()
}

/// The project's runtime crate, as seen from a member of a [`Workspace`]
/// (`target/<workspace>/<member>/`).
pub fn runtime_dependency() -> RuntimeDependency {
    RuntimeDependency::Path("../../../runtime".to_owned())
}

/// A cargo workspace under `target/`, emptied when created and removed when dropped.
pub struct Workspace {
    root: PathBuf,
    members: Vec<String>,
}

impl Workspace {
    /// An empty workspace at `target/<name>`.
    pub fn create(name: &str) -> Workspace {
        let root = manifest_dir().join("../target").join(name);
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).expect("create the workspace");
        Workspace {
            root,
            members: Vec::new(),
        }
    }

    /// Writes a generated crate into the member directory `dir`.
    pub fn add_generated(&mut self, dir: &str, files: &[GeneratedFile]) {
        write::sync(&self.root.join(dir), files).expect("write the crate");
        self.members.push(dir.to_owned());
    }

    /// Copies a hand-written crate (its manifest from `Cargo.toml.in`, so that cargo does not
    /// take the fixture for a package of the generator's) and `extra` files into `dir`.
    pub fn add_fixture(&mut self, dir: &str, fixture: &Path, extra: &[(&Path, &str)]) {
        let target = self.root.join(dir);
        fs::create_dir_all(target.join("src")).expect("create the fixture crate");
        fs::copy(fixture.join("Cargo.toml.in"), target.join("Cargo.toml"))
            .expect("copy its manifest");
        for entry in fs::read_dir(fixture.join("src")).expect("list its sources") {
            let path = entry.expect("a source entry").path();
            let name = path.file_name().expect("a file name");
            fs::copy(&path, target.join("src").join(name)).expect("copy a source");
        }
        for (source, destination) in extra {
            fs::copy(source, target.join(destination)).expect("copy an extra file");
        }
        self.members.push(dir.to_owned());
    }

    /// A crate of one program: its manifest and `src/main.rs`.
    pub fn add_program(&mut self, dir: &str, manifest: &str, main: &str) {
        let target = self.root.join(dir);
        fs::create_dir_all(target.join("src")).expect("create the program crate");
        fs::write(target.join("Cargo.toml"), manifest).expect("write its manifest");
        fs::write(target.join("src/main.rs"), main).expect("write its source");
        self.members.push(dir.to_owned());
    }

    /// The debug executable `cargo build` made of the program `name`.
    pub fn binary(&self, name: &str) -> PathBuf {
        manifest_dir().join("../target/corpus/debug").join(name)
    }

    /// Writes the workspace manifest and the project's lock file, so that every crate builds
    /// against the dependency versions the project was tested with.
    pub fn seal(&self) {
        let members: Vec<String> = self.members.iter().map(|m| format!("{m:?}")).collect();
        let manifest = format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        );
        fs::write(self.root.join("Cargo.toml"), manifest).expect("write the workspace manifest");
        fs::copy(
            manifest_dir().join("../Cargo.lock"),
            self.root.join("Cargo.lock"),
        )
        .expect("copy Cargo.lock");
    }

    /// Runs cargo in the workspace, with artefacts in the shared `target/corpus`.
    pub fn cargo(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run cargo")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command =
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        command
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", manifest_dir().join("../target/corpus"))
            // Thirty crates in three configurations: without debug information and incremental
            // caches they take a third of the disk and link faster.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_INCREMENTAL", "0");
        command
    }

    /// Runs `cargo clippy --keep-going <args> -- -D warnings` and fails with its output.
    pub fn clippy(&self, args: &[&str]) {
        let mut all = vec!["clippy", "--keep-going"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--", "-D", "warnings"]);
        assert_clean(&self.cargo(&all), "compile", args);
    }

    /// Runs `cargo doc --no-deps --lib <args>` with rustdoc's warnings denied (links that
    /// resolve to nothing, bare URLs, ...) and fails with its output.
    pub fn doc(&self, args: &[&str]) {
        let mut all = vec!["doc", "--no-deps", "--lib"];
        all.extend_from_slice(args);
        let doc = self
            .command(&all)
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("run cargo doc");
        assert_clean(&doc, "document", args);
    }

    /// Runs `cargo test <args>`; fails when a test fails or none ran.
    pub fn test(&self, args: &[&str]) {
        let mut all = vec!["test"];
        all.extend_from_slice(args);
        let run = self.cargo(&all);
        let stdout = String::from_utf8_lossy(&run.stdout);
        let ran = stdout
            .lines()
            .filter_map(|line| line.strip_prefix("test result: ok. "))
            .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
            .sum::<usize>();
        assert!(
            run.status.success() && ran > 0,
            "the tests ({args:?}) fail (or none ran):\n{stdout}\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// Fails, with cargo's output but its progress lines (so that the first lines are the cause),
/// when `run` failed to `verb` the crates of `args`.
fn assert_clean(run: &Output, verb: &str, args: &[&str]) {
    let stderr = String::from_utf8_lossy(&run.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            ![
                "Checking ",
                "Compiling ",
                "Documenting ",
                "Finished ",
                "Blocking ",
                "Generated ",
            ]
            .iter()
            .any(|progress| line.starts_with(progress))
        })
        .collect();
    assert!(
        run.status.success(),
        "a crate does not {verb} cleanly ({args:?}):\n{}",
        problems.join("\n")
    );
}
