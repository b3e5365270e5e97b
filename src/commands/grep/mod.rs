//! `git rtk-grep`: `git grep`'s matches grouped by file — the path once, then `<line>:<text>` for
//! each matching line — searched in-process with ripgrep's matcher and line searcher.

mod files;
mod pattern;

use gix::bstr::{BString, ByteSlice};

use crate::command::{Command, Entry, Kind, Outcome};
use crate::failure::Exit;
use crate::options::{self, flag, short_only, Flag, Parsed, Value};
use crate::quote::{shell_word, PathQuoting};
use crate::relative::relative_to_prefix;
use crate::repo;

use files::{Source, Wanted};
use pattern::{Dialect, LineMatcher};

pub const COMMAND: Command = Command {
    name: "grep",
    kind: Kind::Read,
    summary: "search tracked files, matches grouped by file",
    synopsis: &["[<options>] [-e] <pattern> [<rev>] [[--] <pathspec>...]"],
    about: "Matches grouped by file: the path once, then `<line>:<text>` for each matching line.\nA matching line longer than 512 bytes is cut around its match, with a note saying how many\nbytes were cut and the command that prints the whole line. Exit 1 when nothing matches.",
    syntax: options::PARSE_OPTIONS,
    table: &[OPTIONS],
    entry: Entry::Native(run),
};

const OPTIONS: &[Flag] = &[
    flag(
        Some('n'),
        "line-number",
        "accepted (line numbers are always shown)",
    ),
    flag(Some('i'), "ignore-case", "case-insensitive matching"),
    flag(Some('w'), "word-regexp", "match whole words only"),
    short_only(
        'e',
        Value::Required("pattern"),
        "a pattern (several are joined with or)",
    ),
    flag(Some('F'), "fixed-strings", "patterns are plain strings"),
    flag(
        Some('E'),
        "extended-regexp",
        "patterns are extended regular expressions",
    ),
    flag(
        Some('G'),
        "basic-regexp",
        "patterns are basic regular expressions (default)",
    ),
    flag(
        Some('l'),
        "files-with-matches",
        "only the names of files with matches",
    ),
    flag(None, "name-only", "the same as --files-with-matches"),
    flag(Some('c'), "count", "the number of matching lines per file"),
    short_only('I', Value::None, "skip binary files"),
    flag(None, "cached", "search the index instead of the work tree"),
];

/// Matching lines longer than this are cut around their match.
const LONG_LINE: usize = 512;
/// How much of a long line is kept: this many bytes before the match, the rest after it.
const KEPT_BEFORE: usize = 96;
const KEPT: usize = 320;

/// What is printed for the files searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The matching lines, grouped by file.
    Lines,
    /// `-l`: each matching file's name, as git prints it.
    Names,
    /// `-c`: `<path>:<count>` per matching file, as git prints it.
    Counts,
}

/// The invocation, within what the native path serves.
struct GrepRequest {
    patterns: Vec<String>,
    dialect: Option<Dialect>,
    ignore_case: bool,
    words: bool,
    skip_binary: bool,
    form: Form,
    cached: bool,
    /// `-n`: git's own output has line numbers (only to size it).
    line_numbers: bool,
    /// The operands after the pattern and before `--`: revisions, then files.
    operands: Vec<String>,
    pathspecs: Vec<String>,
}

fn request(parsed: &Parsed) -> Option<GrepRequest> {
    let mut request = GrepRequest {
        patterns: Vec::new(),
        dialect: None,
        ignore_case: false,
        words: false,
        skip_binary: false,
        form: Form::Lines,
        cached: false,
        line_numbers: false,
        operands: Vec::new(),
        pathspecs: parsed.after_double_dash.clone().unwrap_or_default(),
    };
    for given in &parsed.given {
        match given.flag.name().as_str() {
            "line-number" => request.line_numbers = true,
            "ignore-case" => request.ignore_case = true,
            "word-regexp" => request.words = true,
            "e" => request.patterns.push(given.value.clone()?),
            "fixed-strings" => request.dialect = Some(Dialect::Fixed),
            "extended-regexp" => request.dialect = Some(Dialect::Extended),
            "basic-regexp" => request.dialect = Some(Dialect::Basic),
            "files-with-matches" | "name-only" => request.form = Form::Names,
            "count" => request.form = Form::Counts,
            "I" => request.skip_binary = true,
            "cached" => request.cached = true,
            _ => return None,
        }
    }
    let mut operands = parsed.operands.iter().cloned();
    if request.patterns.is_empty() {
        // No pattern at all is git's error to report.
        request.patterns.push(operands.next()?);
    }
    request.operands = operands.collect();
    // git reads a newline inside a pattern as several patterns.
    request.patterns = request
        .patterns
        .iter()
        .flat_map(|pattern| pattern.split('\n').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    Some(request)
}

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    let Some(request) = request(parsed) else {
        return Ok(Outcome::pass_through(
            "option or operand not served natively",
        ));
    };
    let repo = repo::open_with_worktree()?;
    let Some(dialect) = configured_dialect(&repo, request.dialect) else {
        return Ok(Outcome::pass_through("grep configuration served by git"));
    };
    if !crate::diff::plain_content_rules(&repo) {
        return Ok(Outcome::pass_through("attributes decide what is binary"));
    }
    let Some(unicode) = locale_is_utf8() else {
        return Ok(Outcome::pass_through("a locale other than C or UTF-8"));
    };
    let Some(matcher) = LineMatcher::new(
        &request.patterns,
        dialect,
        request.ignore_case,
        request.words,
        unicode,
    ) else {
        return Ok(Outcome::pass_through("pattern not reproduced natively"));
    };
    let prefix = repo::prefix(&repo)?;
    let Some(wanted) = Wanted::read(&repo, &prefix, &request)? else {
        return Ok(Outcome::pass_through(
            "revision or path needs git's judgement",
        ));
    };
    let Some(files) = files::list(&repo, &wanted)? else {
        return Ok(Outcome::pass_through("index state git searches itself"));
    };

    let quoting = PathQuoting::from_config(&repo, false);
    let line_numbers = request.line_numbers
        || repo
            .config_snapshot()
            .boolean("grep.lineNumber")
            .unwrap_or(false);
    let mut report = Report::default();
    for file in &files {
        let content = match files::read(&repo, file)? {
            files::Read::Content(content) => content,
            files::Read::Skip => continue,
            files::Read::Git => {
                return Ok(Outcome::pass_through(
                    "a tracked file is no longer a regular file",
                ))
            }
        };
        let binary = crate::diff::is_binary(&content);
        if binary && request.skip_binary {
            continue;
        }
        let lines = matching_lines(&matcher, &content)?;
        if lines.is_empty() {
            continue;
        }
        let mut shown = Vec::new();
        if let Source::Tree(rev) = &wanted.source {
            shown.extend_from_slice(rev.as_bytes());
            shown.push(b':');
        }
        let mut relative = Vec::new();
        relative_to_prefix(&file.path, prefix.as_bytes(), &mut relative);
        quoting.write(&relative, &mut shown);
        report.files.push(FileMatches {
            shown,
            binary,
            lines,
            source: wanted.source.clone(),
            path: file.path.clone(),
            relative: relative.into(),
        });
    }

    let out = report.render(request.form);
    let git_size =
        crate::git_size::wanted().then(|| report.git_output_size(request.form, line_numbers));
    let exit = if report.files.is_empty() {
        Exit::NothingDone
    } else {
        Exit::Success
    };
    Ok(Outcome::Printed {
        stdout: out,
        exit_code: exit.code(),
        git_size,
    })
}

/// The pattern dialect: the command line's, else `grep.patternType` / `grep.extendedRegexp`;
/// `None` for configuration git must apply (Perl patterns, full names, columns).
fn configured_dialect(repo: &gix::Repository, given: Option<Dialect>) -> Option<Dialect> {
    let config = repo.config_snapshot();
    for served_by_git in ["grep.fullName", "grep.column", "grep.fallbackToNoIndex"] {
        if config.boolean(served_by_git).unwrap_or(false) {
            return None;
        }
    }
    let configured = match config
        .string("grep.patternType")
        .map(|v| v.to_str_lossy().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("default") => {
            if config.boolean("grep.extendedRegexp").unwrap_or(false) {
                Dialect::Extended
            } else {
                Dialect::Basic
            }
        }
        Some("basic") => Dialect::Basic,
        Some("extended") => Dialect::Extended,
        Some("fixed") => Dialect::Fixed,
        Some(_) => return None,
    };
    Some(given.unwrap_or(configured))
}

/// git grep matches by character in a UTF-8 locale and by byte in C/POSIX (it calls
/// `setlocale`); `None` for other locales.
fn locale_is_utf8() -> Option<bool> {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    let lower = locale.to_ascii_lowercase();
    if lower.is_empty() || lower == "c" || lower == "posix" {
        Some(false)
    } else if lower.ends_with(".utf-8") || lower.ends_with(".utf8") {
        Some(true)
    } else {
        None
    }
}

/// The matching lines of `content`: 1-based number, the line without its newline, and where its
/// first match is.
fn matching_lines(matcher: &LineMatcher, content: &[u8]) -> anyhow::Result<Vec<MatchedLine>> {
    use grep_searcher::{BinaryDetection, SearcherBuilder};
    let mut candidates = Vec::new();
    // git never transcodes: no BOM sniffing, and binary files are decided by git's rule.
    let mut searcher = SearcherBuilder::new()
        .line_number(true)
        .bom_sniffing(false)
        .binary_detection(BinaryDetection::none())
        .build();
    searcher.search_slice(
        matcher.regex(),
        content,
        grep_searcher::sinks::Bytes(|number, line| {
            candidates.push((number, line.strip_suffix(b"\n").unwrap_or(line).to_vec()));
            Ok(true)
        }),
    )?;
    // The searcher already matched each candidate; the match is found again only where it is
    // needed: `-w` decides by it, and a long line is cut around it.
    Ok(candidates
        .into_iter()
        .filter_map(|(number, text)| {
            let first_match = if matcher.words() || text.len() > LONG_LINE {
                let (start, end) = matcher.find(&text)?;
                start..end
            } else {
                0..0
            };
            Some(MatchedLine {
                number,
                text,
                first_match,
            })
        })
        .collect())
}

#[derive(Default)]
struct Report {
    files: Vec<FileMatches>,
}

struct FileMatches {
    /// The name as git prints it: relative to the current directory, quoted, after `<rev>:`.
    shown: Vec<u8>,
    binary: bool,
    lines: Vec<MatchedLine>,
    source: Source,
    /// Repository-relative and relative to the current directory, for the command that prints a
    /// cut line whole.
    path: BString,
    relative: BString,
}

struct MatchedLine {
    number: u64,
    text: Vec<u8>,
    /// Where the first match is; found only for `-w` and for lines longer than [`LONG_LINE`].
    first_match: std::ops::Range<usize>,
}

impl Report {
    fn render(&self, form: Form) -> Vec<u8> {
        let mut out = Vec::new();
        for file in &self.files {
            match form {
                Form::Names => {
                    out.extend_from_slice(&file.shown);
                    out.push(b'\n');
                }
                Form::Counts => {
                    out.extend_from_slice(&file.shown);
                    out.extend_from_slice(format!(":{}\n", file.lines.len()).as_bytes());
                }
                Form::Lines if file.binary => {
                    out.extend_from_slice(b"Binary file ");
                    out.extend_from_slice(&file.shown);
                    out.extend_from_slice(b" matches\n");
                }
                Form::Lines => {
                    out.extend_from_slice(&file.shown);
                    out.push(b'\n');
                    for line in &file.lines {
                        out.extend_from_slice(line.number.to_string().as_bytes());
                        out.push(b':');
                        write_line(file, line, &mut out);
                        out.push(b'\n');
                    }
                }
            }
        }
        out
    }

    /// What `git grep` prints for the same search: `<name>:[<line>:]<text>` per line.
    fn git_output_size(&self, form: Form, line_numbers: bool) -> u64 {
        let size: usize = self
            .files
            .iter()
            .map(|file| match form {
                Form::Names => file.shown.len() + 1,
                Form::Counts => file.shown.len() + 2 + crate::git_size::digits(file.lines.len()),
                Form::Lines if file.binary => "Binary file  matches\n".len() + file.shown.len(),
                Form::Lines => file
                    .lines
                    .iter()
                    .map(|line| {
                        let number = if line_numbers {
                            crate::git_size::digits(line.number as usize) + 1
                        } else {
                            0
                        };
                        file.shown.len() + 1 + number + line.text.len() + 1
                    })
                    .sum(),
            })
            .sum();
        size as u64
    }
}

/// A matching line's text, or for a long one the part around its first match and a note with
/// the number of bytes cut and the command that prints the whole line.
fn write_line(file: &FileMatches, line: &MatchedLine, out: &mut Vec<u8>) {
    let text = &line.text;
    if text.len() <= LONG_LINE {
        out.extend_from_slice(text);
        return;
    }
    let start = char_boundary(text, line.first_match.start.saturating_sub(KEPT_BEFORE));
    let end = char_boundary(
        text,
        (start + KEPT).max(line.first_match.end).min(text.len()),
    );
    if start > 0 {
        out.extend_from_slice("…".as_bytes());
    }
    out.extend_from_slice(&text[start..end]);
    if end < text.len() {
        out.extend_from_slice("…".as_bytes());
    }
    let cut = text.len() - (end - start);
    let number = line.number;
    let command = match &file.source {
        Source::Worktree => format!(
            "sed -n {number}p {}",
            shell_word(&file.relative.to_str_lossy())
        ),
        Source::Index => format!(
            "git show {} | sed -n {number}p",
            shell_word(&format!(":{}", file.path.to_str_lossy()))
        ),
        Source::Tree(rev) => format!(
            "git show {} | sed -n {number}p",
            shell_word(&format!("{rev}:{}", file.path.to_str_lossy()))
        ),
    };
    out.extend_from_slice(format!(" [{cut} bytes cut; whole line: {command}]").as_bytes());
}

/// `at`, moved back to the start of the UTF-8 character it falls in.
fn char_boundary(text: &[u8], mut at: usize) -> usize {
    while at > 0 && at < text.len() && (text[at] & 0b1100_0000) == 0b1000_0000 {
        at -= 1;
    }
    at
}
