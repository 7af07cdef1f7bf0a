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
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", manifest_dir().join("../target/corpus"))
            .output()
            .expect("run cargo")
    }

    /// Runs `cargo clippy --keep-going <args> -- -D warnings` and fails with its output.
    pub fn clippy(&self, args: &[&str]) {
        let mut all = vec!["clippy", "--keep-going"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--", "-D", "warnings"]);
        let clippy = self.cargo(&all);
        assert!(
            clippy.status.success(),
            "a crate does not compile cleanly ({args:?}):\n{}",
            String::from_utf8_lossy(&clippy.stderr)
        );
    }

    /// Runs the tests of package `package`; fails when one fails or none ran.
    pub fn test(&self, package: &str) {
        let run = self.cargo(&["test", "-p", package]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        let ran = stdout
            .lines()
            .filter_map(|line| line.strip_prefix("test result: ok. "))
            .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
            .sum::<usize>();
        assert!(
            run.status.success() && ran > 0,
            "the tests of {package} fail (or none ran):\n{stdout}\n{}",
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
