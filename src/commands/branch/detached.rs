//! How git describes a HEAD that is not on a branch: `(HEAD detached at v1)`, `(no branch,
//! rebasing topic)`…, read from the reflog and the state directories as git does.

use std::path::Path;

use anyhow::Context as _;
use gix::bstr::{BStr, ByteSlice};
use gix::refs::{FullName, TargetRef};
use gix::ObjectId;

use crate::render::short_id;
use crate::repo;

use super::*;

/// The detached HEAD line as git's `get_head_description` words it, or `None` where git would
/// print something this module does not reproduce.
pub(super) fn detached_description(
    repo: &gix::Repository,
    head_id: ObjectId,
) -> anyhow::Result<Option<String>> {
    let git_dir = repo.git_dir();
    let rebase_dir = if git_dir.join("rebase-apply").exists() {
        // `rebase-apply/applying` marks `git am`, which is not a rebase.
        (!git_dir.join("rebase-apply/applying").exists()).then_some("rebase-apply")
    } else if git_dir.join("rebase-merge").exists() {
        Some("rebase-merge")
    } else {
        None
    };
    if let Some(dir) = rebase_dir {
        return Ok(
            match state_branch(repo, &git_dir.join(dir).join("head-name"))? {
                StateBranch::Named(branch) => Some(format!("(no branch, rebasing {branch})")),
                StateBranch::Nothing => detached_from(repo)?
                    .map(|from| format!("(no branch, rebasing detached HEAD {})", from.name)),
            },
        );
    }
    if git_dir.join("BISECT_LOG").exists() {
        return Ok(match state_branch(repo, &git_dir.join("BISECT_START"))? {
            StateBranch::Named(branch) => Some(format!("(no branch, bisect started on {branch})")),
            StateBranch::Nothing => None,
        });
    }
    Ok(Some(match detached_from(repo)? {
        Some(from) if from.id == head_id => format!("(HEAD detached at {})", from.name),
        Some(from) => format!("(HEAD detached from {})", from.name),
        None => "(no branch)".to_owned(),
    }))
}

pub(super) enum StateBranch {
    Named(String),
    Nothing,
}

/// wt-status.c `get_branch`: a branch name from a rebase or bisect state file.
pub(super) fn state_branch(repo: &gix::Repository, file: &Path) -> anyhow::Result<StateBranch> {
    let Ok(content) = std::fs::read(file) else {
        return Ok(StateBranch::Nothing);
    };
    let mut content = content.as_slice();
    while let [rest @ .., b'\n'] = content {
        content = rest;
    }
    if content.is_empty() || content == b"detached HEAD" {
        return Ok(StateBranch::Nothing);
    }
    let text = content.to_str_lossy().into_owned();
    if let Some(branch) = text.strip_prefix("refs/heads/") {
        return Ok(StateBranch::Named(branch.to_owned()));
    }
    if text.starts_with("refs/") {
        return Ok(StateBranch::Named(text));
    }
    let hex_len = repo.object_hash().len_in_hex();
    if let Some(id) = text
        .get(..hex_len)
        .and_then(|hex| ObjectId::from_hex(hex.as_bytes()).ok())
    {
        return Ok(StateBranch::Named(short_id(repo, id)?));
    }
    Ok(StateBranch::Named(text))
}

/// What the last `checkout: moving from X to Y` in HEAD's reflog says HEAD was detached from.
pub(super) struct DetachedFrom {
    /// `Y` spelt as git spells it: a tag or remote-tracking branch without its prefix, another ref
    /// in full, otherwise the abbreviated id.
    pub(super) name: String,
    /// The commit HEAD moved to at that checkout.
    pub(super) id: ObjectId,
}

/// wt-status.c `wt_status_get_detached_from`.
pub(super) fn detached_from(repo: &gix::Repository) -> anyhow::Result<Option<DetachedFrom>> {
    let head = repo.head().context("reading HEAD")?;
    let mut log = head.log_iter();
    let Some(lines) = log.rev().context("reading HEAD's reflog")? else {
        return Ok(None);
    };
    for line in lines {
        let line = line.context("reading HEAD's reflog")?;
        let Some(moving) = line.message.strip_prefix(b"checkout: moving from ") else {
            continue;
        };
        let Some(pos) = moving.find(b" to ") else {
            continue;
        };
        let target = &moving[pos + 4..];
        let target = &target[..target.find_byte(b'\n').unwrap_or(target.len())];
        let id = line.new_oid;
        let name = match dwim_ref_name(repo, target.as_bstr(), id)? {
            Some(name) => name,
            None => short_id(repo, id)?,
        };
        return Ok(Some(DetachedFrom { name, id }));
    }
    Ok(None)
}

/// The displayed name of reflog target `target` when it names exactly one ref (git's `dwim_ref`
/// with `core.warnAmbiguousRefs`) that still points at `moved_to`, directly or through a tag.
pub(super) fn dwim_ref_name(
    repo: &gix::Repository,
    target: &BStr,
    moved_to: ObjectId,
) -> anyhow::Result<Option<String>> {
    if target == "HEAD" {
        return Ok(None);
    }
    let (count, first) = dwim_ref(repo, target)?;
    let Some((name, id)) = first.filter(|_| count == 1) else {
        return Ok(None);
    };
    let points_there = id == moved_to
        || repo
            .find_object(id)
            .ok()
            .and_then(|object| object.peel_to_commit().ok())
            .is_some_and(|commit| commit.id == moved_to);
    if !points_there {
        return Ok(None);
    }
    let name = name.as_bstr();
    let shown = name
        .strip_prefix(b"refs/tags/")
        .or_else(|| name.strip_prefix(b"refs/remotes/"))
        .unwrap_or(name);
    Ok(Some(shown.to_str_lossy().into_owned()))
}

/// git's `expand_ref`: how many of `ref_rev_parse_rules` find a ref for `short` (all of them with
/// `core.warnAmbiguousRefs`, else the first), and the first one found, resolved through symbolic
/// refs, with its object.
pub(super) fn dwim_ref(
    repo: &gix::Repository,
    short: &BStr,
) -> anyhow::Result<(usize, Option<(FullName, ObjectId)>)> {
    let count_all = repo
        .config_snapshot()
        .boolean("core.warnAmbiguousRefs")
        .unwrap_or(true);
    let mut first: Option<(FullName, ObjectId)> = None;
    let mut count = 0;
    for rule in [
        "{}",
        "refs/{}",
        "refs/tags/{}",
        "refs/heads/{}",
        "refs/remotes/{}",
        "refs/remotes/{}/HEAD",
    ] {
        let candidate = rule.replace("{}", &short.to_str_lossy());
        let Ok(name) = FullName::try_from(candidate.as_str()) else {
            continue;
        };
        // The first rule only reaches refs under `refs/` and pseudo-refs such as ORIG_HEAD.
        let Some(reference) = repo::find_exact_reference(repo, name.as_ref())? else {
            continue;
        };
        let resolved = match reference.target() {
            TargetRef::Object(id) => (name, id.to_owned()),
            TargetRef::Symbolic(next) => {
                let next = next.to_owned();
                let Some(id) = resolve_symbolic(repo, next.as_ref())? else {
                    // git warns about a dangling symref here; let it.
                    return Err(crate::failure::Decline::new(format!(
                        "dangling symbolic ref {candidate}"
                    ))
                    .into());
                };
                (final_name(repo, next)?, id)
            }
        };
        count += 1;
        if first.is_none() {
            first = Some(resolved);
        }
        if !count_all {
            break;
        }
    }
    Ok((count, first))
}

/// Whether git would warn `refname '<spec>' is ambiguous.` while resolving `spec`.
pub(super) fn is_ambiguous_ref(repo: &gix::Repository, spec: &str) -> anyhow::Result<bool> {
    // Only a bare name goes through `dwim_ref` as a whole; revision syntax around a name is left
    // to git as soon as its name part would be ambiguous too, which this does not try to find.
    if spec.is_empty() || spec.contains(['~', '^', ':', '@', '{', '}']) || spec.contains("..") {
        return Ok(false);
    }
    Ok(dwim_ref(repo, spec.as_bytes().as_bstr())?.0 > 1)
}

/// The last name in a chain of symbolic refs starting at `name`.
pub(super) fn final_name(repo: &gix::Repository, mut name: FullName) -> anyhow::Result<FullName> {
    for _ in 0..5 {
        match repo::find_exact_reference(repo, name.as_ref())? {
            Some(reference) => match reference.target() {
                TargetRef::Symbolic(next) => name = next.to_owned(),
                TargetRef::Object(_) => break,
            },
            None => break,
        }
    }
    Ok(name)
}
