//! The changes of a status on a repository where git keeps the untracked cache
//! ([`crate::git_acceleration`]), read in-process where git would read that cache and write
//! nothing: the untracked files listed from the cache ([`crate::untracked_cache`]), the rest
//! compared as everywhere else ([`super::collect_all_changes`]'s parts).
//!
//! `git status` rewrites the index when reading it changes something: stat data refreshed, a
//! racily clean entry, a cache directory it had to read again, or its configuration asking for
//! another form of index (`tweak_untracked_cache`, `tweak_split_index`, `tweak_fsmonitor` in
//! git's `read-cache.c` and `repository.c`). Each of those gives `None` here, and git serves the
//! status ([`super::from_git`]) with its side effect.

use super::{
    head_tree, record_index_worktree, record_staged, staged_beside, Changes, StatusRequest,
};

/// The changes, or `None` where git would rewrite the index or not read it from the cache.
pub(super) fn collect(
    repo: &gix::Repository,
    request: &StatusRequest,
) -> anyhow::Result<Option<Changes>> {
    // git trusts the cache for the whole tree only, and not while it lists ignored files
    // (`validate_untracked_cache`); renames off is not served in-process.
    if !request.pathspecs.is_empty() || request.ignored || !request.renames {
        return Ok(None);
    }
    let accelerations = crate::git_acceleration::Accelerations::of(repo);
    if accelerations.fsmonitor || !accelerations.untracked_cache {
        return Ok(None);
    }
    let index = crate::index_read::index_or_empty(repo)?;
    if !index_form_kept(repo, &index) {
        return Ok(None);
    }
    let mode = crate::worktree_status::untracked_mode(repo, request.untracked)?;
    let submodules = gix::status::Submodule::AsConfigured { check_dirty: false };
    // HEAD against the index on a thread of its own, beside the cache's checks and the work tree.
    let (staged, found) = staged_beside(repo, head_tree(repo)?, || {
        untracked_and_worktree(repo, &index, mode, submodules)
    });
    let Some((untracked, worktree)) = found? else {
        return Ok(None);
    };
    let mut changes = Changes::default();
    for change in staged? {
        record_staged(&mut changes, change);
    }
    for item in worktree {
        record_index_worktree(&mut changes, item);
    }
    changes.untracked = untracked;
    Ok(Some(changes))
}

type Found = (
    Vec<gix::bstr::BString>,
    Vec<gix::status::index_worktree::Item>,
);

/// The untracked files from the cache, then the index against the work tree; the cache first,
/// as its checks are cheaper and refuse more often.
fn untracked_and_worktree(
    repo: &gix::Repository,
    index: &gix::worktree::Index,
    mode: gix::status::UntrackedFiles,
    submodules: gix::status::Submodule,
) -> anyhow::Result<Option<Found>> {
    // A cache that cannot be read here (a configuration or attribute file gix refuses, say) is
    // git's to read: it decides what to warn about.
    let Ok(Some(untracked)) = crate::untracked_cache::untracked_paths(repo, index, mode) else {
        return Ok(None);
    };
    // The index holds the cache, which gix cannot write: any refresh or racily clean entry git
    // would write back leaves the status to git.
    let Some(worktree) = crate::worktree_status::compare(
        repo,
        index,
        None,
        submodules,
        None,
        crate::worktree_status::GitWrite::Status,
    )?
    else {
        return Ok(None);
    };
    Ok(Some((untracked, worktree)))
}

/// Whether git, reading this index, would keep its form: no fsmonitor data to drop, not a sparse
/// index, no sparse checkout to apply, and split as `core.splitIndex` asks. A split index is known
/// by its own file holding fewer entries than the whole; an index whose own file holds them all
/// may be either, and is left to git. An explicit `core.splitIndex=false` is left to git too.
fn index_form_kept(repo: &gix::Repository, index: &gix::worktree::Index) -> bool {
    let config = repo.config_snapshot();
    if index.fs_monitor().is_some()
        || index.is_sparse()
        || config.boolean("core.sparseCheckout").unwrap_or(false)
    {
        return false;
    }
    match config.boolean("core.splitIndex") {
        None => true,
        Some(false) => false,
        Some(true) => crate::index_read::file_header_entries(&repo.index_path())
            .is_some_and(|own| (own as usize) < index.entries().len()),
    }
}
