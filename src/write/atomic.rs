//! Writing one file: temp in the same directory → write → sweep leftovers → sync → lock → check
//! → rename → sync the directory.

use std::io;
use std::path::Path;
use std::time::Instant;

use super::lock::DirectoryLock;
use super::target::{self, CreatedDirs, Target};
use super::temp::{self, TempFile};
use super::{failpoint, recover, sys, Durability, Expected, WriteError, WriteOptions, WriteStats};

/// Replaces `path`'s content with `contents` atomically (see the module docs).
///
/// `path` may be a symlink (or a chain of them): the link stays and its final target is replaced.
/// Unchanged content returns `skipped` without touching the file (nor sweeping the directory).
/// `options.expected` is checked first, so a file that changed since the caller read it is a
/// conflict even if it now holds `contents`. Errors leave the target and its directory as they
/// were (no temporary file, no new directory).
pub fn write_file(
    path: &Path,
    contents: &[u8],
    options: &WriteOptions,
) -> Result<WriteStats, WriteError> {
    let started = Instant::now();
    let mut stats = WriteStats {
        bytes: contents.len() as u64,
        ..WriteStats::default()
    };
    let target = target::resolve(path)?;
    check_expected(options.expected.as_ref(), path, &target)?;
    if let Some(existing) = &target.existing {
        if target::same_content(&target.path, existing, contents)? {
            stats.skipped = true;
            stats.elapsed = started.elapsed();
            return Ok(stats);
        }
    }
    check_hard_links(path, &target, options)?;
    if options.dry_run {
        stats.elapsed = started.elapsed();
        return Ok(stats);
    }

    let durable = options.durability == Durability::Durable;
    let mut created = CreatedDirs::default();
    if target.existing.is_none() {
        stats.syncs += target::create_parents(&target.dir, durable, &mut created)?;
    }

    let temp_path = target.dir.join(temp::temp_name(
        &target.name,
        None,
        temp::SINGLE_TAG,
        &temp::new_id(),
    ));
    let mut temp = temp::write_temp(temp_path, contents, target.existing.as_ref())?;
    // The sweep for crashed writers' leftovers must come before our rename (a crashed batch
    // rolled forward afterwards would overwrite us). Placed between starting the writeback and
    // waiting for it, the directory listing runs while the device works on our data.
    if durable {
        temp.start_writeback();
    }
    recover::recover_directory(&target.dir, options)?;
    temp.finish(options.durability, &mut stats)?;

    let lock = DirectoryLock::acquire_for(&target.dir, options.lock_timeout, path)?;
    // Again under the lock: between the first check and now another writer may have been.
    let current = target::metadata_if_exists(&target.path)?;
    let recheck = Target {
        existing: current,
        ..target
    };
    check_expected(options.expected.as_ref(), path, &recheck)?;
    check_hard_links(path, &recheck, options)?;
    failpoint!("write::before_rename", temp.path());
    if options.expected == Some(Expected::Absent) {
        create_no_clobber(&temp, &recheck.path, path)?;
    } else {
        std::fs::rename(temp.path(), &recheck.path)
            .map_err(|e| WriteError::io(&recheck.path, "renaming into place", e))?;
    }
    temp.disarm();
    created.keep();
    stats.renames += 1;
    failpoint!("write::after_rename", &recheck.path);
    if durable {
        lock.sync()?;
        stats.syncs += 1;
    }
    drop(lock);
    drop(temp);
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// Fails with `Changed` unless the target still matches what the caller saw.
pub(crate) fn check_expected(
    expected: Option<&Expected>,
    requested: &Path,
    target: &Target,
) -> Result<(), WriteError> {
    let Some(expected) = expected else {
        return Ok(());
    };
    if target::matches_expected(expected, &target.path, target.existing.as_ref())? {
        Ok(())
    } else {
        Err(WriteError::Changed {
            path: requested.to_owned(),
        })
    }
}

/// Refuses to detach a file from its other hard links unless the caller allowed it.
pub(crate) fn check_hard_links(
    requested: &Path,
    target: &Target,
    options: &WriteOptions,
) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt as _;
    match &target.existing {
        Some(meta) if meta.nlink() > 1 && !options.allow_breaking_hard_links => {
            Err(WriteError::HardLinked {
                path: requested.to_owned(),
                links: meta.nlink(),
            })
        }
        _ => Ok(()),
    }
}

/// Moves `temp` to `to` only if nothing is there, atomically: `renameat2(RENAME_NOREPLACE)`, or
/// `link` + `unlink` where the file system lacks it. An existing file means the target changed.
pub(crate) fn create_no_clobber(
    temp: &TempFile,
    to: &Path,
    requested: &Path,
) -> Result<(), WriteError> {
    let changed = || WriteError::Changed {
        path: requested.to_owned(),
    };
    match sys::rename_noreplace(temp.path(), to) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(changed()),
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {}
        Err(e) => return Err(WriteError::io(to, "renaming into place", e)),
    }
    match std::fs::hard_link(temp.path(), to) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(changed()),
        Err(e) => return Err(WriteError::io(to, "linking into place", e)),
    }
    std::fs::remove_file(temp.path())
        .map_err(|e| WriteError::io(temp.path(), "removing the temporary name", e))
}
