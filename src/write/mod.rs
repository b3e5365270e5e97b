//! The one way git-rtk writes a file: atomically and, by default, durably.
//!
//! A write goes to a temporary file in the target's directory, is synced, renamed over the
//! target, and the directory is synced; a crash at any instant leaves the old or the new content,
//! never a torn file. Unchanged content touches nothing. Callers that read the file first can pass
//! what they read ([`Expected`]) so a concurrent change is detected instead of overwritten.
//!
//! This module never writes git's own files (index, refs): those follow git's `*.lock` protocol
//! through gix.

mod atomic;

pub use atomic::write_file;

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
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            durability: Durability::Durable,
            expected: None,
            allow_breaking_hard_links: false,
            lock_timeout: Duration::from_secs(10),
            dry_run: false,
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

/// A strong hash of file content (SHA-256).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentHash(pub [u8; 32]);

/// Device, inode, size and modification time, taken before reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
    pub size: u64,
    pub modified_nanos: i128,
}

/// What one write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub bytes: u64,
    pub syncs: u32,
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
