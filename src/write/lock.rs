//! Writer exclusion per directory: an `flock` on the directory itself.
//!
//! Locking the directory rather than a `*.lock` file means nothing is ever created, so a crashed
//! writer leaves no lock behind (the kernel drops an `flock` with its last descriptor) and dry runs
//! can skip locking without leaving a trace either. The lock only covers the short window from
//! the compare-and-swap check to the rename; the expensive part (writing and syncing the temporary
//! file) runs unlocked.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use super::{sys, WriteError};

/// An exclusive lock on a directory, held until dropped.
///
/// Other git-rtk writers into the same directory wait for it (up to their `lock_timeout`). The
/// lock is advisory: programs that do not take it are not stopped, which is why the
/// compare-and-swap check exists.
#[derive(Debug)]
pub struct DirectoryLock {
    dir: File,
    path: PathBuf,
}

impl DirectoryLock {
    /// Locks `dir`, polling until `timeout` has passed. A zero timeout tries once.
    pub fn acquire(dir: &Path, timeout: Duration) -> Result<DirectoryLock, WriteError> {
        Self::acquire_for(dir, timeout, dir)
    }

    /// Like [`DirectoryLock::acquire`], but a timeout names `reported` (the file the caller is
    /// writing), which is what a user recognises.
    pub(crate) fn acquire_for(
        dir: &Path,
        timeout: Duration,
        reported: &Path,
    ) -> Result<DirectoryLock, WriteError> {
        let file = File::open(dir)
            .map_err(|e| WriteError::io(dir, "opening the directory to lock it", e))?;
        let started = Instant::now();
        // Short first waits keep an uncontended hand-over fast; the cap keeps a long wait cheap.
        let mut pause = Duration::from_micros(500);
        loop {
            let locked = sys::try_lock_exclusive(&file)
                .map_err(|e| WriteError::io(dir, "locking the directory", e))?;
            if locked {
                return Ok(DirectoryLock {
                    dir: file,
                    path: dir.to_owned(),
                });
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(WriteError::LockTimeout {
                    path: reported.to_owned(),
                    waited,
                });
            }
            thread::sleep(pause.min(timeout - waited));
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }

    /// The locked directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the directory's entries durable (new names, renames, removals).
    pub(crate) fn sync(&self) -> Result<(), WriteError> {
        self.dir
            .sync_all()
            .map_err(|e| WriteError::io(&self.path, "syncing the directory", e))
    }
}

/// Syncs a directory that is not locked (e.g. the parent of a directory we just created).
pub(crate) fn sync_directory(dir: &Path) -> Result<(), WriteError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| WriteError::io(dir, "syncing the directory", e))
}
