//! Whole-repository state, captured after the command in each twin and compared byte for byte.
//!
//! Two views: what git reports about the repository in the command's context (HEAD, every ref,
//! index entries with mode, id and stage, worktrees), and every file under the case directory —
//! worktree files, the git directory (config, refs, logs, `index.lock`, `MERGE_HEAD`,
//! `rebase-merge/`, objects…) and `HOME` — with type, permission bits, content and symlink targets.
//! Index files are the one exception: their stat data legitimately differs between two builds of
//! the same fixture, so their entries are compared through `ls-files` instead of their bytes.

use std::collections::BTreeMap;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::case::Case;
use super::env::{CaseEnv, Side, Toolchain};
use super::invoke;
use super::text;

/// The git queries that make up the repository view, each run with `safe.directory=*` so that even
/// a repository git refuses to work in can be inspected.
const GIT_VIEWS: &[(&str, &[&str])] = &[
    ("git directory", &["rev-parse", "--absolute-git-dir"]),
    ("HEAD (symbolic)", &["symbolic-ref", "-q", "HEAD"]),
    ("HEAD (id)", &["rev-parse", "-q", "--verify", "HEAD"]),
    (
        "refs",
        &[
            "for-each-ref",
            "--format=%(objectname) %(refname) %(symref)",
        ],
    ),
    ("index entries", &["ls-files", "--stage", "-z"]),
    ("index flags", &["ls-files", "-t", "-v", "-z"]),
    ("worktrees", &["worktree", "list", "--porcelain"]),
    ("staged", STAGED_STATUS),
];

/// Staged and unmerged paths as `git status --short` spells them; `--no-optional-locks` keeps the
/// query from refreshing the index. Also the mutating commands' fact query.
pub const STAGED_STATUS: &[&str] = &[
    "--no-optional-locks",
    "-c",
    "color.status=false",
    "status",
    "--short",
    "-uno",
];

/// One git query and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitView {
    pub label: &'static str,
    pub exit_code: i32,
    pub stdout: Vec<u8>,
}

/// A file-system entry under the case directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir { mode: u32 },
    File { mode: u32, content: Content },
    Symlink { target: Vec<u8> },
    Other { mode: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// An index file: compared through `ls-files` (its stat data differs between twins).
    IndexFile,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoState {
    pub views: Vec<GitView>,
    /// Path relative to the case directory (`repo/…`, `home/…`) → entry.
    pub files: BTreeMap<Vec<u8>, Entry>,
}

/// Captures the state of the twin currently built in `env`.
pub fn capture(env: &CaseEnv, toolchain: &Toolchain, case: &Case) -> Result<RepoState, String> {
    let mut views = Vec::with_capacity(GIT_VIEWS.len());
    for (label, args) in GIT_VIEWS {
        let mut full_args = vec!["-c", "safe.directory=*"];
        full_args.extend_from_slice(args);
        let command = env.git_in_context(toolchain, case, Side::Git, full_args);
        let output = invoke::run(command, &format!("state capture `git {}`", args.join(" ")))?;
        views.push(GitView {
            label,
            exit_code: output.exit_code,
            stdout: output.stdout,
        });
    }
    let mut files = BTreeMap::new();
    walk(&env.case_dir, &env.case_dir, &mut files)?;
    Ok(RepoState { views, files })
}

fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<Vec<u8>, Entry>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|err| format!("cannot stat {}: {err}", path.display()))?;
        let mut relative = path
            .strip_prefix(root)
            .map_err(|err| format!("{} is outside {}: {err}", path.display(), root.display()))?
            .as_os_str()
            .as_bytes()
            .to_vec();
        if is_shared_index_file(&path) {
            // Named after a hash of its content, stat data included: the twins' names differ.
            // What counts is how many there are; their entries are compared through `ls-files`.
            relative.truncate(relative.len() - path.file_name().map_or(0, |n| n.len()));
            let numbered =
                |n: usize| [relative.as_slice(), format!("sharedindex.#{n}").as_bytes()].concat();
            let n = (0..)
                .find(|&n| !files.contains_key(&numbered(n)))
                .unwrap_or(0);
            relative = numbered(n);
        }
        let mode = meta.permissions().mode() & 0o7777;
        let kind = meta.file_type();
        let recorded = if kind.is_symlink() {
            let target = std::fs::read_link(&path)
                .map_err(|err| format!("cannot read link {}: {err}", path.display()))?;
            Entry::Symlink {
                target: target.as_os_str().as_bytes().to_vec(),
            }
        } else if kind.is_dir() {
            walk(root, &path, files)?;
            Entry::Dir { mode }
        } else if kind.is_file() {
            let content = if is_index_file(&path) || is_shared_index_file(&path) {
                Content::IndexFile
            } else {
                Content::Bytes(
                    std::fs::read(&path)
                        .map_err(|err| format!("cannot read {}: {err}", path.display()))?,
                )
            };
            Entry::File { mode, content }
        } else {
            Entry::Other { mode }
        };
        files.insert(relative, recorded);
    }
    Ok(())
}

/// `index` inside a git directory (next to a `HEAD`): the main index, a linked worktree's, a
/// submodule's.
fn is_index_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "index")
        && path
            .parent()
            .is_some_and(|dir| std::fs::symlink_metadata(dir.join("HEAD")).is_ok())
}

/// A split index's shared part, `sharedindex.<id>` inside a git directory.
fn is_shared_index_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.as_bytes().starts_with(b"sharedindex."))
        && path
            .parent()
            .is_some_and(|dir| std::fs::symlink_metadata(dir.join("HEAD")).is_ok())
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Dir { mode } => write!(f, "directory {mode:04o}"),
            Entry::File {
                mode,
                content: Content::Bytes(bytes),
            } => write!(
                f,
                "file {mode:04o}, {} bytes: {:?}",
                bytes.len(),
                text::excerpt(bytes, 80)
            ),
            Entry::File {
                mode,
                content: Content::IndexFile,
            } => write!(f, "index file {mode:04o}"),
            Entry::Symlink { target } => write!(f, "symlink -> {}", text::show(target)),
            Entry::Other { mode } => write!(f, "special file {mode:04o}"),
        }
    }
}

/// Lines describing how the plugin twin's state differs from the git twin's; empty when equal.
pub fn differences(git: &RepoState, plugin: &RepoState) -> Vec<String> {
    const LIMIT: usize = 40;
    let mut found = Vec::new();
    for (git_view, plugin_view) in git.views.iter().zip(&plugin.views) {
        if git_view != plugin_view {
            found.push(format!(
                "git's `{}` differs:\n      git twin (exit {}): {:?}\n      plugin twin (exit {}): {:?}",
                git_view.label,
                git_view.exit_code,
                text::excerpt(&git_view.stdout, 600),
                plugin_view.exit_code,
                text::excerpt(&plugin_view.stdout, 600)
            ));
        }
    }
    let paths: std::collections::BTreeSet<&Vec<u8>> =
        git.files.keys().chain(plugin.files.keys()).collect();
    for path in paths {
        let shown = text::show(path);
        match (git.files.get(path), plugin.files.get(path)) {
            (Some(_), None) => found.push(format!("{shown}: only in the git twin")),
            (None, Some(entry)) => {
                found.push(format!("{shown}: only in the plugin twin ({entry})"))
            }
            (Some(a), Some(b)) if a != b => {
                let first_difference = match (a, b) {
                    (
                        Entry::File {
                            content: Content::Bytes(a),
                            ..
                        },
                        Entry::File {
                            content: Content::Bytes(b),
                            ..
                        },
                    ) => first_differing_line(a, b),
                    _ => String::new(),
                };
                found.push(format!(
                    "{shown}:\n      git twin: {a}\n      plugin twin: {b}{first_difference}"
                ));
            }
            _ => {}
        }
    }
    if found.len() > LIMIT {
        let more = found.len() - LIMIT;
        found.truncate(LIMIT);
        found.push(format!("[… {more} more differences]"));
    }
    found
}

/// Where two file contents part, for a message.
fn first_differing_line(a: &[u8], b: &[u8]) -> String {
    let (a_lines, b_lines) = (text::lines(a), text::lines(b));
    let at = a_lines
        .iter()
        .zip(&b_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(a_lines.len().min(b_lines.len()));
    let line = |lines: &[&[u8]]| {
        lines.get(at).map_or("(end of file)".to_owned(), |line| {
            format!("{:?}", text::show(line))
        })
    };
    format!(
        "\n      first difference at line {}: git twin {}, plugin twin {}",
        at + 1,
        line(&a_lines),
        line(&b_lines)
    )
}
