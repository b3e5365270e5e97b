//! `git rtk-blame`: the lines of a file grouped by the commit that last changed them, one header
//! per run of consecutive lines — through gix's blame, following renames as git does.

use std::collections::HashMap;

use gix::bstr::{BStr, BString, ByteSlice};

use crate::command::{Command, Entry, Kind, Outcome};
use crate::git_size::log::shown_author;
use crate::options::{self, short_only, Flag, Parsed, Value};
use crate::render::{date::short_date, short_id};
use crate::repo;

pub const COMMAND: Command = Command {
    name: "blame",
    kind: Kind::Read,
    summary: "who last changed each line, grouped by commit",
    synopsis: &["[-L <start>,<end>]... [<rev>] [--] <file>"],
    about: "Consecutive lines last changed by the same commit form one group: a header\n`<short-id> <date> <author> L<first>-<last>` (the date and author only the first time a commit\nappears), then the lines as they are. Lines changed in the work tree and not committed yet\nbelong to `0000000 Not Committed Yet`.",
    syntax: options::PARSE_OPTIONS,
    table: &[OPTIONS],
    entry: Entry::Native(run),
};

const OPTIONS: &[Flag] = &[short_only(
    'L',
    Value::Required("range"),
    "only lines <start>,<end>, <start>,+<n>, <start>,-<n> or <start> (repeatable)",
)];

/// One `-L` as typed: 1-based, before it is checked against the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypedRange {
    /// `a,b` (either order), `a,+n`, `a,-n`: both ends known.
    Lines(u32, u32),
    /// `a`: from `a` to the end.
    From(u32),
}

/// `-L` in the forms served natively; `None` for `/regex/`, `:funcname` and anything else.
fn typed_range(text: &str) -> Option<TypedRange> {
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let Some((start, end)) = text.split_once(',') else {
        return Some(TypedRange::From(number(text)?));
    };
    let start = number(start)?;
    if let Some(count) = end.strip_prefix('+') {
        let count = number(count)?;
        return Some(TypedRange::Lines(start, start + count.max(1) - 1));
    }
    if let Some(count) = end.strip_prefix('-') {
        let count = number(count)?;
        return Some(TypedRange::Lines(
            start.saturating_sub(count.max(1) - 1).max(1),
            start,
        ));
    }
    let end = number(end)?;
    Some(TypedRange::Lines(start.min(end), start.max(end)))
}

/// The ranges git blames in a file of `line_count` lines (1-based, inclusive), or `None` where
/// git reports an error (a line 0, a start past the end).
fn checked_ranges(
    typed: &[TypedRange],
    line_count: u32,
) -> Option<Vec<std::ops::RangeInclusive<u32>>> {
    typed
        .iter()
        .map(|range| {
            let (start, end) = match *range {
                TypedRange::Lines(start, end) => (start, end),
                TypedRange::From(start) => (start, line_count),
            };
            (start >= 1 && start <= line_count).then(|| start..=end.min(line_count))
        })
        .collect()
}

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    let mut typed = Vec::new();
    for given in &parsed.given {
        match (
            given.flag.name().as_str(),
            given.value.as_deref().and_then(typed_range),
        ) {
            ("L", Some(range)) => typed.push(range),
            _ => return Ok(Outcome::pass_through("option not served natively")),
        }
    }
    let (rev, file) = match (
        parsed.operands.as_slice(),
        parsed.after_double_dash.as_deref(),
    ) {
        ([file], None) => (None, file),
        ([rev, file], None) | ([rev], Some([file])) => (Some(rev), file),
        ([], Some([file])) => (None, file),
        _ => return Ok(Outcome::pass_through("operands git must judge")),
    };
    let repo = repo::open_with_worktree()?;
    if !crate::diff::plain_content_rules(&repo) || blame_config_is_set(&repo) {
        return Ok(Outcome::pass_through(
            "attributes or blame configuration in effect",
        ));
    }
    let prefix = repo::prefix(&repo)?;
    let Some(path) = crate::paths::repository_path(&prefix, file).filter(|p| !p.is_empty()) else {
        return Ok(Outcome::pass_through("path git must judge"));
    };
    let Some(blamed) = Blamed::read(&repo, rev.map(String::as_str), path.as_bstr())? else {
        return Ok(Outcome::pass_through("file or revision git must report"));
    };
    let line_count = blamed.contents.lines_with_terminator().count() as u32;
    let Some(ranges) = checked_ranges(&typed, line_count) else {
        return Ok(Outcome::pass_through("a line range git reports"));
    };
    let options = gix::blame::Options {
        diff_algorithm: repo.diff_algorithm()?,
        ranges: gix::blame::BlameRanges::from_one_based_inclusive_ranges(ranges)?,
        since: None,
        // git blame follows a file across whole-file renames.
        rewrites: Some(gix::diff::Rewrites::default()),
        debug_track_path: false,
    };
    let mut resource_cache = repo.diff_resource_cache_for_tree_diff()?;
    let outcome = gix::blame::file(
        &repo.objects,
        blamed.start(),
        repo.commit_graph_if_enabled()?,
        &mut resource_cache,
        path.as_bstr(),
        options,
    )?;
    let report = BlameReport::read(&repo, &outcome, path.as_bstr())?;
    let git_size = crate::git_size::wanted().then(|| report.git_output_size());
    Ok(Outcome::success(report.render()).with_git_size(git_size))
}

/// Configuration that changes which commits git blames (ignored revisions) or marks lines.
fn blame_config_is_set(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    [
        "blame.ignoreRevsFile",
        "blame.markIgnoredLines",
        "blame.markUnblamableLines",
    ]
    .iter()
    .any(|key| config.string(*key).is_some())
}

/// What is blamed: the work tree's file from HEAD on (git's default), or a revision's.
struct Blamed {
    /// HEAD, or the revision's commit.
    commit: gix::ObjectId,
    /// The work tree's bytes when no revision is given.
    worktree: bool,
    contents: Vec<u8>,
}

impl Blamed {
    /// `None` where git reports the problem itself: an unborn HEAD, a bad revision, a path the
    /// commit does not have, a work-tree file that is missing or not a regular file.
    fn read(
        repo: &gix::Repository,
        rev: Option<&str>,
        path: &BStr,
    ) -> anyhow::Result<Option<Blamed>> {
        let commit = match rev {
            Some(rev) => match repo
                .rev_parse_single(rev)
                .ok()
                .and_then(|id| id.object().ok()?.peel_to_commit().ok())
            {
                Some(commit) => commit,
                None => return Ok(None),
            },
            None => match repo.head()?.peel_to_commit().ok() {
                Some(commit) => commit,
                None => return Ok(None),
            },
        };
        let tree = commit.tree()?;
        let Some(entry) = tree.lookup_entry(path.split(|&b| b == b'/').map(<[u8]>::to_vec))? else {
            return Ok(None);
        };
        if !entry.mode().is_blob() {
            return Ok(None);
        }
        let contents = if rev.is_some() {
            repo.find_blob(entry.object_id())?.take_data()
        } else {
            let Some(workdir) = repo.workdir() else {
                return Ok(None);
            };
            let file = workdir.join(gix::path::from_bstr(path)?);
            match file.symlink_metadata() {
                Ok(meta) if meta.is_file() => std::fs::read(&file)?,
                _ => return Ok(None),
            }
        };
        Ok(Some(Blamed {
            commit: commit.id,
            worktree: rev.is_none(),
            contents,
        }))
    }

    fn start(&self) -> gix::blame::Start<'_> {
        if self.worktree {
            gix::blame::Start::Contents {
                first_suspect: self.commit,
                contents: std::borrow::Cow::Borrowed(&self.contents),
            }
        } else {
            gix::blame::Start::Commit(self.commit)
        }
    }
}

/// The blamed lines, read once: the compact renderer and git's output size both read it.
struct BlameReport {
    groups: Vec<Group>,
    commits: HashMap<gix::ObjectId, CommitInfo>,
    /// Whether git shows a file name column (some line comes from another path).
    other_paths: Option<usize>,
}

/// Consecutive lines last changed by one commit.
struct Group {
    commit: gix::ObjectId,
    /// 1-based line number of the first line in the blamed file.
    first_line: u32,
    lines: Vec<BString>,
    /// The path in the commit, when it differs (a rename), for git's file name column.
    source_path_len: usize,
}

struct CommitInfo {
    short_id: String,
    author: BString,
    date: String,
}

impl BlameReport {
    fn read(
        repo: &gix::Repository,
        outcome: &gix::blame::Outcome,
        path: &BStr,
    ) -> anyhow::Result<BlameReport> {
        let mailmap = repo.open_mailmap();
        let mut commits = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut other_paths = None;
        for (entry, lines) in outcome.entries_with_lines() {
            let source_path_len = entry
                .source_file_name
                .as_ref()
                .map_or(path.len(), |name| name.len());
            if entry
                .source_file_name
                .as_ref()
                .is_some_and(|name| name != path)
            {
                other_paths = Some(other_paths.unwrap_or(path.len()).max(source_path_len));
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = commits.entry(entry.commit_id)
            {
                slot.insert(commit_info(repo, &mailmap, entry.commit_id)?);
            }
            let first_line = entry.start_in_blamed_file + 1;
            let continues = groups.last().is_some_and(|last| {
                last.commit == entry.commit_id
                    && last.first_line + last.lines.len() as u32 == first_line
                    && last.source_path_len == source_path_len
            });
            if continues {
                if let Some(last) = groups.last_mut() {
                    last.lines.extend(lines);
                }
            } else {
                groups.push(Group {
                    commit: entry.commit_id,
                    first_line,
                    lines,
                    source_path_len,
                });
            }
        }
        Ok(BlameReport {
            groups,
            commits,
            other_paths,
        })
    }

    /// Each group: `<short-id> <date> <author> L<first>-<last>` (the date and author only the
    /// first time the commit appears), then its lines as they are.
    fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut introduced = std::collections::HashSet::new();
        for group in &self.groups {
            let Some(info) = self.commits.get(&group.commit) else {
                continue;
            };
            out.extend_from_slice(info.short_id.as_bytes());
            if introduced.insert(group.commit) {
                if !info.date.is_empty() {
                    out.push(b' ');
                    out.extend_from_slice(info.date.as_bytes());
                }
                out.push(b' ');
                out.extend_from_slice(&info.author);
            }
            let last = group.first_line + group.lines.len() as u32 - 1;
            if last == group.first_line {
                out.extend_from_slice(format!(" L{}\n", group.first_line).as_bytes());
            } else {
                out.extend_from_slice(format!(" L{}-{last}\n", group.first_line).as_bytes());
            }
            for line in &group.lines {
                let line = line.strip_suffix(b"\n").unwrap_or(line);
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        out
    }

    /// `git blame`'s default format: per line `<8-digit id> [<path> ](<author> <date time zone>
    /// <line>) <text>`, the author, path and line columns padded to their widest.
    fn git_output_size(&self) -> u64 {
        let author_width = self
            .commits
            .values()
            .map(|info| info.author.chars().count())
            .max()
            .unwrap_or(0);
        let last_line = self
            .groups
            .iter()
            .map(|group| group.first_line as usize + group.lines.len() - 1)
            .max()
            .unwrap_or(0);
        let line_width = crate::git_size::digits(last_line);
        let path_column = self.other_paths.map_or(0, |width| width + 1);
        let per_line = 8
            + 1
            + path_column
            + 1
            + author_width
            + 1
            + "2005-04-07 22:13:13 +0000".len()
            + 1
            + line_width
            + 2;
        self.groups
            .iter()
            .flat_map(|group| group.lines.iter())
            .map(|line| per_line + line.strip_suffix(b"\n").unwrap_or(line).len() + 1)
            .sum::<usize>() as u64
    }
}

fn commit_info(
    repo: &gix::Repository,
    mailmap: &gix::mailmap::Snapshot,
    id: gix::ObjectId,
) -> anyhow::Result<CommitInfo> {
    if id.is_null() {
        return Ok(CommitInfo {
            short_id: "0000000".to_owned(),
            author: "Not Committed Yet".into(),
            date: String::new(),
        });
    }
    let commit = repo.find_commit(id)?;
    let decoded = commit.decode()?;
    let author = decoded.author()?;
    let (name, _) = shown_author(Some(mailmap), author);
    Ok(CommitInfo {
        short_id: short_id(repo, id)?,
        author: name,
        date: short_date(author.time()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges_are_read_and_checked_as_git_does() {
        let cases: &[(&str, Option<TypedRange>)] = &[
            ("3,10", Some(TypedRange::Lines(3, 10))),
            ("3,1", Some(TypedRange::Lines(1, 3))),
            ("4", Some(TypedRange::From(4))),
            ("2,+2", Some(TypedRange::Lines(2, 3))),
            ("3,-2", Some(TypedRange::Lines(2, 3))),
            ("/fn/", None),
            (":main", None),
            ("a,b", None),
        ];
        for (text, expected) in cases {
            assert_eq!(typed_range(text), *expected, "{text}");
        }
        // A 4-line file: the end is clamped, a start past the end or at 0 is git's error.
        assert_eq!(
            checked_ranges(&[TypedRange::Lines(3, 10)], 4),
            Some(vec![3..=4])
        );
        assert_eq!(checked_ranges(&[TypedRange::From(4)], 4), Some(vec![4..=4]));
        assert_eq!(checked_ranges(&[TypedRange::Lines(5, 6)], 4), None);
        assert_eq!(checked_ranges(&[TypedRange::Lines(0, 1)], 4), None);
    }
}
