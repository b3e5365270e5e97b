//! `log` facts, from `git log --format=%h%x00%an%x00%ad%x00%s%x00%D --date=short` with the case's
//! own selection arguments: one line per commit, in git's order, starting with the short id and
//! carrying date, author, full subject and every decoration; no other commit lines; and, past the
//! 50-commit window docs/output.md allows, the line that says how many were left out.

use super::args;
use super::{Fact, GitQuery, LinePattern, Selector};
use crate::harness::text;

/// The window `rtk-log` may apply when the user gave no limit.
const WINDOW: usize = 50;

const FORMAT: &str = "--format=%h%x00%an%x00%ad%x00%s%x00%D";

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
        || [
            "--pretty",
            "--format",
            "--decorate",
            "--date",
            "--color",
            "--stat",
        ]
        .iter()
        .any(|name| args::is_long(arg, name))
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

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    let selection = args::without(case_args, is_display_only);
    let everything = query.run(&args::command(
        &["log", "--no-color", "--date=short", FORMAT],
        &selection,
    ))?;
    let total = text::lines(&everything).len();
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

    let mut commits = Vec::new();
    for record in text::lines(&shown) {
        let fields: Vec<&[u8]> = record.split(|&b| b == 0).collect();
        let [id, author, date, subject, decorations] = fields[..] else {
            return Err(format!(
                "unexpected `git log` record {:?}",
                text::show(record)
            ));
        };
        let mut pattern = LinePattern::new([id, b" "].concat())
            .with(date)
            .with(author)
            .with(subject);
        for decoration in decorations.split(|&b| b == b',') {
            pattern = pattern.with(trim(decoration));
        }
        commits.push(pattern);
    }
    let mut facts = vec![
        Fact::LineCount {
            selector: Selector::LogCommit,
            expected: commits.len(),
        },
        Fact::InOrder(commits),
    ];
    if windowed {
        facts.push(Fact::Matching(
            LinePattern::new("[")
                .with(format!("{} more commits", total - WINDOW))
                .with(format!("-n {total}")),
        ));
    }
    Ok(facts)
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
