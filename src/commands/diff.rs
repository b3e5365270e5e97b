//! `git rtk-diff`: one header line per file and every added/removed line exactly as git prints it.

use std::ffi::OsString;

use crate::args::{self, SplitError};
use crate::diff::changes::{self, Target};
use crate::diff::render::{self, Form};
use crate::help;
use crate::history::revisions;
use crate::plugin::Outcome;
use crate::repo;

const USAGE: &str = "\
usage: git rtk-diff [<options>] [<commit> [<commit>]] [--] [<path>...]

Per file one header line (status, path, mode change, binary), then git's hunks with 0 lines of
context: every added and removed line exactly as git prints it.

    --cached, --staged        staged changes (index against HEAD or <commit>)
    -U<n>, --unified=<n>      show <n> lines of context
    --stat                    `path +added -removed` per file and git's summary line
    --numstat, --name-only, --name-status
                              exactly as git prints them

Any other option runs `git diff` unchanged.
";

pub fn run(args: &[OsString]) -> anyhow::Result<Outcome> {
    let split = match args::split(args, "", "") {
        Ok(split) => split,
        Err(SplitError::Help) => return Ok(help::usage(USAGE)),
        Err(SplitError::NotUtf8) => return Ok(Outcome::pass_through("non UTF-8 argument")),
    };
    let mut cached = false;
    let mut form = Form::Patch { context: 0 };
    let mut context = 0;
    for option in &split.options {
        match option.as_str() {
            "--cached" | "--staged" => cached = true,
            "--stat" => form = Form::Stat,
            "--numstat" => form = Form::NumStat,
            "--name-only" => form = Form::NameOnly,
            "--name-status" => form = Form::NameStatus,
            "-p" | "--patch" | "-u" => {}
            other => {
                let value = other
                    .strip_prefix("-U")
                    .or_else(|| args::long_value(other, "--unified"));
                match value.and_then(|v| v.parse::<u32>().ok()) {
                    Some(n) => context = n,
                    None => return Ok(Outcome::pass_through("option not served natively")),
                }
            }
        }
    }
    if let Form::Patch { .. } = form {
        form = Form::Patch { context };
    }
    // Outside a repository git diff turns into `--no-index` with its own usage rules.
    let Ok(repo) = repo::open() else {
        return Ok(Outcome::pass_through(
            "no repository: git diff --no-index semantics",
        ));
    };
    if !plain_content_rules(&repo) {
        return Ok(Outcome::pass_through(
            "attributes or eol conversion in effect",
        ));
    }
    let Some(target) = target(&repo, &split.positionals, cached)? else {
        return Ok(Outcome::pass_through(
            "revision arguments need git's judgement",
        ));
    };
    if !matches!(target, Target::TreeToTree(..)) && repo.workdir().is_none() {
        return Ok(Outcome::pass_through("bare repository"));
    }
    let prefix = repo
        .prefix()?
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut paths = Vec::new();
    for path in split.after_double_dash.unwrap_or_default() {
        match revisions::repo_relative(&prefix, &path) {
            Some(path) => paths.push(path),
            None => return Ok(Outcome::pass_through("pathspec magic")),
        }
    }
    let Some(changes) = changes::collect(&repo, target, &paths)? else {
        return Ok(Outcome::pass_through("state rendered by git"));
    };
    let mut out = Vec::new();
    if render::render(&repo, &changes, form, &mut out)?.is_none() {
        return Ok(Outcome::pass_through("form rendered by git"));
    }
    Ok(Outcome::success(out))
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

/// The two states the positional words ask for, or `None` to let git decide.
fn target(
    repo: &gix::Repository,
    words: &[String],
    cached: bool,
) -> anyhow::Result<Option<Target>> {
    let prefix = repo
        .prefix()?
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(workdir) = repo.workdir() {
        if words
            .iter()
            .any(|w| std::fs::symlink_metadata(workdir.join(&prefix).join(w)).is_ok())
        {
            return Ok(None);
        }
    }
    let tree = |spec: &str| -> Option<gix::ObjectId> {
        let spec = if spec.is_empty() { "HEAD" } else { spec };
        if spec.starts_with('-') {
            return None;
        }
        let id = repo.rev_parse_single(spec).ok()?;
        Some(id.object().ok()?.peel_to_tree().ok()?.id)
    };
    Ok(match (words, cached) {
        ([], false) => Some(Target::IndexToWorktree),
        ([], true) => match repo.head()?.id() {
            Some(_) => tree("HEAD").map(|t| Target::TreeToIndex(Some(t))),
            None => Some(Target::TreeToIndex(None)),
        },
        ([one], _) if one.contains("...") => {
            let Some((a, b)) = one.split_once("...") else {
                return Ok(None);
            };
            let (Some(a), Some(b)) = (
                revisions::commit_of(repo, if a.is_empty() { "HEAD" } else { a }),
                revisions::commit_of(repo, if b.is_empty() { "HEAD" } else { b }),
            ) else {
                return Ok(None);
            };
            if cached {
                return Ok(None);
            }
            match repo.merge_base(a, b)? {
                Some(base) => {
                    let base_tree = repo.find_commit(base.detach())?.tree_id()?.detach();
                    let new_tree = repo.find_commit(b)?.tree_id()?.detach();
                    Some(Target::TreeToTree(Some(base_tree), new_tree))
                }
                None => None,
            }
        }
        ([one], false) if one.contains("..") => {
            let Some((a, b)) = one.split_once("..") else {
                return Ok(None);
            };
            match (tree(a), tree(b)) {
                (Some(a), Some(b)) => Some(Target::TreeToTree(Some(a), b)),
                _ => None,
            }
        }
        ([one], true) => tree(one).map(|t| Target::TreeToIndex(Some(t))),
        ([one], false) => tree(one).map(Target::TreeToWorktree),
        ([a, b], false) if !a.contains("..") && !b.contains("..") => match (tree(a), tree(b)) {
            (Some(a), Some(b)) => Some(Target::TreeToTree(Some(a), b)),
            _ => None,
        },
        _ => None,
    })
}
