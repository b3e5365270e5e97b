//! `git rtk-branch`: the branch listing, served natively (see docs/output.md).
//!
//! Lists local and remote-tracking branches as `git branch` does — same selection, same order, the
//! same `*`/`+` markers and detached-HEAD description — and always adds each branch's upstream with
//! ahead/behind. Everything that changes branches (create, delete, rename, copy, upstream and
//! description edits) and every option or configuration this module does not reproduce exactly runs
//! `git branch` with the identical argv instead. It never writes to the repository.

use anyhow::Context as _;
use gix::refs::FullName;
use gix::ObjectId;

use crate::command::Outcome;
use crate::command::{self, Command, GitRun, Kind};
use crate::options::{self, flag, short_only, valued, Flag, Parsed, Value};
use crate::repo;

mod detached;
mod filters;
mod listing;
mod worktrees;

use detached::*;
use filters::*;
use listing::*;
use worktrees::*;

pub const COMMAND: Command = Command {
    name: "branch",
    kind: Kind::Read,
    summary: "branches, compact; creating, deleting and renaming run git",
    synopsis: &[
        "[<options>] [-r | -a] [--merged] [--no-merged]",
        "[<options>] [-l] [<pattern>...]",
    ],
    about: "Compact `git branch` listing: `*` current, `+` checked out in another worktree, and the upstream\nwith ahead/behind on every branch that has one (`[origin/main: ahead 1, behind 2]`).\nCreating, deleting, renaming or copying branches runs `git branch` and reports what changed.",
    syntax: options::PARSE_OPTIONS,
    table: &[LISTING, ACTIONS],
    entry: command::Entry::Split {
        native: run,
        git: GitRun {
            hand_over: |_| false,
            reads_only: |_| false,
            network: false,
        },
        lists,
    },
};

/// The listing options, served natively.
const LISTING: &[Flag] = &[
    flag(
        Some('v'),
        "verbose",
        "show short id and subject; twice also shows worktree paths",
    ),
    flag(Some('r'), "remotes", "list remote-tracking branches"),
    flag(Some('a'), "all", "list local and remote-tracking branches"),
    flag(
        Some('l'),
        "list",
        "list branches matching <pattern> (git's wildmatch)",
    ),
    valued(
        None,
        "merged",
        Value::LastArgDefault("commit"),
        "only branches reachable from <commit> (default HEAD)",
    ),
    valued(
        None,
        "no-merged",
        Value::LastArgDefault("commit"),
        "only branches not reachable from <commit>",
    ),
    valued(
        None,
        "contains",
        Value::LastArgDefault("commit"),
        "only branches that contain <commit>",
    ),
    valued(
        None,
        "no-contains",
        Value::LastArgDefault("commit"),
        "only branches that don't contain <commit>",
    ),
    valued(None, "with", Value::LastArgDefault("commit"), ""),
    valued(None, "without", Value::LastArgDefault("commit"), ""),
    valued(
        None,
        "points-at",
        Value::Required("object"),
        "only branches pointing at <object>",
    ),
    flag(None, "show-current", "print the name of the current branch"),
    flag(Some('q'), "quiet", "accepted"),
    flag(None, "no-column", ""),
    flag(None, "no-color", ""),
    valued(None, "color", Value::Optional("when"), ""),
];

/// Options that change branches: `git branch` runs and the plugin reports what changed.
const ACTIONS: &[Flag] = &[
    flag(Some('d'), "delete", "delete a branch: runs git").changes(),
    short_only('D', Value::None, "").changes(),
    flag(Some('m'), "move", "rename a branch: runs git").changes(),
    short_only('M', Value::None, "").changes(),
    flag(Some('c'), "copy", "copy a branch: runs git").changes(),
    short_only('C', Value::None, "").changes(),
    valued(
        Some('u'),
        "set-upstream-to",
        Value::Required("upstream"),
        "set the upstream: runs git",
    )
    .changes(),
    flag(None, "unset-upstream", "unset the upstream: runs git").changes(),
    valued(None, "track", Value::Optional("direct|inherit"), "").changes(),
    flag(None, "no-track", "").changes(),
    flag(
        None,
        "edit-description",
        "edit the description in an editor: runs git",
    )
    .changes()
    .to_git(),
];

/// Whether `git branch <args>` lists branches rather than changing them: the plugin's choice
/// between its listing and git, and the rewriter's classification.
pub fn lists(parsed: &Parsed) -> bool {
    let listing = parsed.has_any(&[
        "list",
        "all",
        "remotes",
        "merged",
        "no-merged",
        "contains",
        "no-contains",
        "with",
        "without",
        "points-at",
        "show-current",
    ]);
    // As in git: a name without `--list` or a filter creates a branch.
    !(parsed.changes_repository() || (parsed.all_operands().next().is_some() && !listing))
}

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
    PassThrough(&'static str),
}

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    match request(parsed) {
        Request::PassThrough(reason) => Ok(Outcome::pass_through(reason)),
        Request::ShowCurrent => show_current(&repo::open()?),
        Request::List(request) => list(&repo::open()?, &request),
    }
}

/// The listing `parsed` asks for (it holds listing options only: [`lists`] sent the rest to git).
fn request(parsed: &Parsed) -> Request {
    let mut selection = Selection::Local;
    let mut filters = Filters::default();
    for given in &parsed.given {
        let value = given.value.clone();
        match given.flag.name().as_str() {
            "remotes" => selection = Selection::Remote,
            "all" => selection = Selection::All,
            // This output is never coloured: asking for no colour changes nothing.
            "color" if value.as_deref() != Some("never") => {
                return Request::PassThrough("coloured output")
            }
            // PARSE_OPT_LASTARG_DEFAULT: only a last `--merged` defaults to HEAD.
            "merged" => filters.merged.push(value.unwrap_or_else(head)),
            "no-merged" => filters.no_merged.push(value.unwrap_or_else(head)),
            "contains" | "with" => filters.contains.push(value.unwrap_or_else(head)),
            "no-contains" | "without" => filters.no_contains.push(value.unwrap_or_else(head)),
            "points-at" => filters.points_at.extend(value),
            _ => {}
        }
    }
    let positionals: Vec<String> = parsed.all_operands().cloned().collect();
    if parsed.has("show-current") {
        if parsed.has("list") || !filters.is_empty() || !positionals.is_empty() {
            return Request::PassThrough("--show-current combined with a listing");
        }
        return Request::ShowCurrent;
    }
    Request::List(ListRequest {
        selection,
        verbose: parsed.count("verbose") as u32,
        patterns: positionals,
        filters,
    })
}

fn head() -> String {
    "HEAD".to_owned()
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
    let git_size = crate::git_size::wanted().then_some(out.len() as u64);
    Ok(Outcome::success(out).with_git_size(git_size))
}

#[cfg(test)]
mod tests {
    use super::{lists, request, subject_of, Parsed, Request, Selection, COMMAND};

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

    fn parsed(args: &[&str]) -> Result<Parsed<'static>, crate::options::Stop> {
        let words: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        COMMAND.parse(&words)
    }

    #[test]
    fn listing_options_are_served() {
        let listing = parsed(&["-vv", "-a", "--merged", "main", "--list", "f*"]).expect("parses");
        assert!(lists(&listing) && !listing.needs_git());
        match request(&listing) {
            Request::List(list) => {
                assert_eq!(list.verbose, 2);
                assert_eq!(list.selection, Selection::All);
                assert_eq!(list.filters.merged, ["main"]);
                assert_eq!(list.patterns, ["f*"]);
            }
            other => panic!("expected a listing, got {other:?}"),
        }
        match request(&parsed(&["--contains"]).expect("parses")) {
            Request::List(list) => assert_eq!(list.filters.contains, ["HEAD"]),
            other => panic!("expected a listing, got {other:?}"),
        }
        let current = parsed(&["--show-current"]).expect("parses");
        assert!(matches!(request(&current), Request::ShowCurrent));
        assert_eq!(parsed(&["-h"]).err(), Some(crate::options::Stop::Help));
    }

    #[test]
    fn actions_go_to_git_and_unknown_options_are_left_to_it() {
        for args in [
            &["new-branch"][..],
            &["-d", "x"],
            &["-D", "x"],
            &["-m", "a", "b"],
            &["--set-upstream-to=origin/main"],
        ] {
            let parsed = parsed(args).expect("parses");
            assert!(!lists(&parsed), "{args:?} changes branches");
        }
        for args in [
            &["--sort=-committerdate"][..],
            &["--format=%(refname)"],
            &["-vx"],
        ] {
            let parsed = parsed(args).expect("parses");
            assert!(lists(&parsed) && parsed.needs_git(), "{args:?} goes to git");
        }
        for args in [&["--color=always"][..], &["--color"]] {
            let parsed = parsed(args).expect("parses");
            assert!(
                matches!(request(&parsed), Request::PassThrough(_)),
                "{args:?}"
            );
        }
    }
}
