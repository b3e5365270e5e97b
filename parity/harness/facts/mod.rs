//! Facts: what git's machine-readable output says must be in the plugin's stdout.
//!
//! Each command module asks git (in the git twin, after the command ran) for a machine-readable
//! form of the same question — `status --porcelain`, `log --format`, the `+`/`-` lines of `diff`
//! and `show`, `branch --format` — and turns the answer into [`Fact`]s, spelt the way
//! docs/output.md says the plugin prints them. Facts never come from the plugin's own output.

mod args;
mod blame;
mod branch;
mod diff;
mod grep;
mod log;
mod mutating;
mod show;
mod status;

use std::collections::BTreeMap;
use std::ffi::OsStr;

use super::case::{Case, GitCommand};
use super::env::{CaseEnv, Side, Toolchain};
use super::invoke;
use super::state::RepoState;
use super::text;

/// Runs git queries in the git twin, in the context the command ran in.
pub struct GitQuery<'a> {
    pub env: &'a CaseEnv,
    pub toolchain: &'a Toolchain,
    pub case: &'a Case,
    /// The git twin's state before the command ran (mutating commands report differences).
    pub before: &'a RepoState,
    /// git's exit code for the command.
    pub exit_code: i32,
}

impl GitQuery<'_> {
    /// `git <case git_args> <args>`; a failure is a harness error (the query was wrong).
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, String> {
        let shown = args
            .iter()
            .map(|arg| arg.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let command = self
            .env
            .git_in_context(self.toolchain, self.case, Side::Git, args);
        invoke::stdout_of(command, &format!("fact query `git {shown}`"))
    }
}

/// The facts for one case; an empty list means nothing could be checked.
pub fn collect(query: &GitQuery<'_>) -> Result<Vec<Fact>, String> {
    let args = &query.case.spec.args;
    match query.case.spec.command {
        GitCommand::Status => status::collect(query, args),
        GitCommand::Log => log::collect(query, args),
        GitCommand::Diff => diff::collect(query, args),
        GitCommand::Show => show::collect(query, args),
        GitCommand::Grep => grep::collect(query, args),
        GitCommand::Blame => blame::collect(query, args),
        GitCommand::Branch => {
            let listing = branch::collect(query, args)?;
            if listing.is_empty() {
                mutating::collect(query)
            } else {
                Ok(listing)
            }
        }
        _ => mutating::collect(query),
    }
}

/// Which lines of the plugin's stdout a count or multiset fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// `XY path` lines of `rtk-status`: everything but the `## ` branch line, `# ` operation lines
    /// and `clean`.
    StatusEntry,
    /// `rtk-log` commit lines: the first word is a hexadecimal id.
    LogCommit,
    /// Added and removed lines of a diff, and `\ No newline at end of file`. With `columns` > 1
    /// (a combined diff of a merge) a line counts when its first `columns` characters are all
    /// ` `, `+` or `-` with at least one `+` or `-` (git's ` +line`, `++line`).
    DiffChange { columns: usize },
    /// Every non-empty line.
    NonEmpty,
    /// Every line, empty ones included.
    Any,
}

impl Selector {
    fn selects(self, line: &[u8]) -> bool {
        match self {
            Selector::StatusEntry => {
                !line.is_empty()
                    && !line.starts_with(b"## ")
                    && !line.starts_with(b"# ")
                    && line != b"clean"
            }
            Selector::LogCommit => {
                let word = line.split(|&b| b == b' ').next().unwrap_or_default();
                (4..=64).contains(&word.len()) && word.iter().all(u8::is_ascii_hexdigit)
            }
            Selector::DiffChange { columns } => {
                if line.starts_with(b"+") || line.starts_with(b"-") || line.starts_with(b"\\ ") {
                    return true;
                }
                columns > 1 && line.len() >= columns && {
                    let marks = &line[..columns];
                    marks.iter().all(|b| matches!(b, b' ' | b'+' | b'-'))
                        && marks.iter().any(|&b| b == b'+' || b == b'-')
                }
            }
            Selector::NonEmpty => !line.is_empty(),
            Selector::Any => true,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Selector::StatusEntry => "status entry lines",
            Selector::LogCommit => "commit lines",
            Selector::DiffChange { .. } => "added/removed lines",
            Selector::NonEmpty => "non-empty lines",
            Selector::Any => "lines",
        }
    }
}

/// One line that starts with `prefix` and contains every part.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinePattern {
    /// Only the first line of stdout qualifies.
    pub first_line: bool,
    pub prefix: Vec<u8>,
    /// The prefix is a whole word: the line ends or a space follows it (a branch named `main`
    /// must not be satisfied by `main-old`).
    pub prefix_is_word: bool,
    pub parts: Vec<Vec<u8>>,
    /// Text the line must not contain (a count git does not print, such as `behind` at 0).
    pub absent: Vec<Vec<u8>>,
}

impl LinePattern {
    pub fn new(prefix: impl Into<Vec<u8>>) -> Self {
        LinePattern {
            prefix: prefix.into(),
            ..LinePattern::default()
        }
    }

    pub fn with(mut self, part: impl Into<Vec<u8>>) -> Self {
        let part = part.into();
        if !part.is_empty() {
            self.parts.push(part);
        }
        self
    }

    pub fn without(mut self, part: impl Into<Vec<u8>>) -> Self {
        self.absent.push(part.into());
        self
    }

    fn matches(&self, line: &[u8]) -> bool {
        line.starts_with(&self.prefix)
            && (!self.prefix_is_word || matches!(line.get(self.prefix.len()), None | Some(b' ')))
            && self.parts.iter().all(|part| text::contains(line, part))
            && !self.absent.iter().any(|part| text::contains(line, part))
    }

    fn describe(&self) -> String {
        let mut described = String::new();
        if self.first_line {
            described.push_str("the first line");
        } else {
            described.push_str("a line");
        }
        if !self.prefix.is_empty() {
            let word = if self.prefix_is_word {
                " (as a whole word)"
            } else {
                ""
            };
            described.push_str(&format!(
                " starting with {:?}{word}",
                text::show(&self.prefix)
            ));
        }
        let listed = |parts: &[Vec<u8>]| {
            parts
                .iter()
                .map(|part| format!("{:?}", text::show(part)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.parts.is_empty() {
            described.push_str(&format!(" containing {}", listed(&self.parts)));
        }
        if !self.absent.is_empty() {
            described.push_str(&format!(" and not {}", listed(&self.absent)));
        }
        described
    }
}

/// One commit of `rtk-log`'s default form: its line, and the day and author that the last
/// `<day>`, `<day> by <author>` or `by <author>` line above it must have set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub line: LinePattern,
    pub day: Option<Vec<u8>>,
    pub author: Option<Vec<u8>>,
}

impl LogEntry {
    fn describe(&self) -> String {
        let mut described = self.line.describe();
        if let Some(day) = &self.day {
            described.push_str(&format!(" on day {:?}", text::show(day)));
        }
        if let Some(author) = &self.author {
            described.push_str(&format!(" by {:?}", text::show(author)));
        }
        described
    }
}

/// What a `rtk-log` heading line sets: `YYYY-MM-DD`, `YYYY-MM-DD by <author>` or `by <author>`.
struct LogHeading<'a> {
    day: Option<&'a [u8]>,
    author: Option<&'a [u8]>,
}

/// The heading `line` is, or `None` for other lines.
fn log_heading(line: &[u8]) -> Option<LogHeading<'_>> {
    if let Some(author) = line.strip_prefix(b"by ") {
        return Some(LogHeading {
            day: None,
            author: Some(author),
        });
    }
    let is_day = line.len() >= 10
        && line[..10].iter().enumerate().all(|(at, b)| {
            if at == 4 || at == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !is_day {
        return None;
    }
    let day = Some(&line[..10]);
    match &line[10..] {
        b"" => Some(LogHeading { day, author: None }),
        rest => rest.strip_prefix(b" by ").map(|author| LogHeading {
            day,
            author: Some(author),
        }),
    }
}

/// Something git's machine-readable output says the plugin's stdout must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// A whole line equal to `text`, at least `count` times.
    Line { text: Vec<u8>, count: usize },
    /// Some line matches.
    Matching(LinePattern),
    /// Distinct lines match the patterns in this order.
    InOrder(Vec<LinePattern>),
    /// Exactly `expected` lines are selected.
    LineCount { selector: Selector, expected: usize },
    /// The selected lines are exactly these, in this order.
    SelectedLines {
        selector: Selector,
        expected: Vec<Vec<u8>>,
    },
    /// These whole lines appear in this order (other lines may come between them).
    LinesInOrder(Vec<Vec<u8>>),
    /// `rtk-log` commits in this order, each under the day and author lines it needs.
    LogEntries(Vec<LogEntry>),
    /// stdout is exactly these bytes.
    Exactly(Vec<u8>),
    /// stdout contains these bytes.
    Contains(Vec<u8>),
}

/// `in this order: a; then b; then c`.
fn in_order(described: impl Iterator<Item = String>) -> String {
    format!(
        "in this order: {}",
        described.collect::<Vec<_>>().join("; then ")
    )
}

/// Whole-line facts for every line of `lines`, repeated lines counted.
pub fn whole_lines<'a>(lines: impl IntoIterator<Item = &'a [u8]>) -> Vec<Fact> {
    let mut counted: BTreeMap<&[u8], usize> = BTreeMap::new();
    for line in lines {
        *counted.entry(line).or_insert(0) += 1;
    }
    counted
        .into_iter()
        .map(|(line, count)| Fact::Line {
            text: line.to_vec(),
            count,
        })
        .collect()
}

impl Fact {
    /// What the fact requires, for humans.
    pub fn describe(&self) -> String {
        match self {
            Fact::Line { text: line, count } => {
                format!("the line {:?} ({count}×)", text::show(line))
            }
            Fact::Matching(pattern) => pattern.describe(),
            Fact::InOrder(patterns) => in_order(patterns.iter().map(LinePattern::describe)),
            Fact::LineCount { selector, expected } => {
                format!("{expected} {}", selector.describe())
            }
            Fact::SelectedLines { selector, expected } => {
                format!(
                    "exactly these {} {}, in order",
                    expected.len(),
                    selector.describe()
                )
            }
            Fact::LinesInOrder(expected) => format!(
                "these lines in order: {}",
                expected
                    .iter()
                    .map(|line| format!("{:?}", text::show(line)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Fact::LogEntries(entries) => in_order(entries.iter().map(LogEntry::describe)),
            Fact::Exactly(bytes) => format!("stdout exactly {:?}", text::excerpt(bytes, 200)),
            Fact::Contains(bytes) => format!("stdout containing {:?}", text::excerpt(bytes, 200)),
        }
    }

    /// `Err` says what is missing.
    pub fn check(&self, stdout: &[u8]) -> Result<(), String> {
        let lines = text::lines(stdout);
        match self {
            Fact::Line {
                text: wanted,
                count,
            } => {
                let found = lines
                    .iter()
                    .filter(|line| **line == wanted.as_slice())
                    .count();
                if found >= *count {
                    Ok(())
                } else {
                    Err(format!(
                        "line {:?} expected {count}×, found {found}×",
                        text::show(wanted)
                    ))
                }
            }
            Fact::Matching(pattern) => {
                let candidates = if pattern.first_line {
                    &lines[..lines.len().min(1)]
                } else {
                    &lines[..]
                };
                if candidates.iter().any(|line| pattern.matches(line)) {
                    Ok(())
                } else {
                    Err(format!("missing: {}", pattern.describe()))
                }
            }
            Fact::InOrder(patterns) => {
                let mut next = 0;
                for (index, pattern) in patterns.iter().enumerate() {
                    match lines[next..].iter().position(|line| pattern.matches(line)) {
                        Some(offset) => next += offset + 1,
                        None => {
                            let anywhere = lines.iter().any(|line| pattern.matches(line));
                            return Err(format!(
                                "entry {} of {}: {} {}",
                                index + 1,
                                patterns.len(),
                                pattern.describe(),
                                if anywhere {
                                    "is out of order"
                                } else {
                                    "is missing"
                                }
                            ));
                        }
                    }
                }
                Ok(())
            }
            Fact::LogEntries(entries) => {
                let (mut day, mut author): (Option<&[u8]>, Option<&[u8]>) = (None, None);
                let mut next = entries.iter().enumerate().peekable();
                for line in &lines {
                    if let Some(heading) = log_heading(line) {
                        day = heading.day.or(day);
                        author = heading.author.or(author);
                        continue;
                    }
                    let Some((index, entry)) = next.peek() else {
                        break;
                    };
                    if !entry.line.matches(line) {
                        continue;
                    }
                    let wrong = |wanted: &Option<Vec<u8>>, found: Option<&[u8]>| {
                        wanted
                            .as_deref()
                            .is_some_and(|wanted| found != Some(wanted))
                    };
                    if wrong(&entry.day, day) || wrong(&entry.author, author) {
                        return Err(format!(
                            "entry {} of {}: {} is under day {:?} and author {:?}",
                            index + 1,
                            entries.len(),
                            entry.describe(),
                            day.map(text::show),
                            author.map(text::show)
                        ));
                    }
                    next.next();
                }
                match next.next() {
                    None => Ok(()),
                    Some((index, entry)) => Err(format!(
                        "entry {} of {}: {} is missing or out of order",
                        index + 1,
                        entries.len(),
                        entry.describe()
                    )),
                }
            }
            Fact::LineCount { selector, expected } => {
                let found = lines.iter().filter(|line| selector.selects(line)).count();
                if found == *expected {
                    Ok(())
                } else {
                    Err(format!(
                        "{} expected {expected}, found {found}",
                        selector.describe()
                    ))
                }
            }
            Fact::SelectedLines { selector, expected } => {
                let found: Vec<&[u8]> = lines
                    .iter()
                    .copied()
                    .filter(|line| selector.selects(line))
                    .collect();
                let mut balance: BTreeMap<&[u8], isize> = BTreeMap::new();
                for line in expected {
                    *balance.entry(line.as_slice()).or_insert(0) += 1;
                }
                for line in &found {
                    *balance.entry(line).or_insert(0) -= 1;
                }
                let wrong: Vec<String> = balance
                    .iter()
                    .filter(|(_, &count)| count != 0)
                    .take(12)
                    .map(|(line, &count)| {
                        if count > 0 {
                            format!("missing {count}× {:?}", text::show(line))
                        } else {
                            format!("extra {}× {:?}", -count, text::show(line))
                        }
                    })
                    .collect();
                if !wrong.is_empty() {
                    return Err(format!(
                        "{} differ from git's: {}",
                        selector.describe(),
                        wrong.join("; ")
                    ));
                }
                match found
                    .iter()
                    .zip(expected)
                    .position(|(found, expected)| *found != expected.as_slice())
                {
                    None => Ok(()),
                    Some(at) => Err(format!(
                        "{} are git's but in another order: #{} is {:?}, git has {:?}",
                        selector.describe(),
                        at + 1,
                        text::show(found[at]),
                        text::show(&expected[at])
                    )),
                }
            }
            Fact::LinesInOrder(expected) => {
                let mut next = 0;
                for (index, wanted) in expected.iter().enumerate() {
                    match lines[next..]
                        .iter()
                        .position(|line| *line == wanted.as_slice())
                    {
                        Some(offset) => next += offset + 1,
                        None => {
                            let anywhere = lines.contains(&wanted.as_slice());
                            return Err(format!(
                                "line {} of {} in git's order, {:?}, {}",
                                index + 1,
                                expected.len(),
                                text::show(wanted),
                                if anywhere {
                                    "is out of order"
                                } else {
                                    "is missing"
                                }
                            ));
                        }
                    }
                }
                Ok(())
            }
            Fact::Exactly(bytes) => {
                if stdout == bytes.as_slice() {
                    Ok(())
                } else {
                    Err(format!(
                        "stdout should be exactly {:?}",
                        text::excerpt(bytes, 300)
                    ))
                }
            }
            Fact::Contains(bytes) => {
                if text::contains(stdout, bytes) {
                    Ok(())
                } else {
                    Err(format!(
                        "stdout should contain {:?}",
                        text::excerpt(bytes, 300)
                    ))
                }
            }
        }
    }
}
