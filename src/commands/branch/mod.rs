//! `git rtk-branch`: the branch listing, served natively (see docs/output.md).
//!
//! Lists local and remote-tracking branches as `git branch` does — same selection, same order, the
//! same `*`/`+` markers and detached-HEAD description — and always adds each branch's upstream with
//! ahead/behind. Everything that changes branches (create, delete, rename, copy, upstream and
//! description edits) and every option or configuration this module does not reproduce exactly runs
//! `git branch` with the identical argv instead. It never writes to the repository.

use std::ffi::OsString;

use anyhow::Context as _;
use gix::refs::FullName;
use gix::ObjectId;

use crate::help;
use crate::plugin::Outcome;
use crate::repo;

mod detached;
mod filters;
mod listing;
mod worktrees;

use detached::*;
use filters::*;
use listing::*;
use worktrees::*;

const USAGE: &str = "\
usage: git rtk-branch [<options>] [-r | -a] [--merged] [--no-merged]
   or: git rtk-branch [<options>] [-l] [<pattern>...]

Compact `git branch` listing: `*` current, `+` checked out in another worktree, and the upstream
with ahead/behind on every branch that has one (`[origin/main: ahead 1, behind 2]`).

    -v, --verbose         show short id and subject; twice also shows worktree paths
    -r, --remotes         list remote-tracking branches
    -a, --all             list local and remote-tracking branches
    -l, --list            list branches matching <pattern> (git's wildmatch)
    --merged [<commit>]   only branches reachable from <commit> (default HEAD)
    --no-merged [<commit>]
                          only branches not reachable from <commit>
    --contains [<commit>] only branches that contain <commit>
    --no-contains [<commit>]
                          only branches that don't contain <commit>
    --points-at <object>  only branches pointing at <object>
    --show-current        print the name of the current branch
    -q, --quiet           accepted

Creating, deleting, renaming or copying branches, and any other option, runs `git branch`
unchanged.
";

/// Which refs a listing covers (`-r` / `-a`; the last one given wins, as in git).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    Local,
    Remote,
    All,
}

/// Revisions given to the reachability filters, unresolved.
#[derive(Debug, Default)]
struct Filters {
    pub(super) merged: Vec<String>,
    pub(super) no_merged: Vec<String>,
    pub(super) contains: Vec<String>,
    pub(super) no_contains: Vec<String>,
    pub(super) points_at: Vec<String>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        self.merged.is_empty()
            && self.no_merged.is_empty()
            && self.contains.is_empty()
            && self.no_contains.is_empty()
            && self.points_at.is_empty()
    }

    fn needs_commits(&self) -> bool {
        !self.merged.is_empty()
            || !self.no_merged.is_empty()
            || !self.contains.is_empty()
            || !self.no_contains.is_empty()
    }
}

#[derive(Debug)]
struct ListRequest {
    pub(super) selection: Selection,
    pub(super) verbose: u32,
    pub(super) patterns: Vec<String>,
    pub(super) filters: Filters,
}

#[derive(Debug)]
enum Request {
    List(ListRequest),
    ShowCurrent,
    Help,
    PassThrough(&'static str),
}

pub fn run(args: &[OsString]) -> anyhow::Result<Outcome> {
    match parse(args) {
        Request::Help => Ok(help::usage(USAGE)),
        Request::PassThrough(reason) => Ok(Outcome::pass_through(reason)),
        Request::ShowCurrent => show_current(&repo::open()?),
        Request::List(request) => list(&repo::open()?, &request),
    }
}

/// Splits argv as git's parse-options does for the options served here; anything else (including
/// abbreviated long options) is left to git.
fn parse(args: &[OsString]) -> Request {
    let mut words = Vec::with_capacity(args.len());
    for arg in args {
        match arg.to_str() {
            Some(word) => words.push(word),
            None => return Request::PassThrough("non UTF-8 argument"),
        }
    }
    let mut selection = Selection::Local;
    let mut verbose = 0;
    let mut explicit_list = false;
    let mut show_current = false;
    let mut filters = Filters::default();
    let mut positionals: Vec<String> = Vec::new();
    let mut rest = words.into_iter();
    while let Some(word) = rest.next() {
        if word == "--" {
            positionals.extend(rest.by_ref().map(str::to_owned));
            break;
        }
        if word == "-h" {
            return Request::Help;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (long, None),
            };
            // This output is never coloured: asking for no colour changes nothing.
            if word == "--no-color" || word == "--color=never" {
                continue;
            }
            let takes_value = matches!(
                name,
                "merged"
                    | "no-merged"
                    | "contains"
                    | "no-contains"
                    | "with"
                    | "without"
                    | "points-at"
            );
            if inline_value.is_some() && !takes_value {
                return Request::PassThrough("option not served natively");
            }
            match name {
                "list" => explicit_list = true,
                "verbose" => verbose += 1,
                "remotes" => selection = Selection::Remote,
                "all" => selection = Selection::All,
                "show-current" => show_current = true,
                // Quiet only silences messages of the actions git performs itself; columns are
                // never used by this output.
                "quiet" | "no-column" => {}
                "points-at" => match inline_value.or_else(|| rest.next()) {
                    Some(value) => filters.points_at.push(value.to_owned()),
                    None => return Request::PassThrough("--points-at without its argument"),
                },
                _ if takes_value => {
                    // PARSE_OPT_LASTARG_DEFAULT: the next word is the commit, whatever it looks
                    // like; only a last `--merged` defaults to HEAD.
                    let value = inline_value.or_else(|| rest.next()).unwrap_or("HEAD");
                    let list = match name {
                        "merged" => &mut filters.merged,
                        "no-merged" => &mut filters.no_merged,
                        "contains" | "with" => &mut filters.contains,
                        _ => &mut filters.no_contains,
                    };
                    list.push(value.to_owned());
                }
                _ => return Request::PassThrough("option not served natively"),
            }
        } else if word.len() > 1 && word.starts_with('-') {
            for letter in word[1..].chars() {
                match letter {
                    'v' => verbose += 1,
                    'r' => selection = Selection::Remote,
                    'a' => selection = Selection::All,
                    'l' => explicit_list = true,
                    'q' => {}
                    _ => return Request::PassThrough("option not served natively"),
                }
            }
        } else {
            positionals.push(word.to_owned());
        }
    }
    if show_current {
        if explicit_list || !filters.is_empty() || !positionals.is_empty() {
            return Request::PassThrough("--show-current combined with a listing");
        }
        return Request::ShowCurrent;
    }
    // As in git: a name without `--list` or a filter creates a branch.
    if !explicit_list && filters.is_empty() && !positionals.is_empty() {
        return Request::PassThrough("branch creation");
    }
    Request::List(ListRequest {
        selection,
        verbose,
        patterns: positionals,
        filters,
    })
}

/// Where HEAD of the current worktree is.
enum HeadState {
    /// On `refs/heads/…`, born or not.
    OnBranch(FullName),
    Detached(ObjectId),
}

/// Reads HEAD, or `None` for states git reports itself (a HEAD outside `refs/heads/`, a HEAD
/// pointing at another symbolic ref).
fn head_state(repo: &gix::Repository) -> anyhow::Result<Option<HeadState>> {
    let head = repo.head().context("reading HEAD")?;
    let name = match head.kind {
        gix::head::Kind::Detached { target, .. } => return Ok(Some(HeadState::Detached(target))),
        gix::head::Kind::Unborn(name) => name,
        gix::head::Kind::Symbolic(reference) => {
            if matches!(reference.target, gix::refs::Target::Symbolic(_)) {
                return Ok(None);
            }
            reference.name
        }
    };
    if !name.as_bstr().starts_with(b"refs/heads/") {
        return Ok(None);
    }
    Ok(Some(HeadState::OnBranch(name)))
}

fn show_current(repo: &gix::Repository) -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    match head_state(repo)? {
        None => return Ok(Outcome::pass_through("HEAD outside refs/heads")),
        Some(HeadState::Detached(_)) => {}
        Some(HeadState::OnBranch(name)) => {
            out.extend_from_slice(name.as_ref().shorten());
            out.push(b'\n');
        }
    }
    // `--show-current` prints exactly what git prints.
    let native = crate::native_size::wanted().then_some(out.len() as u64);
    Ok(Outcome::success(out).with_native(native))
}

#[cfg(test)]
mod tests {
    use super::{parse, subject_of, Request, Selection};

    fn request(args: &[&str]) -> Request {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        parse(&args)
    }

    #[test]
    fn subject_is_the_first_paragraph_on_one_line() {
        assert_eq!(subject_of(b"one\n"), b"one");
        assert_eq!(subject_of(b"\n\none\ntwo\n\nbody\n"), b"one two");
        assert_eq!(subject_of(b"crlf\r\nnext\r\n\r\nbody"), b"crlf next");
        assert_eq!(subject_of(b""), b"");
        assert_eq!(
            subject_of(b"signed\n-----BEGIN PGP SIGNATURE-----\nx\n"),
            b"signed"
        );
    }

    #[test]
    fn listing_options_are_served_and_actions_pass_through() {
        match request(&["-vv", "-a", "--merged", "main", "--list", "f*"]) {
            Request::List(list) => {
                assert_eq!(list.verbose, 2);
                assert_eq!(list.selection, Selection::All);
                assert_eq!(list.filters.merged, ["main"]);
                assert_eq!(list.patterns, ["f*"]);
            }
            other => panic!("expected a listing, got {other:?}"),
        }
        match request(&["--contains"]) {
            Request::List(list) => assert_eq!(list.filters.contains, ["HEAD"]),
            other => panic!("expected a listing, got {other:?}"),
        }
        for args in [
            &["new-branch"][..],
            &["-d", "x"],
            &["-m", "a", "b"],
            &["--set-upstream-to=origin/main"],
            &["--sort=-committerdate"],
            &["--format=%(refname)"],
            &["--color=always"],
            &["--color"],
            &["-vx"],
        ] {
            assert!(
                matches!(request(args), Request::PassThrough(_)),
                "{args:?} should pass through"
            );
        }
        assert!(matches!(request(&["-h"]), Request::Help));
        assert!(matches!(request(&["--show-current"]), Request::ShowCurrent));
    }
}
