//! `git rtk-write replace <file> --old TEXT --new TEXT [--all | --nth N]`: exact text, on bytes.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt as _;
use std::path::PathBuf;

use clap::Args;

use super::failure::{Failure, FailureKind};
use super::files::{self, FileChange};
use super::{one_line, shown, Done, Options};
use crate::edit::replace::{self, NearMiss};

/// Replace exact text. More than one match needs --all or --nth; nothing is written otherwise.
/// Works on bytes: CRLF, a byte-order mark and non-UTF-8 bytes are kept.
#[derive(Debug, Args)]
pub struct ReplaceArgs {
    /// The file to edit.
    pub file: PathBuf,
    /// The exact text to find (may span lines).
    #[arg(long, allow_hyphen_values = true)]
    pub old: OsString,
    /// The text to put in its place.
    #[arg(long, allow_hyphen_values = true)]
    pub new: OsString,
    /// Replace every occurrence.
    #[arg(long, conflicts_with = "nth")]
    pub all: bool,
    /// Replace only the Nth occurrence (1 is the first).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub nth: Option<u64>,
}

/// Line numbers for a message, at most 20 of them.
fn line_list(lines: &[usize]) -> String {
    let mut shown: Vec<String> = lines.iter().take(20).map(usize::to_string).collect();
    if lines.len() > 20 {
        shown.push("…".to_owned());
    }
    shown.join(", ")
}

pub fn cmd_replace(args: &ReplaceArgs, options: &Options) -> Result<Done, Failure> {
    let file = shown(&args.file);
    let old = args.old.as_bytes();
    let new = args.new.as_bytes();
    if old.is_empty() {
        return Err(Failure::usage("--old must not be empty"));
    }
    let snapshot = files::read_existing(&args.file)?;
    let content = &snapshot.content;
    let found = replace::find_all(content, old);
    let lines: Vec<usize> = found
        .iter()
        .map(|&p| replace::line_number(content, p))
        .collect();
    if found.is_empty() {
        let mut failure = Failure::new(
            FailureKind::NoMatch,
            format!("{file}: the text of --old was not found; nothing was written"),
        );
        match replace::near_miss(content, old) {
            Some(NearMiss::LineEndings { line }) => {
                failure = failure
                    .hint(format!(
                        "it matches at line {line} with other line endings (the file uses {})",
                        if content.windows(2).any(|w| w == b"\r\n") {
                            "CRLF"
                        } else {
                            "LF"
                        }
                    ))
                    .detail("closest_line", line);
            }
            Some(NearMiss::ClosestLine {
                line,
                text,
                percent,
            }) => {
                failure = failure
                    .hint(format!(
                        "closest is line {line} ({percent}% alike): {}",
                        one_line(&text, 100)
                    ))
                    .detail("closest_line", line)
                    .detail("closest_text", text);
            }
            None => {}
        }
        return Err(failure);
    }
    let chosen: Vec<usize> = match (args.all, args.nth) {
        (true, _) => (0..found.len()).collect(),
        (false, Some(nth)) => {
            let index = usize::try_from(nth - 1).unwrap_or(usize::MAX);
            if index >= found.len() {
                return Err(Failure::new(
                    FailureKind::NoMatch,
                    format!("{file}: --nth {nth} but the text occurs {} times (lines {}); nothing was written",
                        found.len(), line_list(&lines)),
                )
                .detail("lines", lines.clone()));
            }
            vec![index]
        }
        (false, None) if found.len() > 1 => {
            return Err(Failure::new(
                FailureKind::Ambiguous,
                format!(
                    "{file}: the text occurs {} times (lines {}); nothing was written",
                    found.len(),
                    line_list(&lines)
                ),
            )
            .hint("pass --all to replace every one, or --nth N for one of them")
            .detail("lines", lines.clone()));
        }
        (false, None) => vec![0],
    };
    let positions: Vec<usize> = chosen.iter().map(|&i| found[i]).collect();
    let chosen_lines: Vec<usize> = chosen.iter().map(|&i| lines[i]).collect();
    let mut json = serde_json::Map::new();
    json.insert("file".to_owned(), file.clone().into());
    json.insert("matches".to_owned(), found.len().into());
    json.insert("lines".to_owned(), chosen_lines.clone().into());
    if old == new {
        json.insert("replaced".to_owned(), 0.into());
        json.insert("changed".to_owned(), false.into());
        return Ok(Done {
            summary: format!("no change {file}: --old and --new are the same"),
            json,
            diff: Vec::new(),
        });
    }
    let updated = replace::replace_at(content, &positions, old.len(), new);
    let diff = files::unified_diff(Some(&file), Some(&file), content, &updated);
    files::commit(
        &[FileChange::Write {
            path: args.file.clone(),
            content: updated,
            expected: Some(snapshot.expected),
        }],
        options,
    )?;
    json.insert("replaced".to_owned(), positions.len().into());
    json.insert("changed".to_owned(), true.into());
    let noun = if chosen_lines.len() == 1 {
        "line"
    } else {
        "lines"
    };
    Ok(Done {
        summary: format!(
            "replaced {} in {file} ({noun} {})",
            positions.len(),
            line_list(&chosen_lines)
        ),
        json,
        diff,
    })
}
