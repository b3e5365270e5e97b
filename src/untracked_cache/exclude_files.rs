//! The ids git gives the exclude files the untracked cache depends on, computed as git computes
//! them (`dir.c`, `add_patterns`): a file's content with a newline appended, hashed as a blob (the
//! buffer git parses gets that newline before it is hashed); an empty file is the empty blob; a
//! missing file has no id. A tracked `.gitignore` unchanged since the index recorded it takes the
//! index's id instead, unless git would convert it on the way in (see [`super::convert`]).

use std::io::Read as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use gix::bstr::BStr;
use gix::hash::ObjectId;

/// The ids of the two exclude files git reads for every directory: `$GIT_COMMON_DIR/info/exclude`
/// and `core.excludesFile` (by default `$XDG_CONFIG_HOME/git/ignore`, else
/// `$HOME/.config/git/ignore`), as `setup_standard_excludes` reads them.
pub struct Global {
    pub info_exclude: Option<ObjectId>,
    pub excludes_file: Option<ObjectId>,
}

impl Global {
    /// `None` where git would warn about or refuse one of the files.
    pub fn of(repo: &gix::Repository, workdir: &Path) -> anyhow::Result<Option<Global>> {
        let hash = repo.object_hash();
        let info_exclude = repo.common_dir().join("info").join("exclude");
        let Some(info_exclude) = global_file_id(&info_exclude, hash) else {
            return Ok(None);
        };
        let excludes_file = match excludes_file_path(repo, workdir)? {
            None => return Ok(None),
            Some(None) => None,
            Some(Some(path)) => match global_file_id(&path, hash) {
                Some(id) => id,
                None => return Ok(None),
            },
        };
        Ok(Some(Global {
            info_exclude,
            excludes_file,
        }))
    }
}

/// `core.excludesFile` with `~` expanded, relative to the work tree's top (where git runs), or the
/// XDG default (`repo_excludes_file`, `xdg_config_home`); `Some(None)` without either. `None`
/// where the setting comes from a file gix does not trust, whose paths it does not interpolate.
fn excludes_file_path(
    repo: &gix::Repository,
    workdir: &Path,
) -> anyhow::Result<Option<Option<PathBuf>>> {
    let config = repo.config_snapshot();
    if config.string("core.excludesFile").is_some() {
        return Ok(config
            .trusted_path("core.excludesFile")?
            .map(|path| Some(workdir.join(path))));
    }
    let xdg = std::env::var_os("XDG_CONFIG_HOME").filter(|dir| !dir.is_empty());
    Ok(Some(match xdg {
        Some(dir) => Some(PathBuf::from(dir).join("git").join("ignore")),
        None => std::env::var_os("HOME").map(|home| {
            PathBuf::from(home)
                .join(".config")
                .join("git")
                .join("ignore")
        }),
    }))
}

/// The id of a global exclude file: `Some(None)` when it is missing (git's `access_or_warn` is
/// silent for `ENOENT` and `ENOTDIR`), `None` when git would warn (unreadable) or die (it cannot
/// be read after all).
fn global_file_id(path: &Path, hash: gix::hash::Kind) -> Option<Option<ObjectId>> {
    match rustix::fs::access(path, rustix::fs::Access::READ_OK) {
        Ok(()) => {}
        Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => return Some(None),
        Err(_) => return None,
    }
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    content_id(&mut file, len, hash).map(Some)
}

/// What git reads for a directory's `.gitignore` (opened without following a symlink).
pub enum DirectoryFile {
    /// No such file, and no skip-worktree entry for it: no id.
    Missing,
    /// A regular file, and its `fstat` data.
    Present(std::fs::File, rustix::fs::Stat),
}

/// Opens `path` as `add_patterns` opens a `.gitignore`; `None` where git would warn (a symlink,
/// no permission) or read something other than a file.
pub fn open_directory_file(path: &Path) -> Option<DirectoryFile> {
    match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(file) => {
            let stat = rustix::fs::fstat(&file).ok()?;
            (stat.st_mode & libc::S_IFMT == libc::S_IFREG)
                .then_some(DirectoryFile::Present(file, stat))
        }
        Err(err) if matches!(err.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
            Some(DirectoryFile::Missing)
        }
        Err(_) => None,
    }
}

/// The id git gives a directory's `.gitignore` at `rela_path`; `None` where it cannot be told
/// here the way git tells it.
pub fn directory_file_id(
    repo: &gix::Repository,
    index: &gix::index::State,
    workdir: &Path,
    rela_path: &BStr,
    conversions: &mut super::convert::Conversions<'_>,
) -> anyhow::Result<Option<Option<ObjectId>>> {
    let path = workdir.join(gix::path::from_bstr(rela_path)?);
    let entry = index
        .entry_by_path_and_stage(rela_path, gix::index::entry::Stage::Unconflicted)
        .filter(|entry| {
            !entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        });
    let (mut file, stat) = match open_directory_file(&path) {
        None => return Ok(None),
        Some(DirectoryFile::Present(file, stat)) => (file, stat),
        Some(DirectoryFile::Missing) => {
            // Not in the work tree: git reads a skip-worktree entry's blob instead.
            return Ok(match entry {
                Some(entry)
                    if entry
                        .flags
                        .contains(gix::index::entry::Flags::SKIP_WORKTREE) =>
                {
                    Some(Some(entry.id))
                }
                _ => Some(None),
            });
        }
    };
    let len = u64::try_from(stat.st_size)?;
    if len == 0 {
        return Ok(Some(Some(ObjectId::empty_blob(repo.object_hash()))));
    }
    if let Some(entry) = entry.filter(|entry| is_up_to_date(entry, &stat)) {
        match conversions.would_convert_to_git(rela_path)? {
            Some(false) => return Ok(Some(Some(entry.id))),
            Some(true) => {}
            None => return Ok(None),
        }
    }
    Ok(content_id(&mut file, len, repo.object_hash()).map(Some))
}

/// Whether git's refresh would mark `entry` up to date for a file with `stat`: skip-worktree and
/// assume-unchanged entries always are; otherwise every recorded stat field equals the file's
/// (a superset of what git compares) with the same kind and executable bit.
fn is_up_to_date(entry: &gix::index::Entry, stat: &rustix::fs::Stat) -> bool {
    use gix::index::entry::{Flags, Mode};
    if entry
        .flags
        .intersects(Flags::SKIP_WORKTREE | Flags::ASSUME_VALID)
    {
        return true;
    }
    let executable = stat.st_mode & libc::S_IXUSR != 0;
    let mode_agrees = match entry.mode {
        Mode::FILE => !executable,
        Mode::FILE_EXECUTABLE => executable,
        _ => false,
    };
    mode_agrees && crate::worktree_status::recorded_stat(stat) == Some(entry.stat)
}

/// `len` bytes of `file` with a newline appended, hashed as a blob; the empty blob for an empty
/// file. `None` when the file does not hold `len` bytes (git fails to read it).
fn content_id(file: &mut std::fs::File, len: u64, hash: gix::hash::Kind) -> Option<ObjectId> {
    if len == 0 {
        return Some(ObjectId::empty_blob(hash));
    }
    let mut content = Vec::with_capacity(usize::try_from(len).ok()? + 1);
    file.take(len).read_to_end(&mut content).ok()?;
    if content.len() as u64 != len {
        return None;
    }
    content.push(b'\n');
    gix::objs::compute_hash(hash, gix::object::Kind::Blob, &content).ok()
}
