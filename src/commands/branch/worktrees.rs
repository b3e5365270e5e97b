//! Which branches other worktrees have checked out (`+` in the listing, paths with `-vv`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use gix::bstr::{BString, ByteSlice};
use gix::refs::{FullName, TargetRef};

use crate::repo;

/// Branches checked out by any worktree, with that worktree's path as git prints it.
pub(super) fn checked_out_elsewhere(
    repo: &gix::Repository,
) -> anyhow::Result<HashMap<BString, BString>> {
    let mut map = HashMap::new();
    let linked = repo.worktrees().context("listing linked worktrees")?;
    if linked.is_empty() {
        // Only the main worktree exists, and its HEAD is the current one: marked `*`, never `+`.
        return Ok(map);
    }
    let mut add = |head_file: &Path, path: BString| -> anyhow::Result<()> {
        if let Some(branch) = worktree_head_branch(repo, head_file)? {
            map.entry(branch).or_insert(path);
        }
        Ok(())
    };
    let common_dir = repo.common_dir();
    add(&common_dir.join("HEAD"), main_worktree_path(common_dir)?)?;
    for proxy in linked {
        let git_dir = proxy.git_dir();
        if let Some(path) = linked_worktree_path(git_dir)? {
            add(&git_dir.join("HEAD"), path)?;
        }
    }
    Ok(map)
}

pub(super) fn path_bytes(path: &Path) -> anyhow::Result<BString> {
    Ok(gix::path::into_bstr(path)
        .with_context(|| format!("path {}", path.display()))?
        .into_owned())
}

/// The main worktree's path as git's `get_main_worktree` spells it: the real path of the common
/// directory without `/.git` (or `/.` for a bare repository).
pub(super) fn main_worktree_path(common_dir: &Path) -> anyhow::Result<BString> {
    let real = std::fs::canonicalize(common_dir)
        .with_context(|| format!("resolving {}", common_dir.display()))?;
    let real = path_bytes(&real)?;
    let trimmed = real
        .strip_suffix(b"/.git")
        .or_else(|| real.strip_suffix(b"/."))
        .unwrap_or(&real);
    Ok(trimmed.into())
}

/// A linked worktree's path as `get_linked_worktree` spells it: its `gitdir` file without
/// `/.git`, made absolute relative to the worktree's private directory when it is not.
pub(super) fn linked_worktree_path(git_dir: &Path) -> anyhow::Result<Option<BString>> {
    let Ok(content) = std::fs::read(git_dir.join("gitdir")) else {
        return Ok(None);
    };
    let content = content.trim_end();
    if content.is_empty() {
        return Ok(None);
    }
    let trimmed = content.strip_suffix(b"/.git").unwrap_or(content);
    let path = gix::path::from_bstr(trimmed.as_bstr())
        .with_context(|| format!("worktree path in {}", git_dir.display()))?;
    if path.is_absolute() {
        return Ok(Some(trimmed.into()));
    }
    let joined = git_dir.join(path);
    let real = std::fs::canonicalize(&joined).unwrap_or(joined);
    Ok(Some(path_bytes(&real)?))
}

/// The branch a worktree's `HEAD` file names, following symbolic refs as git's
/// `resolve_ref_unsafe` does; `None` when it is detached or unreadable.
pub(super) fn worktree_head_branch(
    repo: &gix::Repository,
    head_file: &Path,
) -> anyhow::Result<Option<BString>> {
    let Ok(content) = std::fs::read(head_file) else {
        return Ok(None);
    };
    let Some(target) = content.trim_end().strip_prefix(b"ref: ") else {
        return Ok(None);
    };
    let Ok(mut name) = FullName::try_from(target.as_bstr()) else {
        return Ok(None);
    };
    for _ in 0..5 {
        let next = match repo::find_exact_reference(repo, name.as_ref())? {
            Some(reference) => match reference.target() {
                TargetRef::Symbolic(next) => next.to_owned(),
                TargetRef::Object(_) => break,
            },
            None => break,
        };
        name = next;
    }
    Ok(Some(name.as_bstr().to_owned()))
}
