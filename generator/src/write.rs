//! Stage 5, write: compare the generated files with a directory and bring it in line, writing
//! only what changed and removing files this generator wrote before but no longer produces.
//! Unchanged files are not touched, so their modification times stay and nothing recompiles.
//!
//! The directory must be one to write a crate into ([`check_out_dir`]). The new crate is
//! built in a sibling directory and swapped in with renames ([`swap`]), so a failure (a full
//! disk, a permission, a crash) leaves the old crate as it was and nothing behind. Nothing is
//! written or removed through a symbolic link.

mod swap;

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::{GeneratedFile, MARKER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// A file that differs between the generator's output and the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path inside the crate, e.g. `src/types.rs`.
    pub path: String,
    pub kind: ChangeKind,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Removed => "removed",
        };
        write!(f, "{kind}: {}", self.path)
    }
}

/// What would change if `files` were written to `dir`; touches nothing.
pub fn diff(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        match fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
            Ok(_) => changes.push(Change {
                path: file.path.clone(),
                kind: ChangeKind::Modified,
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => changes.push(Change {
                path: file.path.clone(),
                kind: ChangeKind::Added,
            }),
            Err(error) => return Err(Error::io(path, error)),
        }
    }
    for stale in previously_generated(dir)? {
        if !files.iter().any(|file| file.path == stale) {
            changes.push(Change {
                path: stale,
                kind: ChangeKind::Removed,
            });
        }
    }
    Ok(changes)
}

/// Refuses an output directory that is not one to write a crate into: an empty path, the
/// root, the home directory, something that is not a directory, or a directory that holds
/// files but no crate this generator wrote (its `Cargo.toml` carries the marker), unless
/// `force`.
pub fn check_out_dir(dir: &Path, force: bool) -> Result<(), Error> {
    let refuse = |reason: &str| {
        Err(Error::Output {
            path: dir.to_path_buf(),
            reason: reason.to_owned(),
        })
    };
    if dir.as_os_str().is_empty() {
        return refuse("the output directory is empty; name the crate's directory");
    }
    let metadata = match fs::metadata(dir) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(Error::io(dir, error)),
    };
    if !metadata.is_dir() {
        return refuse("not a directory");
    }
    if force {
        return Ok(());
    }
    let absolute = fs::canonicalize(dir).map_err(|error| Error::io(dir, error))?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if absolute.parent().is_none()
        || home.is_some_and(|home| fs::canonicalize(home).is_ok_and(|home| home == absolute))
    {
        return refuse(
            "the root or home directory; name the crate's own directory (or pass --force)",
        );
    }
    let mut entries = fs::read_dir(dir).map_err(|error| Error::io(dir, error))?;
    if entries.next().is_none() || has_marker(&dir.join("Cargo.toml")).unwrap_or(false) {
        return Ok(());
    }
    refuse("it holds files but no crate sdkgen wrote (no generated Cargo.toml); choose an empty or new directory (or pass --force)")
}

/// Brings `dir` in line with `files` and returns what changed: the new tree is built beside
/// `dir` and swapped in whole ([`swap`]), or nothing changes at all.
pub fn sync(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, Error> {
    let dir = swap::absolute(dir)?;
    swap::recover(&dir)?;
    let changes = diff(&dir, files)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    for change in &changes {
        refuse_links(&dir, &change.path)?;
    }
    let paths = |removed: bool| -> BTreeSet<&str> {
        changes
            .iter()
            .filter(|change| (change.kind == ChangeKind::Removed) == removed)
            .map(|change| change.path.as_str())
            .collect()
    };
    swap::replace(&dir, files, &paths(false), &paths(true))?;
    Ok(changes)
}

/// Refuses to write `relative` under `dir` through a symbolic link (a directory on its way,
/// or the file itself).
fn refuse_links(dir: &Path, relative: &str) -> Result<(), Error> {
    let mut path = dir.to_path_buf();
    for part in relative.split('/') {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(Error::Output {
                    path,
                    reason: "a symbolic link; sdkgen writes nothing through one".to_owned(),
                })
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(Error::io(path, error)),
        }
    }
    Ok(())
}

/// Files under `dir` that carry this generator's marker on their first line.
fn previously_generated(dir: &Path) -> Result<Vec<String>, Error> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let absolute = dir.join(&relative);
        let entries = match fs::read_dir(&absolute) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(Error::io(absolute, error)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&absolute, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let file_type = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if file_type.is_symlink() {
                // Not this generator's: it writes none.
                continue;
            }
            if file_type.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    pending.push(relative.join(&name));
                }
            } else if (name.ends_with(".rs") || name.ends_with(".toml"))
                && has_marker(&entry.path())?
            {
                let path = relative.join(&name);
                let parts: Vec<String> = path
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn has_marker(path: &Path) -> Result<bool, Error> {
    let text = fs::read(path).map_err(|e| Error::io(path, e))?;
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    Ok(String::from_utf8_lossy(first_line).contains(MARKER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sdkgen-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_generated_files() {
        let dir = scratch("sync");
        let marked = format!("// {MARKER} from x\n");
        let first = [
            file("src/a.rs", &format!("{marked}a")),
            file("src/old.rs", &format!("{marked}old")),
        ];
        let changes = sync(&dir, &first).expect("first sync");
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.kind == ChangeKind::Added));
        fs::write(dir.join("src/handwritten.rs"), "keep me").expect("write");
        let modified_before = fs::metadata(dir.join("src/a.rs"))
            .and_then(|m| m.modified())
            .expect("mtime");

        let second = [
            file("src/a.rs", &format!("{marked}a")),
            file("src/b.rs", &format!("{marked}b")),
        ];
        let changes = sync(&dir, &second).expect("second sync");
        assert_eq!(
            changes,
            [
                Change {
                    path: "src/b.rs".into(),
                    kind: ChangeKind::Added
                },
                Change {
                    path: "src/old.rs".into(),
                    kind: ChangeKind::Removed
                },
            ]
        );
        let modified_after = fs::metadata(dir.join("src/a.rs"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(
            modified_before, modified_after,
            "an unchanged file is not rewritten"
        );
        assert!(!dir.join("src/old.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.join("src/handwritten.rs")).expect("read"),
            "keep me"
        );
        assert!(diff(&dir, &second).expect("diff").is_empty());
        let leftovers: Vec<_> = fs::read_dir(dir.join("src"))
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("sdkgen-tmp"))
            .collect();
        assert!(leftovers.is_empty());
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn only_an_empty_new_or_generated_directory_is_written_without_force() {
        let dir = scratch("out-dir");
        let refused = |path: &Path, force: bool| match check_out_dir(path, force) {
            Err(Error::Output { reason, .. }) => Some(reason),
            Err(other) => panic!("{other}"),
            Ok(()) => None,
        };
        assert!(refused(Path::new(""), false).is_some());
        assert!(refused(Path::new(""), true).is_some());
        assert!(refused(Path::new("/"), false).is_some());
        assert_eq!(refused(&dir, false), None, "absent");
        fs::create_dir_all(&dir).expect("create");
        assert_eq!(refused(&dir, false), None, "empty");
        fs::write(dir.join("Cargo.toml"), "[package]\nname = \"mine\"\n").expect("write");
        assert!(refused(&dir, false).is_some_and(|reason| reason.contains("no crate sdkgen wrote")));
        assert_eq!(refused(&dir, true), None, "forced");
        fs::write(
            dir.join("Cargo.toml"),
            format!("# {MARKER} from x\n[package]\n"),
        )
        .expect("write");
        assert_eq!(refused(&dir, false), None, "a generated crate");
        assert!(refused(&dir.join("Cargo.toml"), false).is_some(), "a file");
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_symbolic_link() {
        let dir = scratch("links");
        let elsewhere = scratch("links-elsewhere");
        fs::create_dir_all(dir.join("src")).expect("create");
        fs::create_dir_all(&elsewhere).expect("create");
        let marked = format!("// {MARKER} from x\n");
        // A planted sibling where the new tree is built, pointing elsewhere: removed as a
        // link, nothing written where it pointed.
        fs::write(elsewhere.join("victim"), "precious").expect("write");
        let name = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let planted = dir.with_file_name(format!(".{name}.sdkgen-new"));
        std::os::unix::fs::symlink(&elsewhere, &planted).expect("link");
        sync(&dir, &[file("src/a.rs", &format!("{marked}a"))]).expect("sync");
        assert_eq!(
            fs::read_to_string(elsewhere.join("victim")).expect("read"),
            "precious"
        );
        assert!(!elsewhere.join("src").exists());
        assert!(fs::symlink_metadata(&planted).is_err());
        // A directory of the crate that is a link elsewhere: refused, nothing written there.
        std::os::unix::fs::symlink(&elsewhere, dir.join("linked")).expect("link");
        match sync(&dir, &[file("linked/b.rs", &format!("{marked}b"))]) {
            Err(Error::Output { path, .. }) => assert_eq!(path, dir.join("linked")),
            other => panic!("{other:?}"),
        }
        assert!(!elsewhere.join("b.rs").exists());
        fs::remove_dir_all(&dir).expect("clean up");
        fs::remove_dir_all(&elsewhere).expect("clean up");
    }

    #[cfg(unix)]
    #[test]
    fn a_swap_keeps_what_the_generator_does_not_own_and_the_files_that_did_not_change() {
        use std::os::unix::fs::MetadataExt;
        let dir = scratch("keeps");
        let marked = format!("// {MARKER} from x\n");
        let first = [
            file("Cargo.toml", &format!("{marked}[package]")),
            file("src/a.rs", &format!("{marked}a")),
            file("src/b.rs", &format!("{marked}b")),
        ];
        sync(&dir, &first).expect("first sync");
        fs::create_dir_all(dir.join("target/debug")).expect("create");
        fs::write(dir.join("target/debug/cache"), "built").expect("write");
        fs::write(dir.join("Cargo.lock"), "locked").expect("write");
        fs::write(dir.join("src/mine.rs"), "// the user's own").expect("write");
        let inode = |path: &str| fs::metadata(dir.join(path)).expect("metadata").ino();
        let unchanged = inode("src/a.rs");
        let second = [
            file("Cargo.toml", &format!("{marked}[package]")),
            file("src/a.rs", &format!("{marked}a")),
            file("src/b.rs", &format!("{marked}b, changed")),
        ];
        sync(&dir, &second).expect("second sync");
        assert_eq!(
            inode("src/a.rs"),
            unchanged,
            "an unchanged file is the same file"
        );
        let read = |path: &str| fs::read_to_string(dir.join(path)).expect("read");
        assert_eq!(read("src/b.rs"), format!("{marked}b, changed"));
        assert_eq!(read("target/debug/cache"), "built");
        assert_eq!(read("Cargo.lock"), "locked");
        assert_eq!(read("src/mine.rs"), "// the user's own");
        let siblings: Vec<String> = fs::read_dir(dir.parent().expect("a parent"))
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("sdkgen-write-keeps") && name.contains(".sdkgen-"))
            .collect();
        assert!(siblings.is_empty(), "{siblings:?}");
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn the_next_run_finishes_or_undoes_a_swap_a_crash_stopped() {
        let dir = scratch("crash");
        let marked = format!("// {MARKER} from x\n");
        let files = [file("src/a.rs", &format!("{marked}a"))];
        sync(&dir, &files).expect("first sync");
        fs::create_dir_all(dir.join("target")).expect("create");
        let name = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let old = dir.with_file_name(format!(".{name}.sdkgen-old"));
        let new = dir.with_file_name(format!(".{name}.sdkgen-new"));
        // Stopped between the two renames: the crate is at its old sibling's name, and a new
        // tree lies half built. The next run puts the old one back, then brings it up to date.
        fs::rename(&dir, &old).expect("rename");
        fs::create_dir_all(new.join("src")).expect("create");
        let changes = sync(&dir, &files).expect("sync");
        assert!(changes.is_empty(), "{changes:?}");
        assert!(dir.join("target").is_dir() && !old.exists() && !new.exists());
        // Stopped after the swap, before `target/` moved across: it is moved on the next run.
        fs::rename(&dir, &old).expect("rename");
        fs::create_dir_all(dir.join("src")).expect("create");
        fs::write(dir.join("src/a.rs"), format!("{marked}a")).expect("write");
        fs::remove_dir_all(old.join("src")).expect("remove");
        sync(&dir, &files).expect("sync");
        assert!(dir.join("target").is_dir() && !old.exists());
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn a_failure_while_writing_leaves_the_old_crate_as_it_was() {
        let dir = scratch("whole");
        let marked = format!("// {MARKER} from x\n");
        sync(&dir, &[file("src/a.rs", &format!("{marked}old a"))]).expect("first sync");
        // `z/b.rs` cannot be written: `z` is a file (and comes last, after `src/new/` was made).
        fs::write(dir.join("z"), "not a directory").expect("write");
        let result = sync(
            &dir,
            &[
                file("src/a.rs", &format!("{marked}new a")),
                file("src/new/c.rs", &format!("{marked}c")),
                file("z/b.rs", &format!("{marked}b")),
            ],
        );
        assert!(result.is_err());
        assert!(
            !dir.join("src/new").exists(),
            "a directory made for the new crate stays"
        );
        assert_eq!(
            fs::read_to_string(dir.join("src/a.rs")).expect("read"),
            format!("{marked}old a")
        );
        let leftovers: Vec<_> = fs::read_dir(dir.join("src"))
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("a.rs")]);
        fs::remove_dir_all(&dir).expect("clean up");
    }
}
