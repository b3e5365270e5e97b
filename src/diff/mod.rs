//! Diffs as git computes them, rendered compactly: which files changed (`changes`), their line
//! hunks (`hunks`), and the output forms (`render`).

pub mod changes;
pub mod definitions;
pub mod from_git;
pub mod hunks;
pub mod options;
pub mod output;
pub mod render;
pub mod report;
pub mod tree_index;
pub mod tree_tree;

use gix::bstr::BString;

/// One side of a file change.
#[derive(Debug, Clone)]
pub struct Side {
    pub path: BString,
    /// git's octal mode: 100644, 100755, 120000, 160000.
    pub mode: u32,
    pub content: Content,
}

impl Side {
    /// A side whose content is a blob in the object database.
    pub fn blob(path: BString, mode: u32, id: gix::ObjectId) -> Self {
        Side {
            path,
            mode,
            content: Content::Blob(id),
        }
    }
}

/// Where a side's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    Blob(gix::ObjectId),
    /// A file in the work tree (its link target for symlinks).
    Worktree(std::path::PathBuf),
    /// A submodule's work tree: the commit checked out in it, and whether its tracked content
    /// differs from that commit (git's `-dirty`).
    Submodule {
        head: gix::ObjectId,
        dirty: bool,
    },
}

/// What happened to a path, as `git diff --name-status` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
    TypeChanged,
    Renamed { exact: bool },
    Copied { exact: bool },
}

#[derive(Debug, Clone)]
pub struct FileChange {
    pub kind: ChangeKind,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

impl FileChange {
    pub fn added(new: Side) -> Self {
        FileChange {
            kind: ChangeKind::Added,
            old: None,
            new: Some(new),
        }
    }

    pub fn deleted(old: Side) -> Self {
        FileChange {
            kind: ChangeKind::Deleted,
            old: Some(old),
            new: None,
        }
    }

    /// A path changed in place: a type change when the modes' file types differ.
    pub fn modified(old: Side, new: Side) -> Self {
        let type_changed = (old.mode & 0o170000) != (new.mode & 0o170000);
        FileChange {
            kind: if type_changed {
                ChangeKind::TypeChanged
            } else {
                ChangeKind::Modified
            },
            old: Some(old),
            new: Some(new),
        }
    }

    /// A rename or copy from `old` to `new`; exact when the content is identical.
    pub fn rewritten(old: Side, new: Side, copy: bool) -> Self {
        let exact = match (&old.content, &new.content) {
            (Content::Blob(a), Content::Blob(b)) => a == b,
            _ => false,
        };
        FileChange {
            kind: if copy {
                ChangeKind::Copied { exact }
            } else {
                ChangeKind::Renamed { exact }
            },
            old: Some(old),
            new: Some(new),
        }
    }

    /// Both sides are submodules at the same commit: only the work tree is dirty. git then prints
    /// no `index` line and counts no changed lines in `--stat`/`--numstat`, though its patch
    /// shows the `-dirty` line.
    pub fn is_dirty_submodule_only(&self) -> bool {
        match (&self.old, &self.new) {
            (
                Some(Side {
                    content: Content::Blob(old),
                    mode: 0o160000,
                    ..
                }),
                Some(Side {
                    content: Content::Submodule { head, .. },
                    ..
                }),
            ) => old == head,
            _ => false,
        }
    }

    /// The path git sorts and filters by: the destination.
    pub fn path(&self) -> &BString {
        match (&self.new, &self.old) {
            (Some(new), _) => &new.path,
            (None, Some(old)) => &old.path,
            (None, None) => unreachable!("a change has at least one side"),
        }
    }
}

/// Reads the bytes of one side.
pub fn load(repo: &gix::Repository, side: &Side) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context as _;
    match &side.content {
        Content::Blob(id) if side.mode == 0o160000 => {
            Ok(format!("Subproject commit {id}\n").into_bytes())
        }
        Content::Blob(id) => Ok(repo.find_blob(*id)?.take_data()),
        Content::Submodule { head, dirty } => {
            let dirty = if *dirty { "-dirty" } else { "" };
            Ok(format!("Subproject commit {head}{dirty}\n").into_bytes())
        }
        Content::Worktree(path) => {
            if side.mode == 0o120000 {
                let target = std::fs::read_link(path)
                    .with_context(|| format!("reading link {}", path.display()))?;
                Ok(gix::path::into_bstr(target)?.to_vec())
            } else {
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))
            }
        }
    }
}

/// Worktree content is diffed as stored on disk; attributes (diff drivers, textconv, binary,
/// eol) and `core.autocrlf` change what git compares, so those repositories go to git.
pub fn plain_content_rules(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    let autocrlf_off = config
        .string("core.autocrlf")
        .is_none_or(|v| v.as_slice() == b"false");
    let attributes_file = config.string("core.attributesFile").is_none();
    let root_attributes = repo
        .workdir()
        .is_none_or(|w| !w.join(".gitattributes").exists());
    let info_attributes = !repo.common_dir().join("info/attributes").exists();
    autocrlf_off && attributes_file && root_attributes && info_attributes
}

/// git's `buffer_is_binary`: a NUL byte in the first 8000 bytes.
pub fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8000)].contains(&0)
}
