//! The cached directories, checked as git checks each one before trusting it, and the names the
//! trusted tree lists.

use std::os::fd::AsFd as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use gix::bstr::{BStr, BString, ByteSlice as _};
use gix::index::extension::untracked_cache::Directory;

use super::convert::Conversions;
use super::exclude_files;

/// What the cache lists when git would trust every directory of it; `None` otherwise.
pub fn trusted_listing(
    repo: &gix::Repository,
    index: &gix::index::State,
    cache: &gix::index::extension::UntrackedCache,
    workdir: &Path,
) -> anyhow::Result<Option<Vec<BString>>> {
    let directories = cache.directories();
    let Some(paths) = directory_paths(directories) else {
        return Ok(None);
    };
    let mut listed = Vec::new();
    if list(directories, &paths, 0, false, &mut listed).is_none() {
        return Ok(None);
    }
    if !stat_data_unchanged(directories, &paths, workdir, index.timestamp()) {
        return Ok(None);
    }
    let mut conversions = Conversions::new(repo, index);
    for (directory, path) in directories.iter().zip(&paths) {
        // git reads a trusted directory's `.gitignore` only where one was there before: a new one
        // would have changed the directory's stat data.
        let Some(cached) = directory.exclude_file_oid() else {
            continue;
        };
        let mut file = path.clone();
        file.extend_from_slice(b".gitignore");
        let found = exclude_files::directory_file_id(
            repo,
            index,
            workdir,
            file.as_bstr(),
            &mut conversions,
        )?;
        if found != Some(Some(cached)) {
            return Ok(None);
        }
    }
    Ok(Some(listed))
}

/// Each directory's path from the work tree's top, `""` for the root and `a/b/` below it; `None`
/// for a cache whose tree git could not have written (a directory listed twice or before its
/// parent, a name that is not one path component).
fn directory_paths(directories: &[Directory]) -> Option<Vec<BString>> {
    let mut paths: Vec<Option<BString>> = vec![None; directories.len()];
    *paths.first_mut()? = Some(BString::default());
    for (at, directory) in directories.iter().enumerate() {
        let parent = paths[at].clone()?;
        for &sub in directory.sub_directories() {
            let name = directories.get(sub)?.name();
            if sub <= at
                || paths[sub].is_some()
                || name.is_empty()
                || name.contains(&b'/')
                || name.contains(&0)
                || name == "."
                || name == ".."
            {
                return None;
            }
            let mut path = parent.clone();
            path.extend_from_slice(name);
            path.push(b'/');
            paths[sub] = Some(path);
        }
    }
    paths.into_iter().collect()
}

/// Walks the trusted tree as `read_directory_recursive` walks it from the cache (`read_cached_dir`
/// gives the subdirectories first, then the untracked names; `treat_path_fast` decides), pushing
/// what it lists to `out`. Returns whether the directory holds anything untracked (what a
/// check-only walk asks), or `None` where git would not trust a directory: one made by a walk of
/// the other kind (`valid_cached_dir` compares `check_only`).
///
/// A check-only directory is one git only looked into to see whether it holds anything untracked
/// (with `-unormal` an untracked directory is shown as `dir/`): its walk stops at the first
/// untracked entry and lists nothing itself; if it found one, its parent lists `dir/`.
fn list(
    directories: &[Directory],
    paths: &[BString],
    at: usize,
    check_only: bool,
    out: &mut Vec<BString>,
) -> Option<bool> {
    let directory = directories.get(at)?;
    if directory.check_only() != check_only {
        return None;
    }
    for &sub in directory.sub_directories() {
        let sub_check_only = directories.get(sub)?.check_only();
        // A subdirectory that is not check-only is walked in its parent's mode.
        let has_untracked = list(directories, paths, sub, sub_check_only || check_only, out)?;
        if sub_check_only && has_untracked {
            if check_only {
                return Some(true);
            }
            out.push(paths.get(sub)?.clone());
        }
    }
    let names = directory.untracked_entries();
    if check_only {
        return Some(!names.is_empty());
    }
    let prefix = paths.get(at)?;
    for name in names {
        let mut path = prefix.clone();
        path.extend_from_slice(name);
        out.push(path);
    }
    Some(!names.is_empty())
}

/// Whether every directory's stat data is as cached and not racily clean (`valid_cached_dir`):
/// checked on one thread per core, stopping at the first change. A directory whose mtime is not
/// older than the index file's second may have changed after git cached it within that second;
/// git, built without `USE_NSEC` on Linux, distrusts it, and so does this check.
fn stat_data_unchanged(
    directories: &[Directory],
    paths: &[BString],
    workdir: &Path,
    index_timestamp: filetime::FileTime,
) -> bool {
    let Ok(root) = std::fs::File::open(workdir) else {
        return false;
    };
    let index_second = index_timestamp.unix_seconds() as u32;
    let changed = AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = directories.len().div_ceil(threads).max(1);
    let check = |directories: &[Directory], paths: &[BString]| {
        for (directory, path) in directories.iter().zip(paths) {
            if changed.load(Ordering::Relaxed) {
                return;
            }
            if !is_unchanged(root.as_fd(), directory, path.as_bstr(), index_second) {
                changed.store(true, Ordering::Relaxed);
                return;
            }
        }
    };
    std::thread::scope(|scope| {
        let mut parts = directories.chunks(chunk).zip(paths.chunks(chunk));
        let first = parts.next();
        for (directories, paths) in parts {
            scope.spawn(move || check(directories, paths));
        }
        if let Some((directories, paths)) = first {
            check(directories, paths);
        }
    });
    !changed.load(Ordering::Relaxed)
}

/// One directory as `valid_cached_dir` checks it: `lstat` of its path with the trailing slash git
/// gives it, against the cached stat data, every field git may compare (nanoseconds and ctime
/// too: a stricter check only sends more runs to git).
fn is_unchanged(
    root: std::os::fd::BorrowedFd<'_>,
    directory: &Directory,
    path: &BStr,
    index_second: u32,
) -> bool {
    let Some(cached) = directory.stat() else {
        return false;
    };
    if index_second != 0 && index_second <= cached.mtime.secs {
        return false;
    }
    let at: &[u8] = if path.is_empty() { b"." } else { path };
    let Some(mut found) = rustix::fs::statat(root, at, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)
        .ok()
        .and_then(|raw| crate::worktree_status::recorded_stat(&raw))
    else {
        return false;
    };
    // git's build compares no device.
    found.dev = cached.dev;
    found == *cached
}
