//! HEAD tree → index changes without reading unchanged directories.
//!
//! git's index keeps a cache-tree (the `TREE` extension): for each directory it records the tree
//! id the index entries below it would write, or marks it invalid once they change. Where that id
//! equals the tree's own subtree id, nothing below differs and the directory is skipped, as git's
//! `diff-index --cached` does. gix's `tree_index_status` instead expands the whole HEAD tree into
//! an index first, which dominates `diff --cached` on a tree of a thousand files.
//!
//! This fast path declines (returns `None`) whenever git could pair changes as renames or copies,
//! and for conflicted or intent-to-add entries; the caller then uses gix's full comparison.

use gix::bstr::{BString, ByteSlice};
use gix::index::extension::Tree as CacheTree;

use super::{ChangeKind, FileChange, Side};

/// One file as the tree or the index has it.
struct Item {
    path: BString,
    mode: u32,
    id: gix::ObjectId,
}

/// The changes from `tree` to `index`, or `None` when only a full comparison gives git's answer.
pub fn changes(
    repo: &gix::Repository,
    tree: gix::ObjectId,
    index: &gix::index::State,
) -> anyhow::Result<Option<Vec<FileChange>>> {
    if index
        .entries()
        .iter()
        .any(|e| e.stage_raw() != 0 || e.flags.contains(gix::index::entry::Flags::INTENT_TO_ADD))
        || index.is_sparse()
        || copies_configured(repo)
    {
        return Ok(None);
    }
    if index
        .tree()
        .is_some_and(|root| root.num_entries.is_some() && root.id == tree)
    {
        // The cache-tree says the whole index writes exactly this tree.
        return Ok(Some(Vec::new()));
    }
    let mut tree_items = Vec::new();
    let mut skipped: Vec<BString> = Vec::new();
    collect_tree(
        repo,
        tree,
        BString::default(),
        index.tree(),
        &mut tree_items,
        &mut skipped,
    )?;

    let mut changes = Vec::new();
    let mut tree_iter = tree_items.into_iter().peekable();
    let mut skip = skipped.iter().peekable();
    for entry in index.entries() {
        let path = entry.path(index);
        // Entries inside a directory the cache-tree vouched for are identical to the tree.
        while skip
            .peek()
            .is_some_and(|dir| dir.as_slice() < path.as_bytes() && !path.starts_with(dir))
        {
            skip.next();
        }
        if skip.peek().is_some_and(|dir| path.starts_with(dir)) {
            continue;
        }
        let index_item = Item {
            path: path.to_owned(),
            mode: entry.mode.bits(),
            id: entry.id,
        };
        loop {
            match tree_iter.peek() {
                Some(t) if t.path < index_item.path => {
                    let Some(t) = tree_iter.next() else { break };
                    changes.push(deleted(t));
                }
                Some(t) if t.path == index_item.path => {
                    let Some(t) = tree_iter.next() else { break };
                    if t.id != index_item.id || t.mode != index_item.mode {
                        changes.push(modified(t, index_item));
                    }
                    break;
                }
                _ => {
                    changes.push(added(index_item));
                    break;
                }
            }
        }
    }
    changes.extend(tree_iter.map(deleted));

    if !renames_enabled(repo) {
        return Ok(Some(changes));
    }
    Ok(pair_exact_renames(changes))
}

/// Pairs each deletion with the one addition of identical content, as git's exact rename
/// detection does. `None` when an ambiguous or inexact pairing could remain: if unpaired
/// additions and deletions are both left, git would compare their content for similarity.
pub(super) fn pair_exact_renames(changes: Vec<FileChange>) -> Option<Vec<FileChange>> {
    use std::collections::HashMap;
    let blob_of = |side: &Option<Side>| match side {
        Some(Side {
            content: super::Content::Blob(id),
            ..
        }) => Some(*id),
        _ => None,
    };
    let mut added_by_id: HashMap<gix::ObjectId, Vec<usize>> = HashMap::new();
    let mut deleted_by_id: HashMap<gix::ObjectId, Vec<usize>> = HashMap::new();
    for (i, change) in changes.iter().enumerate() {
        match change.kind {
            ChangeKind::Added => added_by_id
                .entry(blob_of(&change.new)?)
                .or_default()
                .push(i),
            ChangeKind::Deleted => deleted_by_id
                .entry(blob_of(&change.old)?)
                .or_default()
                .push(i),
            _ => {}
        }
    }
    if added_by_id.is_empty() || deleted_by_id.is_empty() {
        return Some(changes);
    }
    let mut pairs: HashMap<usize, usize> = HashMap::new();
    for (id, deletions) in &deleted_by_id {
        match (deletions.as_slice(), added_by_id.get(id).map(Vec::as_slice)) {
            ([deletion], Some([addition])) => {
                pairs.insert(*addition, *deletion);
            }
            // Several files with the same content: git breaks the tie by name similarity.
            (_, Some(_)) => return None,
            (_, None) => {}
        }
    }
    let paired_deletions: std::collections::HashSet<usize> = pairs.values().copied().collect();
    let unpaired_additions = changes
        .iter()
        .enumerate()
        .any(|(i, c)| c.kind == ChangeKind::Added && !pairs.contains_key(&i));
    let unpaired_deletions = changes
        .iter()
        .enumerate()
        .any(|(i, c)| c.kind == ChangeKind::Deleted && !paired_deletions.contains(&i));
    if unpaired_additions && unpaired_deletions {
        return None;
    }
    let mut slots: Vec<Option<FileChange>> = changes.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    for i in 0..slots.len() {
        if paired_deletions.contains(&i) {
            continue;
        }
        let Some(change) = slots[i].take() else {
            continue;
        };
        match pairs.get(&i).and_then(|d| slots[*d].take()) {
            Some(deletion) => out.push(FileChange {
                kind: ChangeKind::Renamed { exact: true },
                old: deletion.old,
                new: change.new,
            }),
            None => out.push(change),
        }
    }
    Some(out)
}

/// Flattens `tree` into `out` in index order, recording directories the cache-tree proves
/// unchanged in `skipped` instead of reading them.
fn collect_tree(
    repo: &gix::Repository,
    tree: gix::ObjectId,
    prefix: BString,
    cache: Option<&CacheTree>,
    out: &mut Vec<Item>,
    skipped: &mut Vec<BString>,
) -> anyhow::Result<()> {
    if cache.is_some_and(|node| node.num_entries.is_some() && node.id == tree) && !prefix.is_empty()
    {
        // Kept as `dir/`, which sorts exactly where the index entries below it do.
        let mut dir = prefix;
        dir.push(b'/');
        skipped.push(dir);
        return Ok(());
    }
    let tree_object = repo.find_tree(tree)?;
    let decoded = tree_object.decode()?;
    // Tree order puts `a.b` before `a/` (directories compare as `name/`), which is also the order
    // of their full paths; entries are visited in that order so `out` stays sorted.
    for entry in &decoded.entries {
        let mut path = prefix.clone();
        if !path.is_empty() {
            path.push(b'/');
        }
        path.extend_from_slice(entry.filename);
        if entry.mode.is_tree() {
            let child = cache.and_then(|node| {
                node.children
                    .iter()
                    .find(|c| c.name.as_slice() == entry.filename.as_bytes())
            });
            collect_tree(repo, entry.oid.to_owned(), path, child, out, skipped)?;
        } else {
            out.push(Item {
                path,
                mode: u32::from(entry.mode.value()),
                id: entry.oid.to_owned(),
            });
        }
    }
    Ok(())
}

fn added(item: Item) -> FileChange {
    FileChange {
        kind: ChangeKind::Added,
        old: None,
        new: Some(Side::blob(item.path, item.mode, item.id)),
    }
}

fn deleted(item: Item) -> FileChange {
    FileChange {
        kind: ChangeKind::Deleted,
        old: Some(Side::blob(item.path, item.mode, item.id)),
        new: None,
    }
}

fn modified(old: Item, new: Item) -> FileChange {
    let kind = if (old.mode & 0o170000) != (new.mode & 0o170000) {
        ChangeKind::TypeChanged
    } else {
        ChangeKind::Modified
    };
    FileChange {
        kind,
        old: Some(Side::blob(old.path, old.mode, old.id)),
        new: Some(Side::blob(new.path, new.mode, new.id)),
    }
}

/// `status.renames`/`diff.renames` (git's default: on).
fn renames_enabled(repo: &gix::Repository) -> bool {
    renames_enabled_by(repo, &["status.renames", "diff.renames"])
}

/// The first of `keys` that is set decides whether renames are detected (git's default: on).
pub(super) fn renames_enabled_by(repo: &gix::Repository, keys: &[&str]) -> bool {
    let config = repo.config_snapshot();
    match keys.iter().find_map(|key| config.string(*key)) {
        None => true,
        Some(v) => !matches!(
            v.to_ascii_lowercase().as_slice(),
            b"false" | b"no" | b"off" | b"0"
        ),
    }
}

pub(super) fn copies_configured(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    [
        config.string("status.renames"),
        config.string("diff.renames"),
    ]
    .into_iter()
    .flatten()
    .any(|v| v.to_ascii_lowercase().starts_with(b"cop"))
}
