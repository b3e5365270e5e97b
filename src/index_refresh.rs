//! Writing refreshed stat data back to the index, as git does opportunistically after a status
//! or diff: it keeps the next run from re-hashing racily clean files.

/// Writes the stat data a status run refreshed, when there is any and the index can be rewritten
/// losslessly. A held `index.lock` is not an error: git skips the write then too. `false` where
/// git would rewrite the index (stat data refreshed, racily clean entries) and it cannot be
/// rewritten here: the run is then git's to make.
#[must_use]
pub fn write_back(outcome: Option<&mut gix::status::Outcome>) -> bool {
    let Some(outcome) = outcome else {
        return true;
    };
    if !is_rewritable(&outcome.worktree_index) {
        return !outcome.has_changes() && !git_rewrites_for_racy_entries(&outcome.worktree_index);
    }
    if outcome.has_changes() {
        let _ = outcome.write_changes();
    }
    true
}

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

/// Whether git would rewrite `index` after a status for its racily clean entries alone
/// (`has_racy_timestamp` in git's `read-cache.c`, checked by `repo_update_index_if_able`): an
/// entry other than a gitlink modified in or after the index file's second. git, built without
/// `USE_NSEC` on Linux, compares seconds only.
pub fn git_rewrites_for_racy_entries(index: &gix::index::State) -> bool {
    let second = index.timestamp().unix_seconds() as u32;
    second != 0
        && index.entries().iter().any(|entry| {
            entry.mode != gix::index::entry::Mode::COMMIT && second <= entry.stat.mtime.secs
        })
}
