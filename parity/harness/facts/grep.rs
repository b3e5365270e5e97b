//! `grep` facts, from `git grep -n` with the case's own arguments: every match (file and line
//! number), in git's order, each under its file's heading line and carrying its text (a line
//! longer than 512 bytes may be cut, with its note); git's `Binary file … matches` lines; and
//! nothing else. `-l` and `-c` are printed exactly as git prints them.

use super::args;
use super::{Fact, GitQuery, LinePattern, Selector};
use crate::harness::text;

/// Lines longer than this may be cut by the plugin (docs/output.md).
const LONG_LINE: usize = 512;

fn is_listing_form(arg: &str) -> bool {
    ["--files-with-matches", "--name-only", "--count"].contains(&arg)
        || args::is_flag_cluster(arg, "lcinwFEGI") && (arg.contains('l') || arg.contains('c'))
}

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    if query.exit_code != 0 {
        return Ok(Vec::new());
    }
    if args::has(case_args, is_listing_form) {
        let listing = query.run(&args::command(&["grep"], case_args))?;
        return Ok(vec![Fact::Exactly(listing)]);
    }
    let numbered = query.run(&args::command(&["grep", "-n"], case_args))?;
    let separated = query.run(&args::command(&["grep", "-n", "-z"], case_args))?;
    let shown_lines = text::lines(&numbered);
    let records = text::lines(&separated);
    if shown_lines.len() != records.len() {
        return Err("`git grep -n` and `git grep -n -z` disagree on the matches".to_owned());
    }
    let mut expected = Vec::new();
    let mut current_heading: Option<Vec<u8>> = None;
    let mut lines_shown = 0;
    for (shown, record) in shown_lines.iter().zip(&records) {
        if shown.starts_with(b"Binary file ") {
            expected.push(LinePattern {
                prefix: shown.to_vec(),
                prefix_is_word: true,
                ..LinePattern::default()
            });
            lines_shown += 1;
            current_heading = None;
            continue;
        }
        // `<path>\0<line>\0<text>`; the quoted path is what `-n` prints before `:<line>:<text>`.
        let mut fields = record.splitn(3, |&b| b == 0);
        let (Some(_), Some(number), Some(line)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "unexpected `git grep -z` record {:?}",
                text::show(record)
            ));
        };
        let suffix_len = 1 + number.len() + 1 + line.len();
        let Some(heading) = shown.len().checked_sub(suffix_len).map(|end| &shown[..end]) else {
            return Err(format!(
                "unexpected `git grep -n` line {:?}",
                text::show(shown)
            ));
        };
        if current_heading.as_deref() != Some(heading) {
            expected.push(LinePattern {
                prefix: heading.to_vec(),
                prefix_is_word: true,
                ..LinePattern::default()
            });
            lines_shown += 1;
            current_heading = Some(heading.to_vec());
        }
        let pattern = LinePattern::new([number, b":"].concat());
        expected.push(if line.len() > LONG_LINE {
            pattern.with("bytes cut")
        } else {
            LinePattern::new([number, b":", line].concat())
        });
        lines_shown += 1;
    }
    // Without a long line every expected line is whole: compare them whole.
    let whole = expected
        .iter()
        .all(|pattern| pattern.parts.is_empty())
        .then(|| {
            expected
                .iter()
                .map(|pattern| pattern.prefix.clone())
                .collect()
        });
    Ok(vec![
        match whole {
            Some(lines) => Fact::LinesInOrder(lines),
            None => Fact::InOrder(expected),
        },
        Fact::LineCount {
            selector: Selector::NonEmpty,
            expected: lines_shown,
        },
    ])
}
