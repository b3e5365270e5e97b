//! Reading the index as git reads it: without hashing the whole file first.
//!
//! git checks the index's trailing checksum only under `git fsck` (`verify_hdr()` in git's
//! `read-cache.c` returns early unless `verify_index_checksum` is set, and only fsck sets it). gix
//! verifies it on every load unless `index.skipHash` is set, and that key also makes gix *write*
//! a null checksum, which would change git's side effect. So the file is loaded here with the
//! check skipped, and every later write still follows the repository's own `index.skipHash`.
//! On a 1,200-file index the check was a quarter of `git-rtk-status`'s instructions.

use std::os::unix::fs::MetadataExt as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

use anyhow::Context as _;
use gix::config::tree::Index as IndexKey;

/// The last index read by this process, with the file's identity when it was read.
struct Cached {
    path: PathBuf,
    modified: SystemTime,
    len: u64,
    /// git replaces the index by renaming a new file over it: a new inode even within one tick.
    inode: u64,
    index: gix::worktree::Index,
}

/// A read command looks at the index from several places and threads (plainness check,
/// HEAD → index, index → work tree); it is decoded once per run unless the file changes.
static LAST: Mutex<Option<Cached>> = Mutex::new(None);

/// The repository's index as a shared snapshot, or an empty one where the file does not exist
/// yet (a new repository), as `Repository::index_or_empty` returns it. Read again when the file's
/// inode, modification time or length changed since this process last read it.
pub fn index_or_empty(repo: &gix::Repository) -> anyhow::Result<gix::worktree::Index> {
    let path = repo.index_path();
    let Ok(meta) = std::fs::metadata(&path) else {
        return load(repo);
    };
    let identity = (meta.modified().ok(), meta.len(), meta.ino());
    let hit = LAST.lock().ok().and_then(|last| {
        last.as_ref()
            .filter(|c| c.path == path && (Some(c.modified), c.len, c.inode) == identity)
            .map(|c| c.index.clone())
    });
    if let Some(index) = hit {
        return Ok(index);
    }
    match map(repo)? {
        Some(mapped) => decode_and_keep(repo, &mapped),
        None => Ok(repo.index_or_empty()?),
    }
}

/// Reads the index file now, bypassing the cache: for callers that compare the index before and
/// after git changed it.
pub fn load(repo: &gix::Repository) -> anyhow::Result<gix::worktree::Index> {
    match map(repo)? {
        Some(mapped) => decode(repo, &mapped),
        // No index yet: gix's own empty one, tied to the path a later write will use.
        None => Ok(repo.index_or_empty()?),
    }
}

/// An index file mapped into memory, with the identity [`index_or_empty`] knows it by. gix decodes
/// it ([`decode_and_keep`]) while the preload reads the same bytes (`crate::worktree_status`).
pub struct Mapped {
    path: PathBuf,
    bytes: memmap2::Mmap,
    /// The file's modification time, against which racily clean entries are found.
    timestamp: filetime::FileTime,
    identity: (Option<SystemTime>, u64, u64),
}

impl Mapped {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn timestamp(&self) -> filetime::FileTime {
        self.timestamp
    }

    /// `bytes` as if mapped from a file, for tests of what reads them.
    #[cfg(test)]
    pub fn in_memory(bytes: &[u8]) -> Mapped {
        let mut map = memmap2::MmapMut::map_anon(bytes.len()).expect("anonymous map");
        map.copy_from_slice(bytes);
        let map = map.make_read_only().expect("read-only map");
        Mapped {
            path: PathBuf::from("index"),
            bytes: map,
            timestamp: filetime::FileTime::zero(),
            identity: (None, bytes.len() as u64, 0),
        }
    }
}

/// The repository's index file, mapped; `None` where it does not exist yet.
pub fn map(repo: &gix::Repository) -> anyhow::Result<Option<Mapped>> {
    let path = repo.index_path();
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!("reading {}", path.display())))
        }
    };
    // SAFETY: git never writes into an index file in place: it renames a new one over it, so the
    // mapped bytes stay those of the file opened (gix-index maps it the same way).
    let bytes = unsafe { memmap2::MmapOptions::new().map_copy_read_only(&file) }
        .with_context(|| format!("reading {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(Some(Mapped {
        timestamp: filetime::FileTime::from_last_modification_time(&meta),
        identity: (meta.modified().ok(), meta.len(), meta.ino()),
        path,
        bytes,
    }))
}

/// Decodes `mapped` as gix's `File::at` would read its file, and keeps it as the index
/// [`index_or_empty`] hands out while the file is unchanged: known by the identity of the file
/// mapped, so a file replaced between the check and the read is read again next time.
pub fn decode_and_keep(
    repo: &gix::Repository,
    mapped: &Mapped,
) -> anyhow::Result<gix::worktree::Index> {
    let index = decode(repo, mapped)?;
    if let (Some(modified), len, inode) = mapped.identity {
        if let Ok(mut last) = LAST.lock() {
            *last = Some(Cached {
                path: mapped.path.clone(),
                modified,
                len,
                inode,
                index: index.clone(),
            });
        }
    }
    Ok(index)
}

/// `File::at` (gix-index 0.58, `src/file/init.rs`) over bytes already mapped: the same decode with
/// the checksum unchecked, and a split index read by gix itself, which completes it from the
/// shared index (where `core.splitIndex` is set, without a first decode of the mapped file).
fn decode(repo: &gix::Repository, mapped: &Mapped) -> anyhow::Result<gix::worktree::Index> {
    let thread_limit = repo
        .config_snapshot()
        .string(IndexKey::THREADS)
        .and_then(|value| {
            IndexKey::THREADS
                .try_into_index_threads(value.as_ref() as &gix::bstr::BStr)
                .ok()
        });
    let options = gix::index::decode::Options {
        thread_limit,
        ..Default::default()
    };
    let reading = || format!("reading {}", mapped.path.display());
    let by_gix = || {
        gix::index::File::at(&mapped.path, repo.object_hash(), true, options)
            .map_err(|err| anyhow::anyhow!("{err}").context(reading()))
    };
    if split_index_configured(repo) {
        return Ok(gix::worktree::Index::new(gix::fs::FileSnapshot::new(
            by_gix()?,
        )));
    }
    let (state, _checksum) =
        gix::index::State::from_bytes(&mapped.bytes, mapped.timestamp, repo.object_hash(), options)
            .map_err(|err| anyhow::anyhow!("{err}").context(reading()))?;
    // An index split by hand, without the setting: decoded again by gix.
    let file = if state.link().is_some() {
        by_gix()?
    } else {
        gix::index::File::from_state(state, mapped.path.clone())
    };
    Ok(gix::worktree::Index::new(gix::fs::FileSnapshot::new(file)))
}

/// The entry count in an index file's header (`DIRC`, version, count, all big-endian), read
/// from its first 12 bytes; `None` for anything that is not an index.
pub fn header_entries(header: &[u8]) -> Option<u32> {
    if header.get(..4)? != b"DIRC" {
        return None;
    }
    Some(u32::from_be_bytes(header.get(8..12)?.try_into().ok()?))
}

/// The entry count in the header of the index file at `path` ([`header_entries`]), read from
/// its first 12 bytes alone.
pub fn file_header_entries(path: &std::path::Path) -> Option<u32> {
    use std::io::Read as _;
    let mut header = [0u8; 12];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    header_entries(&header)
}

/// Whether `core.splitIndex` is set: git then writes the index in two files, the one at
/// `index_path()` linking to a shared one (`sharedindex.<id>` beside it).
pub fn split_index_configured(repo: &gix::Repository) -> bool {
    repo.config_snapshot()
        .boolean("core.splitIndex")
        .unwrap_or(false)
}
