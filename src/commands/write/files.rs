//! Reading the files a command edits, and writing its results through the write core.
//!
//! Reading takes what compare-and-swap needs (identity before reading, hash of what was read) so
//! a concurrent change aborts the write instead of being overwritten. Every result goes through
//! [`commit`] as one [`Batch`]: all files change or none.

use std::path::{Path, PathBuf};

use super::failure::Failure;
use super::Options;
use crate::write::{self, Batch, BatchStats, Durability, Expected, WriteOptions};

/// A file's content as read, with what the write core checks before replacing it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub content: Vec<u8>,
    pub expected: Expected,
}

/// Reads `path` (through symlinks); `None` when it does not exist.
pub fn read(path: &Path) -> Result<Option<Snapshot>, Failure> {
    let snapshot = write::read_for_update(path).map_err(|err| Failure::fatal(err.to_string()))?;
    Ok(snapshot.contents.map(|content| Snapshot {
        content,
        expected: snapshot.expected,
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

/// Writes every change as one transaction of the write core: each file is checked against what
/// was read, then all change or none (missing parent directories are created by the core).
pub fn commit(changes: &[FileChange], options: &Options) -> Result<BatchStats, Failure> {
    let mut batch = Batch::new();
    for change in changes {
        match change {
            FileChange::Write {
                path,
                content,
                expected,
            } => batch.write(path, content.clone(), expected.clone()),
            FileChange::Delete { path, expected } => batch.delete(path, Some(expected.clone())),
        };
    }
    let write_options = WriteOptions {
        durability: Durability::Durable,
        allow_breaking_hard_links: options.break_hard_links,
        dry_run: options.dry_run,
        ..WriteOptions::default()
    };
    batch.commit(&write_options).map_err(Failure::from_write)
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
    use crate::commands::write::FailureKind;
    use crate::write::{ContentHash, FileIdentity};

    /// What `set`, `replace` and `patch` hand the write core for compare-and-swap: the hash of the
    /// bytes read and the identity of the file they came from.
    #[test]
    fn snapshot_carries_hash_and_identity_of_what_was_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.txt");
        std::fs::write(&path, b"hello\n").unwrap_or_else(|e| panic!("{e}"));
        let identity = FileIdentity::of(&path).unwrap_or_else(|e| panic!("{e}"));
        let snapshot = read_existing(&path).unwrap_or_else(|f| panic!("{}", f.message));
        assert_eq!(snapshot.content, b"hello\n");
        assert_eq!(
            snapshot.expected,
            Expected::Present {
                content_hash: Some(ContentHash::of(b"hello\n")),
                identity: Some(identity),
            }
        );
        assert!(read(&dir.path().join("missing")).is_ok_and(|s| s.is_none()));
    }

    /// A file changed after it was read: the whole batch is refused, the other file included.
    #[test]
    fn a_change_after_reading_refuses_every_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let edited = dir.path().join("edited.txt");
        let gone = dir.path().join("gone.txt");
        std::fs::write(&edited, b"one\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&gone, b"bye\n").unwrap_or_else(|e| panic!("{e}"));
        let edited_snapshot = read_existing(&edited).unwrap_or_else(|f| panic!("{}", f.message));
        let gone_snapshot = read_existing(&gone).unwrap_or_else(|f| panic!("{}", f.message));
        std::fs::write(&gone, b"changed meanwhile\n").unwrap_or_else(|e| panic!("{e}"));
        let changes = [
            FileChange::Write {
                path: edited.clone(),
                content: b"two\n".to_vec(),
                expected: Some(edited_snapshot.expected),
            },
            FileChange::Delete {
                path: gone.clone(),
                expected: gone_snapshot.expected,
            },
        ];
        let failure = commit(&changes, &Options::default()).err().map(|f| f.kind);
        assert_eq!(failure, Some(FailureKind::Changed));
        assert_eq!(std::fs::read(&edited).ok(), Some(b"one\n".to_vec()));
        assert_eq!(
            std::fs::read(&gone).ok(),
            Some(b"changed meanwhile\n".to_vec())
        );
    }
}
