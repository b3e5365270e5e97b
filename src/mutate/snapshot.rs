//! What a mutating command can change, read through gix before and after git ran it: HEAD, every
//! ref, branch upstreams, the stash, the index, linked worktrees and the operation in progress.
//!
//! The compact report is the difference of two snapshots, so every fact it prints is read from the
//! repository, never parsed from git's English.

use std::collections::BTreeMap;
use std::path::PathBuf;

use gix::bstr::{BString, ByteSlice};

/// Where HEAD points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// On a branch (full ref name), possibly unborn (`tip == None`).
    Branch {
        name: BString,
        tip: Option<gix::ObjectId>,
    },
    Detached(gix::ObjectId),
}

impl Head {
    pub fn tip(&self) -> Option<gix::ObjectId> {
        match self {
            Head::Branch { tip, .. } => *tip,
            Head::Detached(id) => Some(*id),
        }
    }

    /// The branch's short name, `None` when detached.
    pub fn branch(&self) -> Option<String> {
        match self {
            Head::Branch { name, .. } => Some(short_ref_name(name.as_bstr())),
            Head::Detached(_) => None,
        }
    }
}

/// One index entry's identity: mode and object id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexEntry {
    pub mode: u32,
    pub id: gix::ObjectId,
}

/// The index as (path, stage) → entry.
pub type IndexMap = BTreeMap<(BString, u8), IndexEntry>;

#[derive(Debug)]
pub struct Snapshot {
    pub head: Head,
    /// Every direct ref (full name) → the id it stores. Symbolic refs other than HEAD are left out.
    pub refs: BTreeMap<BString, gix::ObjectId>,
    /// `branch.<name>.remote` / `.merge` of local branches, as `remote/merge` text.
    pub upstreams: BTreeMap<String, String>,
    /// Stash entries, newest first (the reflog of `refs/stash`).
    pub stash: Vec<gix::ObjectId>,
    pub index: IndexMap,
    /// Linked worktrees: path → the branch or id checked out there.
    pub worktrees: BTreeMap<PathBuf, String>,
    pub in_progress: Option<gix::state::InProgress>,
}

/// `refs/heads/main` → `main`, `refs/remotes/origin/main` → `origin/main`, `refs/tags/v1` → `v1`.
pub fn short_ref_name(name: &gix::bstr::BStr) -> String {
    let name = name.to_str_lossy();
    for prefix in ["refs/heads/", "refs/tags/", "refs/remotes/"] {
        if let Some(short) = name.strip_prefix(prefix) {
            return short.to_owned();
        }
    }
    name.strip_prefix("refs/").unwrap_or(&name).to_owned()
}

pub fn capture(repo: &gix::Repository) -> anyhow::Result<Snapshot> {
    let head = read_head(repo)?;
    let mut refs = BTreeMap::new();
    for reference in repo.references()?.all()? {
        let Ok(reference) = reference else {
            continue;
        };
        if let gix::refs::TargetRef::Object(id) = reference.target() {
            refs.insert(reference.name().as_bstr().to_owned(), id.to_owned());
        }
    }
    let config = repo.config_snapshot();
    let mut upstreams = BTreeMap::new();
    for name in refs.keys() {
        let Some(branch) = name.strip_prefix(b"refs/heads/") else {
            continue;
        };
        let branch = branch.to_str_lossy();
        let remote = config.string(format!("branch.{branch}.remote").as_str());
        let merge = config.string(format!("branch.{branch}.merge").as_str());
        if let (Some(remote), Some(merge)) = (remote, merge) {
            let merge = short_ref_name(merge.as_ref());
            upstreams.insert(branch.into_owned(), format!("{remote}/{merge}"));
        }
    }
    Ok(Snapshot {
        head,
        refs,
        upstreams,
        stash: read_stash(repo),
        index: read_index(repo)?,
        worktrees: read_worktrees(repo),
        in_progress: repo.state(),
    })
}

fn read_head(repo: &gix::Repository) -> anyhow::Result<Head> {
    let head = repo.head()?;
    let tip = head.id().map(|id| id.detach());
    Ok(match head.referent_name() {
        Some(name) => Head::Branch {
            name: name.as_bstr().to_owned(),
            tip,
        },
        None => Head::Detached(tip.ok_or_else(|| anyhow::anyhow!("detached HEAD without an id"))?),
    })
}

/// The stash reflog, newest first. A missing or unreadable stash is an empty one.
fn read_stash(repo: &gix::Repository) -> Vec<gix::ObjectId> {
    let Ok(Some(reference)) = repo.try_find_reference("refs/stash") else {
        return Vec::new();
    };
    let mut log = reference.log_iter();
    let Ok(Some(entries)) = log.rev() else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|line| line.new_oid)
        .collect()
}

fn read_index(repo: &gix::Repository) -> anyhow::Result<IndexMap> {
    let mut map = IndexMap::new();
    // No index file yet (a fresh repository) is an empty index, as git reads it.
    let index = crate::index_read::load(repo)?;
    for entry in index.entries() {
        map.insert(
            (entry.path(&index).to_owned(), entry.stage_raw() as u8),
            IndexEntry {
                mode: entry.mode.bits(),
                id: entry.id,
            },
        );
    }
    Ok(map)
}

fn read_worktrees(repo: &gix::Repository) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let Ok(worktrees) = repo.worktrees() else {
        return out;
    };
    for proxy in worktrees {
        let Ok(path) = proxy.base() else {
            continue;
        };
        let checked_out = proxy
            .into_repo_with_possibly_inaccessible_worktree()
            .ok()
            .and_then(|wt| {
                let head = wt.head().ok()?;
                match head.referent_name() {
                    Some(name) => Some(short_ref_name(name.as_bstr())),
                    None => head
                        .id()
                        .and_then(|id| crate::render::short_id(repo, id.detach()).ok()),
                }
            })
            .unwrap_or_default();
        out.insert(path, checked_out);
    }
    out
}
