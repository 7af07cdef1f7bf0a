//! The crate replaced whole or not at all: the new tree is built in a sibling directory, then
//! swapped in with two renames.
//!
//! `out` becomes `.NAME.sdkgen-old` and `.NAME.sdkgen-new` becomes `out`. The new tree
//! holds the files that changed, written in full and synced, and hard links to everything
//! else: the files that did not change, which keep their modification times (nothing
//! recompiles), and the files this generator does not own (a `Cargo.lock`, a user's own
//! module). Directories it does not own (`target/`, `.git/`) are moved across after the swap.
//! A failure before the swap removes the new tree and leaves `out` as it was; a crash during
//! it is finished or rolled back by the next run ([`recover`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::GeneratedFile;

/// The two siblings of `out`: the tree being built, and the tree being replaced.
struct Siblings {
    new: PathBuf,
    old: PathBuf,
}

fn siblings(out: &Path) -> Result<Siblings, Error> {
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Output {
            path: out.to_path_buf(),
            reason: "has no name of its own to put a sibling beside".to_owned(),
        })?;
    let parent = out.parent().unwrap_or_else(|| Path::new("."));
    Ok(Siblings {
        new: parent.join(format!(".{name}.sdkgen-new")),
        old: parent.join(format!(".{name}.sdkgen-old")),
    })
}

/// `dir` as a path with a name of its own (`.` and `..` have none), its parent made.
pub(super) fn absolute(dir: &Path) -> Result<PathBuf, Error> {
    match fs::canonicalize(dir) {
        Ok(absolute) => Ok(absolute),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
            let parent = parent.unwrap_or_else(|| Path::new("."));
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            let parent = fs::canonicalize(parent).map_err(|e| Error::io(parent, e))?;
            match dir.file_name() {
                Some(name) => Ok(parent.join(name)),
                None => Err(Error::io(dir, error)),
            }
        }
        Err(error) => Err(Error::io(dir, error)),
    }
}

/// Finishes or undoes a swap a crash interrupted: with `out` gone, the old tree is put back;
/// with `out` in place, what was still to move across is moved; a tree half built is removed.
pub(super) fn recover(out: &Path) -> Result<(), Error> {
    let Siblings { new, old } = siblings(out)?;
    if old.exists() {
        if out.exists() {
            carry_directories(&old, out)?;
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        } else {
            fs::rename(&old, out).map_err(|e| Error::io(&old, e))?;
        }
    }
    if new.exists() {
        fs::remove_dir_all(&new).map_err(|e| Error::io(&new, e))?;
    }
    Ok(())
}

/// Replaces `out` by the crate of `files`; `changed` are the paths whose contents differ
/// from what `out` holds (the others are linked, not written).
pub(super) fn replace(
    out: &Path,
    files: &[GeneratedFile],
    changed: &BTreeSet<&str>,
    stale: &BTreeSet<&str>,
) -> Result<(), Error> {
    let Siblings { new, old } = siblings(out)?;
    let built = build(out, &new, files, changed, stale);
    if let Err(error) = built {
        let _ = fs::remove_dir_all(&new);
        return Err(error);
    }
    if holds_working_directory(out) {
        let swapped = swap_files(out, &new, stale);
        let _ = fs::remove_dir_all(&new);
        return swapped;
    }
    if out.exists() {
        if let Err(error) = fs::rename(out, &old) {
            let _ = fs::remove_dir_all(&new);
            return Err(Error::io(out, error));
        }
    }
    if let Err(error) = fs::rename(&new, out) {
        // Put the old tree back; only a second failure leaves it at its sibling's name,
        // where the next run finds it.
        let _ = fs::rename(&old, out);
        let _ = fs::remove_dir_all(&new);
        return Err(Error::io(out, error));
    }
    if old.exists() {
        carry_directories(&old, out)?;
        fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}

/// Whether the process works in `out` or below it. Renamed away, `out` would take the
/// working directory with it (and a shell started there would find itself in a deleted one).
fn holds_working_directory(out: &Path) -> bool {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| fs::canonicalize(cwd).ok())
        .is_some_and(|cwd| cwd.starts_with(out))
}

/// The swap for an `out` that must stay where it is (a working directory inside it would be
/// left in a deleted one): each file of the new tree is renamed over its place, each stale
/// file removed. Every file is whole, old or new; only here can a crash leave some of each.
fn swap_files(out: &Path, new: &Path, stale: &BTreeSet<&str>) -> Result<(), Error> {
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let from = new.join(&relative);
        let entries = fs::read_dir(&from).map_err(|e| Error::io(&from, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&from, e))?;
            let path = relative.join(entry.file_name());
            let target = out.join(&path);
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if kind.is_dir() {
                fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
                pending.push(path);
            } else {
                fs::rename(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
            }
        }
    }
    for path in stale {
        let path = out.join(path);
        fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    }
    fs::remove_dir_all(new).map_err(|e| Error::io(new, e))
}

/// Builds the new tree in `new`: each generated file written or linked, and every file of
/// `out` this generator does not own (nor once wrote: `stale`) linked at its place.
fn build(
    out: &Path,
    new: &Path,
    files: &[GeneratedFile],
    changed: &BTreeSet<&str>,
    stale: &BTreeSet<&str>,
) -> Result<(), Error> {
    fs::create_dir(new).map_err(|e| Error::io(new, e))?;
    let generated: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut written = Vec::new();
    for file in files {
        let target = new.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        if changed.contains(file.path.as_str()) {
            written.push((target, file.contents.as_bytes()));
        } else {
            link(&out.join(&file.path), &target)?;
        }
    }
    write_all_synced(&written)?;
    // What the generator does not own, file by file; directories that hold none of its
    // files are moved across whole after the swap.
    let holds_generated = |relative: &str| {
        generated.iter().any(|path| {
            path.strip_prefix(relative)
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut pending = vec![String::new()];
    while let Some(relative) = pending.pop() {
        let from = out.join(&relative);
        let entries = match fs::read_dir(&from) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(Error::io(from, error)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&from, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = match relative.is_empty() {
                true => name,
                false => format!("{relative}/{name}"),
            };
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if generated.contains(path.as_str()) || stale.contains(path.as_str()) {
                continue;
            }
            if kind.is_dir() {
                if holds_generated(&path) {
                    let target = new.join(&path);
                    fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
                    pending.push(path);
                }
                continue;
            }
            link(&entry.path(), &new.join(&path))?;
        }
    }
    Ok(())
}

/// Moves each directory of `old` that `out` does not have into `out` (what the generator
/// does not own: `target/`, `.git/`), looking inside the directories both have.
fn carry_directories(old: &Path, out: &Path) -> Result<(), Error> {
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let from = old.join(&relative);
        let entries = fs::read_dir(&from).map_err(|e| Error::io(&from, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&from, e))?;
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if !kind.is_dir() {
                continue;
            }
            let path = relative.join(entry.file_name());
            let target = out.join(&path);
            match fs::symlink_metadata(&target) {
                Ok(metadata) if metadata.is_dir() => pending.push(path),
                Ok(_) => {}
                Err(_) => fs::rename(entry.path(), &target).map_err(|e| Error::io(&target, e))?,
            }
        }
    }
    Ok(())
}

/// A hard link to `from` at `to` (the same file: its modification time stays), or, where the
/// file system has none, a copy with the modification time of the original. A symbolic link
/// is made again as a link, never followed.
fn link(from: &Path, to: &Path) -> Result<(), Error> {
    let metadata = fs::symlink_metadata(from).map_err(|e| Error::io(from, e))?;
    #[cfg(unix)]
    if metadata.file_type().is_symlink() {
        let target = fs::read_link(from).map_err(|e| Error::io(from, e))?;
        return std::os::unix::fs::symlink(target, to).map_err(|e| Error::io(to, e));
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map_err(|e| Error::io(to, e))?;
    if let Ok(modified) = metadata.modified() {
        let copy = fs::File::options()
            .write(true)
            .open(to)
            .map_err(|e| Error::io(to, e))?;
        copy.set_modified(modified).map_err(|e| Error::io(to, e))?;
    }
    Ok(())
}

/// How many files are written and synced at once: syncing waits on the disk, not the CPU,
/// and a disk takes several flushes at a time.
const WRITERS: usize = 8;

/// Writes and syncs each file of `files` (a path and its contents), on up to [`WRITERS`]
/// threads; the first failure is returned once all have stopped.
fn write_all_synced(files: &[(PathBuf, &[u8])]) -> Result<(), Error> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<(), Error> {
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((path, contents)) = files.get(index) else {
                return Ok(());
            };
            write_synced(path, contents)?;
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..WRITERS.min(files.len()))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        // The calling thread writes too: without helpers it writes everything itself.
        let mine = work();
        helpers
            .into_iter()
            .map(|helper| {
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .fold(mine, Result::and)
    })
}

fn write_synced(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(contents).map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}
