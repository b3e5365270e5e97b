//! Temporary files and the other short-lived files a write leaves in a target's directory: how
//! they are named, created, filled, and how a later writer tells a crashed writer's leftovers from
//! a live writer's files.
//!
//! Names (all hidden, all in the target's own directory so the rename never crosses a file system):
//! - `.<name>.rtk-tmp.<pid>.<unique>`: the temporary file of a single write;
//! - `.<name>.rtk-batch.<pid>.<unique>`: a temporary file of a batch, `<pid>.<unique>` being the
//!   batch id;
//! - `.rtk-intent.<pid>.<unique>`: a batch's intent record (see `batch.rs`).
//!
//! A live writer holds an `flock` on each of its files for as long as they exist. A file is
//! abandoned when nobody holds that lock *and* either the process named in it is gone or it is
//! older than [`ABANDONED_AFTER`] (the age rule covers a recycled pid; the pid rule covers the
//! instant between creating a file and locking it). Where `flock` does not work, only the pid and
//! a much longer age decide.

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{failpoint, sys, Durability, WriteError, WriteStats};

pub(crate) const SINGLE_TAG: &str = "rtk-tmp";
pub(crate) const BATCH_TAG: &str = "rtk-batch";
pub(crate) const INTENT_PREFIX: &str = ".rtk-intent.";

/// An unlocked leftover older than this is abandoned even if its pid now names a live process.
pub(crate) const ABANDONED_AFTER: Duration = Duration::from_secs(60);
/// The same where `flock` is unavailable and a live writer's files can't be told apart by lock.
const ABANDONED_AFTER_WITHOUT_LOCKS: Duration = Duration::from_secs(24 * 60 * 60);

/// Longest part of the target's name kept in a temporary name, so the temporary name stays
/// within NAME_MAX (255) whatever the target is called.
const MAX_NAME_IN_TEMP: usize = 120;

/// A fresh `<pid>.<unique>` id: the pid lets a sweeper see that the writer is gone; time and a
/// per-process counter keep ids unique across threads and recycled pids.
pub(crate) fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let seq = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}.{nanos:x}{seq:04x}", std::process::id())
}

/// What kind of leftover a directory entry is, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Artifact {
    SingleTemp { pid: u32 },
    BatchTemp { id: String, pid: u32 },
    Intent { id: String, pid: u32 },
}

/// Parses `<pid>.<hex>`.
fn parse_id(id: &str) -> Option<u32> {
    let (pid, unique) = id.split_once('.')?;
    if pid.is_empty() || unique.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !unique.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    pid.parse().ok()
}

/// Recognises our own leftovers by name; anything else is `None` and never touched.
pub(crate) fn classify(name: &OsStr) -> Option<Artifact> {
    let name = name.to_str()?;
    if let Some(id) = name.strip_prefix(INTENT_PREFIX) {
        let pid = parse_id(id)?;
        return Some(Artifact::Intent {
            id: id.to_owned(),
            pid,
        });
    }
    if !name.starts_with('.') {
        return None;
    }
    for (tag, batch) in [(SINGLE_TAG, false), (BATCH_TAG, true)] {
        let marker = format!(".{tag}.");
        if let Some(at) = name.rfind(&marker) {
            let id = &name[at + marker.len()..];
            let pid = parse_id(id)?;
            return Some(if batch {
                Artifact::BatchTemp {
                    id: id.to_owned(),
                    pid,
                }
            } else {
                Artifact::SingleTemp { pid }
            });
        }
    }
    None
}

/// `.<name>.<tag>.<id>`, or `.<name>.<index>.<tag>.<id>` for a batch's `index`th file (the
/// index keeps two long names that share their first bytes apart).
pub(crate) fn temp_name(
    target_name: &OsStr,
    index: Option<usize>,
    tag: &str,
    id: &str,
) -> OsString {
    let bytes = target_name.as_bytes();
    let mut keep = bytes.len().min(MAX_NAME_IN_TEMP);
    // Cut on a UTF-8 boundary when the name is UTF-8, so a leftover still reads well in `ls`.
    if let Ok(text) = std::str::from_utf8(bytes) {
        while !text.is_char_boundary(keep) {
            keep -= 1;
        }
    }
    let mut name = Vec::with_capacity(keep + tag.len() + id.len() + 3);
    name.push(b'.');
    name.extend_from_slice(&bytes[..keep]);
    if let Some(index) = index {
        name.extend_from_slice(format!(".{index}").as_bytes());
    }
    name.push(b'.');
    name.extend_from_slice(tag.as_bytes());
    name.push(b'.');
    name.extend_from_slice(id.as_bytes());
    OsString::from_vec(name)
}

/// A file we created and hold locked; removed on drop unless it was renamed into place.
#[derive(Debug)]
pub(crate) struct TempFile {
    path: PathBuf,
    file: File,
    armed: bool,
}

impl TempFile {
    /// Creates `path` exclusively with mode 0666 under the umask (what a plain `open(O_CREAT)`
    /// gives; an existing target's mode is copied over later), and locks it.
    pub fn create(path: PathBuf) -> Result<TempFile, WriteError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&path)
            .map_err(|e| WriteError::io(&path, "creating the temporary file", e))?;
        // From here on a failure removes the file.
        let temp = TempFile {
            path,
            file,
            armed: true,
        };
        sys::lock_exclusive(&temp.file)
            .map_err(|e| WriteError::io(&temp.path, "locking the temporary file", e))?;
        Ok(temp)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn file(&self) -> &File {
        &self.file
    }

    /// The file now lives under another name (renamed into place): nothing to clean up.
    pub fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Creates the temporary file `path` and fills it: owner and mode copied from `existing`,
/// `contents` written. Not yet synced (see [`TempFile::finish`]), so a batch can start the
/// writeback of all its files before waiting for any. Failpoints mark each window a crash can
/// hit.
pub(crate) fn write_temp(
    path: PathBuf,
    contents: &[u8],
    existing: Option<&Metadata>,
) -> Result<TempFile, WriteError> {
    let temp = TempFile::create(path)?;
    failpoint!("write::after_temp_create", temp.path());
    if let Some(existing) = existing {
        copy_owner_and_mode(&temp, existing)?;
    }
    // One write call for the whole buffer is the cheapest "buffered" write: the content is
    // already in memory, so a BufWriter would only copy it. Crash tests split it in two, to
    // crash with exactly half of it written.
    #[cfg(feature = "failpoints")]
    let (first, rest) = contents.split_at(contents.len() / 2);
    #[cfg(not(feature = "failpoints"))]
    let (first, rest) = (contents, &[][..]);
    (&temp.file)
        .write_all(first)
        .map_err(|e| WriteError::io(temp.path(), "writing the temporary file", e))?;
    failpoint!("write::mid_write", temp.path());
    if !rest.is_empty() {
        (&temp.file)
            .write_all(rest)
            .map_err(|e| WriteError::io(temp.path(), "writing the temporary file", e))?;
    }
    Ok(temp)
}

impl TempFile {
    /// Asks the kernel to start writing the file's data out now, without waiting. A batch does
    /// this for every file before syncing the first, so the syncs that follow find the data
    /// (and, on ext4, the block allocations of every file in one journal commit) already on
    /// their way instead of paying one commit each.
    pub fn start_writeback(&self) {
        sys::start_writeback(&self.file);
    }

    /// Makes the content durable (when asked to): the last step before the rename.
    pub fn finish(&self, durability: Durability, stats: &mut WriteStats) -> Result<(), WriteError> {
        failpoint!("write::before_sync", self.path());
        if durability == Durability::Durable {
            // fsync rather than fdatasync: the copied mode and owner must be as durable as the
            // data.
            self.file
                .sync_all()
                .map_err(|e| WriteError::io(self.path(), "syncing the temporary file", e))?;
            stats.syncs += 1;
        }
        Ok(())
    }
}

/// Gives the temporary file the replaced file's owner (where permitted) and mode.
fn copy_owner_and_mode(temp: &TempFile, existing: &Metadata) -> Result<(), WriteError> {
    let ours = temp
        .file
        .metadata()
        .map_err(|e| WriteError::io(temp.path(), "reading the temporary file's metadata", e))?;
    if (ours.uid(), ours.gid()) != (existing.uid(), existing.gid()) {
        // Only root may give a file away; an owner may still set a group it belongs to. EPERM
        // leaves the file ours, as any editor's save would.
        let full =
            std::os::unix::fs::fchown(&temp.file, Some(existing.uid()), Some(existing.gid()));
        if let Err(e) = full {
            if e.raw_os_error() != Some(libc::EPERM) {
                return Err(WriteError::io(temp.path(), "copying the owner", e));
            }
            match std::os::unix::fs::fchown(&temp.file, None, Some(existing.gid())) {
                Err(e) if e.raw_os_error() != Some(libc::EPERM) => {
                    return Err(WriteError::io(temp.path(), "copying the group", e))
                }
                _ => {}
            }
        }
    }
    // After fchown, which clears set-id bits. Skipped when the umask already gave the same mode
    // (the common case), which saves dirtying the inode again before its sync.
    let mode = existing.mode() & 0o7777;
    if ours.mode() & 0o7777 == mode && (ours.uid(), ours.gid()) == (existing.uid(), existing.gid())
    {
        return Ok(());
    }
    temp.file
        .set_permissions(fs::Permissions::from_mode(mode))
        .map_err(|e| WriteError::io(temp.path(), "copying the mode", e))
}

/// A leftover whose writer is gone. While this lives, it holds the leftover's lock (where the
/// file could be opened and locked), so no other sweeper acts on it at the same time.
#[derive(Debug)]
pub(crate) struct Abandoned {
    _lock: Option<File>,
}

/// Batches this process gave up in their rename phase (an I/O error past the point of no return).
/// Their files carry our own, live pid, yet nobody will finish them but a recoverer.
static GIVEN_UP: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Marks batch `id` as abandoned by this process, so the next recovery finishes it at once.
pub(crate) fn give_up(id: &str) {
    GIVEN_UP
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(id.to_owned());
}

fn given_up(id: &str) -> bool {
    GIVEN_UP
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .contains(id)
}

/// Whether the leftover at `path`, named as written by process `pid` (for batch files: batch
/// `id`), belongs to a writer that is gone.
pub(crate) fn claim_abandoned(
    path: &Path,
    pid: u32,
    id: Option<&str>,
) -> Result<Option<Abandoned>, WriteError> {
    let opened = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let (file, meta, locked) = match opened {
        Ok(file) => {
            let meta = file
                .metadata()
                .map_err(|e| WriteError::io(path, "reading a leftover's metadata", e))?;
            if !meta.is_file() {
                return Ok(None);
            }
            match sys::try_lock_exclusive(&file) {
                Ok(true) => (Some(file), meta, true),
                // A live writer holds it.
                Ok(false) => return Ok(None),
                // No flock here (some network file systems): fall back to pid and age.
                Err(_) => (Some(file), meta, false),
            }
        }
        // Gone meanwhile (another sweeper, or the writer renamed it): nothing to do.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // A symlink or FIFO that merely looks like ours: not ours.
        Err(e) if matches!(e.raw_os_error(), Some(libc::ELOOP) | Some(libc::ENXIO)) => {
            return Ok(None)
        }
        // Unreadable (another user's file): pid and age still tell.
        Err(_) => match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => (None, meta, false),
            _ => return Ok(None),
        },
    };
    let age = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .unwrap_or_default();
    let limit = if locked {
        ABANDONED_AFTER
    } else {
        ABANDONED_AFTER_WITHOUT_LOCKS
    };
    let writer_gone = id.is_some_and(given_up) || !sys::process_exists(pid) || age > limit;
    if !writer_gone {
        return Ok(None);
    }
    Ok(Some(Abandoned { _lock: file }))
}
