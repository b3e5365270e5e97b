//! Reading the files a command edits, and writing its results through the write core.
//!
//! Reading takes what compare-and-swap needs (identity before reading, hash of what was read) so
//! a concurrent change aborts the write instead of being overwritten. Writing goes through
//! [`commit`] only, so that several files can become one transaction in one place.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::failure::{Failure, FailureKind};
use super::Options;
use crate::write::{
    self, ContentHash, Durability, Expected, FileIdentity, WriteOptions, WriteStats,
};

/// A file's content as read, with what the write core checks before replacing it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub content: Vec<u8>,
    pub expected: Expected,
}

/// Reads `path`; `None` when it does not exist.
pub fn read(path: &Path) -> Result<Option<Snapshot>, Failure> {
    // Identity first: a change after this point shows as a different identity or hash.
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(io_failure(path, "cannot stat", &err)),
    };
    if metadata.is_dir() {
        return Err(Failure::fatal(format!(
            "{}: is a directory",
            path.display()
        )));
    }
    let identity = FileIdentity {
        device: metadata.dev(),
        inode: metadata.ino(),
        size: metadata.size(),
        modified_nanos: i128::from(metadata.mtime()) * 1_000_000_000
            + i128::from(metadata.mtime_nsec()),
    };
    let content = std::fs::read(path).map_err(|err| io_failure(path, "cannot read", &err))?;
    let content_hash = ContentHash(Sha256::digest(&content).into());
    Ok(Some(Snapshot {
        content,
        expected: Expected::Present {
            content_hash: Some(content_hash),
            identity: Some(identity),
        },
    }))
}

/// Reads `path`, which must exist.
pub fn read_existing(path: &Path) -> Result<Snapshot, Failure> {
    read(path)?.ok_or_else(|| {
        Failure::fatal(format!(
            "cannot open '{}': No such file or directory",
            path.display()
        ))
    })
}

fn io_failure(path: &Path, what: &str, err: &std::io::Error) -> Failure {
    Failure::fatal(format!("{what} '{}': {err}", path.display()))
}

/// One file's part of a command's result.
#[derive(Debug, Clone)]
pub enum FileChange {
    /// Replace (or create) the file with this content, if it is still as `expected` says.
    Write {
        path: PathBuf,
        content: Vec<u8>,
        expected: Option<Expected>,
    },
    /// Remove the file, if it is still as `expected` says.
    Delete { path: PathBuf, expected: Expected },
}

/// Writes every change, files first and removals last (a rename is a write and a removal, so an
/// interruption leaves both names rather than neither).
///
/// Until the write core offers a multi-file transaction, files are written one at a time: each
/// write is atomic, the set is not. This function is the one place to switch to it.
pub fn commit(changes: &[FileChange], options: &Options) -> Result<Vec<WriteStats>, Failure> {
    if !options.dry_run {
        create_parent_dirs(changes)?;
    }
    let mut stats = Vec::with_capacity(changes.len());
    for change in changes {
        if let FileChange::Write {
            path,
            content,
            expected,
        } = change
        {
            let write_options = WriteOptions {
                durability: Durability::Durable,
                expected: expected.clone(),
                allow_breaking_hard_links: options.break_hard_links,
                dry_run: options.dry_run,
                ..WriteOptions::default()
            };
            stats.push(
                write::write_file(path, content, &write_options).map_err(Failure::from_write)?,
            );
        }
    }
    for change in changes {
        if let FileChange::Delete { path, expected } = change {
            if options.dry_run {
                continue;
            }
            remove_if_unchanged(path, expected)?;
        }
    }
    Ok(stats)
}

/// Creates the missing directories new files go into, before any file is written, and syncs the
/// directory that holds each new one so the new entries survive a crash.
fn create_parent_dirs(changes: &[FileChange]) -> Result<(), Failure> {
    for change in changes {
        let FileChange::Write { path, .. } = change else {
            continue;
        };
        let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
            continue;
        };
        if parent.is_dir() {
            continue;
        }
        // The outermost missing directory is the one whose creation must be made durable.
        let mut outermost = parent;
        while let Some(up) = outermost
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.is_dir())
        {
            outermost = up;
        }
        std::fs::create_dir_all(parent)
            .map_err(|err| io_failure(parent, "cannot create directory", &err))?;
        let holder = outermost
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::File::open(holder)
            .and_then(|dir| dir.sync_all())
            .map_err(|err| io_failure(holder, "cannot sync", &err))?;
    }
    Ok(())
}

/// Removes `path` unless it changed since it was read.
fn remove_if_unchanged(path: &Path, expected: &Expected) -> Result<(), Failure> {
    let now = read(path)?;
    let unchanged = match (&now, expected) {
        (Some(now), Expected::Present { .. }) => &now.expected == expected,
        (None, _) | (Some(_), Expected::Absent) => false,
    };
    if !unchanged {
        return Err(Failure::new(
            FailureKind::Changed,
            format!(
                "{}: the file changed since it was read; it was not removed",
                path.display()
            ),
        ));
    }
    std::fs::remove_file(path).map_err(|err| io_failure(path, "cannot remove", &err))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // The removal is durable only once the directory entry is.
        std::fs::File::open(parent)
            .and_then(|dir| dir.sync_all())
            .map_err(|err| io_failure(parent, "cannot sync", &err))?;
    }
    Ok(())
}

/// A unified diff (`--- a/…`, `+++ b/…`, three lines of context) between two versions of a
/// file; `None` stands for a file that does not exist (`/dev/null`).
pub fn unified_diff(
    old_name: Option<&str>,
    new_name: Option<&str>,
    old: &[u8],
    new: &[u8],
) -> Vec<u8> {
    let old_label = old_name.map_or_else(|| "/dev/null".to_owned(), |n| format!("a/{n}"));
    let new_label = new_name.map_or_else(|| "/dev/null".to_owned(), |n| format!("b/{n}"));
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_label, &new_label)
        .to_writer(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `set`, `replace` and `patch` hand the write core for compare-and-swap: the hash of the
    /// bytes read and the identity of the file they came from.
    #[test]
    fn snapshot_carries_hash_and_identity_of_what_was_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.txt");
        std::fs::write(&path, b"hello\n").unwrap_or_else(|e| panic!("{e}"));
        let snapshot = read_existing(&path).unwrap_or_else(|f| panic!("{}", f.message));
        let metadata = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(snapshot.content, b"hello\n");
        assert_eq!(
            snapshot.expected,
            Expected::Present {
                content_hash: Some(ContentHash(Sha256::digest(b"hello\n").into())),
                identity: Some(FileIdentity {
                    device: metadata.dev(),
                    inode: metadata.ino(),
                    size: 6,
                    modified_nanos: i128::from(metadata.mtime()) * 1_000_000_000
                        + i128::from(metadata.mtime_nsec()),
                }),
            }
        );
        assert!(read(&dir.path().join("missing")).is_ok_and(|s| s.is_none()));
    }

    #[test]
    fn removal_is_refused_when_the_file_changed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("gone.txt");
        std::fs::write(&path, b"one\n").unwrap_or_else(|e| panic!("{e}"));
        let snapshot = read_existing(&path).unwrap_or_else(|f| panic!("{}", f.message));
        std::fs::write(&path, b"two\n").unwrap_or_else(|e| panic!("{e}"));
        let changes = [FileChange::Delete {
            path: path.clone(),
            expected: snapshot.expected,
        }];
        let failure = commit(&changes, &Options::default()).err().map(|f| f.kind);
        assert_eq!(failure, Some(FailureKind::Changed));
        assert!(path.exists());
    }
}
