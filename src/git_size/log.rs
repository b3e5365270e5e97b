//! `git log`'s size in its default (`medium`) or `--oneline` format, without a terminal (so
//! without decorations unless asked for).
//!
//! medium, per commit:
//! ```text
//! commit <full id>[ (<decorations>)]
//! Merge: <short> <short>            (merges only)
//! Author: <name> <<email>>          (mailmapped)
//! Date:   Thu Apr 7 15:13:13 2005 -0700
//!
//!     <each message line, tabs expanded, trailing blanks trimmed>
//! ```
//! with a blank line between commits. `--oneline`: `<short>[ (<decorations>)] <subject>`;
//! `--pretty=oneline` the same with the full id.

use gix::bstr::{BString, ByteSlice};

use super::tab_expanded_len;

/// The format git would print the commits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Medium { abbrev_commit: bool },
    Oneline { abbrev_commit: bool },
}

/// Sums the size of the commits git prints; commits the plugin does not show are extrapolated
/// from the mean of those it sized.
pub struct LogSize {
    format: Format,
    decorate: bool,
    sized_commits: u64,
    bytes: u64,
}

/// What one commit contributes to git's output.
pub struct CommitText<'a> {
    pub full_id_len: usize,
    pub short_id_len: usize,
    /// The abbreviated ids of a merge's parents (empty for other commits).
    pub parent_short_id_lens: &'a [usize],
    /// The author as git shows it (see [`shown_author`]).
    pub author_name: &'a [u8],
    pub author_email: &'a [u8],
    pub author_time: gix::date::Time,
    pub message: &'a [u8],
    pub summary: &'a [u8],
    /// The decorations as git joins them inside the parentheses, when the commit has any.
    pub decorations: Option<&'a str>,
}

/// The author's name and email as `git log` shows them: through the mailmap when one is given
/// (`log.mailmap`, on by default).
pub fn shown_author(
    mailmap: Option<&gix::mailmap::Snapshot>,
    author: gix::actor::SignatureRef<'_>,
) -> (BString, BString) {
    match mailmap {
        Some(map) => {
            let resolved = map.resolve(author);
            (resolved.name, resolved.email)
        }
        None => (author.name.to_owned(), author.email.to_owned()),
    }
}

impl LogSize {
    pub fn new(format: Format, decorate: bool) -> Self {
        LogSize {
            format,
            decorate,
            sized_commits: 0,
            bytes: 0,
        }
    }

    /// Adds a commit the caller has read: `author` as [`shown_author`] gives it, `short_id_len`
    /// the length of its abbreviated id, `decorations` its refs as git joins them.
    pub fn add_commit(
        &mut self,
        repo: &gix::Repository,
        id: gix::ObjectId,
        commit: &gix::objs::CommitRef<'_>,
        (author_name, author_email): (&[u8], &[u8]),
        short_id_len: usize,
        decorations: Option<&str>,
    ) -> anyhow::Result<()> {
        // git names a merge's parents on a `Merge:` line, abbreviated.
        let parent_short_id_lens = if commit.parents.len() > 1 {
            commit
                .parents()
                .map(|parent| crate::render::short_id(repo, parent).map(|s| s.len()))
                .collect::<anyhow::Result<Vec<usize>>>()?
        } else {
            Vec::new()
        };
        self.add(&CommitText {
            full_id_len: id.kind().len_in_hex(),
            short_id_len,
            parent_short_id_lens: &parent_short_id_lens,
            author_name,
            author_email,
            author_time: commit.author()?.time()?,
            message: commit.message,
            summary: commit.message_summary().as_ref(),
            decorations,
        });
        Ok(())
    }

    /// Adds one commit git prints.
    pub fn add(&mut self, commit: &CommitText<'_>) {
        let decoration = match (self.decorate, commit.decorations) {
            (true, Some(refs)) => refs.len() + 3,
            _ => 0,
        };
        let size = match self.format {
            Format::Oneline { abbrev_commit } => {
                let id = if abbrev_commit {
                    commit.short_id_len
                } else {
                    commit.full_id_len
                };
                id + decoration + 1 + commit.summary.len() + 1
            }
            Format::Medium { abbrev_commit } => {
                let separator = usize::from(self.sized_commits > 0);
                let id = if abbrev_commit {
                    commit.short_id_len
                } else {
                    commit.full_id_len
                };
                let merge = if commit.parent_short_id_lens.len() > 1 {
                    "Merge:".len()
                        + commit
                            .parent_short_id_lens
                            .iter()
                            .map(|len| len + 1)
                            .sum::<usize>()
                        + 1
                } else {
                    0
                };
                separator
                    + "commit ".len()
                    + id
                    + decoration
                    + 1
                    + merge
                    + "Author: ".len()
                    + commit.author_name.len()
                    + 2
                    + commit.author_email.len()
                    + 2
                    + "Date:   ".len()
                    + default_date_len(commit.author_time)
                    + 1
                    + message_len(commit.message)
            }
        };
        self.bytes += size as u64;
        self.sized_commits += 1;
    }

    /// git's size for `total` commits, of which the first ones were added here.
    pub fn total(&self, total: usize) -> u64 {
        let total = total as u64;
        if self.sized_commits == 0 || total <= self.sized_commits {
            return self.bytes;
        }
        self.bytes * total / self.sized_commits
    }
}

/// `Thu Apr 7 15:13:13 2005 -0700`: only the day of the month and the year vary in width.
pub fn default_date_len(time: gix::date::Time) -> usize {
    let zoned = jiff::Timestamp::from_second(time.seconds)
        .ok()
        .and_then(|t| {
            let offset = jiff::tz::Offset::from_seconds(time.offset).ok()?;
            Some(t.to_zoned(jiff::tz::TimeZone::fixed(offset)))
        });
    let (day, year) = zoned.map_or((2, 4), |z| {
        (
            super::digits(z.day() as usize),
            super::digits(z.year() as usize),
        )
    });
    "Thu Apr ".len() + day + " 15:13:13 ".len() + year + " -0700".len()
}

/// The message block: a blank line after the header, then every line from the first non-blank
/// one indented by four, tabs expanded, trailing white space trimmed, trailing blank lines dropped.
fn message_len(message: &[u8]) -> usize {
    let lines: Vec<&[u8]> = message.lines().map(|line| line.trim_end()).collect();
    let Some(first) = lines.iter().position(|line| !line.is_empty()) else {
        return 0;
    };
    let last = lines
        .iter()
        .rposition(|line| !line.is_empty())
        .unwrap_or(first);
    1 + lines[first..=last]
        .iter()
        .map(|line| 4 + tab_expanded_len(line) + 1)
        .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_block_skips_leading_and_trailing_blank_lines() {
        // "\n" + "    subj\n" + "    \n" + "    " + "        x\n" (the tab expands on its own line)
        assert_eq!(message_len(b"\nsubj  \n\n\tx\n\n\n"), 1 + 9 + 5 + 14);
    }

    #[test]
    fn date_width_follows_the_day_of_month() {
        // Thu Apr 7 15:13:13 2005 -0700 and Tue Apr 12 …
        assert_eq!(
            default_date_len(gix::date::Time::new(1_112_911_993, -7 * 3600)),
            29
        );
        assert_eq!(
            default_date_len(gix::date::Time::new(1_113_311_993, -7 * 3600)),
            30
        );
    }
}
