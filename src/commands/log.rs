//! `git rtk-log`: one line per commit — short id, date, author, decorations, full subject.

use std::ffi::OsString;

use gix::bstr::ByteSlice;

use crate::args::{self, SplitError};
use crate::history::{dates, revisions, walk};
use crate::native_size::{
    self,
    log::{self as native_log, LogSize},
};
use crate::plugin::Outcome;
use crate::render::{self, date::short_date, decorations::Decorations};
use crate::repo;

/// Commits shown when no `-n` is given; the output then says how many more there are.
const DEFAULT_WINDOW: usize = 50;

const USAGE: &str = "\
usage: git rtk-log [<options>] [<revision-range>] [[--] <path>...]

One line per commit: <short-id> <date> <author> (<refs>) <subject>.
Without -n at most 50 commits are listed, and a last line says how to see the rest.

    -n <n>, -<n>, --max-count=<n>   limit the number of commits
    --since=<date>, --after=<date>  commits more recent than a date
    --until=<date>, --before=<date> commits older than a date
    --author=<pattern>              author matches (any of several)
    --grep=<pattern>                message matches (any of several)
    -i, --regexp-ignore-case        case-insensitive --author/--grep
    -F, --fixed-strings             patterns are plain strings
    -E, --extended-regexp           patterns are extended regular expressions
    --all                           all refs and HEAD
    --first-parent                  follow only the first parent of merges
    --merges, --no-merges           only / no merge commits
    --reverse                       oldest first
    --oneline, --decorate           accepted (always on)

Any other option runs `git log` unchanged.
";

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
    /// How git itself would format these commits (only to size its output).
    oneline: bool,
    abbrev_commit: bool,
    decorate: bool,
    words: Vec<String>,
    paths: Option<Vec<String>>,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum PatternKind {
    #[default]
    Basic,
    Extended,
    Fixed,
}

pub fn run(args: &[OsString]) -> anyhow::Result<Outcome> {
    let request = match parse(args) {
        Ok(Some(request)) => request,
        Ok(None) => return Ok(Outcome::pass_through("option not served natively")),
        Err(err) => return Ok(err.into_outcome(USAGE)),
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

    let decorations = Decorations::load(&repo)?;
    let mailmap = repo
        .config_snapshot()
        .boolean("log.mailmap")
        .unwrap_or(true)
        .then(|| repo.open_mailmap());
    let mut native = native_size::wanted().then(|| native_log_size(&repo, &request));
    let mut out = Vec::with_capacity(shown * 80);
    for id in &commits[..shown] {
        write_line(
            &repo,
            *id,
            &decorations,
            mailmap.as_ref(),
            native.as_mut(),
            &mut out,
        )?;
    }
    if shown < total {
        let mut command = format!("git rtk-log -n {total}");
        for arg in args {
            command.push(' ');
            command.push_str(&shell_word(&arg.to_string_lossy()));
        }
        out.extend_from_slice(format!("[{} more commits: {command}]\n", total - shown).as_bytes());
    }
    Ok(Outcome::success(out).with_native(native.map(|size| size.total(total))))
}

/// The format `git log` itself would use here: `--oneline` or the default, decorated when asked
/// on the command line or by `log.decorate` (without a terminal `auto` means undecorated).
fn native_log_size(repo: &gix::Repository, request: &LogRequest) -> LogSize {
    let format = if request.oneline {
        native_log::Format::Oneline
    } else {
        native_log::Format::Medium {
            abbrev_commit: request.abbrev_commit,
        }
    };
    let decorate_config = repo
        .config_snapshot()
        .string("log.decorate")
        .is_some_and(|v| {
            matches!(
                v.to_str_lossy().to_ascii_lowercase().as_str(),
                "true" | "yes" | "on" | "1" | "short" | "full"
            )
        });
    LogSize::new(format, request.decorate || decorate_config)
}

fn write_line(
    repo: &gix::Repository,
    id: gix::ObjectId,
    decorations: &Decorations,
    mailmap: Option<&gix::mailmap::Snapshot>,
    native: Option<&mut LogSize>,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let commit = repo.find_commit(id)?;
    let decoded = commit.decode()?;
    let author = decoded.author()?;
    let time = author.time()?;
    let (name, email) = native_log::shown_author(mailmap, author);
    let short_id = render::short_id(repo, id)?;
    let refs = decorations.of(&id);
    if let Some(native) = native {
        native.add_commit(
            repo,
            id,
            &decoded,
            (&name, &email),
            short_id.len(),
            refs.as_deref(),
        )?;
    }
    out.extend_from_slice(short_id.as_bytes());
    out.push(b' ');
    out.extend_from_slice(short_date(time).as_bytes());
    out.push(b' ');
    out.extend_from_slice(name.to_str_lossy().as_bytes());
    if let Some(refs) = refs {
        out.extend_from_slice(b" (");
        out.extend_from_slice(refs.as_bytes());
        out.push(b')');
    }
    out.push(b' ');
    out.extend_from_slice(decoded.message_summary().as_ref());
    out.push(b'\n');
    Ok(())
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

fn parse(args: &[OsString]) -> Result<Option<LogRequest>, SplitError> {
    let split = args::split(args, "iFE", "n")?;
    let mut request = LogRequest::default();
    for option in &split.options {
        let option = option.as_str();
        let value_of = |name: &str| args::long_value(option, name).map(str::to_owned);
        match option {
            "--all" => request.all = true,
            "--first-parent" => request.first_parent = true,
            "--merges" => request.merges = Some(true),
            "--no-merges" => request.merges = Some(false),
            "--reverse" => request.reverse = true,
            "--oneline" => request.oneline = true,
            "--decorate" | "--decorate=short" => request.decorate = true,
            "--abbrev-commit" => request.abbrev_commit = true,
            "-i" | "--regexp-ignore-case" => request.ignore_case = true,
            "-F" | "--fixed-strings" => request.pattern_kind = PatternKind::Fixed,
            "-E" | "--extended-regexp" => request.pattern_kind = PatternKind::Extended,
            _ => {
                if let Some(n) = option
                    .strip_prefix('-')
                    .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                {
                    request.max_count = n.parse().ok();
                } else if let Some(n) = value_of("--max-count").or_else(|| {
                    option
                        .strip_prefix("-n")
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                }) {
                    match n.parse() {
                        Ok(n) => request.max_count = Some(n),
                        Err(_) => return Ok(None),
                    }
                } else if let Some(date) = value_of("--since").or_else(|| value_of("--after")) {
                    match dates::parse_approxidate(&date) {
                        Some(t) => request.since = Some(t),
                        None => return Ok(None),
                    }
                } else if let Some(date) = value_of("--until").or_else(|| value_of("--before")) {
                    match dates::parse_approxidate(&date) {
                        Some(t) => request.until = Some(t),
                        None => return Ok(None),
                    }
                } else if let Some(author) = value_of("--author") {
                    request.authors.push(author);
                } else if let Some(grep) = value_of("--grep") {
                    request.greps.push(grep);
                } else {
                    // `-n 5`, `--author X` with a separate value, and everything else.
                    return Ok(None);
                }
            }
        }
    }
    request.words = split.positionals;
    request.paths = split.after_double_dash;
    if request.max_count == Some(0) {
        return Ok(None);
    }
    Ok(Some(request))
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

/// Quotes `word` for a shell when it needs quoting.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=./:@^~,+".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
