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
    let index = load(repo)?;
    if let (Some(modified), len, inode) = identity {
        if let Ok(mut last) = LAST.lock() {
            *last = Some(Cached {
                path,
                modified,
                len,
                inode,
                index: index.clone(),
            });
        }
    }
    Ok(index)
}

/// Reads the index file now, bypassing the cache: for callers that compare the index before and
/// after git changed it.
pub fn load(repo: &gix::Repository) -> anyhow::Result<gix::worktree::Index> {
    let path = repo.index_path();
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
    match gix::index::File::at(&path, repo.object_hash(), true, options) {
        Ok(file) => Ok(gix::worktree::Index::new(gix::fs::FileSnapshot::new(file))),
        // No index yet: gix's own empty one, tied to the path a later write will use.
        Err(_) if !path.exists() => Ok(repo.index_or_empty()?),
        Err(err) => Err(anyhow::anyhow!("{err}").context(format!("reading {}", path.display()))),
    }
}

/// gix's status over [`index_or_empty`]'s index, with worker threads only for a large index
/// (see [`crate::worktree_status`]).
pub fn status_platform(
    repo: &gix::Repository,
) -> anyhow::Result<gix::status::Platform<'_, gix::progress::Discard>> {
    let index = index_or_empty(repo)?;
    let small = !crate::worktree_status::is_large(&index);
    Ok(repo
        .status(gix::progress::Discard)?
        .index(index.into())
        .index_worktree_options_mut(|options| {
            if small {
                options.thread_limit = Some(1);
            }
        }))
}
