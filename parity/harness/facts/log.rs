//! `log` facts, from `git log --format=%h%x00%an%x00%ad%x00%s%x00%D%x00%b --date=short` with the
//! case's own selection arguments: one line per commit, in git's order, starting with the short id
//! and carrying the full subject and every decoration (in `--oneline` form only when git decorates);
//! in the default form, the day and author lines in effect above it and the marker that counts its
//! body's lines; no other commit lines; and, past the 50-commit window docs/output.md allows, the
//! line that says how many were left out.

use super::args;
use super::{Fact, GitQuery, LinePattern, LogEntry, Selector};
use crate::harness::text;

/// The window `rtk-log` may apply when the user gave no limit.
const WINDOW: usize = 50;

const FORMAT: &str = "--format=%h%x00%an%x00%ad%x00%s%x00%D%x00%b%x01";

/// Options that change how commits are printed, not which commits.
fn is_display_only(arg: &str) -> bool {
    [
        "--oneline",
        "--graph",
        "-p",
        "-u",
        "--patch",
        "--abbrev-commit",
        "--no-abbrev-commit",
        "--no-decorate",
        "--no-color",
        "--name-only",
        "--name-status",
        "--numstat",
        "--shortstat",
        "--stat",
    ]
    .contains(&arg)
        || arg.starts_with("-U")
        || args::is_any_long(
            arg,
            &[
                "--pretty",
                "--format",
                "--decorate",
                "--date",
                "--color",
                "--stat",
                "--unified",
            ],
        )
}

/// Options that add each commit's diff.
fn is_diff_form(arg: &str) -> bool {
    [
        "-p",
        "-u",
        "--patch",
        "--stat",
        "--numstat",
        "--name-only",
        "--name-status",
    ]
    .contains(&arg)
        || arg.starts_with("-U")
        || args::is_long(arg, "--unified")
}

/// Options that choose how the commit itself is printed (the diff facts' query sets its own).
fn is_commit_format(arg: &str) -> bool {
    ["--oneline", "--abbrev-commit", "--no-decorate"].contains(&arg)
        || args::is_any_long(arg, &["--pretty", "--format", "--decorate"])
}

/// `-n 3`, `-n3`, `-3`, `--max-count=3`.
fn is_limit(arg: &str) -> bool {
    arg == "-n"
        || arg
            .strip_prefix("-n")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        || arg
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        || args::is_long(arg, "--max-count")
}

/// The output style the plugin chooses from the case's arguments (the last format given wins).
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Grouped,
    Oneline,
}

fn style(case_args: &[String]) -> Style {
    let mut style = Style::Grouped;
    for arg in case_args.iter().take_while(|arg| *arg != "--") {
        match arg.as_str() {
            "--oneline" | "--pretty=oneline" | "--format=oneline" => style = Style::Oneline,
            "--pretty" => style = Style::Grouped,
            _ if args::is_long(arg, "--pretty") || args::is_long(arg, "--format") => {
                style = Style::Grouped
            }
            _ => {}
        }
    }
    style
}

/// Whether `git log --oneline` decorates for this case: `--decorate` given last, or
/// `log.decorate` set to a true value in the case's `-c` options (no terminal, so `auto` is off).
fn oneline_decorates(query: &GitQuery<'_>, case_args: &[String]) -> Result<bool, String> {
    let mut decorate = None;
    for arg in case_args.iter().take_while(|arg| *arg != "--") {
        match arg.as_str() {
            "--decorate" | "--decorate=short" | "--decorate=full" => decorate = Some(true),
            "--no-decorate" | "--decorate=no" => decorate = Some(false),
            _ => {}
        }
    }
    if let Some(decorate) = decorate {
        return Ok(decorate);
    }
    let configured = query
        .run(&["config", "--get", "log.decorate"])
        .unwrap_or_default();
    Ok(matches!(
        String::from_utf8_lossy(&configured)
            .trim()
            .to_ascii_lowercase()
            .as_str(),
        "true" | "yes" | "on" | "1" | "short" | "full"
    ))
}

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    let selection = args::without(case_args, is_display_only);
    let everything = query.run(&args::command(
        &["log", "--no-color", "--date=short", FORMAT],
        &selection,
    ))?;
    let total = records(&everything).len();
    let windowed = !args::has(case_args, is_limit) && total > WINDOW;
    let shown = if windowed {
        let limit = WINDOW.to_string();
        query.run(&args::command(
            &["log", "--no-color", "--date=short", FORMAT, "-n", &limit],
            &selection,
        ))?
    } else {
        everything
    };

    let style = style(case_args);
    let decorated = match style {
        Style::Grouped => true,
        Style::Oneline => oneline_decorates(query, case_args)?,
    };
    let mut commits = Vec::new();
    for record in records(&shown) {
        let fields: Vec<&[u8]> = record.split(|&b| b == 0).collect();
        let [id, author, date, subject, decorations, body] = fields[..] else {
            return Err(format!(
                "unexpected `git log` record {:?}",
                text::show(record)
            ));
        };
        let mut line = LinePattern::new([id, b" "].concat()).with(subject);
        if decorated {
            for decoration in decorations.split(|&b| b == b',') {
                line = line.with(trim(decoration));
            }
        }
        let commit = match style {
            Style::Oneline => LogEntry {
                line,
                day: None,
                author: None,
            },
            Style::Grouped => LogEntry {
                line: match body_line_count(body) {
                    0 => line.without(b" [+".to_vec()),
                    1 => line.with(b" [+1 line]".to_vec()),
                    n => line.with(format!(" [+{n} lines]")),
                },
                day: Some(date.to_vec()),
                author: Some(author.to_vec()),
            },
        };
        commits.push(commit);
    }
    let mut facts = vec![
        Fact::LineCount {
            selector: Selector::LogCommit,
            expected: commits.len(),
        },
        Fact::LogEntries(commits),
    ];
    if args::has(case_args, is_diff_form) {
        // Each commit's diff, as `git log --format= <diff form>` prints them all (the window's
        // commits only).
        let mut diff_args = args::without(case_args, is_commit_format);
        if windowed {
            diff_args.insert(0, format!("-n{WINDOW}"));
        }
        facts.extend(super::diff::facts_for(
            query,
            &super::diff::DiffSource {
                prefix: &["log", "--format="],
                exact: false,
            },
            &diff_args,
        )?);
    }
    if windowed {
        facts.push(Fact::Matching(
            LinePattern::new("[")
                .with(format!("{} more commits", total - WINDOW))
                .with(format!("-n {total}")),
        ));
    }
    Ok(facts)
}

/// The records of a `FORMAT` query (each ends with `\x01`; bodies hold newlines).
fn records(output: &[u8]) -> Vec<&[u8]> {
    output
        .split(|&b| b == 1)
        .map(|record| record.strip_prefix(b"\n").unwrap_or(record))
        .filter(|record| !record.is_empty())
        .collect()
}

/// The lines of a `%b` body, blank lines at either end left out.
fn body_line_count(body: &[u8]) -> usize {
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    let is_blank = |line: &&[u8]| line.iter().all(u8::is_ascii_whitespace);
    match (
        lines.iter().position(|line| !is_blank(line)),
        lines.iter().rposition(|line| !is_blank(line)),
    ) {
        (Some(first), Some(last)) => last - first + 1,
        _ => 0,
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |at| at + 1);
    &bytes[start..end]
}
