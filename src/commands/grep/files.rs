//! Which files `git grep` searches, and their content: the tracked regular files of the work
//! tree (as the index lists them), of the index (`--cached`), or of a tree (`<rev>`), limited by
//! pathspecs and, without any, to the current directory — as git limits it.

use gix::bstr::{BStr, BString, ByteSlice};

use super::GrepRequest;

/// Where the searched content comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Worktree,
    Index,
    /// A revision's tree, named as the user typed it (git prints it before each path).
    Tree(String),
}

/// The search the operands ask for.
pub struct Wanted {
    pub source: Source,
    /// Repository-relative directories or files; empty means the whole tree.
    pathspecs: Vec<BString>,
}

/// One file to search.
pub struct SearchFile {
    /// Repository-relative.
    pub path: BString,
    content: Content,
}

enum Content {
    Worktree(std::path::PathBuf),
    Blob(gix::ObjectId),
}

impl Wanted {
    /// The search `request` names, or `None` when git must judge its operands (several
    /// revisions, a name that is both a revision and a file, a path that does not exist,
    /// pathspec magic or wildcards).
    pub fn read(
        repo: &gix::Repository,
        prefix: &str,
        request: &GrepRequest,
    ) -> anyhow::Result<Option<Wanted>> {
        let Some(workdir) = repo.workdir() else {
            return Ok(None);
        };
        let cwd = workdir.join(prefix);
        let mut revs = Vec::new();
        let mut typed_paths = Vec::new();
        for operand in &request.operands {
            let is_file = cwd.join(operand).symlink_metadata().is_ok();
            if typed_paths.is_empty() && repo.rev_parse_single(operand.as_str()).is_ok() {
                if is_file {
                    // git calls this ambiguous.
                    return Ok(None);
                }
                revs.push(operand.clone());
            } else if is_file {
                typed_paths.push(operand.clone());
            } else {
                return Ok(None);
            }
        }
        typed_paths.extend(request.pathspecs.iter().cloned());
        let source = match (revs.as_slice(), request.cached) {
            ([], false) => Source::Worktree,
            ([], true) => Source::Index,
            // git prints paths after `<rev>:` relative to the top only from there.
            ([rev], false) if prefix.is_empty() => Source::Tree(rev.clone()),
            _ => return Ok(None),
        };
        let mut pathspecs = Vec::with_capacity(typed_paths.len());
        for typed in &typed_paths {
            match crate::paths::repository_path(prefix, typed) {
                Some(path) => pathspecs.push(path),
                None => return Ok(None),
            }
        }
        if pathspecs.is_empty() && !prefix.is_empty() {
            pathspecs.push(BString::from(prefix.trim_end_matches('/')));
        }
        Ok(Some(Wanted { source, pathspecs }))
    }

    fn selects(&self, path: &BStr) -> bool {
        self.pathspecs.is_empty()
            || self.pathspecs.iter().any(|spec| {
                spec.is_empty()
                    || path == spec.as_bstr()
                    || (path.starts_with(spec.as_slice()) && path.get(spec.len()) == Some(&b'/'))
            })
    }
}

/// The regular files to search, in git's order (by path), or `None` for an index git searches in
/// its own way (conflicts, sparse or intent-to-add entries).
pub fn list(repo: &gix::Repository, wanted: &Wanted) -> anyhow::Result<Option<Vec<SearchFile>>> {
    use gix::index::entry::{Flags, Mode};
    let mut files = Vec::new();
    match &wanted.source {
        Source::Worktree | Source::Index => {
            let index = crate::index_read::index_or_empty(repo)?;
            let workdir = repo.workdir().map(ToOwned::to_owned).unwrap_or_default();
            for entry in index.entries() {
                if entry.stage_raw() != 0
                    || entry
                        .flags
                        .intersects(Flags::SKIP_WORKTREE | Flags::INTENT_TO_ADD)
                {
                    return Ok(None);
                }
                let path = entry.path(&index);
                if !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE)
                    || !wanted.selects(path)
                {
                    continue;
                }
                let content = match wanted.source {
                    Source::Worktree => {
                        Content::Worktree(workdir.join(gix::path::from_bstr(path)?))
                    }
                    _ => Content::Blob(entry.id),
                };
                files.push(SearchFile {
                    path: path.to_owned(),
                    content,
                });
            }
        }
        Source::Tree(rev) => {
            let Ok(tree) = repo
                .rev_parse_single(rev.as_str())
                .map_err(anyhow::Error::from)
                .and_then(|id| Ok(id.object()?.peel_to_tree()?))
            else {
                return Ok(None);
            };
            let mut recorder = gix::traverse::tree::Recorder::default();
            tree.traverse().breadthfirst(&mut recorder)?;
            for entry in recorder.records {
                let mode = u32::from(entry.mode.value());
                if (mode == 0o100644 || mode == 0o100755)
                    && wanted.selects(entry.filepath.as_bstr())
                {
                    files.push(SearchFile {
                        path: entry.filepath,
                        content: Content::Blob(entry.oid),
                    });
                }
            }
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }
    Ok(Some(files))
}

/// The file's content: `Skip` for a tracked work-tree file that is gone or is now a directory
/// (git skips both without a word), `Git` for one that is now a symlink or something else.
pub enum Read {
    Content(Vec<u8>),
    Skip,
    Git,
}

pub fn read(repo: &gix::Repository, file: &SearchFile) -> anyhow::Result<Read> {
    match &file.content {
        Content::Blob(id) => Ok(Read::Content(repo.find_blob(*id)?.take_data())),
        Content::Worktree(path) => match path.symlink_metadata() {
            Ok(meta) if meta.is_file() => Ok(Read::Content(std::fs::read(path)?)),
            Ok(meta) if meta.is_dir() => Ok(Read::Skip),
            Ok(_) => Ok(Read::Git),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Read::Skip),
            Err(error) => Err(error.into()),
        },
    }
}
