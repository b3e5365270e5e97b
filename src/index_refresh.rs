//! Writing refreshed stat data back to the index, as git does opportunistically after a status
//! or diff: it keeps the next run from re-hashing racily clean files.

/// gix writes index versions 2 and 3 without the split-index, untracked-cache, fsmonitor and
/// resolve-undo extensions: rewriting an index that has them would drop data.
pub fn is_rewritable(index: &gix::index::State) -> bool {
    matches!(
        index.version(),
        gix::index::Version::V2 | gix::index::Version::V3
    ) && index.link().is_none()
        && index.untracked().is_none()
        && index.fs_monitor().is_none()
        && index.resolve_undo().is_none()
        && !index.is_sparse()
}
