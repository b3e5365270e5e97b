//! `git rtk-diff`: one header line per file and every added/removed line exactly as git prints it.

use crate::command::Outcome;
use crate::command::{Command, Entry, Kind};
use crate::diff::changes::{self, Target};
use crate::diff::options::{OutputOptions, OUTPUT_OPTIONS};
use crate::git_size::{self, patch::GitDiffSize};
use crate::history::revisions;
use crate::options::{self, flag, Flag, Parsed};
use crate::repo;

pub const COMMAND: Command = Command {
    name: "diff",
    kind: Kind::Read,
    summary: "changes between commits, the index and the working tree, compact",
    synopsis: &["[<options>] [<commit> [<commit>]] [--] [<path>...]"],
    about: "Per file one header line (status, path, mode change, binary), then git's hunks with 0 lines of\ncontext: every added and removed line exactly as git prints it.",
    syntax: options::REVISIONS,
    table: &[OPTIONS, OUTPUT_OPTIONS],
    entry: Entry::Native(run),
};

const OPTIONS: &[Flag] = &[
    flag(
        None,
        "cached",
        "staged changes (index against HEAD or <commit>)",
    ),
    flag(None, "staged", "the same as --cached"),
];

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    let mut cached = false;
    let mut output = OutputOptions::default();
    for given in &parsed.given {
        match given.flag.name().as_str() {
            "cached" | "staged" => cached = true,
            _ if output.accept(given) => {}
            _ => return Ok(Outcome::pass_through("option value not served natively")),
        }
    }
    let form = output.form();
    // Outside a repository git diff turns into `--no-index` with its own usage rules.
    let Ok(repo) = repo::open() else {
        return Ok(Outcome::pass_through(
            "no repository: git diff --no-index semantics",
        ));
    };
    if !crate::diff::plain_content_rules(&repo) {
        return Ok(Outcome::pass_through(
            "attributes or eol conversion in effect",
        ));
    }
    let prefix = repo::prefix(&repo)?;
    // Without `--`, git reads the words up to the first existing path as revisions and the rest
    // as paths; a path word that also names a revision is ambiguous, git's error to report.
    let words = &parsed.operands;
    let first_path = words
        .iter()
        .position(|w| revisions::word_is_existing_path(&repo, &prefix, w))
        .unwrap_or(words.len());
    let (revision_words, path_words) = words.split_at(first_path);
    if path_words.iter().any(|w| {
        !revisions::word_is_existing_path(&repo, &prefix, w)
            || repo.rev_parse_single(w.as_str()).is_ok()
    }) {
        return Ok(Outcome::pass_through(
            "a word git must judge as path or revision",
        ));
    }
    let Some(target) = target(&repo, &prefix, revision_words, cached)? else {
        return Ok(Outcome::pass_through(
            "revision arguments need git's judgement",
        ));
    };
    if !matches!(target, Target::TreeToTree(..)) && repo.workdir().is_none() {
        return Ok(Outcome::pass_through("bare repository"));
    }
    let mut paths = Vec::new();
    let typed_paths = path_words
        .iter()
        .cloned()
        .chain(parsed.after_double_dash.clone().unwrap_or_default());
    for path in typed_paths {
        match crate::paths::repository_path(&prefix, &path) {
            Some(path) => paths.push(path),
            None => return Ok(Outcome::pass_through("pathspec magic")),
        }
    }
    let Some(changes) = changes::collect(&repo, target, &paths)? else {
        return Ok(Outcome::pass_through("state rendered by git"));
    };
    let mut out = Vec::new();
    let mut git_size =
        git_size::wanted().then(|| GitDiffSize::for_repo(&repo, output.context_given()));
    if crate::diff::output::write(&repo, &changes, form, &mut out, git_size.as_mut())?.is_none() {
        return Ok(Outcome::pass_through("form rendered by git"));
    }
    Ok(Outcome::success(out).with_git_size(git_size.map(|n| n.bytes as u64)))
}

/// The two states the positional words ask for, or `None` to let git decide.
fn target(
    repo: &gix::Repository,
    prefix: &str,
    words: &[String],
    cached: bool,
) -> anyhow::Result<Option<Target>> {
    if words
        .iter()
        .any(|w| revisions::word_is_existing_path(repo, prefix, w))
    {
        return Ok(None);
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
