//! The compact report of a mutating command: what changed between two snapshots, one fact per
//! line, in a fixed order (see docs/output.md).

use std::collections::{BTreeMap, BTreeSet};

use gix::bstr::{BString, ByteSlice};

use super::snapshot::{short_ref_name, Head, Snapshot};
use crate::diff::{self, ChangeKind, FileChange};
use crate::quote::PathQuoting;
use crate::render;
use crate::state;

/// New commits listed by subject before the rest is summarised.
const COMMITS_SHOWN: usize = 10;
/// Paths listed on a `conflicts:` line before the rest is summarised.
const PATHS_SHOWN: usize = 20;
/// Paths listed on a `staged:` or `unstaged:` line; more become counts. git's own form prints
/// nothing, and the agent named the paths itself or can list them with `git rtk-status`.
const STAGED_PATHS_LISTED: usize = 5;

/// Paths staged relative to HEAD (status letter per path), as `git status` shows column X.
pub type Staged = BTreeMap<BString, String>;

/// HEAD → index, as `XY`-style letters with rename sources.
pub fn staged(repo: &gix::Repository, head: &Head) -> anyhow::Result<Staged> {
    let tree = match head.tip() {
        Some(tip) => Some(repo.find_commit(tip)?.tree_id()?.detach()),
        None => None,
    };
    let quoting = PathQuoting::from_config(repo, true);
    let mut out = Staged::new();
    for change in diff::changes::tree_to_index(repo, tree)? {
        out.insert(change.path().clone(), describe_change(&change, &quoting));
    }
    Ok(out)
}

/// `M path`, `A path`, `R old -> new`, quoted as status quotes paths.
fn describe_change(change: &FileChange, quoting: &PathQuoting) -> String {
    let letter = match change.kind {
        ChangeKind::Added => "A",
        ChangeKind::Deleted => "D",
        ChangeKind::Modified => "M",
        ChangeKind::TypeChanged => "T",
        ChangeKind::Renamed { .. } => "R",
        ChangeKind::Copied { .. } => "C",
    };
    let mut text = Vec::new();
    text.extend_from_slice(letter.as_bytes());
    text.push(b' ');
    if let (ChangeKind::Renamed { .. } | ChangeKind::Copied { .. }, Some(old)) =
        (change.kind, &change.old)
    {
        quoting.write(&old.path, &mut text);
        text.extend_from_slice(b" -> ");
    }
    quoting.write(change.path(), &mut text);
    text.to_str_lossy().into_owned()
}

/// Everything the report needs about one run.
pub struct Delta<'a> {
    pub repo: &'a gix::Repository,
    pub before: &'a Snapshot,
    pub after: &'a Snapshot,
    pub staged_before: &'a Staged,
    pub staged_after: &'a Staged,
}

impl Delta<'_> {
    fn short(&self, id: gix::ObjectId) -> String {
        render::short_id(self.repo, id).unwrap_or_else(|_| id.to_hex_with_len(7).to_string())
    }

    fn subject(&self, id: gix::ObjectId) -> String {
        self.repo
            .find_commit(id)
            .ok()
            .and_then(|c| c.message().ok().map(|m| m.summary().to_string()))
            .unwrap_or_default()
    }

    /// `HEAD: main → topic`, `HEAD: detached at 3f2a9c1 (was main)`.
    pub fn head_line(&self) -> Option<String> {
        let (before, after) = (&self.before.head, &self.after.head);
        match (before, after) {
            (Head::Branch { name: a, .. }, Head::Branch { name: b, .. }) if a == b => None,
            (Head::Detached(a), Head::Detached(b)) if a == b => None,
            (_, Head::Branch { .. }) => Some(format!(
                "HEAD: {} → {}",
                self.head_name(before),
                self.head_name(after)
            )),
            (_, Head::Detached(id)) => Some(format!(
                "HEAD: detached at {} (was {})",
                self.short(*id),
                self.head_name(before)
            )),
        }
    }

    fn head_name(&self, head: &Head) -> String {
        match head {
            Head::Branch { name, .. } => short_ref_name(name.as_bstr()),
            Head::Detached(id) => format!("detached {}", self.short(*id)),
        }
    }

    /// One line per ref created, deleted, renamed or moved, except `skip` (a full ref name the
    /// headline already covers) and the stash (see [`Delta::stash_lines`]). A branch deleted and
    /// another created at the same commit in one run is reported as a rename.
    pub fn ref_lines(&self, skip: Option<&str>) -> Vec<String> {
        let (before, after) = (&self.before.refs, &self.after.refs);
        let names: BTreeSet<&BString> = before.keys().chain(after.keys()).collect();
        let mut created = Vec::new();
        let mut deleted = Vec::new();
        let mut lines = Vec::new();
        for name in names {
            if name.as_bstr() == "refs/stash" || skip.is_some_and(|s| name.as_bstr() == s) {
                continue;
            }
            match (before.get(name), after.get(name)) {
                (None, Some(new)) => created.push((name, *new)),
                (Some(old), None) => deleted.push((name, *old)),
                (Some(old), Some(new)) if old != new => lines.push(format!(
                    "{}: {} → {} ({})",
                    ref_label(name.as_bstr()),
                    self.short(*old),
                    self.short(*new),
                    self.movement(*old, *new)
                )),
                _ => {}
            }
        }
        let is_branch = |name: &BString| name.starts_with(b"refs/heads/");
        let mut renamed = BTreeSet::new();
        for (old_name, old_id) in &deleted {
            let partner = created.iter().find(|(new_name, new_id)| {
                new_id == old_id
                    && is_branch(old_name)
                    && is_branch(new_name)
                    && !renamed.contains(new_name)
            });
            if let Some((new_name, id)) = partner {
                renamed.insert(*new_name);
                renamed.insert(*old_name);
                lines.push(format!(
                    "{}: renamed to {} (at {})",
                    ref_label(old_name.as_bstr()),
                    short_ref_name(new_name.as_bstr()),
                    self.short(*id)
                ));
            }
        }
        // Refs not paired into a rename: `created at <id>`, `deleted (was <id>)`.
        for (refs, before_id, after_id) in [
            (&created, "created at ", ""),
            (&deleted, "deleted (was ", ")"),
        ] {
            for (name, id) in refs.iter().filter(|(name, _)| !renamed.contains(name)) {
                lines.push(format!(
                    "{}: {before_id}{}{after_id}",
                    ref_label(name.as_bstr()),
                    self.short(*id)
                ));
            }
        }
        lines
    }

    /// `fast-forward`, `rewound`, or `forced`; commit ids only (tags may point elsewhere).
    fn movement(&self, old: gix::ObjectId, new: gix::ObjectId) -> &'static str {
        match (
            is_ancestor(self.repo, old, new),
            is_ancestor(self.repo, new, old),
        ) {
            (Some(true), _) => "fast-forward",
            (_, Some(true)) => "rewound",
            _ => "forced",
        }
    }

    /// `+ <id> <subject>` for each commit HEAD gained (newest first), at most [`COMMITS_SHOWN`].
    pub fn new_commit_lines(&self) -> Vec<String> {
        let Some(new) = self.after.head.tip() else {
            return Vec::new();
        };
        let old = self.before.head.tip();
        if old == Some(new) {
            return Vec::new();
        }
        let Ok(walk) = self.repo.rev_walk([new]).with_hidden(old).all() else {
            return Vec::new();
        };
        let ids: Vec<gix::ObjectId> = walk.filter_map(Result::ok).map(|info| info.id).collect();
        let mut lines: Vec<String> = ids
            .iter()
            .take(COMMITS_SHOWN)
            .map(|id| format!("+ {} {}", self.short(*id), self.subject(*id)))
            .collect();
        if ids.len() > COMMITS_SHOWN {
            let range = match old {
                Some(old) => format!("{}..{}", self.short(old), self.short(new)),
                None => self.short(new),
            };
            lines.push(format!(
                "… {} more commits: git rtk-log {range}",
                ids.len() - COMMITS_SHOWN
            ));
        }
        lines
    }

    /// `staged: M a, A b` for paths whose staged state changed; when HEAD did not move, also
    /// `unstaged: a` for paths that are no longer staged.
    pub fn staged_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let changed: Vec<&String> = self
            .staged_after
            .iter()
            .filter(|(path, what)| self.staged_before.get(*path) != Some(what))
            .map(|(_, what)| what)
            .collect();
        if !changed.is_empty() {
            lines.push(format!("staged: {}", staged_summary(&changed)));
        }
        if self.before.head.tip() == self.after.head.tip() {
            let quoting = PathQuoting::from_config(self.repo, true);
            let gone: Vec<String> = self
                .staged_before
                .keys()
                .filter(|path| !self.staged_after.contains_key(*path))
                .map(|path| {
                    let mut text = Vec::new();
                    quoting.write(path, &mut text);
                    text.to_str_lossy().into_owned()
                })
                .collect();
            if !gone.is_empty() {
                let listing = if gone.len() <= STAGED_PATHS_LISTED {
                    gone.join(", ")
                } else {
                    format!("{} paths: git rtk-status", gone.len())
                };
                lines.push(format!("unstaged: {listing}"));
            }
        }
        lines
    }

    /// `conflicts (2): UU a.txt, DU b.txt` from the index stages, then the operation in progress
    /// with its next step.
    pub fn conflict_lines(&self) -> anyhow::Result<Vec<String>> {
        let mut stages: BTreeMap<&BString, u8> = BTreeMap::new();
        for (path, stage) in self.after.index.keys() {
            if *stage > 0 {
                *stages.entry(path).or_insert(0) |= 1 << (stage - 1);
            }
        }
        let mut lines = Vec::new();
        if !stages.is_empty() {
            let quoting = PathQuoting::from_config(self.repo, true);
            let entries: Vec<String> = stages
                .iter()
                .map(|(path, mask)| {
                    let mut text = conflict_code(*mask).as_bytes().to_vec();
                    text.push(b' ');
                    quoting.write(path, &mut text);
                    text.to_str_lossy().into_owned()
                })
                .collect();
            let entries: Vec<&String> = entries.iter().collect();
            lines.push(format!(
                "conflicts ({}): {}",
                entries.len(),
                list(&entries, "git rtk-status")
            ));
        }
        if let Some(line) = state::operation_line(self.repo, !stages.is_empty())? {
            lines.push(line);
        }
        Ok(lines)
    }

    /// `merge no longer in progress` when the run ended (concluded or aborted) an operation.
    pub fn operation_end_line(&self) -> Option<String> {
        let before = operation_name(self.before.in_progress.as_ref()?);
        match &self.after.in_progress {
            Some(after) if operation_name(after) == before => None,
            _ => Some(format!("{before} no longer in progress")),
        }
    }

    /// Stash entries added or dropped.
    pub fn stash_lines(&self) -> Vec<String> {
        let (before, after) = (&self.before.stash, &self.after.stash);
        if before == after {
            return Vec::new();
        }
        if after.len() == before.len() + 1 && after[1..] == before[..] {
            return vec![format!(
                "stash@{{0}}: saved {} ({})",
                self.short(after[0]),
                self.subject(after[0])
            )];
        }
        let kept: BTreeSet<&gix::ObjectId> = after.iter().collect();
        let dropped: Vec<String> = before
            .iter()
            .enumerate()
            .filter(|(_, id)| !kept.contains(id))
            .map(|(n, id)| format!("stash@{{{n}}} {}", self.short(*id)))
            .collect();
        let mut lines = Vec::new();
        if !dropped.is_empty() {
            lines.push(format!(
                "stash: dropped {} ({} left)",
                dropped.join(", "),
                after.len()
            ));
        }
        lines
    }

    /// Upstream configuration of local branches that changed.
    pub fn upstream_lines(&self) -> Vec<String> {
        let (before, after) = (&self.before.upstreams, &self.after.upstreams);
        let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let mut lines = Vec::new();
        for name in names {
            match (before.get(name), after.get(name)) {
                (old, Some(new)) if old != Some(new) => {
                    lines.push(format!("branch {name}: upstream {new}"))
                }
                // A deleted branch takes its configuration along; that is in its ref line.
                (Some(_), None) if self.after.refs.contains_key(&local_ref(name)) => {
                    lines.push(format!("branch {name}: upstream removed"))
                }
                _ => {}
            }
        }
        lines
    }

    /// Linked worktrees added, removed or moved.
    pub fn worktree_lines(&self) -> Vec<String> {
        let (before, after) = (&self.before.worktrees, &self.after.worktrees);
        let mut lines = Vec::new();
        for (path, what) in after {
            if !before.contains_key(path) {
                lines.push(format!("worktree {}: added ({what})", path.display()));
            }
        }
        for path in before.keys() {
            if !after.contains_key(path) {
                lines.push(format!("worktree {}: removed", path.display()));
            }
        }
        lines
    }
}

fn local_ref(branch: &str) -> BString {
    format!("refs/heads/{branch}").into()
}

fn operation_name(state: &gix::state::InProgress) -> &'static str {
    use gix::state::InProgress::*;
    match state {
        Merge => "merge",
        Rebase | RebaseInteractive | ApplyMailboxRebase => "rebase",
        CherryPick | CherryPickSequence => "cherry-pick",
        Revert | RevertSequence => "revert",
        Bisect => "bisect",
        ApplyMailbox => "am",
    }
}

/// `branch main`, `tag v1.0`, `remote-tracking origin/main`, or the full name for other refs.
fn ref_label(name: &gix::bstr::BStr) -> String {
    let text = name.to_str_lossy();
    if let Some(short) = text.strip_prefix("refs/heads/") {
        format!("branch {short}")
    } else if let Some(short) = text.strip_prefix("refs/tags/") {
        format!("tag {short}")
    } else if let Some(short) = text.strip_prefix("refs/remotes/") {
        format!("remote-tracking {short}")
    } else {
        text.into_owned()
    }
}

/// git's short-status code for a conflict from which stages exist (bit 0: base, 1: ours, 2: theirs).
fn conflict_code(mask: u8) -> &'static str {
    match mask {
        0b001 => "DD",
        0b010 => "AU",
        0b011 => "UD",
        0b100 => "UA",
        0b101 => "DU",
        0b110 => "AA",
        _ => "UU",
    }
}

/// `M a, A b` for at most [`STAGED_PATHS_LISTED`] changes, otherwise their count per status
/// letter: `300 paths (A 298, M 2): git rtk-status`.
fn staged_summary(changes: &[&String]) -> String {
    if changes.len() <= STAGED_PATHS_LISTED {
        return changes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
    }
    let mut per_letter: BTreeMap<&str, usize> = BTreeMap::new();
    for change in changes {
        let letter = change.split(' ').next().unwrap_or_default();
        *per_letter.entry(letter).or_default() += 1;
    }
    let counts: Vec<String> = per_letter
        .iter()
        .map(|(letter, count)| format!("{letter} {count}"))
        .collect();
    format!(
        "{} paths ({}): git rtk-status",
        changes.len(),
        counts.join(", ")
    )
}

/// `a, b, c` with at most [`PATHS_SHOWN`] items, then how many more and where to see them.
fn list(items: &[&String], see: &str) -> String {
    let mut text = items
        .iter()
        .take(PATHS_SHOWN)
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > PATHS_SHOWN {
        text.push_str(&format!(" … {} more: {see}", items.len() - PATHS_SHOWN));
    }
    text
}

/// Whether `ancestor` is reachable from `tip`; `None` when either is not a commit.
fn is_ancestor(
    repo: &gix::Repository,
    ancestor: gix::ObjectId,
    tip: gix::ObjectId,
) -> Option<bool> {
    if ancestor == tip {
        return Some(true);
    }
    repo.find_commit(ancestor).ok()?;
    repo.find_commit(tip).ok()?;
    let base = repo.merge_base(ancestor, tip).ok()?;
    Some(base.is_some_and(|base| base.detach() == ancestor))
}
