//! Stage 5, write: compare the generated files with a directory and bring it in line, writing
//! only what changed (each file atomically: temporary file, then rename) and removing files
//! this generator wrote before but no longer produces. Unchanged files are not touched, so
//! their modification times stay and nothing recompiles.

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

/// Brings `dir` in line with `files` and returns what changed.
pub fn sync(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, Error> {
    let changes = diff(dir, files)?;
    for change in &changes {
        let path = dir.join(&change.path);
        match change.kind {
            ChangeKind::Added | ChangeKind::Modified => {
                let contents = files
                    .iter()
                    .find(|file| file.path == change.path)
                    .map(|file| file.contents.as_bytes())
                    .unwrap_or_default();
                write_atomically(&path, contents)?;
            }
            ChangeKind::Removed => fs::remove_file(&path).map_err(|e| Error::io(&path, e))?,
        }
    }
    Ok(changes)
}

fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = parent.join(format!(".{file_name}.sdkgen-tmp"));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    result.map_err(|error| {
        // Best effort: a leftover temporary file must not pass for output.
        let _ = fs::remove_file(&temporary);
        Error::io(path, error)
    })
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
}
