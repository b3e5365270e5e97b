//! `blame` facts, from `git blame --porcelain` with the case's own arguments: every line's commit
//! and content, in order. Consecutive lines of one commit form a group under one header,
//! `<short-id> <date> <author> L<first>-<last>` (`L<first>` for one line), the date and author
//! only where the commit first appears; `0000000 Not Committed Yet` for lines git attributes to
//! no commit (later groups of them: `0000000`). Short ids, dates and (mailmapped) authors come from `git log`.

use std::collections::{HashMap, HashSet};

use super::{Fact, GitQuery, Selector};
use crate::harness::text;

const NULL_ID: &[u8] = b"0000000000000000000000000000000000000000";

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    if query.exit_code != 0 {
        return Ok(Vec::new());
    }
    let mut porcelain_args = vec!["blame".to_owned(), "--porcelain".to_owned()];
    porcelain_args.extend(case_args.iter().cloned());
    let porcelain = query.run(&porcelain_args)?;

    // (commit, final line number, content) per line, from the porcelain's header and tab lines.
    let mut lines: Vec<(Vec<u8>, u32, Vec<u8>)> = Vec::new();
    let mut current: Option<(Vec<u8>, u32)> = None;
    for line in text::lines(&porcelain) {
        if let Some(content) = line.strip_prefix(b"\t") {
            let Some((commit, number)) = current.take() else {
                return Err("a porcelain content line without its header".to_owned());
            };
            lines.push((commit, number, content.to_vec()));
        } else if current.is_none() {
            let mut words = line.split(|&b| b == b' ');
            let (Some(commit), Some(_), Some(number)) = (words.next(), words.next(), words.next())
            else {
                return Err(format!("unexpected porcelain line {:?}", text::show(line)));
            };
            if commit.len() == NULL_ID.len() && commit.iter().all(u8::is_ascii_hexdigit) {
                let number = String::from_utf8_lossy(number)
                    .parse()
                    .map_err(|_| format!("bad line number in {:?}", text::show(line)))?;
                current = Some((commit.to_vec(), number));
            }
        }
    }

    let commits: Vec<Vec<u8>> = {
        let mut seen = HashSet::new();
        lines
            .iter()
            .map(|(commit, _, _)| commit.clone())
            .filter(|commit| commit != NULL_ID && seen.insert(commit.clone()))
            .collect()
    };
    let mut described: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    if !commits.is_empty() {
        let mut log_args = vec![
            "log".to_owned(),
            "--no-walk=unsorted".to_owned(),
            "--date=short".to_owned(),
            "--format=%H %h %ad %aN".to_owned(),
        ];
        log_args.extend(
            commits
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned()),
        );
        for record in text::lines(&query.run(&log_args)?) {
            let (full, rest) = record.split_at(NULL_ID.len().min(record.len()));
            described.insert(full.to_vec(), rest.get(1..).unwrap_or_default().to_vec());
        }
    }

    let mut expected: Vec<Vec<u8>> = Vec::new();
    let mut introduced = HashSet::new();
    let mut at = 0;
    while at < lines.len() {
        let (commit, first, _) = &lines[at];
        let mut end = at + 1;
        while end < lines.len() && lines[end].0 == *commit && lines[end].1 == lines[end - 1].1 + 1 {
            end += 1;
        }
        let last = first + (end - at) as u32 - 1;
        let first_time = introduced.insert(commit.clone());
        let mut header = if commit == NULL_ID {
            if first_time {
                b"0000000 Not Committed Yet".to_vec()
            } else {
                b"0000000".to_vec()
            }
        } else {
            let description = described
                .get(commit)
                .ok_or_else(|| format!("`git log` did not describe {}", text::show(commit)))?;
            if first_time {
                description.clone()
            } else {
                description
                    .split(|&b| b == b' ')
                    .next()
                    .unwrap_or_default()
                    .to_vec()
            }
        };
        let range = if last == *first {
            format!(" L{first}")
        } else {
            format!(" L{first}-{last}")
        };
        header.extend_from_slice(range.as_bytes());
        expected.push(header);
        expected.extend(lines[at..end].iter().map(|(_, _, content)| content.clone()));
        at = end;
    }
    Ok(vec![
        Fact::LineCount {
            selector: Selector::Any,
            expected: expected.len(),
        },
        Fact::LinesInOrder(expected),
    ])
}
