//! Several files changed as one transaction.
//!
//! Order of work: every temporary file written and synced (nothing visible yet) → every directory
//! locked (one global order) → every expectation checked again → an intent record written and
//! synced in each directory (see `intent.rs`) → the directories synced → all renames and removals
//! → one sync per distinct directory → the intent records removed. A failure before the renames
//! changes nothing; a crash during them is rolled forward by the next writer (`recover.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::atomic::{check_expected, check_hard_links, create_no_clobber};
use super::intent::{self, Step};
use super::lock::DirectoryLock;
use super::target::{self, CreatedDirs, Target};
use super::temp::{self, TempFile};
use super::{failpoint, recover, Durability, Expected, WriteError, WriteOptions, WriteStats};

/// Files to change together: all of them or none.
///
/// ```no_run
/// # use git_rtk::write::{Batch, WriteOptions};
/// let mut batch = Batch::new();
/// batch.write("Cargo.toml", b"[package]\n".to_vec(), None);
/// batch.delete("old.rs", None);
/// let stats = batch.commit(&WriteOptions::default())?;
/// # Ok::<(), git_rtk::write::WriteError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Batch {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    change: Change,
    expected: Option<Expected>,
}

#[derive(Debug, Clone)]
enum Change {
    Write(Vec<u8>),
    Delete,
}

/// What a batch did (or, in a dry run, would do) to one file, in the order the files were added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOutcome {
    Created,
    Replaced,
    Deleted,
    Unchanged,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Totals: bytes written, syncs, renames; `skipped` when every file was unchanged.
    pub total: WriteStats,
    /// One per file, in the order added.
    pub outcomes: Vec<FileOutcome>,
}

/// An entry resolved to the file it changes.
struct Plan<'a> {
    entry: &'a Entry,
    target: Target,
    outcome: FileOutcome,
    /// Canonical directory (filled once parents exist).
    dir: PathBuf,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a write of `contents` to `path` (through symlinks, as [`write_file`](super::write_file)),
    /// checked against `expected` under the lock.
    pub fn write(
        &mut self,
        path: impl Into<PathBuf>,
        contents: impl Into<Vec<u8>>,
        expected: Option<Expected>,
    ) -> &mut Batch {
        self.entries.push(Entry {
            path: path.into(),
            change: Change::Write(contents.into()),
            expected,
        });
        self
    }

    /// Adds the removal of `path` (a symlink is removed itself, not its target). `expected` is
    /// checked against what `path` leads to.
    pub fn delete(&mut self, path: impl Into<PathBuf>, expected: Option<Expected>) -> &mut Batch {
        self.entries.push(Entry {
            path: path.into(),
            change: Change::Delete,
            expected,
        });
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Applies every change or none. `options.expected` is ignored (each entry has its own);
    /// the rest applies to every file. Errors before the rename phase leave everything as it was.
    /// An I/O error *during* the rename phase (after the point of no return) leaves the intent
    /// records in place, so the next writer into those directories finishes the batch.
    pub fn commit(&self, options: &WriteOptions) -> Result<BatchStats, WriteError> {
        let started = Instant::now();
        let durable = options.durability == Durability::Durable;
        let mut stats = BatchStats::default();
        let mut plans = self
            .entries
            .iter()
            .map(|entry| plan(entry, options))
            .collect::<Result<Vec<_>, _>>()?;
        stats.outcomes = plans.iter().map(|p| p.outcome).collect();
        for p in &plans {
            if let (Change::Write(contents), false) =
                (&p.entry.change, p.outcome == FileOutcome::Unchanged)
            {
                stats.total.bytes += contents.len() as u64;
            }
        }
        let all_unchanged = plans.iter().all(|p| p.outcome == FileOutcome::Unchanged);
        if options.dry_run || all_unchanged {
            reject_duplicates(&mut plans, false)?;
            stats.total.skipped = all_unchanged;
            stats.total.elapsed = started.elapsed();
            return Ok(stats);
        }

        let mut created = CreatedDirs::default();
        for p in &plans {
            if p.outcome == FileOutcome::Created {
                stats.total.syncs += target::create_parents(&p.target.dir, durable, &mut created)?;
            }
        }
        reject_duplicates(&mut plans, true)?;
        plans.retain(|p| p.outcome != FileOutcome::Unchanged);

        // Crashed batches elsewhere are finished on a best-effort basis: their failure is not
        // this batch's. Crashed work in this batch's own directories must be settled first.
        let _ = recover::recover_pending_with(options);
        let mut dirs: Vec<PathBuf> = plans.iter().map(|p| p.dir.clone()).collect();
        dirs.sort();
        dirs.dedup();
        for dir in &dirs {
            recover::recover_directory(dir, options)?;
        }

        let id = temp::new_id();
        // One file alone cannot be half-applied, and its temporary file is swept by the next
        // write into its directory: only a real transaction needs an intent and a pointer.
        let use_intent = plans.len() > 1;
        let mut pointer = if use_intent {
            create_pointer(options, &id, &dirs)
        } else {
            None
        };
        let mut temps: BTreeMap<usize, TempFile> = BTreeMap::new();
        for (index, p) in plans.iter().enumerate() {
            if let Change::Write(contents) = &p.entry.change {
                let name = temp::temp_name(&p.target.name, Some(index), temp::BATCH_TAG, &id);
                let temp =
                    temp::write_temp(p.dir.join(name), contents, p.target.existing.as_ref())?;
                temps.insert(index, temp);
            }
        }
        finish_all(&temps, options.durability, &mut stats.total)?;
        failpoint!("batch::after_temps", &dirs[0]);

        let mut locks = Vec::with_capacity(dirs.len());
        for dir in &dirs {
            let reported = plans
                .iter()
                .find(|p| &p.dir == dir)
                .map_or(dir.as_path(), |p| p.entry.path.as_path());
            locks.push(DirectoryLock::acquire_for(
                dir,
                options.lock_timeout,
                reported,
            )?);
        }
        let mut steps = Vec::with_capacity(plans.len());
        let mut order: Vec<usize> = (0..plans.len()).collect();
        // Creations that must not clobber go first: if one finds a file there, nothing else has
        // been renamed yet and the batch can still be abandoned cleanly.
        order.sort_by_key(|&i| plans[i].entry.expected != Some(Expected::Absent));
        for &index in &order {
            let p = &plans[index];
            // `dirs` was built from these plans, so the search cannot miss.
            let dir = dirs
                .binary_search(&p.dir)
                .map_err(|_| internal(&p.entry.path, "the batch lost track of a directory"))?;
            steps.push(recheck(p, index, dir, &temps, options)?);
        }

        let mut copies: Vec<TempFile> = Vec::new();
        if use_intent {
            for own in 0..dirs.len() {
                let copy = TempFile::create(dirs[own].join(intent::copy_name(&id)))?;
                let text = intent::render(&id, &dirs, own, &steps);
                io::Write::write_all(&mut copy.file(), &text)
                    .map_err(|e| WriteError::io(copy.path(), "writing the intent record", e))?;
                if durable {
                    copy.file()
                        .sync_all()
                        .map_err(|e| WriteError::io(copy.path(), "syncing the intent record", e))?;
                    stats.total.syncs += 1;
                }
                copies.push(copy);
                if own + 1 < dirs.len() {
                    failpoint!("batch::between_intents", &dirs[own]);
                }
            }
            if let Err(e) = settle_before_renames(&locks, durable, &mut stats.total, &dirs[0]) {
                abandon(&mut copies);
                return Err(e);
            }
        }

        // The rename phase.
        let mut created_here: Vec<PathBuf> = Vec::new();
        for (done, (step, &index)) in steps.iter().zip(&order).enumerate() {
            let p = &plans[index];
            match apply(step, p, &dirs, &mut temps, index, done == 0) {
                Ok(()) => {
                    if p.entry.expected == Some(Expected::Absent) {
                        created_here.push(p.target.path.clone());
                    }
                }
                Err(e @ WriteError::Changed { .. }) => {
                    // Only no-clobber creations can fail this way, and they run first: undo the
                    // ones already made and give up with nothing changed.
                    abandon(&mut copies);
                    for path in &created_here {
                        let _ = fs::remove_file(path);
                    }
                    return Err(e);
                }
                Err(e) => {
                    if done > 0 && use_intent {
                        // Past the point of no return: keep the intent and the remaining
                        // temporary files, so recovery finishes the batch.
                        for temp in temps.values_mut() {
                            temp.disarm();
                        }
                        for copy in copies.iter_mut().chain(pointer.as_mut()) {
                            copy.disarm();
                        }
                        temp::give_up(&id);
                    } else {
                        abandon(&mut copies);
                    }
                    return Err(e);
                }
            }
            if let Step::Write { .. } = step {
                stats.total.renames += 1;
            }
        }
        created.keep();
        if durable {
            for lock in &locks {
                lock.sync()?;
                stats.total.syncs += 1;
            }
        }
        failpoint!("batch::before_intent_removal", &dirs[0]);
        // Dropping the copies removes them; the pointer goes after them.
        drop(copies);
        drop(pointer);
        drop(locks);
        stats.total.elapsed = started.elapsed();
        Ok(stats)
    }
}

/// Resolves an entry and checks it the way [`write_file`](super::write_file) does before writing.
fn plan<'a>(entry: &'a Entry, options: &WriteOptions) -> Result<Plan<'a>, WriteError> {
    match &entry.change {
        Change::Write(contents) => {
            let target = target::resolve(&entry.path)?;
            check_expected(entry.expected.as_ref(), &entry.path, &target)?;
            let outcome = match &target.existing {
                Some(meta) if target::same_content(&target.path, meta, contents)? => {
                    FileOutcome::Unchanged
                }
                Some(_) => FileOutcome::Replaced,
                None => FileOutcome::Created,
            };
            if outcome != FileOutcome::Unchanged {
                check_hard_links(&entry.path, &target, options)?;
            }
            Ok(Plan {
                entry,
                dir: target.dir.clone(),
                target,
                outcome,
            })
        }
        Change::Delete => {
            let target = deletion_target(&entry.path)?;
            check_expected(
                entry.expected.as_ref(),
                &entry.path,
                &followed(&entry.path)?,
            )?;
            Ok(Plan {
                entry,
                dir: target.dir.clone(),
                target,
                outcome: FileOutcome::Deleted,
            })
        }
    }
}

/// The path itself (not what a symlink points to), which must exist.
fn deletion_target(path: &Path) -> Result<Target, WriteError> {
    let existing = target::metadata_if_exists(path)?;
    let kind_ok = existing
        .as_ref()
        .is_some_and(|m| m.file_type().is_file() || m.file_type().is_symlink());
    if !kind_ok {
        let error = if existing.is_none() {
            io::Error::from(io::ErrorKind::NotFound)
        } else {
            io::Error::new(io::ErrorKind::InvalidInput, "not a regular file or symlink")
        };
        return Err(WriteError::io(path, "deleting", error));
    }
    let name = path
        .file_name()
        .ok_or_else(|| {
            WriteError::io(
                path,
                "deleting",
                io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
            )
        })?
        .to_owned();
    Ok(Target {
        path: path.to_owned(),
        dir: target::parent_dir(path),
        name,
        existing,
    })
}

/// What `path` leads to (following symlinks), for checking a deletion's expectation.
fn followed(path: &Path) -> Result<Target, WriteError> {
    let existing = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteError::io(path, "reading the file's metadata", e)),
    };
    Ok(Target {
        path: path.to_owned(),
        dir: target::parent_dir(path),
        name: path.file_name().unwrap_or_default().to_owned(),
        existing,
    })
}

/// Syncs every temporary file. Writeback of all of them starts first; then a few threads wait
/// on the syncs together, so concurrent fsyncs share journal commits instead of paying one each
/// in turn (on ext4 this roughly halves the time of a 100-file batch's sync phase).
fn finish_all(
    temps: &BTreeMap<usize, TempFile>,
    durability: Durability,
    stats: &mut WriteStats,
) -> Result<(), WriteError> {
    const SYNC_THREADS: usize = 4;
    /// Below this, threads cost more than they share.
    const THREADED_FROM: usize = 8;
    let all: Vec<&TempFile> = temps.values().collect();
    if durability == Durability::Fast || all.len() < THREADED_FROM {
        for temp in all {
            temp.finish(durability, stats)?;
        }
        return Ok(());
    }
    for temp in &all {
        temp.start_writeback();
    }
    let chunk = all.len().div_ceil(SYNC_THREADS);
    let results: Vec<Result<WriteStats, WriteError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = all
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut local = WriteStats::default();
                    for temp in part {
                        temp.finish(durability, &mut local)?;
                    }
                    Ok(local)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Err(WriteError::io(
                        Path::new(""),
                        "syncing the temporary files",
                        io::Error::other("a sync thread panicked"),
                    ))
                })
            })
            .collect()
    });
    for result in results {
        stats.syncs += result?.syncs;
    }
    Ok(())
}

/// Canonicalises each plan's directory (falling back to an absolute path where it does not exist
/// yet, in dry runs) and refuses two entries for the same file.
fn reject_duplicates(plans: &mut [Plan], must_exist: bool) -> Result<(), WriteError> {
    let mut seen = BTreeMap::new();
    // Batches usually put many files in few directories: resolve each directory once.
    let mut resolved: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for p in plans.iter_mut() {
        p.dir = match resolved.get(&p.target.dir) {
            Some(dir) => dir.clone(),
            None => {
                let dir = match fs::canonicalize(&p.target.dir) {
                    Ok(dir) => dir,
                    Err(e) if must_exist => {
                        return Err(WriteError::io(&p.target.dir, "resolving the directory", e))
                    }
                    Err(_) => std::path::absolute(&p.target.dir)
                        .map_err(|e| WriteError::io(&p.target.dir, "resolving the directory", e))?,
                };
                resolved.insert(p.target.dir.clone(), dir.clone());
                dir
            }
        };
        let key = p.dir.join(&p.target.name);
        if let Some(first) = seen.insert(key, &p.entry.path) {
            return Err(WriteError::io(
                &p.entry.path,
                "adding to the batch",
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("the same file as {}", first.display()),
                ),
            ));
        }
    }
    Ok(())
}

/// Under the locks: checks an entry again and turns it into its rename-phase step.
fn recheck(
    p: &Plan,
    index: usize,
    dir: usize,
    temps: &BTreeMap<usize, TempFile>,
    options: &WriteOptions,
) -> Result<Step, WriteError> {
    let current = target::metadata_if_exists(&p.target.path)?;
    match &p.entry.change {
        Change::Write(_) => {
            let now = Target {
                path: p.target.path.clone(),
                dir: p.target.dir.clone(),
                name: p.target.name.clone(),
                existing: current,
            };
            check_expected(p.entry.expected.as_ref(), &p.entry.path, &now)?;
            check_hard_links(&p.entry.path, &now, options)?;
            // Every write has its temporary file by now; an intent naming none would be wrong.
            let temp = temps
                .get(&index)
                .and_then(|t| t.path().file_name())
                .ok_or_else(|| internal(&p.entry.path, "no temporary file for this entry"))?;
            Ok(Step::Write {
                dir,
                target: p.target.name.clone(),
                temp: temp.to_owned(),
            })
        }
        Change::Delete => {
            let Some(meta) = current else {
                return Err(WriteError::Changed {
                    path: p.entry.path.clone(),
                });
            };
            check_expected(
                p.entry.expected.as_ref(),
                &p.entry.path,
                &followed(&p.entry.path)?,
            )?;
            Ok(Step::Delete {
                dir,
                target: p.target.name.clone(),
                device: meta.dev(),
                inode: meta.ino(),
            })
        }
    }
}

/// Makes the temporary files' and intent records' names durable before any rename depends on
/// them.
fn settle_before_renames(
    locks: &[DirectoryLock],
    durable: bool,
    stats: &mut WriteStats,
    first_dir: &Path,
) -> Result<(), WriteError> {
    if durable {
        for lock in locks {
            lock.sync()?;
            stats.syncs += 1;
        }
    }
    failpoint!("batch::before_renames", first_dir);
    Ok(())
}

/// An invariant of this module broke: reported, never acted on.
fn internal(path: &Path, what: &str) -> WriteError {
    WriteError::io(
        path,
        "planning the batch",
        io::Error::other(what.to_owned()),
    )
}

/// Carries out one step of the rename phase.
fn apply(
    step: &Step,
    p: &Plan,
    dirs: &[PathBuf],
    temps: &mut BTreeMap<usize, TempFile>,
    index: usize,
    first: bool,
) -> Result<(), WriteError> {
    // Inside the step, so an injected error takes the same path as a real one at that moment.
    if !first {
        failpoint!("batch::between_renames", &p.target.path);
    }
    match step {
        Step::Write { dir, target, .. } => {
            let to = dirs[*dir].join(target);
            let Some(temp) = temps.get_mut(&index) else {
                return Err(WriteError::io(
                    &to,
                    "renaming into place",
                    io::Error::other("no temporary file for this entry"),
                ));
            };
            if p.entry.expected == Some(Expected::Absent) {
                create_no_clobber(temp, &to, &p.entry.path)?;
            } else {
                fs::rename(temp.path(), &to)
                    .map_err(|e| WriteError::io(&p.entry.path, "renaming into place", e))?;
            }
            temp.disarm();
            Ok(())
        }
        Step::Delete { dir, target, .. } => {
            let path = dirs[*dir].join(target);
            match fs::remove_file(&path) {
                Ok(()) => Ok(()),
                // Removed by someone else since the check: the outcome is the same.
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(WriteError::io(&p.entry.path, "deleting", e)),
            }
        }
    }
}

/// Gives up a batch before (or instead of) its rename phase. One intent copy goes first: from
/// then on a crash is recovered by rolling back, never forward over missing temporary files.
/// (Temporary files and the pointer go when their guards drop, after this.)
fn abandon(copies: &mut Vec<TempFile>) {
    // Dropping a copy removes it; in order, so the first one goes first.
    for copy in copies.drain(..) {
        drop(copy);
    }
}

/// The batch's entry in the pending list (see `intent.rs`), held locked while the batch lives and
/// removed when it is dropped. Best-effort: without a state directory there is none.
fn create_pointer(options: &WriteOptions, id: &str, dirs: &[PathBuf]) -> Option<TempFile> {
    let pending = intent::pending_dir(options)?;
    fs::create_dir_all(&pending).ok()?;
    let pointer = TempFile::create(pending.join(id)).ok()?;
    let mut text = Vec::new();
    for dir in dirs {
        intent::escape(&mut text, dir.as_os_str().as_bytes());
        text.push(b'\n');
    }
    io::Write::write_all(&mut pointer.file(), &text).ok()?;
    Some(pointer)
}
