//! Tree → tree changes by walking only the subtrees whose ids differ.
//!
//! `git show` of one commit touches a handful of paths; gix's `diff_tree_to_tree` first builds a
//! blob resource cache, which loads the whole index for attribute lookups (tens of milliseconds on
//! a 50,000-file repository) before it compares anything. Equal subtree ids are skipped here and
//! exact renames are paired by content; whenever git could pair files by similarity (unpaired
//! additions and deletions both remain) this declines and the caller uses gix's comparison.

use gix::bstr::BString;

use super::tree_index::{copies_configured, pair_exact_renames, renames_enabled_by};
use super::{ChangeKind, FileChange};

/// The changes from `old` (the empty tree when `None`) to `new`, or `None` when only a full
/// comparison with rename detection gives git's answer.
pub fn changes(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: gix::ObjectId,
) -> anyhow::Result<Option<Vec<FileChange>>> {
    if copies_configured(repo) {
        return Ok(None);
    }
    let mut out = Vec::new();
    compare(repo, old, Some(new), &BString::default(), &mut out)?;
    if !renames_enabled_by(repo, &["diff.renames"]) {
        return Ok(Some(out));
    }
    Ok(pair_exact_renames(out))
}

/// Every path that differs from `old` to `new`, renames left unpaired (a renamed file is one
/// deletion and one addition). For totals where pairing does not change the line counts' meaning.
pub fn changes_without_renames(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: gix::ObjectId,
) -> anyhow::Result<Vec<FileChange>> {
    let mut out = Vec::new();
    compare(repo, old, Some(new), &BString::default(), &mut out)?;
    Ok(out)
}

/// One tree entry: name, mode and id.
struct Entry {
    name: BString,
    mode: gix::object::tree::EntryMode,
    id: gix::ObjectId,
}

impl Entry {
    /// git's tree order: a directory sorts as if its name ended with `/`.
    fn sort_key(&self) -> Vec<u8> {
        let mut key = self.name.to_vec();
        if self.mode.is_tree() {
            key.push(b'/');
        }
        key
    }
}

fn entries(repo: &gix::Repository, tree: Option<gix::ObjectId>) -> anyhow::Result<Vec<Entry>> {
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };
    let tree = repo.find_tree(tree)?;
    let decoded = tree.decode()?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| Entry {
            name: e.filename.to_owned(),
            mode: e.mode,
            id: e.oid.to_owned(),
        })
        .collect())
}

fn compare(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: Option<gix::ObjectId>,
    prefix: &BString,
    out: &mut Vec<FileChange>,
) -> anyhow::Result<()> {
    if old == new {
        return Ok(());
    }
    let old_entries = entries(repo, old)?;
    let new_entries = entries(repo, new)?;
    let (mut o, mut n) = (0, 0);
    while o < old_entries.len() || n < new_entries.len() {
        let order = match (old_entries.get(o), new_entries.get(n)) {
            (Some(a), Some(b)) => a.sort_key().cmp(&b.sort_key()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                one_side(repo, &old_entries[o], prefix, Only::Old, out)?;
                o += 1;
            }
            std::cmp::Ordering::Greater => {
                one_side(repo, &new_entries[n], prefix, Only::New, out)?;
                n += 1;
            }
            std::cmp::Ordering::Equal => {
                let (a, b) = (&old_entries[o], &new_entries[n]);
                let path = join(prefix, &a.name);
                if a.mode.is_tree() {
                    compare(repo, Some(a.id), Some(b.id), &path, out)?;
                } else if a.id != b.id || a.mode != b.mode {
                    let (old_mode, new_mode) =
                        (u32::from(a.mode.value()), u32::from(b.mode.value()));
                    let kind = if (old_mode & 0o170000) != (new_mode & 0o170000) {
                        ChangeKind::TypeChanged
                    } else {
                        ChangeKind::Modified
                    };
                    out.push(FileChange {
                        kind,
                        old: Some(super::Side::blob(path.clone(), old_mode, a.id)),
                        new: Some(super::Side::blob(path, new_mode, b.id)),
                    });
                }
                o += 1;
                n += 1;
            }
        }
    }
    Ok(())
}

/// Which tree an unmatched entry came from.
enum Only {
    Old,
    New,
}

/// An entry present on one side only: a deletion or addition, recursively for directories.
fn one_side(
    repo: &gix::Repository,
    entry: &Entry,
    prefix: &BString,
    side: Only,
    out: &mut Vec<FileChange>,
) -> anyhow::Result<()> {
    let path = join(prefix, &entry.name);
    if entry.mode.is_tree() {
        return match side {
            Only::Old => compare(repo, Some(entry.id), None, &path, out),
            Only::New => compare(repo, None, Some(entry.id), &path, out),
        };
    }
    let blob = super::Side::blob(path, u32::from(entry.mode.value()), entry.id);
    out.push(match side {
        Only::Old => FileChange {
            kind: ChangeKind::Deleted,
            old: Some(blob),
            new: None,
        },
        Only::New => FileChange {
            kind: ChangeKind::Added,
            old: None,
            new: Some(blob),
        },
    });
    Ok(())
}

fn join(prefix: &BString, name: &BString) -> BString {
    let mut path = prefix.clone();
    if !path.is_empty() {
        path.push(b'/');
    }
    path.extend_from_slice(name);
    path
}
