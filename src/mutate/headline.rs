//! The first line of a report where one fact sums the run up: `committed 3f2a9c1 on main:
//! "fix parser" (3 files, +10 −2)`, or `nothing to commit` with the status that explains it.

use super::child::Finished;
use super::report::Delta;
use super::snapshot::Head;
use crate::diff::{self, hunks, tree_tree};
use crate::render;

/// The headline of a successful run, when the command has one. It covers the move of the
/// current branch, so the report leaves that ref's line and the new-commit list out.
pub fn success(command: &str, delta: &Delta) -> anyhow::Result<Option<String>> {
    if command != "commit" {
        return Ok(None);
    }
    let Some(new) = delta.after.head.tip() else {
        return Ok(None);
    };
    let old = delta.before.head.tip();
    if old == Some(new) {
        return Ok(None);
    }
    let repo = delta.repo;
    let commit = repo.find_commit(new)?;
    let parents: Vec<gix::ObjectId> = commit.parent_ids().map(|id| id.detach()).collect();
    let short = |id| render::short_id(repo, id);
    let amended = match old {
        Some(old) if !parents.contains(&old) => {
            let old_parents: Vec<gix::ObjectId> = repo
                .find_commit(old)?
                .parent_ids()
                .map(|id| id.detach())
                .collect();
            (old_parents == parents).then_some(old)
        }
        _ => None,
    };
    let verb = match amended {
        Some(old) => format!("amended {} → {}", short(old)?, short(new)?),
        None => format!("committed {}", short(new)?),
    };
    let place = match &delta.after.head {
        Head::Branch { .. } => format!("on {}", delta.after.head.branch().unwrap_or_default()),
        Head::Detached(_) => "on detached HEAD".to_owned(),
    };
    let kind = match parents.len() {
        0 => " (root commit)".to_owned(),
        1 => String::new(),
        _ => format!(
            " (merge of {})",
            parents[1..]
                .iter()
                .map(|p| short(*p))
                .collect::<anyhow::Result<Vec<_>>>()?
                .join(", ")
        ),
    };
    let subject = commit.message()?.summary().to_string();
    let parent_tree = match parents.first() {
        Some(parent) => Some(repo.find_commit(*parent)?.tree_id()?.detach()),
        None => None,
    };
    let (files, added, removed) = totals(repo, parent_tree, commit.tree_id()?.detach())?;
    let files_word = if files == 1 { "file" } else { "files" };
    Ok(Some(format!(
        "{verb} {place}{kind}: \"{subject}\" ({files} {files_word}, +{added} −{removed})"
    )))
}

/// Files changed and lines added/removed from `old` to `new` (binary files count as files only).
fn totals(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: gix::ObjectId,
) -> anyhow::Result<(usize, usize, usize)> {
    let changes = match tree_tree::changes(repo, old, new)? {
        Some(changes) => changes,
        None => tree_tree::changes_without_renames(repo, old, new)?,
    };
    let (mut added, mut removed) = (0, 0);
    for change in &changes {
        let load = |side: &Option<diff::Side>| -> anyhow::Result<Vec<u8>> {
            match side {
                Some(side) => diff::load(repo, side),
                None => Ok(Vec::new()),
            }
        };
        let (before, after) = (load(&change.old)?, load(&change.new)?);
        if diff::is_binary(&before) || diff::is_binary(&after) {
            continue;
        }
        let counts = hunks::count_lines(&before, &after);
        added += counts.added;
        removed += counts.removed;
    }
    Ok((changes.len(), added, removed))
}

/// The report of a failed run when the state explains the failure; `None` leaves git's stdout as
/// the report.
pub fn failure(
    command: &str,
    delta: &Delta,
    finished: &Finished,
) -> anyhow::Result<Option<Vec<String>>> {
    // `git commit` found nothing staged: git says so at length on stdout (a hook that fails
    // prints on stderr only) and exits 1. The compact status says the same in a few lines.
    let nothing_to_commit = command == "commit"
        && finished.exit_code == 1
        && !finished.stdout.is_empty()
        && delta.before.head.tip() == delta.after.head.tip()
        && delta.staged_after.is_empty();
    if !nothing_to_commit {
        return Ok(None);
    }
    let mut lines = vec!["nothing to commit".to_owned()];
    let status = crate::commands::status::compact(delta.repo)?;
    lines.extend(String::from_utf8_lossy(&status).lines().map(str::to_owned));
    Ok(Some(lines))
}

/// The line for a successful run that changed no ref, index entry, stash entry or worktree list
/// (it may still have changed files in the work tree).
pub const NOTHING_CHANGED: &str = "done: no ref, index or stash changed";
