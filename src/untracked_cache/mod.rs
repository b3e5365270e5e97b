//! git's untracked cache (`core.untrackedCache`, the index's `UNTR` extension) read as `git status`
//! reads it, for the one case where reading it is all git does.
//!
//! For every directory its last walk went through, git keeps the directory's stat data, the id of
//! its `.gitignore` and the untracked names found in it. A later `git status` trusts a directory
//! whose stat data and `.gitignore` are unchanged and takes its names without reading it. The
//! rules followed here are git's `dir.c` (the same in git 2.39 and 2.47): `validate_untracked_cache`
//! (the cache's place, `-u` mode and global exclude files), `valid_cached_dir` (a directory's stat
//! data, not racily clean against the index), `prep_exclude` and `add_patterns` (a directory's
//! `.gitignore` id), and `read_cached_dir` with `treat_path_fast` (what a trusted directory lists).
//!
//! The cache is used here only where git would trust every directory it visits: git then opens no
//! directory and rewrites nothing, so listing the cached names is the whole of its work. Any other
//! case — a directory changed, a `.gitignore` edited, another `info/exclude`, a cache made for
//! another place or `-u` mode, anything git would warn about — gives `None`, and the caller lets
//! git run: git updates the cache and rewrites the index, and that side effect stays git's own.
//! Every check may be stricter than git's (a directory git would still trust may be refused), never
//! looser.

mod convert;
mod exclude_files;
mod walk;

use gix::bstr::{BString, ByteSlice as _};

/// git's `DIR_SHOW_OTHER_DIRECTORIES | DIR_HIDE_EMPTY_DIRECTORIES` (`dir.h`): the flags
/// `git status` walks with unless it shows every untracked file (`wt_status_collect_untracked`).
const COLLAPSED_DIRECTORY_FLAGS: u32 = (1 << 1) | (1 << 2);

/// The untracked paths `git status` lists in `mode` (directories with a trailing `/`, sorted, each
/// once), read from the index's untracked cache; `None` where git would not take them from the
/// cache as it stands (see the module documentation). `index` is the index git would read.
///
/// With `-uno` git does not read the cache, but on reading the index it replaces a cache made
/// for another place and rewrites the index: that too gives `None`, and a cache in place gives no
/// paths.
pub fn untracked_paths(
    repo: &gix::Repository,
    index: &gix::index::State,
    mode: gix::status::UntrackedFiles,
) -> anyhow::Result<Option<Vec<BString>>> {
    let (Some(cache), Some(workdir)) = (index.untracked(), repo.workdir()) else {
        return Ok(None);
    };
    if !is_here(cache, workdir) {
        return Ok(None);
    }
    let flags = match mode {
        gix::status::UntrackedFiles::None => return Ok(Some(Vec::new())),
        gix::status::UntrackedFiles::Collapsed => COLLAPSED_DIRECTORY_FLAGS,
        gix::status::UntrackedFiles::Files => 0,
    };
    // git_env_bool("GIT_DISABLE_UNTRACKED_CACHE"): set at all, git may walk without the cache.
    if std::env::var_os("GIT_DISABLE_UNTRACKED_CACHE").is_some()
        // Case-folded index lookups are not modelled here.
        || repo.config_snapshot().boolean("core.ignoreCase").unwrap_or(false)
        || cache.exclude_filename_per_dir() != ".gitignore"
        || cache.dir_flags() != flags
        // A cache without its root directory: git creates it and rewrites the index.
        || cache.directories().is_empty()
    {
        return Ok(None);
    }
    let Some(global) = exclude_files::Global::of(repo, workdir)? else {
        return Ok(None);
    };
    if global.info_exclude != cache.info_exclude().map(|id| id.id())
        || global.excludes_file != cache.excludes_file().map(|id| id.id())
    {
        return Ok(None);
    }
    let Some(listed) = walk::trusted_listing(repo, index, cache, workdir)? else {
        return Ok(None);
    };
    Ok(Some(not_in_index(index, listed)))
}

/// Whether the cache was made for this work tree on this kind of system: git compares the
/// cache's identifier with `Location <work tree>, system <uname's sysname>` (`ident_in_untracked`,
/// up to the first NUL: older versions kept several NUL-separated identifiers) and ignores the
/// cache, with a warning, when they differ. git's work tree is its real path.
fn is_here(cache: &gix::index::extension::UntrackedCache, workdir: &std::path::Path) -> bool {
    let Ok(real) = std::fs::canonicalize(workdir) else {
        return false;
    };
    let system = rustix::system::uname();
    let mut expected = b"Location ".to_vec();
    expected.extend_from_slice(real.as_os_str().as_encoded_bytes());
    expected.extend_from_slice(b", system ");
    expected.extend_from_slice(system.sysname().to_bytes());
    let stored = cache.identifier();
    let first = stored.split_str("\0").next().unwrap_or_default();
    first == expected.as_slice()
}

/// `wt_status_collect_untracked`: a listed name that is in the index (at any stage; a directory
/// name without its `/`) is not untracked; the rest sorted, each once.
fn not_in_index(index: &gix::index::State, mut listed: Vec<BString>) -> Vec<BString> {
    listed.retain(|path| {
        let bare = path.strip_suffix(b"/").unwrap_or(path.as_slice());
        index.entry_index_by_path(bare.as_bstr()).is_err()
    });
    listed.sort();
    listed.dedup();
    listed
}
