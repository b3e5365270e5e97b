//! The one way git-rtk writes a file: atomically and, by default, durably.
//!
//! A write goes to a temporary file in the target's directory, is synced, renamed over the
//! target, and the directory is synced; a crash at any instant leaves the old or the new content,
//! never a torn file. Unchanged content touches nothing. Callers that read the file first can pass
//! what they read ([`Expected`], best taken with [`read_for_update`]) so a concurrent change is
//! detected instead of overwritten. [`Batch`] changes several files as one transaction.
//!
//! What a write keeps: a symlink stays a symlink (its final target is replaced); an existing
//! file's mode and, where permitted, owner and group are copied; a new file gets what a plain
//! `open(O_CREAT, 0666)` would give under the umask. What it does not keep: extended attributes
//! and ACLs of a replaced file, and hard links (refused unless allowed, see
//! [`WriteOptions::allow_breaking_hard_links`]).
//!
//! Leftovers of crashed writers (temporary files `.<name>.rtk-tmp.<pid>.<id>`, batch files
//! `.<name>.rtk-batch.<pid>.<id>`, intent records `.rtk-intent.<pid>.<id>`) are cleaned up by the
//! next write into their directory, never while their writer lives ([`recover`]).
//!
//! Where a crashed batch is found: its intent record sits in *every* directory it changes (so the
//! next write into any of them finishes it, whoever runs it and wherever the tree has moved), and
//! while it runs a pointer `$GIT_RTK_STATE_DIR/pending/<id>` (default state directory
//! `$XDG_STATE_HOME/git-rtk`, else `~/.local/state/git-rtk`) lists those directories, so the next
//! batch ([`recover_pending`]) settles it even if nobody writes there again. A crash before the
//! rename phase is rolled back, one during it rolled forward: never half-applied. (A batch of one
//! file is a plain atomic write: no intent, no pointer.)
//!
//! This module never writes git's own files (index, refs): those follow git's `*.lock` protocol
//! through gix. It never leaves a lock file: writers exclude each other with an `flock` on the
//! directory ([`DirectoryLock`]).

pub mod append;
mod atomic;
mod batch;
pub mod failpoints;
mod intent;
mod lock;
mod recover;
pub(crate) mod sys;
mod target;
mod temp;

pub(crate) use failpoints::failpoint;

pub use atomic::write_file;
pub use batch::{Batch, BatchStats, FileOutcome};
pub use lock::DirectoryLock;
pub use recover::{recover, recover_pending, recover_pending_with, Recovery};

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether a write survives power loss once it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Data and directory synced before and after the rename.
    #[default]
    Durable,
    /// Atomic but not synced: for caches that can be rebuilt.
    Fast,
}

/// How to write.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub durability: Durability,
    /// What the caller read; checked again under the lock right before the rename.
    pub expected: Option<Expected>,
    /// Replace a file that has other hard links (the others keep the old content).
    pub allow_breaking_hard_links: bool,
    /// How long to wait for another writer of the same directory.
    pub lock_timeout: Duration,
    /// Compute the outcome without taking a lock or creating anything.
    pub dry_run: bool,
    /// The pending-batch registry: where a batch leaves its pointer while it runs and where
    /// [`recover_pending_with`] looks for crashed ones. `None`: `pending/` in the user's state
    /// directory (see the module docs). Callers that must not share the user's registry (tests,
    /// sandboxes) name their own.
    pub pending_dir: Option<PathBuf>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            durability: Durability::Durable,
            expected: None,
            allow_breaking_hard_links: false,
            lock_timeout: Duration::from_secs(10),
            dry_run: false,
            pending_dir: None,
        }
    }
}

/// What the caller saw before it computed the new content (compare-and-swap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The target must not exist.
    Absent,
    /// The target must still have this content and/or identity.
    Present {
        content_hash: Option<ContentHash>,
        identity: Option<FileIdentity>,
    },
}

impl Expected {
    /// What `path` (through symlinks) is now: `Absent`, or its identity and content hash. The
    /// identity is taken before hashing, so a change during the hash is caught later.
    pub fn of_file(path: &Path) -> Result<Expected, WriteError> {
        let Some(identity) = FileIdentity::of_if_exists(path)? else {
            return Ok(Expected::Absent);
        };
        match target::hash_file(path) {
            Ok(hash) => Ok(Expected::Present {
                content_hash: Some(hash),
                identity: Some(identity),
            }),
            // Removed between the two looks: it is absent now.
            Err(WriteError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Ok(Expected::Absent)
            }
            Err(e) => Err(e),
        }
    }
}

/// A file's content as read for an edit, with what to expect when writing the edit back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// `None`: the file does not exist.
    pub contents: Option<Vec<u8>>,
    /// Pass as [`WriteOptions::expected`]: the write then fails with [`WriteError::Changed`] if
    /// the file changed after this read.
    pub expected: Expected,
}

/// Reads `path` (through symlinks) for a read-modify-write: identity first, then the content, then
/// the hash of exactly the bytes read.
pub fn read_for_update(path: &Path) -> Result<Snapshot, WriteError> {
    let absent = Snapshot {
        contents: None,
        expected: Expected::Absent,
    };
    let Some(identity) = FileIdentity::of_if_exists(path)? else {
        return Ok(absent);
    };
    let contents = match std::fs::read(path) {
        Ok(contents) => contents,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(absent),
        Err(e) => return Err(WriteError::io(path, "reading", e)),
    };
    Ok(Snapshot {
        expected: Expected::Present {
            content_hash: Some(ContentHash::of(&contents)),
            identity: Some(identity),
        },
        contents: Some(contents),
    })
}

/// A strong hash of file content (SHA-256).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    pub fn of(bytes: &[u8]) -> ContentHash {
        use sha2::Digest as _;
        ContentHash(sha2::Sha256::digest(bytes).into())
    }

    /// Hashes a file (through symlinks) in chunks, without reading it into memory whole.
    pub fn of_file(path: &Path) -> Result<ContentHash, WriteError> {
        target::hash_file(path)
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&intent::hex(&self.0))
    }
}

/// Device, inode, size and modification time, taken before reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
    pub size: u64,
    pub modified_nanos: i128,
}

impl FileIdentity {
    /// The identity of what `path` leads to (through symlinks).
    pub fn of(path: &Path) -> Result<FileIdentity, WriteError> {
        let meta = std::fs::metadata(path)
            .map_err(|e| WriteError::io(path, "reading the file's metadata", e))?;
        Ok(target::identity_of(&meta))
    }

    fn of_if_exists(path: &Path) -> Result<Option<FileIdentity>, WriteError> {
        match std::fs::metadata(path) {
            Ok(meta) => Ok(Some(target::identity_of(&meta))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(WriteError::io(path, "reading the file's metadata", e)),
        }
    }
}

/// What one write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Length of the new content (written unless `skipped`; in a dry run, what would be).
    pub bytes: u64,
    /// fsync calls: file, directory, and parents of created directories.
    pub syncs: u32,
    /// Renames into place (0 when skipped or in a dry run).
    pub renames: u32,
    /// The content was already there: nothing was touched.
    pub skipped: bool,
    pub elapsed: Duration,
}

/// Why a write did not happen. Nothing was changed in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: the file changed since it was read; nothing was written", path = .path.display())]
    Changed { path: PathBuf },
    #[error("{path}: another writer holds the lock (waited {waited:?})", path = .path.display())]
    LockTimeout { path: PathBuf, waited: Duration },
    #[error("{path}: has {links} hard links; writing would detach it from the others (allow it explicitly)", path = .path.display())]
    HardLinked { path: PathBuf, links: u64 },
    #[error("{path}: {operation}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        operation: &'static str,
        #[source]
        source: std::io::Error,
    },
}

impl WriteError {
    pub(crate) fn io(path: &Path, operation: &'static str, source: std::io::Error) -> Self {
        WriteError::Io {
            path: path.to_owned(),
            operation,
            source,
        }
    }
}
