//! `git rtk-branch`: the branch listing, served natively (see docs/output.md).
//!
//! Lists local and remote-tracking branches as `git branch` does — same selection, same order, the
//! same `*`/`+` markers and detached-HEAD description — and always adds each branch's upstream with
//! ahead/behind. Everything that changes branches (create, delete, rename, copy, upstream and
//! description edits) and every option or configuration this module does not reproduce exactly runs
//! `git branch` with the identical argv instead. It never writes to the repository.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

use anyhow::Context as _;
use gix::bstr::{BStr, BString, ByteSlice};
use gix::refs::{FullName, FullNameRef, TargetRef};
use gix::ObjectId;

use crate::help;
use crate::plugin::Outcome;
use crate::render::short_id;
use crate::repo;
use crate::upstream;

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
    merged: Vec<String>,
    no_merged: Vec<String>,
    contains: Vec<String>,
    no_contains: Vec<String>,
    points_at: Vec<String>,
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
    selection: Selection,
    verbose: u32,
    patterns: Vec<String>,
    filters: Filters,
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
    Ok(Outcome::success(out))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    DetachedHead,
    Local,
    Remote,
}

/// One line of the listing.
struct Entry {
    kind: EntryKind,
    /// The full ref name, the sort key; `HEAD` for the detached HEAD line.
    full_name: BString,
    /// The object the ref resolves to (through a symbolic ref, for `origin/HEAD`).
    id: ObjectId,
    /// The shortened target of a symbolic remote ref (`origin/main` for `origin/HEAD`).
    symref_target: Option<BString>,
}

impl Entry {
    /// The name git shows and matches patterns against: `lstrip=2` of the full name.
    fn short_name(&self) -> &BStr {
        let name = self.full_name.as_bstr();
        let stripped = match self.kind {
            EntryKind::DetachedHead => None,
            EntryKind::Local => name.strip_prefix(b"refs/heads/"),
            EntryKind::Remote => name.strip_prefix(b"refs/remotes/"),
        };
        stripped.map_or(name, ByteSlice::as_bstr)
    }
}

fn list(repo: &gix::Repository, request: &ListRequest) -> anyhow::Result<Outcome> {
    let config = repo.config_snapshot();
    if config.string("branch.sort").is_some() {
        return Ok(Outcome::pass_through("branch.sort is configured"));
    }
    // Columns apply to the short listing only; `auto` means "when stdout is a terminal".
    if request.verbose == 0 && columns_enabled(repo) {
        return Ok(Outcome::pass_through("column output is configured"));
    }
    let Some(head) = head_state(repo)? else {
        return Ok(Outcome::pass_through("HEAD outside refs/heads"));
    };

    let mut entries = Vec::new();
    if request.selection != Selection::Remote {
        if let HeadState::Detached(id) = head {
            entries.push(Entry {
                kind: EntryKind::DetachedHead,
                full_name: "HEAD".into(),
                id,
                symref_target: None,
            });
        }
        let refs = repo.references().context("listing references")?;
        for reference in refs.local_branches().context("listing local branches")? {
            let reference = reference.context("reading a local branch")?;
            let Some(id) = reference.target().try_id().map(ToOwned::to_owned) else {
                return Ok(Outcome::pass_through("a local branch is a symbolic ref"));
            };
            entries.push(Entry {
                kind: EntryKind::Local,
                full_name: reference.name().as_bstr().to_owned(),
                id,
                symref_target: None,
            });
        }
    }
    if request.selection != Selection::Local {
        let refs = repo.references().context("listing references")?;
        for reference in refs
            .remote_branches()
            .context("listing remote-tracking branches")?
        {
            let reference = reference.context("reading a remote-tracking branch")?;
            let (id, symref_target) = match reference.target() {
                TargetRef::Object(id) => (id.to_owned(), None),
                TargetRef::Symbolic(target) => {
                    // git skips a symbolic ref that does not resolve, without a word.
                    let Some(id) = resolve_symbolic(repo, target)? else {
                        continue;
                    };
                    (id, Some(target.shorten().to_owned()))
                }
            };
            entries.push(Entry {
                kind: EntryKind::Remote,
                full_name: reference.name().as_bstr().to_owned(),
                id,
                symref_target,
            });
        }
    }
    // git reports refs to missing objects on stderr and skips them: let it.
    if entries.iter().any(|entry| !repo.has_object(entry.id)) {
        return Ok(Outcome::pass_through("a branch points to a missing object"));
    }

    if !request.patterns.is_empty() {
        entries.retain(|entry| {
            request.patterns.iter().any(|pattern| {
                gix::glob::wildmatch(
                    pattern.as_bytes().as_bstr(),
                    entry.short_name(),
                    gix::glob::wildmatch::Mode::empty(),
                )
            })
        });
    }
    if !request.filters.is_empty() {
        match apply_filters(repo, &request.filters, entries)? {
            Some(kept) => entries = kept,
            None => return Ok(Outcome::pass_through("a filter revision git must report")),
        }
    }
    // git sorts by full ref name with the detached HEAD first: local branches, then remotes.
    entries.sort_by(|a, b| {
        (a.kind != EntryKind::DetachedHead, &a.full_name)
            .cmp(&(b.kind != EntryKind::DetachedHead, &b.full_name))
    });

    let worktrees = if request.selection != Selection::Remote {
        checked_out_elsewhere(repo).context("reading the worktrees' HEADs")?
    } else {
        HashMap::new()
    };
    let current = match &head {
        HeadState::OnBranch(name) => Some(name.as_bstr()),
        HeadState::Detached(_) => None,
    };
    let remote_prefix: &[u8] = if request.selection == Selection::Remote {
        b""
    } else {
        b"remotes/"
    };

    let commit_graph = repo
        .commit_graph_if_enabled()
        .context("opening the commit-graph")?;
    let mut divergence = upstream::DivergenceCounter::new(repo, commit_graph.as_ref());
    let mut out = Vec::with_capacity(entries.len() * 64);
    for entry in &entries {
        match entry.kind {
            EntryKind::DetachedHead => {
                let Some(description) = detached_description(repo, entry.id)? else {
                    return Ok(Outcome::pass_through("HEAD state git describes itself"));
                };
                out.extend_from_slice(b"* ");
                out.extend_from_slice(description.as_bytes());
                if request.verbose > 0 {
                    write_id_and_subject(repo, entry.id, &mut out)?;
                }
            }
            EntryKind::Local => {
                let is_current = current == Some(entry.full_name.as_bstr());
                let worktree = worktrees.get(&entry.full_name);
                out.extend_from_slice(match (is_current, worktree) {
                    (true, _) => b"* ",
                    (false, Some(_)) => b"+ ",
                    (false, None) => b"  ",
                });
                out.extend_from_slice(entry.short_name());
                let tracking = tracking_label(repo, &mut divergence, entry)?;
                if request.verbose > 0 {
                    out.push(b' ');
                    out.extend_from_slice(short_id(repo, entry.id)?.as_bytes());
                    if let (Some(path), false, true) = (worktree, is_current, request.verbose > 1) {
                        out.extend_from_slice(b" (");
                        out.extend_from_slice(path);
                        out.push(b')');
                    }
                    if let Some(label) = tracking {
                        out.push(b' ');
                        out.extend_from_slice(label.as_bytes());
                    }
                    write_subject(repo, entry.id, &mut out)?;
                } else if let Some(label) = tracking {
                    out.push(b' ');
                    out.extend_from_slice(label.as_bytes());
                }
            }
            EntryKind::Remote => {
                out.extend_from_slice(b"  ");
                out.extend_from_slice(remote_prefix);
                out.extend_from_slice(entry.short_name());
                if let Some(target) = &entry.symref_target {
                    out.extend_from_slice(b" -> ");
                    out.extend_from_slice(target);
                } else if request.verbose > 0 {
                    write_id_and_subject(repo, entry.id, &mut out)?;
                }
            }
        }
        out.push(b'\n');
    }
    Ok(Outcome::success(out))
}

/// `column.branch` (or `column.ui`) asks for columns: `always`, `auto` on a terminal, or a layout
/// (`column`, `row`, `plain`) without any of `always`/`never`/`auto`, which implies `always`.
fn columns_enabled(repo: &gix::Repository) -> bool {
    use std::io::IsTerminal as _;
    let config = repo.config_snapshot();
    let Some(value) = config
        .string("column.branch")
        .or_else(|| config.string("column.ui"))
    else {
        return false;
    };
    let mut enabled = None;
    let mut layout = false;
    for token in value.split(|&b| b == b' ' || b == b',') {
        match token {
            b"always" => enabled = Some(true),
            b"auto" => enabled = Some(std::io::stdout().is_terminal()),
            b"never" => enabled = Some(false),
            b"column" | b"row" | b"plain" => layout = true,
            _ => {}
        }
    }
    enabled.unwrap_or(layout)
}

/// Follows a symbolic ref to the object it names, or `None` when the chain dangles.
fn resolve_symbolic(
    repo: &gix::Repository,
    target: &FullNameRef,
) -> anyhow::Result<Option<ObjectId>> {
    let mut name: FullName = target.to_owned();
    // git gives up after a handful of levels too (SYMREF_MAXDEPTH is 5).
    for _ in 0..5 {
        let Some(reference) = repo::find_exact_reference(repo, name.as_ref())? else {
            return Ok(None);
        };
        match reference.target() {
            TargetRef::Object(id) => return Ok(Some(id.to_owned())),
            TargetRef::Symbolic(next) => name = next.to_owned(),
        }
    }
    Ok(None)
}

/// Applies `--points-at`, `--merged`, `--no-merged`, `--contains`, `--no-contains` as git's
/// ref-filter does, or `None` when a revision does not resolve (git prints its own error).
fn apply_filters(
    repo: &gix::Repository,
    filters: &Filters,
    entries: Vec<Entry>,
) -> anyhow::Result<Option<Vec<Entry>>> {
    for spec in filters
        .points_at
        .iter()
        .chain(&filters.merged)
        .chain(&filters.no_merged)
        .chain(&filters.contains)
        .chain(&filters.no_contains)
    {
        if is_ambiguous_ref(repo, spec)? {
            return Ok(None);
        }
    }
    let resolve_all = |specs: &[String], peel: bool| -> Option<Vec<ObjectId>> {
        specs
            .iter()
            .map(|spec| {
                let id = repo.rev_parse_single(spec.as_bytes().as_bstr()).ok()?;
                if peel {
                    Some(id.object().ok()?.peel_to_commit().ok()?.id)
                } else {
                    Some(id.detach())
                }
            })
            .collect()
    };
    let (Some(points_at), Some(merged), Some(no_merged), Some(contains), Some(no_contains)) = (
        resolve_all(&filters.points_at, false),
        resolve_all(&filters.merged, true),
        resolve_all(&filters.no_merged, true),
        resolve_all(&filters.contains, true),
        resolve_all(&filters.no_contains, true),
    ) else {
        return Ok(None);
    };

    let mut entries = entries;
    if !points_at.is_empty() {
        let mut kept = Vec::with_capacity(entries.len());
        for entry in entries {
            if points_at_any(repo, entry.id, &points_at)? {
                kept.push(entry);
            }
        }
        entries = kept;
    }
    if !filters.needs_commits() || entries.is_empty() {
        return Ok(Some(entries));
    }
    let mut tips = Vec::with_capacity(entries.len());
    for entry in &entries {
        // ref-filter drops refs that do not lead to a commit; leave that case to git.
        let Some(commit) = repo
            .find_object(entry.id)
            .ok()
            .and_then(|object| object.peel_to_commit().ok())
        else {
            return Ok(None);
        };
        tips.push(commit.id);
    }

    let cache = repo
        .commit_graph_if_enabled()
        .context("opening the commit-graph")?;
    let mut reach = Reachability::new(repo, cache.as_ref());
    let mut keep = vec![true; tips.len()];
    // Each filter keeps a tip when any of its commits qualifies (`--merged A --merged B`: merged
    // into A or B), the negated ones when none does.
    for (commits, wanted, is_merged) in [
        (&merged, true, true),
        (&no_merged, false, true),
        (&contains, true, false),
        (&no_contains, false, false),
    ] {
        if commits.is_empty() {
            continue;
        }
        let hits = if is_merged {
            reach.merged_into_any(commits, &tips)?
        } else {
            reach.containing_any(commits, &tips)?
        };
        for (keep, hit) in keep.iter_mut().zip(hits) {
            *keep &= hit == wanted;
        }
    }
    let mut keep = keep.into_iter();
    entries.retain(|_| keep.next().unwrap_or(false));
    Ok(Some(entries))
}

/// `--points-at`: the ref's own object, or the object its tag points to, is one of `objects`.
fn points_at_any(
    repo: &gix::Repository,
    id: ObjectId,
    objects: &[ObjectId],
) -> anyhow::Result<bool> {
    if objects.contains(&id) {
        return Ok(true);
    }
    let object = repo
        .find_object(id)
        .with_context(|| format!("reading {id}"))?;
    if object.kind != gix::object::Kind::Tag {
        return Ok(false);
    }
    let target = object
        .into_tag()
        .target_id()
        .with_context(|| format!("decoding tag {id}"))?;
    Ok(objects.contains(&target.detach()))
}

type MergeBaseGraph<'repo, 'cache> = gix::revwalk::Graph<
    'repo,
    'cache,
    gix::revwalk::graph::Commit<gix::revision::plumbing::merge_base::Flags>,
>;

/// Answers "is this commit an ancestor of that one" for whole sets of branch tips.
///
/// With a commit-graph, generation numbers bound every walk (an ancestor's generation is always
/// lower), so one walk per filter commit answers for all tips, as git's `tips_reachable_from_bases`
/// and `can_all_from_reach` do. Without one, nothing bounds a walk but finding a merge base, so
/// each tip gets a merge-base computation, as in git's `repo_in_merge_bases`; the graph is shared
/// so that commits already read are not decoded again.
enum Reachability<'repo, 'cache> {
    Generations(gix::revwalk::Graph<'repo, 'cache, gix::revwalk::graph::Commit<()>>),
    MergeBases(&'repo gix::Repository, MergeBaseGraph<'repo, 'cache>),
}

impl<'repo, 'cache> Reachability<'repo, 'cache> {
    fn new(repo: &'repo gix::Repository, cache: Option<&'cache gix::commitgraph::Graph>) -> Self {
        // Like git's `generation_numbers_enabled`: a commit-graph written without generation
        // numbers stores zeros, which bound nothing.
        let has_generations = cache
            .and_then(|cache| cache.iter_commits().next())
            .is_some_and(|first| first.generation() != 0);
        match cache {
            Some(cache) if has_generations => {
                Reachability::Generations(repo.revision_graph(Some(cache)))
            }
            _ => Reachability::MergeBases(repo, repo.revision_graph(cache)),
        }
    }

    /// For each tip: is it reachable from (merged into) any of `bases`?
    fn merged_into_any(
        &mut self,
        bases: &[ObjectId],
        tips: &[ObjectId],
    ) -> anyhow::Result<Vec<bool>> {
        let mut hits = vec![false; tips.len()];
        for &base in bases {
            match self {
                Reachability::Generations(graph) => reachable_tips(graph, base, tips, &mut hits)?,
                Reachability::MergeBases(repo, graph) => {
                    for (hit, &tip) in hits.iter_mut().zip(tips) {
                        *hit = *hit || is_ancestor(repo, graph, tip, base)?;
                    }
                }
            }
        }
        Ok(hits)
    }

    /// For each tip: does it contain (reach) any of `commits`?
    fn containing_any(
        &mut self,
        commits: &[ObjectId],
        tips: &[ObjectId],
    ) -> anyhow::Result<Vec<bool>> {
        let mut hits = vec![false; tips.len()];
        for &commit in commits {
            match self {
                Reachability::Generations(graph) => tips_reaching(graph, commit, tips, &mut hits)?,
                Reachability::MergeBases(repo, graph) => {
                    for (hit, &tip) in hits.iter_mut().zip(tips) {
                        *hit = *hit || is_ancestor(repo, graph, commit, tip)?;
                    }
                }
            }
        }
        Ok(hits)
    }
}

type GenerationGraph<'repo, 'cache> =
    gix::revwalk::Graph<'repo, 'cache, gix::revwalk::graph::Commit<()>>;

/// The generation of `id` and its parents. It is infinite for a commit the commit-graph does not
/// know and for a saturated one: either kind only has its own kind as descendants, so cut-offs at a
/// finite generation stay sound.
fn generation_and_parents(
    graph: &mut GenerationGraph<'_, '_>,
    id: ObjectId,
) -> anyhow::Result<(u32, Vec<ObjectId>)> {
    let commit = graph
        .get_or_insert_full_commit(id, |_| {})
        .with_context(|| format!("reading commit {id}"))?
        .with_context(|| format!("commit {id} is missing"))?;
    let generation = commit
        .generation
        .filter(|&generation| {
            generation != 0 && generation < gix::commitgraph::GENERATION_NUMBER_MAX
        })
        .unwrap_or(gix::commitgraph::GENERATION_NUMBER_INFINITY);
    Ok((generation, commit.parents.to_vec()))
}

/// Marks in `hits` the tips reachable from `base`: one walk down from `base` that never goes below
/// the lowest generation among the tips still unseen.
fn reachable_tips(
    graph: &mut GenerationGraph<'_, '_>,
    base: ObjectId,
    tips: &[ObjectId],
    hits: &mut [bool],
) -> anyhow::Result<()> {
    let mut wanted: gix::hashtable::HashMap<ObjectId, Vec<usize>> = Default::default();
    let mut min_generation = u32::MAX;
    for (index, &tip) in tips.iter().enumerate() {
        if !hits[index] {
            wanted.entry(tip).or_default().push(index);
            min_generation = min_generation.min(generation_and_parents(graph, tip)?.0);
        }
    }
    let mut seen = gix::hashtable::HashSet::default();
    let mut stack = vec![base];
    seen.insert(base);
    while let Some(id) = stack.pop() {
        if let Some(indices) = wanted.remove(&id) {
            for index in indices {
                hits[index] = true;
            }
            if wanted.is_empty() {
                break;
            }
        }
        let (generation, parents) = generation_and_parents(graph, id)?;
        if generation < min_generation {
            continue;
        }
        stack.extend(parents.into_iter().filter(|&parent| seen.insert(parent)));
    }
    Ok(())
}

/// Marks in `hits` the tips from which `target` is reachable: a depth-first walk from each tip,
/// memoised across tips and cut off at `target`'s generation (nothing at or below it but `target`
/// itself can lead to it).
fn tips_reaching(
    graph: &mut GenerationGraph<'_, '_>,
    target: ObjectId,
    tips: &[ObjectId],
    hits: &mut [bool],
) -> anyhow::Result<()> {
    enum Visit {
        Enter(ObjectId),
        /// All parents are decided: decide the commit.
        Leave(ObjectId, Vec<ObjectId>),
    }
    let (target_generation, _) = generation_and_parents(graph, target)?;
    let bounded = target_generation != gix::commitgraph::GENERATION_NUMBER_INFINITY;
    let mut reaches: gix::hashtable::HashMap<ObjectId, bool> = Default::default();
    reaches.insert(target, true);
    let mut stack = Vec::new();
    for (index, &tip) in tips.iter().enumerate() {
        if hits[index] {
            continue;
        }
        stack.push(Visit::Enter(tip));
        while let Some(visit) = stack.pop() {
            match visit {
                Visit::Enter(id) => {
                    if reaches.contains_key(&id) {
                        continue;
                    }
                    let (generation, parents) = generation_and_parents(graph, id)?;
                    if bounded && generation <= target_generation {
                        reaches.insert(id, false);
                        continue;
                    }
                    let pending: Vec<_> = parents
                        .iter()
                        .filter(|parent| !reaches.contains_key(*parent))
                        .map(|&parent| Visit::Enter(parent))
                        .collect();
                    stack.push(Visit::Leave(id, parents));
                    stack.extend(pending);
                }
                Visit::Leave(id, parents) => {
                    let any = parents
                        .iter()
                        .any(|parent| reaches.get(parent).copied().unwrap_or(false));
                    reaches.insert(id, any);
                }
            }
        }
        hits[index] = reaches.get(&tip).copied().unwrap_or(false);
    }
    Ok(())
}

/// Whether `ancestor` is reachable from `descendant` (or is it).
fn is_ancestor(
    repo: &gix::Repository,
    graph: &mut MergeBaseGraph<'_, '_>,
    ancestor: ObjectId,
    descendant: ObjectId,
) -> anyhow::Result<bool> {
    if ancestor == descendant {
        return Ok(true);
    }
    let base = repo
        .merge_base_with_graph(ancestor, descendant, graph)
        .with_context(|| format!("merge base of {ancestor} and {descendant}"))?;
    Ok(base.is_some_and(|base| base.detach() == ancestor))
}

/// `[origin/main: ahead 1, behind 2]` for a local branch with an upstream.
fn tracking_label(
    repo: &gix::Repository,
    divergence: &mut upstream::DivergenceCounter<'_, '_>,
    entry: &Entry,
) -> anyhow::Result<Option<String>> {
    let name: &FullNameRef = entry
        .full_name
        .as_bstr()
        .try_into()
        .with_context(|| format!("branch name {}", entry.full_name))?;
    let configured = upstream::of_branch(repo, name)
        .with_context(|| format!("upstream of {}", entry.full_name))?;
    let Some(upstream) = configured else {
        return Ok(None);
    };
    let Some(upstream_tip) = upstream.tip else {
        return Ok(Some(format!("[{}: gone]", upstream.short_name)));
    };
    let divergence = divergence
        .count(entry.id, upstream_tip)
        .with_context(|| format!("ahead/behind of {}", entry.full_name))?;
    let counts = match (divergence.ahead, divergence.behind) {
        (0, 0) => String::new(),
        (ahead, 0) => format!(": ahead {ahead}"),
        (0, behind) => format!(": behind {behind}"),
        (ahead, behind) => format!(": ahead {ahead}, behind {behind}"),
    };
    Ok(Some(format!("[{}{counts}]", upstream.short_name)))
}

/// Appends ` <short id> <subject>`, as the verbose listing shows every commit-valued ref.
fn write_id_and_subject(
    repo: &gix::Repository,
    id: ObjectId,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    out.push(b' ');
    out.extend_from_slice(short_id(repo, id)?.as_bytes());
    write_subject(repo, id, out)
}

/// Appends ` <subject>` (nothing for an empty one, where git leaves a trailing space).
fn write_subject(repo: &gix::Repository, id: ObjectId, out: &mut Vec<u8>) -> anyhow::Result<()> {
    let commit = repo
        .find_commit(id)
        .with_context(|| format!("reading commit {id}"))?;
    let message = commit
        .message_raw()
        .with_context(|| format!("decoding commit {id}"))?;
    let subject = subject_of(message);
    if !subject.is_empty() {
        out.push(b' ');
        out.extend_from_slice(&subject);
    }
    Ok(())
}

/// `%(contents:subject)`: the first paragraph of the message (stopping at an inline signature),
/// its line breaks turned into spaces — ref-filter's `find_subpos` and `copy_subject`.
fn subject_of(message: &[u8]) -> Vec<u8> {
    // git reads the message as a C string.
    let message = &message[..message.find_byte(0).unwrap_or(message.len())];
    let start = message
        .iter()
        .position(|&b| b != b'\n')
        .unwrap_or(message.len());
    let message = &message[start..];
    let signature_start = inline_signature_start(message);
    let end = message
        .find(b"\n\n")
        .or_else(|| message.find(b"\r\n\r\n"))
        .map_or(signature_start, |end| end.min(signature_start));
    let mut subject = &message[..end];
    while let [rest @ .., b'\n' | b'\r'] = subject {
        subject = rest;
    }
    let mut out = Vec::with_capacity(subject.len());
    for (i, &byte) in subject.iter().enumerate() {
        match byte {
            b'\r' if subject.get(i + 1) == Some(&b'\n') => {}
            b'\n' => out.push(b' '),
            _ => out.push(byte),
        }
    }
    out
}

/// Where the last line that opens a signature block starts (`parse_signed_buffer`), or the end.
fn inline_signature_start(message: &[u8]) -> usize {
    const OPENERS: [&[u8]; 4] = [
        b"-----BEGIN PGP SIGNATURE-----",
        b"-----BEGIN PGP MESSAGE-----",
        b"-----BEGIN SIGNED MESSAGE-----",
        b"-----BEGIN SSH SIGNATURE-----",
    ];
    let mut found = message.len();
    let mut offset = 0;
    while offset < message.len() {
        let line = &message[offset..];
        if OPENERS.iter().any(|opener| line.starts_with(opener)) {
            found = offset;
        }
        offset += line.find_byte(b'\n').map_or(line.len(), |eol| eol + 1);
    }
    found
}

/// Branches checked out by any worktree, with that worktree's path as git prints it.
fn checked_out_elsewhere(repo: &gix::Repository) -> anyhow::Result<HashMap<BString, BString>> {
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

fn path_bytes(path: &Path) -> anyhow::Result<BString> {
    Ok(gix::path::into_bstr(path)
        .with_context(|| format!("path {}", path.display()))?
        .into_owned())
}

/// The main worktree's path as git's `get_main_worktree` spells it: the real path of the common
/// directory without `/.git` (or `/.` for a bare repository).
fn main_worktree_path(common_dir: &Path) -> anyhow::Result<BString> {
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
fn linked_worktree_path(git_dir: &Path) -> anyhow::Result<Option<BString>> {
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
fn worktree_head_branch(
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

/// The detached HEAD line as git's `get_head_description` words it, or `None` where git would
/// print something this module does not reproduce.
fn detached_description(
    repo: &gix::Repository,
    head_id: ObjectId,
) -> anyhow::Result<Option<String>> {
    let git_dir = repo.git_dir();
    let rebase_dir = if git_dir.join("rebase-apply").exists() {
        // `rebase-apply/applying` marks `git am`, which is not a rebase.
        (!git_dir.join("rebase-apply/applying").exists()).then_some("rebase-apply")
    } else if git_dir.join("rebase-merge").exists() {
        Some("rebase-merge")
    } else {
        None
    };
    if let Some(dir) = rebase_dir {
        return Ok(
            match state_branch(repo, &git_dir.join(dir).join("head-name"))? {
                StateBranch::Named(branch) => Some(format!("(no branch, rebasing {branch})")),
                StateBranch::Nothing => detached_from(repo)?
                    .map(|from| format!("(no branch, rebasing detached HEAD {})", from.name)),
            },
        );
    }
    if git_dir.join("BISECT_LOG").exists() {
        return Ok(match state_branch(repo, &git_dir.join("BISECT_START"))? {
            StateBranch::Named(branch) => Some(format!("(no branch, bisect started on {branch})")),
            StateBranch::Nothing => None,
        });
    }
    Ok(Some(match detached_from(repo)? {
        Some(from) if from.id == head_id => format!("(HEAD detached at {})", from.name),
        Some(from) => format!("(HEAD detached from {})", from.name),
        None => "(no branch)".to_owned(),
    }))
}

enum StateBranch {
    Named(String),
    Nothing,
}

/// wt-status.c `get_branch`: a branch name from a rebase or bisect state file.
fn state_branch(repo: &gix::Repository, file: &Path) -> anyhow::Result<StateBranch> {
    let Ok(content) = std::fs::read(file) else {
        return Ok(StateBranch::Nothing);
    };
    let mut content = content.as_slice();
    while let [rest @ .., b'\n'] = content {
        content = rest;
    }
    if content.is_empty() || content == b"detached HEAD" {
        return Ok(StateBranch::Nothing);
    }
    let text = content.to_str_lossy().into_owned();
    if let Some(branch) = text.strip_prefix("refs/heads/") {
        return Ok(StateBranch::Named(branch.to_owned()));
    }
    if text.starts_with("refs/") {
        return Ok(StateBranch::Named(text));
    }
    let hex_len = repo.object_hash().len_in_hex();
    if let Some(id) = text
        .get(..hex_len)
        .and_then(|hex| ObjectId::from_hex(hex.as_bytes()).ok())
    {
        return Ok(StateBranch::Named(short_id(repo, id)?));
    }
    Ok(StateBranch::Named(text))
}

/// What the last `checkout: moving from X to Y` in HEAD's reflog says HEAD was detached from.
struct DetachedFrom {
    /// `Y` spelt as git spells it: a tag or remote-tracking branch without its prefix, another ref
    /// in full, otherwise the abbreviated id.
    name: String,
    /// The commit HEAD moved to at that checkout.
    id: ObjectId,
}

/// wt-status.c `wt_status_get_detached_from`.
fn detached_from(repo: &gix::Repository) -> anyhow::Result<Option<DetachedFrom>> {
    let head = repo.head().context("reading HEAD")?;
    let mut log = head.log_iter();
    let Some(lines) = log.rev().context("reading HEAD's reflog")? else {
        return Ok(None);
    };
    for line in lines {
        let line = line.context("reading HEAD's reflog")?;
        let Some(moving) = line.message.strip_prefix(b"checkout: moving from ") else {
            continue;
        };
        let Some(pos) = moving.find(b" to ") else {
            continue;
        };
        let target = &moving[pos + 4..];
        let target = &target[..target.find_byte(b'\n').unwrap_or(target.len())];
        let id = line.new_oid;
        let name = match dwim_ref_name(repo, target.as_bstr(), id)? {
            Some(name) => name,
            None => short_id(repo, id)?,
        };
        return Ok(Some(DetachedFrom { name, id }));
    }
    Ok(None)
}

/// The displayed name of reflog target `target` when it names exactly one ref (git's `dwim_ref`
/// with `core.warnAmbiguousRefs`) that still points at `moved_to`, directly or through a tag.
fn dwim_ref_name(
    repo: &gix::Repository,
    target: &BStr,
    moved_to: ObjectId,
) -> anyhow::Result<Option<String>> {
    if target == "HEAD" {
        return Ok(None);
    }
    let (count, first) = dwim_ref(repo, target)?;
    let Some((name, id)) = first.filter(|_| count == 1) else {
        return Ok(None);
    };
    let points_there = id == moved_to
        || repo
            .find_object(id)
            .ok()
            .and_then(|object| object.peel_to_commit().ok())
            .is_some_and(|commit| commit.id == moved_to);
    if !points_there {
        return Ok(None);
    }
    let name = name.as_bstr();
    let shown = name
        .strip_prefix(b"refs/tags/")
        .or_else(|| name.strip_prefix(b"refs/remotes/"))
        .unwrap_or(name);
    Ok(Some(shown.to_str_lossy().into_owned()))
}

/// git's `expand_ref`: how many of `ref_rev_parse_rules` find a ref for `short` (all of them with
/// `core.warnAmbiguousRefs`, else the first), and the first one found, resolved through symbolic
/// refs, with its object.
fn dwim_ref(
    repo: &gix::Repository,
    short: &BStr,
) -> anyhow::Result<(usize, Option<(FullName, ObjectId)>)> {
    let count_all = repo
        .config_snapshot()
        .boolean("core.warnAmbiguousRefs")
        .unwrap_or(true);
    let mut first: Option<(FullName, ObjectId)> = None;
    let mut count = 0;
    for rule in [
        "{}",
        "refs/{}",
        "refs/tags/{}",
        "refs/heads/{}",
        "refs/remotes/{}",
        "refs/remotes/{}/HEAD",
    ] {
        let candidate = rule.replace("{}", &short.to_str_lossy());
        let Ok(name) = FullName::try_from(candidate.as_str()) else {
            continue;
        };
        // The first rule only reaches refs under `refs/` and pseudo-refs such as ORIG_HEAD.
        let Some(reference) = repo::find_exact_reference(repo, name.as_ref())? else {
            continue;
        };
        let resolved = match reference.target() {
            TargetRef::Object(id) => (name, id.to_owned()),
            TargetRef::Symbolic(next) => {
                let next = next.to_owned();
                let Some(id) = resolve_symbolic(repo, next.as_ref())? else {
                    // git warns about a dangling symref here; let it.
                    anyhow::bail!("dangling symbolic ref {candidate}");
                };
                (final_name(repo, next)?, id)
            }
        };
        count += 1;
        if first.is_none() {
            first = Some(resolved);
        }
        if !count_all {
            break;
        }
    }
    Ok((count, first))
}

/// Whether git would warn `refname '<spec>' is ambiguous.` while resolving `spec`.
fn is_ambiguous_ref(repo: &gix::Repository, spec: &str) -> anyhow::Result<bool> {
    // Only a bare name goes through `dwim_ref` as a whole; revision syntax around a name is left
    // to git as soon as its name part would be ambiguous too, which this does not try to find.
    if spec.is_empty() || spec.contains(['~', '^', ':', '@', '{', '}']) || spec.contains("..") {
        return Ok(false);
    }
    Ok(dwim_ref(repo, spec.as_bytes().as_bstr())?.0 > 1)
}

/// The last name in a chain of symbolic refs starting at `name`.
fn final_name(repo: &gix::Repository, mut name: FullName) -> anyhow::Result<FullName> {
    for _ in 0..5 {
        match repo::find_exact_reference(repo, name.as_ref())? {
            Some(reference) => match reference.target() {
                TargetRef::Symbolic(next) => name = next.to_owned(),
                TargetRef::Object(_) => break,
            },
            None => break,
        }
    }
    Ok(name)
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
