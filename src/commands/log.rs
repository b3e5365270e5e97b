//! `git rtk-log`: one line per commit — short id, decorations, full subject — under a line that
//! names the day and the author whenever either changes, and a marker on commits whose message
//! has a body. `--oneline` prints git's own oneline form with short ids.

use gix::bstr::{BString, ByteSlice};

use crate::command::Outcome;
use crate::command::{Command, Entry, Kind};
use crate::diff::changes::{self, Target};
use crate::diff::options::{OutputOptions, OUTPUT_OPTIONS};
use crate::git_size::patch::GitDiffSize;
use crate::git_size::{
    self,
    log::{self as git_log, LogSize},
};
use crate::history::{dates, revisions, walk};
use crate::options::{self, flag, short_only, valued, Flag, Parsed, Value};
use crate::render::{self, date::short_date, decorations::Decorations};
use crate::repo;

/// Commits shown when no `-n` is given; the output then says how many more there are.
const DEFAULT_WINDOW: usize = 50;

pub const COMMAND: Command = Command {
    name: "log",
    kind: Kind::Read,
    summary: "commit history, compact",
    synopsis: &["[<options>] [<revision-range>] [[--] <path>...]"],
    about: "One line per commit: <short-id> (<refs>) <subject> [+<n> lines], where [+<n> lines] counts\nthe message body's lines ([+1 line] for one) (git rtk-show <id> prints them). A line `<date> by <author>`,\n`<date>` or `by <author>` comes before a commit whose day or author differs from the\nprevious one. --oneline (and --pretty=oneline) prints `<short-id> <subject>` as git does.\n-p, --stat, --numstat, --name-only and --name-status add each commit's diff as git rtk-show\nprints it. Without -n at most 50 commits are listed, and a last line says how to see the rest.",
    syntax: options::Syntax {
        numeric: Some("max-count"),
        ..options::REVISIONS
    },
    table: &[OPTIONS, OUTPUT_OPTIONS],
    entry: Entry::Native(run),
};

const OPTIONS: &[Flag] = &[
    valued(
        None,
        "max-count",
        Value::Required("n"),
        "limit the number of commits (also -n <n>, -<n>)",
    ),
    short_only('n', Value::Required("n"), ""),
    valued(
        None,
        "since",
        Value::Required("date"),
        "commits more recent than a date",
    ),
    valued(
        None,
        "after",
        Value::Required("date"),
        "the same as --since",
    ),
    valued(
        None,
        "until",
        Value::Required("date"),
        "commits older than a date",
    ),
    valued(
        None,
        "before",
        Value::Required("date"),
        "the same as --until",
    ),
    valued(
        None,
        "author",
        Value::Required("pattern"),
        "author matches (any of several)",
    ),
    valued(
        None,
        "grep",
        Value::Required("pattern"),
        "message matches (any of several)",
    ),
    flag(
        Some('i'),
        "regexp-ignore-case",
        "case-insensitive --author/--grep",
    ),
    flag(Some('F'), "fixed-strings", "patterns are plain strings"),
    flag(
        Some('E'),
        "extended-regexp",
        "patterns are extended regular expressions",
    ),
    flag(None, "all", "all refs and HEAD"),
    flag(
        None,
        "first-parent",
        "follow only the first parent of merges",
    ),
    flag(None, "merges", "only merge commits"),
    flag(None, "no-merges", "no merge commits"),
    flag(None, "reverse", "oldest first"),
    flag(
        None,
        "oneline",
        "<short-id> <subject> per commit, as git prints it",
    ),
    valued(
        None,
        "pretty",
        Value::Optional("oneline"),
        "oneline as --oneline; other formats are git's",
    ),
    valued(
        None,
        "format",
        Value::Required("oneline"),
        "oneline as --oneline; other formats are git's",
    ),
    valued(
        None,
        "decorate",
        Value::Optional("short"),
        "accepted (always on)",
    ),
    flag(None, "abbrev-commit", "accepted (ids are always short)"),
    flag(None, "no-decorate", "no decorations"),
];

#[derive(Default)]
struct LogRequest {
    max_count: Option<usize>,
    since: Option<i64>,
    until: Option<i64>,
    authors: Vec<String>,
    greps: Vec<String>,
    ignore_case: bool,
    pattern_kind: PatternKind,
    all: bool,
    first_parent: bool,
    merges: Option<bool>,
    reverse: bool,
    /// `--oneline`, `--pretty=oneline` or `--format=oneline`.
    oneline: bool,
    /// How git itself would format these commits: short ids (`--oneline`, `--abbrev-commit`) and
    /// decorations (`--decorate`, `--no-decorate`, else `log.decorate`).
    abbrev_commit: bool,
    decorate: Option<bool>,
    words: Vec<String>,
    paths: Option<Vec<String>>,
    /// `-p`, `--stat`, `--numstat`, `--name-only`, `--name-status`, `-U<n>`: each commit's diff
    /// in that form, as `git rtk-show` prints it.
    diff: Option<OutputOptions>,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum PatternKind {
    #[default]
    Basic,
    Extended,
    Fixed,
}

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    let Some(request) = request(parsed) else {
        return Ok(Outcome::pass_through("option value not served natively"));
    };
    let repo = repo::open()?;
    let Some(revs) = revisions::resolve(&repo, &request.words, request.paths.as_deref())? else {
        return Ok(Outcome::pass_through(
            "revision or path needs git's judgement",
        ));
    };
    let mut tips = revs.tips;
    if request.all {
        tips.extend(all_ref_tips(&repo)?);
    }
    if !revs.explicit && !request.all {
        match repo.head()?.id() {
            Some(id) => tips.push(id.detach()),
            // Unborn branch: git's own error says so.
            None => return Ok(Outcome::pass_through("HEAD has no commits")),
        }
    }
    let Some(matcher) = Matcher::new(&request)? else {
        return Ok(Outcome::pass_through("pattern not reproduced natively"));
    };
    let spec = walk::WalkSpec {
        tips,
        hidden: revs.hidden,
        first_parent: request.first_parent,
        paths: revs.paths,
        since: request.since,
    };
    let mut commits = Vec::new();
    let commit_graph = repo.commit_graph_if_enabled()?;
    for walked in walk::Walk::new(&repo, spec, commit_graph.as_ref())? {
        let walked = walked?;
        if request
            .merges
            .is_some_and(|merges| merges != (walked.parent_count > 1))
        {
            continue;
        }
        if request
            .until
            .is_some_and(|until| walked.commit_time > until)
        {
            continue;
        }
        // Only --author/--grep need the commit's text; the walk has the rest.
        if !matcher.is_empty() && !matcher.matches(&repo.find_commit(walked.id)?.decode()?)? {
            continue;
        }
        commits.push(walked.id);
        if request.max_count.is_some_and(|n| commits.len() >= n) {
            break;
        }
    }
    if request.reverse {
        commits.reverse();
    }
    let total = commits.len();
    let shown = match request.max_count {
        Some(_) => total,
        None => total.min(DEFAULT_WINDOW),
    };

    let report = LogReport::read(&repo, &commits[..shown])?;
    let style = if request.oneline {
        Style::Oneline {
            decorate: git_decorates(&repo, &request),
        }
    } else {
        Style::Grouped
    };
    let mut git_diff_size = request
        .diff
        .filter(|_| git_size::wanted())
        .map(|output| GitDiffSize::for_repo(&repo, output.context_given()));
    let diffs = match request.diff {
        Some(output) => match report.diffs(&repo, output, git_diff_size.as_mut())? {
            Some(diffs) => Some(diffs),
            None => return Ok(Outcome::pass_through("a diff only git renders")),
        },
        None => None,
    };
    let mut out = report.render(style, diffs.as_deref());
    if shown < total {
        let mut command = format!("git rtk-log -n {total}");
        for word in &parsed.words {
            command.push(' ');
            command.push_str(&crate::quote::shell_word(word));
        }
        out.extend_from_slice(format!("[{} more commits: {command}]\n", total - shown).as_bytes());
    }
    let git_size = if git_size::wanted() {
        let diff_bytes = git_diff_size.map_or(0, |size| size.bytes as u64);
        Some(report.git_output_size(&repo, &request, total)? + diff_bytes)
    } else {
        None
    };
    Ok(Outcome::success(out).with_git_size(git_size))
}

/// The commits `git rtk-log` shows, read from the repository once; the compact renderer
/// ([`LogReport::render`]) and the size of git's own output ([`LogReport::git_output_size`])
/// both read it.
struct LogReport {
    commits: Vec<LoggedCommit>,
}

/// One commit, as read.
struct LoggedCommit {
    id: gix::ObjectId,
    short_id: String,
    /// The author as `git log` shows it (through the mailmap when `log.mailmap` is on).
    author_name: BString,
    author_email: BString,
    author_time: gix::date::Time,
    /// The decorations as git joins them inside the parentheses.
    refs: Option<String>,
    message: BString,
    /// The parents of a merge (empty for other commits).
    merge_parents: Vec<gix::ObjectId>,
    /// For `-p` and the other diff forms: the commit's tree and its first parent.
    tree: gix::ObjectId,
    first_parent: Option<gix::ObjectId>,
}

impl LogReport {
    fn read(repo: &gix::Repository, ids: &[gix::ObjectId]) -> anyhow::Result<LogReport> {
        let decorations = Decorations::load(repo)?;
        let mailmap = repo
            .config_snapshot()
            .boolean("log.mailmap")
            .unwrap_or(true)
            .then(|| repo.open_mailmap());
        let mut commits = Vec::with_capacity(ids.len());
        for &id in ids {
            let commit = repo.find_commit(id)?;
            let decoded = commit.decode()?;
            let author = decoded.author()?;
            let (author_name, author_email) = git_log::shown_author(mailmap.as_ref(), author);
            commits.push(LoggedCommit {
                id,
                short_id: render::short_id(repo, id)?,
                author_name,
                author_email,
                author_time: author.time()?,
                refs: decorations.of(&id),
                message: decoded.message.to_owned(),
                tree: decoded.tree(),
                first_parent: decoded.parents().next(),
                merge_parents: if decoded.parents.len() > 1 {
                    decoded.parents().collect()
                } else {
                    Vec::new()
                },
            });
        }
        Ok(LogReport { commits })
    }

    /// Each commit's diff in `output`'s form, as `git rtk-show` prints it after the commit (none
    /// for a merge, as `git log` shows none), adding git's size for it to `git_size`. `None` when
    /// a diff needs git to render it.
    fn diffs(
        &self,
        repo: &gix::Repository,
        output: OutputOptions,
        mut git_size: Option<&mut GitDiffSize>,
    ) -> anyhow::Result<Option<Vec<Vec<u8>>>> {
        let mut diffs = Vec::with_capacity(self.commits.len());
        for commit in &self.commits {
            let mut diff = Vec::new();
            if commit.merge_parents.is_empty() {
                let parent_tree = match commit.first_parent {
                    Some(parent) => Some(repo.find_commit(parent)?.tree_id()?.detach()),
                    None => None,
                };
                let tree = commit.tree;
                let Some(changes) =
                    changes::collect(repo, Target::TreeToTree(parent_tree, tree), &[])?
                else {
                    return Ok(None);
                };
                if !changes.is_empty() {
                    if let Some(git_size) = git_size.as_deref_mut() {
                        // git separates the message from the diff with a blank line.
                        git_size.bytes += 1;
                    }
                    let written = crate::diff::output::write(
                        repo,
                        &changes,
                        output.form(),
                        &mut diff,
                        git_size.as_deref_mut(),
                    )?;
                    if written.is_none() {
                        return Ok(None);
                    }
                }
            }
            diffs.push(diff);
        }
        Ok(Some(diffs))
    }

    /// Each commit as [`COMMAND`]'s about text describes it: grouped under day and author
    /// lines, or git's oneline form (decorated when git would decorate it), each followed by its
    /// diff when `diffs` has one per commit.
    fn render(&self, style: Style, diffs: Option<&[Vec<u8>]>) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.commits.len() * 80);
        let mut previous: Option<(String, &BString)> = None;
        for (index, commit) in self.commits.iter().enumerate() {
            if style == Style::Grouped {
                let day = short_date(commit.author_time);
                let (new_day, new_author) = match &previous {
                    Some((last_day, last_author)) => {
                        (*last_day != day, *last_author != &commit.author_name)
                    }
                    None => (true, true),
                };
                if new_day {
                    out.extend_from_slice(day.as_bytes());
                }
                if new_day && new_author {
                    out.push(b' ');
                }
                if new_author {
                    out.extend_from_slice(b"by ");
                    out.extend_from_slice(commit.author_name.to_str_lossy().as_bytes());
                }
                if new_day || new_author {
                    out.push(b'\n');
                }
                previous = Some((day, &commit.author_name));
            }
            out.extend_from_slice(commit.short_id.as_bytes());
            let decorated = match style {
                Style::Grouped => true,
                Style::Oneline { decorate } => decorate,
            };
            if let (true, Some(refs)) = (decorated, &commit.refs) {
                out.extend_from_slice(b" (");
                out.extend_from_slice(refs.as_bytes());
                out.push(b')');
            }
            out.push(b' ');
            out.extend_from_slice(commit.summary().as_ref());
            if style == Style::Grouped {
                let body_lines = body_line_count(&commit.message);
                match body_lines {
                    0 => {}
                    1 => out.extend_from_slice(b" [+1 line]"),
                    n => out.extend_from_slice(format!(" [+{n} lines]").as_bytes()),
                }
            }
            out.push(b'\n');
            if let Some(diff) = diffs.and_then(|diffs| diffs.get(index)) {
                out.extend_from_slice(diff);
            }
        }
        out
    }

    /// The size of what `git log` prints for the same request, `total` commits in all (those not
    /// read are extrapolated).
    fn git_output_size(
        &self,
        repo: &gix::Repository,
        request: &LogRequest,
        total: usize,
    ) -> anyhow::Result<u64> {
        let mut size = git_log_size(repo, request);
        for commit in &self.commits {
            // git names a merge's parents on a `Merge:` line, abbreviated.
            let parent_short_id_lens = commit
                .merge_parents
                .iter()
                .map(|parent| render::short_id(repo, *parent).map(|s| s.len()))
                .collect::<anyhow::Result<Vec<usize>>>()?;
            size.add(&git_log::CommitText {
                full_id_len: commit.id.kind().len_in_hex(),
                short_id_len: commit.short_id.len(),
                parent_short_id_lens: &parent_short_id_lens,
                author_name: &commit.author_name,
                author_email: &commit.author_email,
                author_time: commit.author_time,
                message: &commit.message,
                summary: commit.summary().as_ref(),
                decorations: commit.refs.as_deref(),
            });
        }
        Ok(size.total(total))
    }
}

impl LoggedCommit {
    fn summary(&self) -> std::borrow::Cow<'_, gix::bstr::BStr> {
        gix::objs::commit::MessageRef::from_bytes(&self.message).summary()
    }
}

/// The format `git log` itself would use here: oneline or the default, with short or full ids.
fn git_log_size(repo: &gix::Repository, request: &LogRequest) -> LogSize {
    let abbrev_commit = request.abbrev_commit;
    let format = if request.oneline {
        git_log::Format::Oneline { abbrev_commit }
    } else {
        git_log::Format::Medium { abbrev_commit }
    };
    LogSize::new(format, git_decorates(repo, request))
}

/// Whether `git log` decorates here: as asked on the command line, else by `log.decorate`
/// (its default, `auto`, means undecorated without a terminal, which is how plugins run).
fn git_decorates(repo: &gix::Repository, request: &LogRequest) -> bool {
    request.decorate.unwrap_or_else(|| {
        repo.config_snapshot()
            .string("log.decorate")
            .is_some_and(|v| {
                matches!(
                    v.to_str_lossy().to_ascii_lowercase().as_str(),
                    "true" | "yes" | "on" | "1" | "short" | "full"
                )
            })
    })
}

/// How commits are printed.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// Under day and author lines, decorated, with body markers.
    Grouped,
    /// git's `--oneline`: id, decorations when git shows them, subject.
    Oneline { decorate: bool },
}

/// The lines of a message after its subject paragraph, blank lines at either end left out (what
/// `git log --format=%b` prints, trimmed).
fn body_line_count(message: &[u8]) -> usize {
    let is_blank = |line: &&[u8]| line.iter().all(u8::is_ascii_whitespace);
    let mut lines = message
        .lines()
        .skip_while(is_blank)
        .skip_while(|line| !is_blank(line));
    let body: Vec<&[u8]> = lines.by_ref().skip_while(is_blank).collect();
    body.iter()
        .rposition(|line| !is_blank(line))
        .map_or(0, |last| last + 1)
}

/// Tips for `--all`: every ref under `refs/` (stash included, as git does) and HEAD.
fn all_ref_tips(repo: &gix::Repository) -> anyhow::Result<Vec<gix::ObjectId>> {
    let mut named = Vec::new();
    for reference in repo.references()?.all()? {
        let Ok(mut reference) = reference else {
            continue;
        };
        let name = reference.name().as_bstr().to_owned();
        if let Ok(id) = reference.peel_to_id() {
            if let Ok(object) = id.object() {
                if let Ok(commit) = object.peel_to_commit() {
                    named.push((name, commit.id));
                }
            }
        }
    }
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tips: Vec<gix::ObjectId> = named.into_iter().map(|(_, id)| id).collect();
    if let Some(id) = repo.head()?.id() {
        tips.push(id.detach());
    }
    Ok(tips)
}

/// The request `parsed` makes, or `None` for an option value the native path does not serve.
fn request(parsed: &Parsed) -> Option<LogRequest> {
    let mut request = LogRequest::default();
    for given in &parsed.given {
        let value = given.value.clone().unwrap_or_default();
        match given.flag.name().as_str() {
            "all" => request.all = true,
            "first-parent" => request.first_parent = true,
            "merges" => request.merges = Some(true),
            "no-merges" => request.merges = Some(false),
            "reverse" => request.reverse = true,
            "oneline" => {
                request.oneline = true;
                request.abbrev_commit = true;
            }
            // The last format given wins, as in git.
            "pretty" | "format" => match given.value.as_deref() {
                None | Some("oneline") => request.oneline = given.value.is_some(),
                _ => return None,
            },
            "decorate" if matches!(given.value.as_deref(), None | Some("short")) => {
                request.decorate = Some(true)
            }
            "decorate" if given.value.as_deref() == Some("no") => request.decorate = Some(false),
            "no-decorate" => request.decorate = Some(false),
            "abbrev-commit" => request.abbrev_commit = true,
            "regexp-ignore-case" => request.ignore_case = true,
            "fixed-strings" => request.pattern_kind = PatternKind::Fixed,
            "extended-regexp" => request.pattern_kind = PatternKind::Extended,
            "max-count" | "n" => request.max_count = Some(value.parse().ok()?),
            "since" | "after" => request.since = Some(dates::parse_approxidate(&value)?),
            "until" | "before" => request.until = Some(dates::parse_approxidate(&value)?),
            "author" => request.authors.push(value),
            "grep" => request.greps.push(value),
            _ => {
                if !request
                    .diff
                    .get_or_insert_with(OutputOptions::default)
                    .accept(given)
                {
                    return None;
                }
            }
        }
    }
    request.words = parsed.operands.clone();
    request.paths = parsed.after_double_dash.clone();
    if request.max_count == Some(0) {
        return None;
    }
    Some(request)
}

/// `--author` and `--grep` as git applies them: any author pattern must match the author
/// (`Name <email>`), and any grep pattern must match a line of the message.
struct Matcher {
    authors: Vec<regex::bytes::Regex>,
    greps: Vec<regex::bytes::Regex>,
}

impl Matcher {
    fn new(request: &LogRequest) -> anyhow::Result<Option<Self>> {
        let compile = |patterns: &[String]| -> anyhow::Result<Option<Vec<regex::bytes::Regex>>> {
            let mut out = Vec::new();
            for pattern in patterns {
                let Some(translated) = translate_pattern(pattern, request.pattern_kind) else {
                    return Ok(None);
                };
                out.push(
                    regex::bytes::RegexBuilder::new(&translated)
                        .case_insensitive(request.ignore_case)
                        .multi_line(true)
                        .unicode(false)
                        .build()?,
                );
            }
            Ok(Some(out))
        };
        let (Some(authors), Some(greps)) = (compile(&request.authors)?, compile(&request.greps)?)
        else {
            return Ok(None);
        };
        Ok(Some(Matcher { authors, greps }))
    }

    fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.greps.is_empty()
    }

    fn matches(&self, commit: &gix::objs::CommitRef<'_>) -> anyhow::Result<bool> {
        if !self.authors.is_empty() {
            let author = commit.author()?;
            let mut line = author.name.to_vec();
            line.extend_from_slice(b" <");
            line.extend_from_slice(author.email);
            line.push(b'>');
            if !self.authors.iter().any(|re| re.is_match(&line)) {
                return Ok(false);
            }
        }
        if !self.greps.is_empty() && !self.greps.iter().any(|re| re.is_match(commit.message)) {
            return Ok(false);
        }
        Ok(true)
    }
}

/// Translates a git pattern into `regex` syntax, or `None` when the meaning could differ.
fn translate_pattern(pattern: &str, kind: PatternKind) -> Option<String> {
    match kind {
        PatternKind::Fixed => Some(regex::escape(pattern)),
        PatternKind::Extended => {
            // Backreferences, classes like [[:alpha:]] and escapes differ between the dialects.
            (!pattern.contains(['\\', '[', '{'])).then(|| pattern.to_owned())
        }
        PatternKind::Basic => {
            if pattern.contains(['\\', '[']) {
                return None;
            }
            // In a basic regex, `+ ? { } ( ) |` are ordinary characters.
            let mut out = String::with_capacity(pattern.len());
            for c in pattern.chars() {
                if "+?{}()|".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
            Some(out)
        }
    }
}
