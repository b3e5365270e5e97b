//! `git rtk-status`: branch, upstream, operation in progress and every changed path, in git's short
//! format (see docs/output.md).

use std::collections::BTreeMap;

use gix::bstr::BString;
use gix::status::index_worktree::Item as WorktreeItem;
use gix::status::plumbing::index_as_worktree::{Change as WorktreeChange, Conflict, EntryStatus};

use crate::command::Outcome;
use crate::command::{self, Command, Kind};
use crate::git_size::{
    self,
    status::{self as git_status, Entry, LongStatus},
};
use crate::options::{self, flag, valued, Flag, Parsed, Value};
use crate::quote::PathQuoting;
use crate::relative::relative_to_prefix;
use crate::repo;
use crate::state::{self, BranchLine};
use crate::worktree_status::GitWrite;

mod from_cache;
mod from_git;

pub const COMMAND: Command = Command {
    name: "status",
    kind: Kind::Read,
    summary: "the working tree's state, compact",
    synopsis: &["[<options>] [--] [<pathspec>...]"],
    about: "Compact `git status`: branch, upstream ahead/behind, operation in progress and one `XY path` line\nper change, in the order `git status --short` prints them.",
    syntax: options::PARSE_OPTIONS,
    table: &[OPTIONS],
    entry: command::Entry::Native(run),
};

const OPTIONS: &[Flag] = &[
    flag(Some('s'), "short", "accepted (the output is always short)"),
    flag(Some('b'), "branch", "accepted (the branch is always shown)"),
    valued(
        Some('u'),
        "untracked-files",
        Value::Optional("mode"),
        "show untracked files: all, normal (default) or no",
    ),
    valued(
        None,
        "ignored",
        Value::Optional("mode"),
        "show ignored files too: traditional (default) or no",
    ),
    flag(None, "no-renames", "do not detect staged renames"),
    flag(None, "renames", "detect staged renames (default)"),
];

/// What the user asked for, within what the native path serves.
struct StatusRequest {
    /// `-s`/`--short` and `-b`/`--branch`: the form git itself would print (only to size it).
    short: bool,
    branch: bool,
    untracked: Option<gix::status::UntrackedFiles>,
    ignored: bool,
    renames: bool,
    /// `--renames` or `--no-renames` was typed (otherwise git's configuration decides, where
    /// git serves the status).
    renames_given: bool,
    pathspecs: Vec<BString>,
}

impl Default for StatusRequest {
    /// `git status` without options: renames detected, untracked files as configured.
    fn default() -> Self {
        StatusRequest {
            short: false,
            branch: false,
            untracked: None,
            ignored: false,
            renames: true,
            renames_given: false,
            pathspecs: Vec::new(),
        }
    }
}

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    let Some(request) = request(parsed) else {
        return Ok(Outcome::pass_through("option value not served natively"));
    };
    let repo = repo::open_with_worktree()?;
    render(&repo, &request)
}

/// The compact status of `repo` as `git rtk-status` prints it without options (the report of
/// `git rtk-commit` when there is nothing to commit).
pub fn compact(repo: &gix::Repository) -> anyhow::Result<Vec<u8>> {
    let request = StatusRequest::default();
    match render(repo, &request)? {
        Outcome::Printed { stdout, .. } => Ok(stdout),
        Outcome::PassThrough(reason) => Err(crate::failure::Decline(reason.0).into()),
    }
}

fn render(repo: &gix::Repository, request: &StatusRequest) -> anyhow::Result<Outcome> {
    let report = StatusReport::read(repo, request)?;
    let out = report.render();
    let git_size = git_size::wanted()
        .then(|| report.git_output_size(repo, request))
        .flatten();
    Ok(Outcome::success(out).with_git_size(git_size))
}

/// What `git rtk-status` reports, read from the repository once; the compact renderer
/// ([`StatusReport::render`]) and the size of git's own output ([`StatusReport::git_output_size`])
/// both read it.
struct StatusReport {
    branch: BranchLine,
    /// `# merging …`-style line for an operation in progress.
    operation: Option<String>,
    /// Every path line in git's order, paths spelled as the short format spells them.
    entries: Vec<ReportEntry>,
    has_conflicts: bool,
    /// A submodule with new commits or changed content.
    submodule_changed: bool,
}

/// One `XY path` line.
struct ReportEntry {
    kind: EntryKind,
    /// The path as shown: relative to the current directory, quoted as git quotes it.
    shown: Vec<u8>,
    /// The source of a staged rename or copy, shown the same way.
    source_shown: Option<Vec<u8>>,
}

enum EntryKind {
    Tracked {
        index: Option<u8>,
        worktree: Option<u8>,
    },
    Conflict(&'static str),
    Untracked,
    Ignored,
}

impl StatusReport {
    fn read(repo: &gix::Repository, request: &StatusRequest) -> anyhow::Result<StatusReport> {
        // Where git's accelerations make it the faster reader, git lists the changes while the
        // branch line is read here; unless git would read its untracked cache and rewrite
        // nothing, and then that cache is read here instead ([`from_cache`]).
        let by_git = crate::git_acceleration::status_by_git(repo);
        let from_cache = if by_git {
            from_cache::collect(repo, request)?
        } else {
            None
        };
        let pending = (by_git && from_cache.is_none())
            .then(|| from_git::start(request))
            .transpose()?;
        let branch = state::branch_line(repo)?;
        let changes = match (from_cache, pending) {
            (Some(changes), _) => changes,
            (None, Some(pending)) => pending.finish()?,
            (None, None) => collect_changes(repo, request)?,
        };
        let has_conflicts = changes
            .tracked
            .values()
            .any(|state| state.conflict.is_some());
        let operation = state::operation_line(repo, has_conflicts)?;
        let submodule_changed = changes.submodule_changed;
        Ok(StatusReport {
            branch,
            operation,
            entries: changes.into_entries(repo)?,
            has_conflicts,
            submodule_changed,
        })
    }

    /// The compact form (docs/output.md): the branch line, an operation in progress, then each
    /// path line, or `clean`.
    fn render(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        self.branch.write(&mut out);
        if let Some(operation) = &self.operation {
            out.extend_from_slice(operation.as_bytes());
            out.push(b'\n');
        }
        if self.entries.is_empty() {
            out.extend_from_slice(b"clean\n");
        }
        for entry in &self.entries {
            entry.write(&mut out);
        }
        out
    }

    /// The size of what `git status` prints for the same request: its short format with `-s`,
    /// else its long format; `None` where the model does not cover git's text (see
    /// [`git_size::status`]).
    fn git_output_size(&self, repo: &gix::Repository, request: &StatusRequest) -> Option<u64> {
        if request.short {
            let header = match (&self.branch, request.branch) {
                (_, false) => 0,
                // git -sb spells a detached HEAD `## HEAD (no branch)`.
                (BranchLine::Detached { .. }, true) => "## HEAD (no branch)\n".len(),
                (branch, true) => {
                    let mut line = Vec::new();
                    branch.write(&mut line);
                    line.len()
                }
            };
            let lines: usize = self.entries.iter().map(ReportEntry::short_len).sum();
            return Some((header + lines) as u64);
        }
        let merging = match repo.state() {
            None => None,
            Some(gix::state::InProgress::Merge) => Some(self.has_conflicts),
            Some(_) => return None,
        };
        if self.submodule_changed {
            // git describes what changed inside the submodule; that is not modelled.
            return None;
        }
        let sections = LongSections::of(&self.entries);
        let status = LongStatus {
            branch: &self.branch,
            merging,
            staged: &sections.staged,
            unmerged: &sections.unmerged,
            unstaged: &sections.unstaged,
            unstaged_deletion: sections.unstaged_deletion,
            untracked: &sections.untracked,
            ignored: &sections.ignored,
            untracked_off: matches!(request.untracked, Some(gix::status::UntrackedFiles::None)),
        };
        Some(status.size() as u64)
    }
}

impl ReportEntry {
    fn write(&self, out: &mut Vec<u8>) {
        match self.kind {
            EntryKind::Tracked { index, worktree } => {
                out.push(index.unwrap_or(b' '));
                out.push(worktree.unwrap_or(b' '));
            }
            EntryKind::Conflict(code) => out.extend_from_slice(code.as_bytes()),
            EntryKind::Untracked => out.extend_from_slice(b"??"),
            EntryKind::Ignored => out.extend_from_slice(b"!!"),
        }
        out.push(b' ');
        if let Some(source) = &self.source_shown {
            out.extend_from_slice(source);
            out.extend_from_slice(b" -> ");
        }
        out.extend_from_slice(&self.shown);
        out.push(b'\n');
    }

    /// The bytes of this line in git's short format (the same line).
    fn short_len(&self) -> usize {
        let source = self
            .source_shown
            .as_ref()
            .map_or(0, |s| s.len() + " -> ".len());
        "XY ".len() + source + self.shown.len() + 1
    }
}

/// The displayed length of every path, by the section git's long format lists it in.
#[derive(Default)]
struct LongSections {
    staged: Vec<Entry>,
    unmerged: Vec<Entry>,
    unstaged: Vec<Entry>,
    unstaged_deletion: bool,
    untracked: Vec<usize>,
    ignored: Vec<usize>,
}

impl LongSections {
    fn of(entries: &[ReportEntry]) -> LongSections {
        let mut sections = LongSections::default();
        for entry in entries {
            let path_only = long_format_len(&entry.shown);
            match entry.kind {
                EntryKind::Conflict(code) => sections.unmerged.push(Entry {
                    label: git_status::conflict_label(code),
                    display_len: path_only,
                }),
                EntryKind::Tracked { index, worktree } => {
                    let source_len = entry
                        .source_shown
                        .as_ref()
                        .map_or(0, |s| long_format_len(s) + " -> ".len());
                    if let Some(code) = index {
                        sections.staged.push(Entry {
                            label: git_status::change_label(code),
                            display_len: source_len + path_only,
                        });
                    }
                    if let Some(code) = worktree {
                        sections.unstaged_deletion |= code == b'D';
                        sections.unstaged.push(Entry {
                            label: git_status::change_label(code),
                            display_len: path_only,
                        });
                    }
                }
                EntryKind::Untracked => sections.untracked.push(path_only),
                EntryKind::Ignored => sections.ignored.push(path_only),
            }
        }
        sections
    }
}

/// The request `parsed` makes, or `None` for an option value the native path does not serve.
fn request(parsed: &Parsed) -> Option<StatusRequest> {
    let mut request = StatusRequest::default();
    for given in &parsed.given {
        let value = given.value.as_deref();
        match (given.flag.name().as_str(), value) {
            ("short", _) => request.short = true,
            ("branch", _) => request.branch = true,
            ("ignored", None | Some("traditional")) => request.ignored = true,
            ("ignored", Some("no")) => request.ignored = false,
            ("no-renames", _) => (request.renames, request.renames_given) = (false, true),
            ("renames", _) => (request.renames, request.renames_given) = (true, true),
            ("untracked-files", None) => {
                request.untracked = Some(gix::status::UntrackedFiles::Files)
            }
            ("untracked-files", Some(mode)) => request.untracked = Some(untracked_mode(mode)?),
            _ => return None,
        }
    }
    request.pathspecs = parsed
        .all_operands()
        .map(|p| BString::from(p.as_str()))
        .collect();
    Some(request)
}

fn untracked_mode(mode: &str) -> Option<gix::status::UntrackedFiles> {
    use gix::status::UntrackedFiles::*;
    Some(match mode {
        "all" => Files,
        "normal" => Collapsed,
        "no" => None,
        _ => return Option::None,
    })
}

/// The two columns of one short-format line.
#[derive(Debug, Clone, Default)]
struct PathState {
    index: Option<u8>,
    worktree: Option<u8>,
    /// Source of a staged rename or copy.
    renamed_from: Option<BString>,
    conflict: Option<&'static str>,
}

#[derive(Default)]
struct Changes {
    tracked: BTreeMap<BString, PathState>,
    untracked: Vec<BString>,
    ignored: Vec<BString>,
    /// A submodule with new commits or changed content.
    submodule_changed: bool,
}

impl Changes {
    /// The path lines in git's order (tracked paths sorted, then untracked, then ignored),
    /// paths spelled as git's short format spells them.
    fn into_entries(mut self, repo: &gix::Repository) -> anyhow::Result<Vec<ReportEntry>> {
        let quoting = PathQuoting::from_config(repo, true);
        let prefix = display_prefix(repo)?;
        let mut relative = Vec::new();
        let mut shown = |path: &[u8]| {
            relative.clear();
            relative_to_prefix(path, &prefix, &mut relative);
            let mut out = Vec::with_capacity(relative.len() + 2);
            quoting.write(&relative, &mut out);
            out
        };
        let mut entries =
            Vec::with_capacity(self.tracked.len() + self.untracked.len() + self.ignored.len());
        for (path, state) in &self.tracked {
            let kind = match state.conflict {
                Some(code) => EntryKind::Conflict(code),
                None => EntryKind::Tracked {
                    index: state.index,
                    worktree: state.worktree,
                },
            };
            entries.push(ReportEntry {
                kind,
                source_shown: state.renamed_from.as_ref().map(|s| shown(s)),
                shown: shown(path),
            });
        }
        self.untracked.sort();
        self.ignored.sort();
        let untracked = self
            .untracked
            .iter()
            .map(|path| (EntryKind::Untracked, path));
        let ignored = self.ignored.iter().map(|path| (EntryKind::Ignored, path));
        for (kind, path) in untracked.chain(ignored) {
            entries.push(ReportEntry {
                kind,
                shown: shown(path),
                source_shown: None,
            });
        }
        Ok(entries)
    }
}

/// The length of a path as the long format shows it, from its short-format spelling: the short
/// format also quotes a path for a space alone (no backslash escape inside), the long one does not.
fn long_format_len(short: &[u8]) -> usize {
    if short.first() == Some(&b'"') && !short.contains(&b'\\') {
        short.len() - 2
    } else {
        short.len()
    }
}

/// The current directory relative to the work tree, or empty when paths are shown from the top
/// (`status.relativePaths=false`).
fn display_prefix(repo: &gix::Repository) -> anyhow::Result<Vec<u8>> {
    if !repo
        .config_snapshot()
        .boolean("status.relativePaths")
        .unwrap_or(true)
    {
        return Ok(Vec::new());
    }
    Ok(repo
        .prefix()?
        .map(|p| gix::path::into_bstr(p).map(|p| p.into_owned().into()))
        .transpose()?
        .unwrap_or_default())
}

fn collect_changes(repo: &gix::Repository, request: &StatusRequest) -> anyhow::Result<Changes> {
    let submodules = gix::status::Submodule::AsConfigured { check_dirty: false };
    if request.pathspecs.is_empty() && request.renames {
        return collect_all_changes(repo, request, submodules);
    }
    let mut platform =
        crate::worktree_status::status_platform(repo)?.index_worktree_submodules(submodules);
    if let Some(mode) = request.untracked {
        platform = platform.untracked_files(mode);
    }
    if request.ignored {
        platform = platform.dirwalk_options(with_ignored);
    }
    if !request.renames {
        platform =
            platform.tree_index_track_renames(gix::status::tree_index::TrackRenames::Disabled);
    }
    let mut changes = Changes::default();
    let mut iter = platform.into_iter(request.pathspecs.clone())?;
    for item in iter.by_ref() {
        match item? {
            gix::status::Item::TreeIndex(change) => record_tree_index(&mut changes, change),
            gix::status::Item::IndexWorktree(item) => record_index_worktree(&mut changes, item),
        }
    }
    if !crate::index_refresh::write_back(iter.outcome_mut()) {
        // An index gix cannot rewrite losslessly, which git would rewrite: git's status.
        return from_git::start(request)?.finish();
    }
    Ok(changes)
}

/// git lists ignored files inside an untracked directory it shows collapsed.
fn with_ignored(options: gix::dirwalk::Options) -> gix::dirwalk::Options {
    options
        .emit_ignored(Some(gix::dir::walk::EmissionMode::CollapseDirectory))
        .emit_collapsed(Some(
            gix::dir::walk::CollapsedEntriesEmissionMode::OnStatusMismatch,
        ))
}

/// The whole repository: HEAD against the index (with the cache-tree shortcut of
/// `diff::changes::tree_to_index`), and the index against the work tree. On a large index the
/// two run side by side; on a small one threads cost more than they share.
fn collect_all_changes(
    repo: &gix::Repository,
    request: &StatusRequest,
    submodules: gix::status::Submodule,
) -> anyhow::Result<Changes> {
    let index = crate::index_read::index_or_empty(repo)?;
    let dirwalk = crate::worktree_status::untracked_walk(repo, request.untracked)?.map(|options| {
        if request.ignored {
            with_ignored(options)
        } else {
            options
        }
    });
    let head_tree = head_tree(repo)?;
    let worktree = || {
        crate::worktree_status::compare(repo, &index, dirwalk, submodules, None, GitWrite::Status)
    };
    let (staged, worktree) = if crate::worktree_status::is_large(&index) {
        staged_beside(repo, head_tree, worktree)
    } else {
        (
            crate::diff::changes::tree_to_index(repo, head_tree),
            worktree(),
        )
    };
    let mut changes = Changes::default();
    for change in staged? {
        record_staged(&mut changes, change);
    }
    let Some(worktree) = worktree? else {
        // An index gix cannot rewrite losslessly (a split index, the untracked cache, version 4),
        // which git would rewrite after this status: git's status, with that write.
        return from_git::start(request)?.finish();
    };
    for item in worktree {
        record_index_worktree(&mut changes, item);
    }
    Ok(changes)
}

/// HEAD's tree, `None` on an unborn branch.
fn head_tree(repo: &gix::Repository) -> anyhow::Result<Option<gix::ObjectId>> {
    Ok(repo
        .head()?
        .id()
        .map(|_| repo.head_tree_id())
        .transpose()?
        .map(|id| id.detach()))
}

/// HEAD against the index ([`crate::diff::changes::tree_to_index`]) on a thread of its own,
/// while `beside` runs on this one.
fn staged_beside<T>(
    repo: &gix::Repository,
    head_tree: Option<gix::ObjectId>,
    beside: impl FnOnce() -> T,
) -> (anyhow::Result<Vec<crate::diff::FileChange>>, T) {
    let shared = repo.clone().into_sync();
    std::thread::scope(|scope| {
        let staged = scope.spawn(move || {
            crate::diff::changes::tree_to_index(&shared.to_thread_local(), head_tree)
        });
        let found = beside();
        let staged = staged
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (staged, found)
    })
}

fn record_staged(changes: &mut Changes, change: crate::diff::FileChange) {
    use crate::diff::ChangeKind;
    let letter = match change.kind {
        ChangeKind::Added => b'A',
        ChangeKind::Deleted => b'D',
        ChangeKind::Modified => b'M',
        ChangeKind::TypeChanged => b'T',
        ChangeKind::Renamed { .. } => b'R',
        ChangeKind::Copied { .. } => b'C',
    };
    let source = matches!(
        change.kind,
        ChangeKind::Renamed { .. } | ChangeKind::Copied { .. }
    )
    .then(|| change.old.as_ref().map(|side| side.path.clone()))
    .flatten();
    let state = changes.tracked.entry(change.path().clone()).or_default();
    state.index = Some(letter);
    state.renamed_from = source;
}

fn record_tree_index(changes: &mut Changes, change: gix::diff::index::Change) {
    use gix::diff::index::ChangeRef;
    let (path, letter, source) = match change {
        ChangeRef::Addition { location, .. } => (location.into_owned(), b'A', None),
        ChangeRef::Deletion { location, .. } => (location.into_owned(), b'D', None),
        ChangeRef::Modification {
            location,
            previous_entry_mode,
            entry_mode,
            ..
        } => {
            let letter = if is_type_change(previous_entry_mode, entry_mode) {
                b'T'
            } else {
                b'M'
            };
            (location.into_owned(), letter, None)
        }
        ChangeRef::Rewrite {
            source_location,
            location,
            copy,
            ..
        } => (
            location.into_owned(),
            if copy { b'C' } else { b'R' },
            Some(source_location.into_owned()),
        ),
    };
    let state = changes.tracked.entry(path).or_default();
    state.index = Some(letter);
    state.renamed_from = source;
}

fn record_index_worktree(changes: &mut Changes, item: WorktreeItem) {
    match item {
        WorktreeItem::Modification {
            rela_path, status, ..
        } => {
            let letter = match status {
                EntryStatus::Conflict { summary, .. } => {
                    changes.tracked.entry(rela_path).or_default().conflict =
                        Some(conflict_code(summary));
                    return;
                }
                EntryStatus::Change(WorktreeChange::Removed) => b'D',
                EntryStatus::Change(WorktreeChange::Type { .. }) => b'T',
                EntryStatus::Change(WorktreeChange::Modification { .. }) => b'M',
                EntryStatus::Change(WorktreeChange::SubmoduleModification(status)) => {
                    changes.submodule_changed = true;
                    match submodule_letter(&status) {
                        Some(letter) => letter,
                        None => return,
                    }
                }
                EntryStatus::IntentToAdd => b'A',
                EntryStatus::NeedsUpdate(_) => return,
            };
            changes.tracked.entry(rela_path).or_default().worktree = Some(letter);
        }
        WorktreeItem::DirectoryContents {
            entry,
            collapsed_directory_status,
        } => match entry.status {
            // Already represented by its collapsed directory.
            gix::dir::entry::Status::Untracked if collapsed_directory_status.is_some() => {}
            gix::dir::entry::Status::Untracked => changes.untracked.push(with_dir_slash(entry)),
            gix::dir::entry::Status::Ignored(_) => changes.ignored.push(with_dir_slash(entry)),
            gix::dir::entry::Status::Pruned | gix::dir::entry::Status::Tracked => {}
        },
        WorktreeItem::Rewrite { dirwalk_entry, .. } => {
            changes.untracked.push(with_dir_slash(dirwalk_entry))
        }
    }
}

/// The short format's worktree column for a submodule: `M` new commits, `m` modified content,
/// `?` untracked content only.
fn submodule_letter(status: &gix::submodule::Status) -> Option<u8> {
    let new_commits =
        status.checked_out_head_id.is_some() && status.checked_out_head_id != status.index_id;
    let changes = status.changes.as_deref().unwrap_or_default();
    let modified = changes.iter().any(|change| {
        !matches!(
            change,
            gix::status::Item::IndexWorktree(gix::status::index_worktree::Item::DirectoryContents { entry, .. })
                if matches!(entry.status, gix::dir::entry::Status::Untracked | gix::dir::entry::Status::Ignored(_))
        )
    });
    let untracked = changes.iter().any(|change| {
        matches!(
            change,
            gix::status::Item::IndexWorktree(gix::status::index_worktree::Item::DirectoryContents { entry, .. })
                if entry.status == gix::dir::entry::Status::Untracked
        )
    });
    submodule_column(new_commits, modified, untracked)
}

/// The short format's work-tree column for a changed submodule, in git's order of precedence
/// (`wt_shortstatus_status`): `M` new commits, `m` modified content, `?` untracked content only.
fn submodule_column(new_commits: bool, modified: bool, untracked: bool) -> Option<u8> {
    if new_commits {
        Some(b'M')
    } else if modified {
        Some(b'm')
    } else if untracked {
        Some(b'?')
    } else {
        None
    }
}

fn with_dir_slash(entry: gix::dir::Entry) -> BString {
    let mut path = entry.rela_path;
    let is_dir = matches!(
        entry.disk_kind,
        Some(gix::dir::entry::Kind::Directory | gix::dir::entry::Kind::Repository)
    );
    if is_dir && !path.ends_with(b"/") {
        path.push(b'/');
    }
    path
}

fn is_type_change(old: gix::index::entry::Mode, new: gix::index::entry::Mode) -> bool {
    use gix::index::entry::Mode;
    let kind = |mode: Mode| {
        if mode.contains(Mode::SYMLINK) {
            1
        } else if mode.contains(Mode::COMMIT) {
            2
        } else {
            0
        }
    };
    kind(old) != kind(new)
}

fn conflict_code(conflict: Conflict) -> &'static str {
    match conflict {
        Conflict::BothDeleted => "DD",
        Conflict::AddedByUs => "AU",
        Conflict::DeletedByThem => "UD",
        Conflict::AddedByThem => "UA",
        Conflict::DeletedByUs => "DU",
        Conflict::BothAdded => "AA",
        Conflict::BothModified => "UU",
    }
}
