//! Stage 5, write: compare the generated files with a directory and bring it in line, writing
//! only what changed and removing files this generator wrote before but no longer produces.
//! Unchanged files are not touched, so their modification times stay and nothing recompiles.
//!
//! The directory must be one to write a crate into ([`check_out_dir`]). Every new file is
//! first written in full beside its place (and synced) before any is moved into place, so a
//! failure while writing (a full disk, a permission) leaves the old crate as it was and no
//! temporary file behind. Nothing is written or removed through a symbolic link.

use std::fmt;
use std::fs;
use std::io::Write as _;
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

/// Brings `dir` in line with `files` and returns what changed: every new file is written
/// beside its place first, then all are moved in, then stale ones removed.
pub fn sync(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, Error> {
    let changes = diff(dir, files)?;
    for change in &changes {
        refuse_links(dir, &change.path)?;
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    // Directories made for new files: a failure takes them away again.
    let mut made: Vec<PathBuf> = Vec::new();
    for change in &changes {
        if change.kind == ChangeKind::Removed {
            continue;
        }
        let contents = files
            .iter()
            .find(|file| file.path == change.path)
            .map(|file| file.contents.as_bytes())
            .unwrap_or_default();
        let path = dir.join(&change.path);
        match make_parent(&path, &mut made).and_then(|()| stage(&path, contents)) {
            Ok(temporary) => staged.push((temporary, path)),
            Err(error) => {
                // Nothing has replaced anything yet: the old crate stays as it was.
                for (temporary, _) in &staged {
                    let _ = fs::remove_file(temporary);
                }
                for made in made.iter().rev() {
                    let _ = fs::remove_dir_all(made);
                }
                return Err(error);
            }
        }
    }
    let mut staged = staged.into_iter();
    while let Some((temporary, path)) = staged.next() {
        if let Err(error) = fs::rename(&temporary, &path) {
            let _ = fs::remove_file(&temporary);
            for (temporary, _) in staged {
                let _ = fs::remove_file(temporary);
            }
            return Err(Error::io(path, error));
        }
    }
    for change in changes.iter().filter(|c| c.kind == ChangeKind::Removed) {
        let path = dir.join(&change.path);
        fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    }
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

/// Makes the directory `path` goes in, noting in `made` the outermost one it had to make.
fn make_parent(path: &Path, made: &mut Vec<PathBuf>) -> Result<(), Error> {
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    let outermost_missing = parent
        .ancestors()
        .take_while(|ancestor| fs::symlink_metadata(ancestor).is_err())
        .last()
        .map(Path::to_path_buf);
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    made.extend(outermost_missing);
    Ok(())
}

/// Writes `contents` in full to a new temporary file beside `path` and syncs it; returns the
/// temporary file. A file already there under that name (a leftover, or a planted link) is
/// removed first, and the new one is created only if nothing is in its place.
fn stage(path: &Path, contents: &[u8]) -> Result<PathBuf, Error> {
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = parent.join(format!(".{file_name}.sdkgen-tmp"));
    match fs::remove_file(&temporary) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io(&temporary, error))
        }
        _ => {}
    }
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()
    })();
    match result {
        Ok(()) => Ok(temporary),
        Err(error) => {
            // A partly written temporary file must not stay behind.
            let _ = fs::remove_file(&temporary);
            Err(Error::io(path, error))
        }
    }
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
        // A planted temporary file that points at a victim: removed, the victim untouched.
        fs::write(elsewhere.join("victim"), "precious").expect("write");
        std::os::unix::fs::symlink(elsewhere.join("victim"), dir.join("src/.a.rs.sdkgen-tmp"))
            .expect("link");
        sync(&dir, &[file("src/a.rs", &format!("{marked}a"))]).expect("sync");
        assert_eq!(
            fs::read_to_string(elsewhere.join("victim")).expect("read"),
            "precious"
        );
        assert!(fs::symlink_metadata(dir.join("src/.a.rs.sdkgen-tmp")).is_err());
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
