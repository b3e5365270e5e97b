//! Building the listing: which refs, in what order, with which markers and details.

use std::collections::HashMap;

use anyhow::Context as _;
use gix::bstr::{BStr, BString, ByteSlice};
use gix::refs::{FullName, FullNameRef, TargetRef};
use gix::ObjectId;

use crate::command::Outcome;
use crate::git_size::{
    self,
    branch::{self as git_branch, ListedRef},
};
use crate::render::short_id;
use crate::repo;
use crate::upstream;

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryKind {
    DetachedHead,
    Local,
    Remote,
}

/// One line of the listing.
pub(super) struct Entry {
    pub(super) kind: EntryKind,
    /// The full ref name, the sort key; `HEAD` for the detached HEAD line.
    pub(super) full_name: BString,
    /// The object the ref resolves to (through a symbolic ref, for `origin/HEAD`).
    pub(super) id: ObjectId,
    /// The shortened target of a symbolic remote ref (`origin/main` for `origin/HEAD`).
    pub(super) symref_target: Option<BString>,
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

pub(super) fn list(repo: &gix::Repository, request: &ListRequest) -> anyhow::Result<Outcome> {
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
    let verbose = request.verbose > 0;
    let remotes: Vec<BString> = repo.remote_names().into_iter().collect();
    let mut lines = Vec::with_capacity(entries.len());
    for entry in &entries {
        let mut line = ListedLine {
            marker: b"  ",
            name: Vec::new(),
            symref_target: None,
            short_id: None,
            worktree_path: None,
            tracking: None,
            subject: None,
            group_prefix_len: 0,
        };
        match entry.kind {
            EntryKind::DetachedHead => {
                let Some(description) = detached_description(repo, entry.id)? else {
                    return Ok(Outcome::pass_through("HEAD state git describes itself"));
                };
                line.marker = b"* ";
                line.name = description.into_bytes();
            }
            EntryKind::Local => {
                let is_current = current == Some(entry.full_name.as_bstr());
                let worktree = worktrees.get(&entry.full_name);
                line.marker = match (is_current, worktree) {
                    (true, _) => b"* ",
                    (false, Some(_)) => b"+ ",
                    (false, None) => b"  ",
                };
                line.name = entry.short_name().to_vec();
                line.tracking = tracking_label(repo, &mut divergence, entry)?;
                if let (Some(path), false, true) = (worktree, is_current, request.verbose > 1) {
                    line.worktree_path = Some(path.clone());
                }
            }
            EntryKind::Remote => {
                line.name = [remote_prefix, entry.short_name().as_ref()].concat();
                line.symref_target = entry.symref_target.clone();
                if let Some(remote_len) = remote_len(&remotes, entry.short_name()) {
                    line.group_prefix_len = remote_prefix.len() + remote_len + 1;
                }
            }
        }
        if verbose && line.symref_target.is_none() {
            line.short_id = Some(short_id(repo, entry.id)?);
            line.subject = Some(subject(repo, entry.id)?);
        }
        lines.push(line);
    }
    let listing = Listing { lines };
    let out = listing.render(verbose);
    let git_size = git_size::wanted().then(|| listing.git_output_size(request.verbose));
    Ok(Outcome::success(out).with_git_size(git_size))
}

/// The branches `git rtk-branch` lists, read once; the compact renderer ([`Listing::render`]) and
/// the size of git's own listing ([`Listing::git_output_size`]) both read it.
struct Listing {
    lines: Vec<ListedLine>,
}

/// One line of the listing, as read.
struct ListedLine {
    /// `* ` current, `+ ` checked out in another worktree, or two spaces.
    marker: &'static [u8],
    /// The name as shown: `remotes/origin/main` with `-a`, the `(HEAD detached at …)` text.
    name: Vec<u8>,
    /// `origin/main` of `origin/HEAD -> origin/main`.
    symref_target: Option<BString>,
    /// `-v`: the short id and the subject (empty when the commit has none).
    short_id: Option<String>,
    subject: Option<Vec<u8>>,
    /// `-vv`: the other worktree the branch is checked out in.
    worktree_path: Option<BString>,
    /// `[origin/main: ahead 1, behind 2]` of a local branch with an upstream.
    tracking: Option<String>,
    /// For a remote-tracking branch, the length of the name's prefix its remote's group shares
    /// (`remotes/origin/` with `-a`, `origin/` with `-r`); 0 for other lines.
    group_prefix_len: usize,
}

impl ListedLine {
    /// The shared prefix of a remote-tracking branch's group, without its final `/`.
    fn group(&self) -> Option<&[u8]> {
        (self.group_prefix_len > 0).then(|| &self.name[..self.group_prefix_len - 1])
    }
}

impl Listing {
    /// Local branches one per line; remote-tracking branches grouped by remote, the shared
    /// prefix written once: `remotes/origin: HEAD -> origin/main, main, topic`, or with `-v` a
    /// `remotes/origin:` line and then one indented line per branch.
    fn render(&self, verbose: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.len() * 64);
        let mut open_group: Option<&[u8]> = None;
        for line in &self.lines {
            let group = line.group();
            let name = match group {
                Some(prefix) => {
                    let starts_group = open_group != Some(prefix);
                    match (starts_group, verbose) {
                        (true, _) => {
                            if open_group.is_some() && !verbose {
                                out.push(b'\n');
                            }
                            out.extend_from_slice(prefix);
                            out.push(b':');
                            if verbose {
                                out.extend_from_slice(b"\n  ");
                            } else {
                                out.push(b' ');
                            }
                        }
                        (false, true) => out.extend_from_slice(b"  "),
                        (false, false) => out.extend_from_slice(b", "),
                    }
                    open_group = Some(prefix);
                    &line.name[line.group_prefix_len..]
                }
                None => {
                    if open_group.take().is_some() && !verbose {
                        out.push(b'\n');
                    }
                    out.extend_from_slice(line.marker);
                    &line.name[..]
                }
            };
            out.extend_from_slice(name);
            if let Some(target) = &line.symref_target {
                out.extend_from_slice(b" -> ");
                out.extend_from_slice(target);
            }
            if let Some(id) = &line.short_id {
                out.push(b' ');
                out.extend_from_slice(id.as_bytes());
            }
            if let Some(path) = &line.worktree_path {
                out.extend_from_slice(b" (");
                out.extend_from_slice(path);
                out.push(b')');
            }
            if let Some(label) = &line.tracking {
                out.push(b' ');
                out.extend_from_slice(label.as_bytes());
            }
            if let Some(subject) = line.subject.as_deref().filter(|s| !s.is_empty()) {
                out.push(b' ');
                out.extend_from_slice(subject);
            }
            if group.is_none() || verbose {
                out.push(b'\n');
            }
        }
        if open_group.is_some() && !verbose {
            out.push(b'\n');
        }
        out
    }

    /// The size of `git branch`'s own listing at `verbose` (see [`git_branch`]).
    fn git_output_size(&self, verbose: u32) -> u64 {
        let listed: Vec<ListedRef> = self
            .lines
            .iter()
            .map(|line| ListedRef {
                name_len: line.name.len(),
                symref_target_len: line.symref_target.as_ref().map(|t| t.len()),
                short_id_len: line.short_id.as_ref().map_or(0, String::len),
                worktree_path_len: line.worktree_path.as_ref().map(|p| p.len()),
                tracking_len: match (&line.tracking, verbose) {
                    (Some(label), 1..) => git_branch::tracking_len(label, verbose),
                    _ => None,
                },
                subject_len: line.subject.as_ref().map_or(0, Vec::len),
            })
            .collect();
        git_branch::listing_len(&listed, verbose) as u64
    }
}

/// `column.branch` (or `column.ui`) asks for columns: `always`, `auto` on a terminal, or a layout
/// (`column`, `row`, `plain`) without any of `always`/`never`/`auto`, which implies `always`.
pub(super) fn columns_enabled(repo: &gix::Repository) -> bool {
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

/// The length of the remote's name in a remote-tracking branch's short name (`origin/main`):
/// the longest configured remote name it starts with (names may hold `/`), else its first
/// component; `None` for a name without `/`, which has no group.
fn remote_len(remotes: &[BString], short_name: &BStr) -> Option<usize> {
    let configured = remotes
        .iter()
        .filter(|remote| {
            short_name.starts_with(remote.as_slice()) && short_name.get(remote.len()) == Some(&b'/')
        })
        .map(|remote| remote.len())
        .max();
    configured.or_else(|| short_name.find_byte(b'/'))
}

/// Follows a symbolic ref to the object it names, or `None` when the chain dangles.
pub(super) fn resolve_symbolic(
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

/// `[origin/main: ahead 1, behind 2]` for a local branch with an upstream.
pub(super) fn tracking_label(
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

/// The subject a verbose listing shows for `id` (`%(contents:subject)`).
fn subject(repo: &gix::Repository, id: ObjectId) -> anyhow::Result<Vec<u8>> {
    let commit = repo
        .find_commit(id)
        .with_context(|| format!("reading commit {id}"))?;
    let message = commit
        .message_raw()
        .with_context(|| format!("decoding commit {id}"))?;
    Ok(subject_of(message))
}

/// `%(contents:subject)`: the first paragraph of the message (stopping at an inline signature),
/// its line breaks turned into spaces — ref-filter's `find_subpos` and `copy_subject`.
pub(super) fn subject_of(message: &[u8]) -> Vec<u8> {
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
pub(super) fn inline_signature_start(message: &[u8]) -> usize {
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
