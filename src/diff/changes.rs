//! Which files differ between two states (tree, index, work tree), as git's diff machinery finds
//! them. Returns `None` for repository states whose diff git renders in ways not reproduced here
//! (conflicts, intent-to-add entries, submodules configured to be shown or ignored otherwise than
//! by default, renames against the work tree).

use gix::bstr::{BString, ByteSlice};

use super::{ChangeKind, Content, FileChange, Side};

/// The two states being compared.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// `git diff`: index → work tree.
    IndexToWorktree,
    /// `git diff --cached [<rev>]`: tree (empty when unborn) → index.
    TreeToIndex(Option<gix::ObjectId>),
    /// `git diff <rev>`: tree → work tree.
    TreeToWorktree(gix::ObjectId),
    /// `git diff <a> <b>`: tree → tree.
    TreeToTree(Option<gix::ObjectId>, gix::ObjectId),
}

/// The changed files for `target`, limited to `paths` (repository-relative literal paths; empty
/// means everything), sorted by path.
pub fn collect(
    repo: &gix::Repository,
    target: Target,
    paths: &[BString],
) -> anyhow::Result<Option<Vec<FileChange>>> {
    let mut changes = match target {
        Target::IndexToWorktree => {
            // With fsmonitor on a large index git skips the lstat() of unchanged files: git lists them.
            let by_git = if crate::git_acceleration::diff_by_git(repo) {
                super::from_git::index_to_worktree(repo)?
            } else {
                None
            };
            match by_git {
                Some(changes) => changes,
                None => {
                    let (index, preloaded) = crate::worktree_status::read_index_preloading(repo)?;
                    if !index_is_plain(repo, &index)? {
                        return Ok(None);
                    }
                    match index_to_worktree(repo, &index, preloaded)? {
                        Some(changes) => changes,
                        None => return Ok(None),
                    }
                }
            }
        }
        Target::TreeToIndex(tree) => {
            if !index_is_plain(repo, &crate::index_read::index_or_empty(repo)?)? {
                return Ok(None);
            }
            tree_to_index(repo, tree)?
        }
        Target::TreeToWorktree(tree) => {
            if !index_is_plain(repo, &crate::index_read::index_or_empty(repo)?)? {
                return Ok(None);
            }
            match tree_to_worktree(repo, tree)? {
                Some(changes) => changes,
                None => return Ok(None),
            }
        }
        Target::TreeToTree(old, new) => tree_to_tree(repo, old, new)?,
    };
    if !paths.is_empty() {
        changes.retain(|change| {
            [change.old.as_ref(), change.new.as_ref()]
                .into_iter()
                .flatten()
                .any(|side| paths.iter().any(|spec| path_matches(&side.path, spec)))
        });
    }
    let has_submodule = changes.iter().any(|c| {
        [c.old.as_ref(), c.new.as_ref()]
            .into_iter()
            .flatten()
            .any(|s| s.mode == 0o160000)
    });
    if has_submodule && !submodules_shown_by_default(repo)? {
        return Ok(None);
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(Some(changes))
}

fn path_matches(path: &[u8], spec: &[u8]) -> bool {
    spec.is_empty()
        || path == spec
        || (path.starts_with(spec) && path.get(spec.len()) == Some(&b'/'))
}

/// No conflicts and no intent-to-add entries: git prints those specially. A submodule is plain
/// when git shows it in its default form (see [`submodules_shown_by_default`]) and
/// `.gitmodules` names it: gix reports the work tree of listed submodules only.
fn index_is_plain(repo: &gix::Repository, index: &gix::worktree::Index) -> anyhow::Result<bool> {
    let mut gitlinks = Vec::new();
    for entry in index.entries() {
        if entry.stage_raw() != 0
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        {
            return Ok(false);
        }
        if entry.mode == gix::index::entry::Mode::COMMIT {
            gitlinks.push(entry.path(index).to_owned());
        }
    }
    if gitlinks.is_empty() {
        return Ok(true);
    }
    if !submodules_shown_by_default(repo)? {
        return Ok(false);
    }
    let listed: Vec<BString> = match repo.submodules()? {
        Some(submodules) => submodules
            .map(|submodule| submodule.path())
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(gitlinks.iter().all(|path| listed.contains(path)))
}

/// git's default submodule diff: `Subproject commit <id>[-dirty]` lines, untracked files in a
/// submodule ignored. `diff.submodule` (log or diff forms), `diff.ignoreSubmodules` and any
/// submodule's own `ignore` setting (`.gitmodules` or config) change that: git serves those.
fn submodules_shown_by_default(repo: &gix::Repository) -> anyhow::Result<bool> {
    let config = repo.config_snapshot();
    if config.string("diff.submodule").is_some() || config.string("diff.ignoreSubmodules").is_some()
    {
        return Ok(false);
    }
    if let Some(submodules) = repo.submodules()? {
        for submodule in submodules {
            if submodule.ignore()?.is_some() {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

fn index_mode(mode: gix::index::entry::Mode) -> u32 {
    mode.bits()
}

fn tree_mode(mode: gix::object::tree::EntryMode) -> u32 {
    u32::from(mode.value())
}

fn is_type_change(old: u32, new: u32) -> bool {
    (old & 0o170000) != (new & 0o170000)
}

fn index_to_worktree(
    repo: &gix::Repository,
    index: &gix::worktree::Index,
    preloaded: Option<crate::worktree_status::Preloaded>,
) -> anyhow::Result<Option<Vec<FileChange>>> {
    use gix::status::index_worktree::Item;
    use gix::status::plumbing::index_as_worktree::{Change, EntryStatus};

    let workdir = repo
        .workdir()
        .ok_or_else(|| anyhow::anyhow!("no work tree"))?
        .to_owned();
    // git diff's default: a submodule differs when its checked-out commit moved or its tracked
    // content changed; untracked files inside it are ignored. `check_dirty` stays off so the
    // status keeps the content changes after finding a moved commit. Refreshed stat data is
    // written back, as git diff does when the index lock is free.
    let compared = crate::worktree_status::compare(
        repo,
        index,
        None,
        gix::status::Submodule::Given {
            ignore: gix::submodule::config::Ignore::Untracked,
            check_dirty: false,
        },
        preloaded,
        crate::worktree_status::GitWrite::Diff,
    )?;
    // git would write refreshed stat data into an index gix cannot rewrite losslessly (a split
    // index, the untracked cache, version 4): git lists the changes, and writes it.
    let Some(items) = compared else {
        return super::from_git::index_to_worktree(repo);
    };
    let mut changes = Vec::new();
    for item in items {
        let Item::Modification {
            entry,
            rela_path,
            status,
            ..
        } = item
        else {
            continue;
        };
        let old_mode = index_mode(entry.mode);
        let old = Side::blob(rela_path.clone(), old_mode, entry.id);
        let worktree_path = workdir.join(gix::path::from_bstr(rela_path.as_bstr())?);
        match status {
            EntryStatus::Change(Change::Removed) => changes.push(FileChange {
                kind: ChangeKind::Deleted,
                old: Some(old),
                new: None,
            }),
            EntryStatus::Change(Change::Modification {
                executable_bit_changed,
                ..
            }) => {
                let new_mode = if executable_bit_changed {
                    old_mode ^ 0o111
                } else {
                    old_mode
                };
                changes.push(FileChange {
                    kind: ChangeKind::Modified,
                    old: Some(old),
                    new: Some(Side {
                        path: rela_path,
                        mode: new_mode,
                        content: Content::Worktree(worktree_path),
                    }),
                });
            }
            EntryStatus::Change(Change::Type { worktree_mode }) => changes.push(FileChange {
                kind: ChangeKind::TypeChanged,
                old: Some(old),
                new: Some(Side {
                    path: rela_path,
                    mode: index_mode(worktree_mode),
                    content: Content::Worktree(worktree_path),
                }),
            }),
            EntryStatus::Change(Change::SubmoduleModification(submodule)) => {
                let head = submodule.checked_out_head_id.unwrap_or(entry.id);
                let dirty = submodule
                    .changes
                    .as_ref()
                    .is_some_and(|changes| !changes.is_empty());
                if head == entry.id && !dirty {
                    continue;
                }
                changes.push(FileChange {
                    kind: ChangeKind::Modified,
                    old: Some(old),
                    new: Some(Side {
                        path: rela_path,
                        mode: 0o160000,
                        content: Content::Submodule { head, dirty },
                    }),
                });
            }
            EntryStatus::NeedsUpdate(_) => {}
            EntryStatus::Conflict { .. } | EntryStatus::IntentToAdd => return Ok(None),
        }
    }
    Ok(Some(changes))
}

/// HEAD (or `tree`; the empty tree when unborn) → index, renames as configured.
pub fn tree_to_index(
    repo: &gix::Repository,
    tree: Option<gix::ObjectId>,
) -> anyhow::Result<Vec<FileChange>> {
    use gix::diff::index::ChangeRef;
    let tree = tree.unwrap_or_else(|| repo.empty_tree().id);
    let index = crate::index_read::index_or_empty(repo)?;
    if let Some(changes) = super::tree_index::changes(repo, tree, &index)? {
        return Ok(changes);
    }
    let mut changes = Vec::new();
    repo.tree_index_status(
        &tree,
        &index,
        None,
        gix::status::tree_index::TrackRenames::AsConfigured,
        |change, _, _| {
            let side = |path: std::borrow::Cow<'_, gix::bstr::BStr>,
                        mode,
                        id: std::borrow::Cow<'_, gix::oid>| {
                Side::blob(path.into_owned(), index_mode(mode), id.into_owned())
            };
            let change = match change {
                ChangeRef::Addition {
                    location,
                    entry_mode,
                    id,
                    ..
                } => FileChange::added(side(location, entry_mode, id)),
                ChangeRef::Deletion {
                    location,
                    entry_mode,
                    id,
                    ..
                } => FileChange::deleted(side(location, entry_mode, id)),
                ChangeRef::Modification {
                    location,
                    previous_entry_mode,
                    previous_id,
                    entry_mode,
                    id,
                    ..
                } => FileChange::modified(
                    side(location.clone(), previous_entry_mode, previous_id),
                    side(location, entry_mode, id),
                ),
                ChangeRef::Rewrite {
                    source_location,
                    source_entry_mode,
                    source_id,
                    location,
                    entry_mode,
                    id,
                    copy,
                    ..
                } => FileChange::rewritten(
                    side(source_location, source_entry_mode, source_id),
                    side(location, entry_mode, id),
                    copy,
                ),
            };
            changes.push(change);
            Ok(gix::diff::index::Action::Continue(()))
        },
    )?;
    Ok(changes)
}

/// `git diff <rev>`: every path that differs between the tree and the work tree as the index
/// tracks it. Renames between the two are left to git.
fn tree_to_worktree(
    repo: &gix::Repository,
    tree: gix::ObjectId,
) -> anyhow::Result<Option<Vec<FileChange>>> {
    let staged = tree_to_index(repo, Some(tree))?;
    let index = crate::index_read::index_or_empty(repo)?;
    let Some(unstaged) = index_to_worktree(repo, &index, None)? else {
        return Ok(None);
    };
    if staged.iter().any(|c| {
        matches!(
            c.kind,
            ChangeKind::Renamed { .. } | ChangeKind::Copied { .. }
        )
    }) {
        return Ok(None);
    }
    let workdir = repo
        .workdir()
        .ok_or_else(|| anyhow::anyhow!("no work tree"))?
        .to_owned();
    let mut paths: Vec<BString> = staged
        .iter()
        .chain(unstaged.iter())
        .map(|c| c.path().clone())
        .collect();
    paths.sort();
    paths.dedup();
    let index = crate::index_read::index_or_empty(repo)?;
    let tree = repo.find_tree(tree)?;
    let mut changes = Vec::new();
    for path in paths {
        let old = tree
            .lookup_entry(path.split(|&b| b == b'/').map(<[u8]>::to_vec))?
            .map(|entry| {
                Side::blob(
                    path.clone(),
                    u32::from(entry.mode().value()),
                    entry.object_id(),
                )
            });
        let worktree_path = workdir.join(gix::path::from_bstr(path.as_bstr())?);
        let new = match index.entry_by_path(path.as_bstr()) {
            // A submodule: as the index → work tree status found it, else clean at the index's
            // commit (that status reports every moved or dirty submodule).
            Some(entry) if entry.mode == gix::index::entry::Mode::COMMIT => {
                match unstaged.iter().find(|change| change.path() == &path) {
                    Some(change) => change.new.clone(),
                    None => Some(Side::blob(path.clone(), 0o160000, entry.id)),
                }
            }
            Some(entry) => match std::fs::symlink_metadata(&worktree_path) {
                Ok(meta) => Some(Side {
                    path: path.clone(),
                    mode: worktree_mode(&meta, entry.mode),
                    content: Content::Worktree(worktree_path),
                }),
                Err(_) => None,
            },
            None => None,
        };
        let kind = match (&old, &new) {
            (None, None) => continue,
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Deleted,
            (Some(o), Some(n)) if is_type_change(o.mode, n.mode) => ChangeKind::TypeChanged,
            (Some(o), Some(n)) => {
                if o.mode == n.mode && super::load(repo, o)? == super::load(repo, n)? {
                    continue;
                }
                ChangeKind::Modified
            }
        };
        changes.push(FileChange { kind, old, new });
    }
    Ok(Some(changes))
}

fn worktree_mode(meta: &std::fs::Metadata, index_mode: gix::index::entry::Mode) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    if meta.file_type().is_symlink() {
        0o120000
    } else if index_mode.bits() == 0o160000 {
        0o160000
    } else if meta.permissions().mode() & 0o100 != 0 {
        0o100755
    } else {
        0o100644
    }
}

fn tree_to_tree(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: gix::ObjectId,
) -> anyhow::Result<Vec<FileChange>> {
    use gix::object::tree::diff::ChangeDetached;
    if let Some(changes) = super::tree_tree::changes(repo, old, new)? {
        return Ok(changes);
    }
    let old_tree = old.map(|id| repo.find_tree(id)).transpose()?;
    let new_tree = repo.find_tree(new)?;
    let mut changes = Vec::new();
    for change in repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), None)? {
        let (mode, id) = change.entry_mode_and_id();
        let (source_mode, source_id) = change.source_entry_mode_and_id();
        let (is_tree, was_tree) = (mode.is_tree(), source_mode.is_tree());
        // Directories are not files: their contents are listed one by one.
        if is_tree && (was_tree || !matches!(change, ChangeDetached::Modification { .. })) {
            continue;
        }
        if is_tree != was_tree && matches!(change, ChangeDetached::Modification { .. }) {
            // A file replaced by a directory: git lists a deletion and additions.
            return Err(crate::failure::Decline::new(
                "file/directory replacement is rendered by git",
            )
            .into());
        }
        let current = Side::blob(change.location().to_owned(), tree_mode(mode), id.to_owned());
        let source = || {
            Side::blob(
                change.source_location().to_owned(),
                tree_mode(source_mode),
                source_id.to_owned(),
            )
        };
        let change = match change {
            ChangeDetached::Addition { .. } => FileChange::added(current),
            ChangeDetached::Deletion { .. } => FileChange::deleted(current),
            ChangeDetached::Modification { .. } => FileChange::modified(source(), current),
            ChangeDetached::Rewrite { copy, .. } => FileChange::rewritten(source(), current, copy),
        };
        changes.push(change);
    }
    Ok(changes)
}
