//! Cleaning up after crashed writers: abandoned temporary files are removed, and batches that
//! crashed are rolled forward or back from their intent records (see `intent.rs`).
//!
//! Every write runs [`recover_directory`] on its target directory before it renames anything
//! into place (a single write does it while its temporary file's data is on its way to the
//! disk), and every batch also runs [`recover_pending`]. Nothing here ever touches a file a live
//! writer holds (see `temp.rs` for how liveness is decided).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use super::intent::{self, Intent, Step};
use super::lock::DirectoryLock;
use super::temp::{self, Artifact};
use super::{failpoint, sys, WriteError, WriteOptions};

/// What a recovery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Abandoned temporary files removed (including those of rolled-back batches).
    pub temps_removed: u32,
    /// Crashed batches finished (every rename they promised is now done).
    pub batches_rolled_forward: u32,
    /// Crashed batches undone (they had not started renaming).
    pub batches_rolled_back: u32,
}

impl Recovery {
    fn add(&mut self, other: Recovery) {
        self.temps_removed += other.temps_removed;
        self.batches_rolled_forward += other.batches_rolled_forward;
        self.batches_rolled_back += other.batches_rolled_back;
    }
}

/// Cleans up `dir` after crashed writers: removes abandoned temporary files and finishes or undoes
/// crashed batches that touched it. Writes do this on their own; call it to clean up explicitly.
pub fn recover(dir: &Path) -> Result<Recovery, WriteError> {
    recover_directory(dir, &WriteOptions::default())
}

/// Finishes crashed batches recorded in the pending list (see `intent.rs` for where it lives),
/// wherever their files are. Every batch runs this first; a command may run it at start-up.
pub fn recover_pending() -> Result<Recovery, WriteError> {
    recover_pending_with(&WriteOptions::default())
}

/// [`recover_pending`] for the registry `options` name ([`WriteOptions::pending_dir`]), waiting
/// up to `options.lock_timeout` for each directory a crashed batch touched.
pub fn recover_pending_with(options: &WriteOptions) -> Result<Recovery, WriteError> {
    let mut total = Recovery::default();
    let Some(pending) = intent::pending_dir(options) else {
        return Ok(total);
    };
    let entries = match fs::read_dir(&pending) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(total),
        Err(e) => return Err(WriteError::io(&pending, "listing pending batches", e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| WriteError::io(&pending, "listing pending batches", e))?;
        let Some(id) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let Some(Artifact::Intent { pid, .. }) = temp::classify(&intent::copy_name(&id)) else {
            continue;
        };
        let pointer = entry.path();
        // A live batch holds its pointer locked.
        let Some(_claim) = temp::claim_abandoned(&pointer, pid, Some(&id))? else {
            continue;
        };
        let listing = match fs::read(&pointer) {
            Ok(listing) => listing,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(WriteError::io(&pointer, "reading a pending batch", e)),
        };
        for line in listing.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let Some(dir) = intent::unescape(line) else {
                continue;
            };
            let dir = PathBuf::from(OsStr::from_bytes(&dir));
            total.add(recover_directory(&dir, options)?);
        }
        remove_pointer(options, &id);
    }
    Ok(total)
}

/// Leftovers found in one directory listing.
#[derive(Default)]
struct Leftovers {
    single: Vec<(PathBuf, u32)>,
    batch: BTreeMap<String, Vec<(PathBuf, u32)>>,
    intents: Vec<(PathBuf, String, u32)>,
}

fn list_leftovers(dir: &Path) -> Result<Leftovers, WriteError> {
    match sys::open_directory(dir) {
        Ok(handle) => list_leftovers_in(dir, &handle),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Leftovers::default()),
        Err(e) => Err(WriteError::io(
            dir,
            "listing the directory for leftovers",
            e,
        )),
    }
}

/// Like [`list_leftovers`], through `handle`, an open descriptor of `dir`.
fn list_leftovers_in(dir: &Path, handle: &File) -> Result<Leftovers, WriteError> {
    let mut found = Leftovers::default();
    // Names only: no stat per entry, so a large directory costs one readdir.
    sys::visit_names(handle, |name| match temp::classify(name) {
        Some(Artifact::SingleTemp { pid }) => found.single.push((dir.join(name), pid)),
        Some(Artifact::BatchTemp { id, pid }) => found
            .batch
            .entry(id)
            .or_default()
            .push((dir.join(name), pid)),
        Some(Artifact::Intent { id, pid }) => found.intents.push((dir.join(name), id, pid)),
        None => {}
    })
    .map_err(|e| WriteError::io(dir, "listing the directory for leftovers", e))?;
    Ok(found)
}

/// See [`recover`]; `options.lock_timeout` bounds the wait for the directories a crashed batch
/// touched, and a settled batch's pointer is removed from `options`' registry.
pub(crate) fn recover_directory(
    dir: &Path,
    options: &WriteOptions,
) -> Result<Recovery, WriteError> {
    let mut total = Recovery::default();
    let found = list_leftovers(dir)?;
    for (path, id, pid) in &found.intents {
        if let Some(_claim) = temp::claim_abandoned(path, *pid, Some(id))? {
            total.add(recover_intent(dir, id, options)?);
        }
    }
    let with_intent: BTreeSet<&String> = found.intents.iter().map(|(_, id, _)| id).collect();
    for (id, temps) in &found.batch {
        // Temporary files of a batch that has an intent here are the intent's business (handled
        // above, or the batch is alive). Without one, the batch never reached its rename phase.
        if with_intent.contains(id) {
            continue;
        }
        for (path, pid) in temps {
            total.temps_removed += remove_if_abandoned(path, *pid, Some(id))?;
        }
    }
    for (path, pid) in &found.single {
        total.temps_removed += remove_if_abandoned(path, *pid, None)?;
    }
    Ok(total)
}

fn remove_if_abandoned(path: &Path, pid: u32, id: Option<&str>) -> Result<u32, WriteError> {
    let Some(_claim) = temp::claim_abandoned(path, pid, id)? else {
        return Ok(0);
    };
    remove_quietly(path)
}

/// Removes `path`; 1 if it was there, 0 if someone else removed it first.
fn remove_quietly(path: &Path) -> Result<u32, WriteError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(1),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(WriteError::io(
            path,
            "removing a leftover temporary file",
            e,
        )),
    }
}

/// Reads and parses the copy of batch `id`'s intent in `dir`. `Ok(None)`: no copy there;
/// `Ok(Some(None))`: a copy that is incomplete.
fn read_copy(dir: &Path, id: &str) -> Result<Option<Option<Intent>>, WriteError> {
    let path = dir.join(intent::copy_name(id));
    match fs::read(&path) {
        Ok(bytes) => Ok(Some(intent::parse(&bytes).filter(|i| i.id == id))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(WriteError::io(&path, "reading a batch's intent record", e)),
    }
}

/// Finishes or undoes crashed batch `id`, starting from its copy in `dir`.
fn recover_intent(dir: &Path, id: &str, options: &WriteOptions) -> Result<Recovery, WriteError> {
    let lock_timeout = options.lock_timeout;
    let mut done = Recovery::default();
    let Some(copy) = read_copy(dir, id)? else {
        return Ok(done);
    };
    let Some(intent) = copy else {
        // This copy was being written when the batch died, so no rename had happened: undo what
        // the batch left here. Other directories undo their part when they find their copy
        // incomplete or this one missing.
        let _lock = DirectoryLock::acquire(dir, lock_timeout)?;
        if read_copy(dir, id)?.is_none() {
            return Ok(done);
        }
        for (path, _) in list_leftovers(dir)?.batch.remove(id).unwrap_or_default() {
            done.temps_removed += remove_quietly(&path)?;
        }
        remove_copy(dir, id)?;
        done.batches_rolled_back += 1;
        return Ok(done);
    };

    let dirs: Vec<PathBuf> = intent.dirs.iter().map(|rel| dir.join(rel)).collect();
    // Lock every directory the batch touched, in one global order so two recoverers (or a
    // recoverer and a batch) never wait on each other in a cycle. A vanished directory can't be
    // locked (or written); its copy is then missing, which means roll back.
    let mut order: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| fs::canonicalize(d).ok())
        .collect();
    order.sort();
    order.dedup();
    let mut locks = Vec::with_capacity(order.len());
    for d in &order {
        locks.push(DirectoryLock::acquire(d, lock_timeout)?);
    }
    // Someone may have finished this batch while we waited.
    if read_copy(dir, id)?.is_none() {
        return Ok(done);
    }
    let mut all_complete = true;
    for d in &dirs {
        if !matches!(read_copy(d, id)?, Some(Some(_))) {
            all_complete = false;
        }
    }
    if all_complete {
        for step in &intent.steps {
            match step {
                Step::Write {
                    dir: index,
                    target,
                    temp,
                } => {
                    let from = dirs[*index].join(temp);
                    let to = dirs[*index].join(target);
                    match fs::rename(&from, &to) {
                        Ok(()) => {
                            failpoint!("recover::between_renames", &to);
                        }
                        // Renamed before the crash.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(WriteError::io(&to, "finishing a crashed batch", e)),
                    }
                }
                Step::Delete {
                    dir: index,
                    target,
                    device,
                    inode,
                } => {
                    let path = dirs[*index].join(target);
                    // Only the very file the batch checked; a newer file of that name stays.
                    if let Ok(meta) = fs::symlink_metadata(&path) {
                        if meta.dev() == *device && meta.ino() == *inode {
                            remove_target(&path)?;
                        }
                    }
                }
            }
        }
        // Recovery always syncs: it runs rarely and its whole point is a settled state.
        for lock in &locks {
            lock.sync()?;
        }
        done.batches_rolled_forward += 1;
    } else {
        for step in &intent.steps {
            if let Step::Write {
                dir: index, temp, ..
            } = step
            {
                done.temps_removed += remove_quietly(&dirs[*index].join(temp))?;
            }
        }
        done.batches_rolled_back += 1;
    }
    for d in &dirs {
        remove_copy(d, id)?;
    }
    // Every directory of the batch is settled (a complete copy lists all its files).
    remove_pointer(options, id);
    Ok(done)
}

fn remove_target(path: &Path) -> Result<(), WriteError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::io(
            path,
            "finishing a crashed batch's removal",
            e,
        )),
    }
}

pub(crate) fn remove_copy(dir: &Path, id: &str) -> Result<(), WriteError> {
    let path = dir.join(intent::copy_name(id));
    match fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::io(&path, "removing a batch's intent record", e)),
    }
}

/// Best-effort: a stale pointer only makes the next `recover_pending` look at settled directories.
pub(crate) fn remove_pointer(options: &WriteOptions, id: &str) {
    if let Some(pending) = intent::pending_dir(options) {
        let _ = fs::remove_file(pending.join(id));
    }
}
