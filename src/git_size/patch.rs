//! The size of `git diff`/`git show` output: git's per-file patch header (`diff --git`, mode,
//! `index`, `---`/`+++`, similarity lines) and its `--stat` table. The hunks themselves are
//! rendered by [`crate::diff::hunks`] with git's context and function names, and counted.

use super::digits;
use crate::diff::hunks::{Headers, LineCounts, LineDiff};
use crate::diff::report::FileDiff;
use crate::diff::ChangeKind;
use crate::quote::PathQuoting;

/// git's own diff output, summed while the compact form is rendered.
#[derive(Debug, Clone, Copy)]
pub struct GitDiffSize {
    /// Context lines git shows: `-U<n>`, else `diff.context`, else 3.
    pub context: u32,
    /// Width of git's abbreviated object ids on the `index` line.
    pub abbrev: usize,
    pub bytes: usize,
}

impl GitDiffSize {
    /// The settings git would use in `repo`; `context` is the user's `-U<n>` when given.
    pub fn for_repo(repo: &gix::Repository, context: Option<u32>) -> Self {
        let configured = repo
            .config_snapshot()
            .integer("diff.context")
            .and_then(|n| u32::try_from(n).ok());
        GitDiffSize {
            context: context.or(configured).unwrap_or(3),
            abbrev: abbrev_len(repo),
            bytes: 0,
        }
    }
}

/// git's abbreviation width in `repo`: `core.abbrev`, else the width `Id::shorten` picks for
/// HEAD (git's automatic length grows with the number of objects).
fn abbrev_len(repo: &gix::Repository) -> usize {
    if let Some(n) = repo
        .config_snapshot()
        .integer("core.abbrev")
        .and_then(|n| usize::try_from(n).ok())
    {
        return n.clamp(4, 40);
    }
    repo.head_id()
        .ok()
        .and_then(|id| id.shorten().ok())
        .map_or(7, |prefix| prefix.hex_len())
}

/// One side of a file as git names it in the header.
#[derive(Debug, Clone, Copy)]
pub struct HeaderSide {
    pub mode: u32,
    /// The path as displayed (quoted when git quotes it).
    pub display_len: usize,
    pub empty: bool,
}

/// The header git prints for one file, up to and including `+++` (or the `Binary files` line).
/// A type change is two headers, a deletion and an addition: pass each separately.
pub fn header_len(
    kind: ChangeKind,
    old: Option<HeaderSide>,
    new: Option<HeaderSide>,
    binary: bool,
    content_differs: bool,
    abbrev: usize,
) -> usize {
    let (old_len, new_len) = match (old, new) {
        (Some(o), Some(n)) => (o.display_len, n.display_len),
        (Some(o), None) => (o.display_len, o.display_len),
        (None, Some(n)) => (n.display_len, n.display_len),
        (None, None) => return 0,
    };
    // A quoted path quotes the `a/` prefix with it: two bytes either way.
    let diff_git = "diff --git ".len() + 2 + old_len + 1 + 2 + new_len + 1;
    let index =
        |with_mode: bool| "index ".len() + 2 * abbrev + 2 + if with_mode { 7 } else { 0 } + 1;
    let files = |old_name: usize, new_name: usize| {
        if binary {
            "Binary files  and  differ\n".len() + old_name + new_name
        } else {
            "--- ".len() + old_name + 1 + "+++ ".len() + new_name + 1
        }
    };
    match (kind, old, new) {
        (ChangeKind::Renamed { .. } | ChangeKind::Copied { .. }, Some(_), Some(_)) => {
            let word = if matches!(kind, ChangeKind::Renamed { .. }) {
                "rename"
            } else {
                "copy"
            };
            let mut bytes = diff_git
                + "similarity index 100%\n".len()
                + (word.len() + " from ".len() + old_len + 1)
                + (word.len() + " to ".len() + new_len + 1);
            if content_differs {
                bytes += index(true) + files(2 + old_len, 2 + new_len);
            }
            bytes
        }
        (_, None, Some(n)) => {
            let mut bytes = diff_git + "new file mode 100644\n".len() + index(false);
            if !n.empty || binary {
                bytes += files("/dev/null".len(), 2 + new_len);
            }
            bytes
        }
        (_, Some(o), None) => {
            let mut bytes = diff_git + "deleted file mode 100644\n".len() + index(false);
            if !o.empty || binary {
                bytes += files(2 + old_len, "/dev/null".len());
            }
            bytes
        }
        (_, Some(o), Some(n)) => {
            let mode_change = o.mode != n.mode;
            let mut bytes = diff_git;
            if mode_change {
                bytes += "old mode 100644\nnew mode 100755\n".len();
            }
            if content_differs || binary {
                bytes += index(!mode_change) + files(2 + old_len, 2 + new_len);
            }
            bytes
        }
        (_, None, None) => 0,
    }
}

/// One file of a `--stat` table.
#[derive(Debug, Clone, Copy)]
pub struct StatEntry {
    pub display_len: usize,
    pub added: usize,
    pub removed: usize,
    /// Sizes before and after, for a binary file (`Bin 10 -> 20 bytes`).
    pub binary: Option<(usize, usize)>,
}

/// git's `--stat` table (without the summary line) at its default width of 80 columns, as
/// diff.c's `show_stats` lays it out: names padded to one column, change counts right-aligned,
/// and the `+`/`-` graph scaled down when the largest change does not fit.
pub fn stat_len(entries: &[StatEntry]) -> usize {
    const WIDTH: usize = 80;
    let mut max_len = 0;
    let mut max_change = 0;
    let mut number_width = 0;
    let mut bin_width = 0;
    for entry in entries {
        max_len = max_len.max(entry.display_len);
        match entry.binary {
            Some((old, new)) => {
                bin_width = bin_width.max(14 + digits(new) + digits(old));
                number_width = 3;
            }
            None => max_change = max_change.max(entry.added + entry.removed),
        }
    }
    number_width = number_width.max(digits(max_change));
    let width = WIDTH.max(16 + 6 + number_width);
    let mut graph_width = if max_change + 4 > bin_width {
        max_change
    } else {
        bin_width - 4
    };
    let mut name_width = max_len;
    if name_width + number_width + 6 + graph_width > width {
        let graph_limit = (width * 3 / 8).saturating_sub(number_width + 6);
        if graph_width > graph_limit {
            graph_width = graph_limit.max(6);
        }
        let name_room = width.saturating_sub(number_width + 6 + graph_width);
        if name_width > name_room {
            name_width = name_room;
        } else {
            graph_width = width - number_width - 6 - name_width;
        }
    }
    let scale = |it: usize| {
        if it == 0 {
            0
        } else {
            1 + it * (graph_width.saturating_sub(1)) / max_change.max(1)
        }
    };
    entries
        .iter()
        .map(|entry| {
            let lead = 1 + name_width + " | ".len() + number_width;
            match entry.binary {
                Some((0, 0)) => lead + 1,
                Some((old, new)) => {
                    lead + 1 + digits(old) + " -> ".len() + digits(new) + " bytes\n".len()
                }
                None => {
                    let total = entry.added + entry.removed;
                    let graph = if graph_width <= max_change {
                        let mut scaled = scale(total);
                        if scaled < 2 && entry.added > 0 && entry.removed > 0 {
                            scaled = 2;
                        }
                        scaled
                    } else {
                        total
                    };
                    lead + usize::from(total > 0) + graph + 1
                }
            }
        })
        .sum()
}

/// What `git diff` prints for one file: its header and its hunks with git's context and
/// function names. `line_diff` is the file's line diff ([`FileDiff::line_diff`]).
pub fn file_len(
    file: &FileDiff<'_>,
    line_diff: Option<&LineDiff<'_>>,
    quoting: &PathQuoting,
    settings: &GitDiffSize,
) -> usize {
    let change = file.change;
    let (old, new, binary) = (&file.old[..], &file.new[..], file.binary);
    let mut scratch = Vec::new();
    let mut displayed = |path: &[u8]| {
        scratch.clear();
        quoting.write(path, &mut scratch);
        scratch.len()
    };
    let old_side = change.old.as_ref().map(|side| HeaderSide {
        mode: side.mode,
        display_len: displayed(&side.path),
        empty: old.is_empty(),
    });
    let new_side = change.new.as_ref().map(|side| HeaderSide {
        mode: side.mode,
        display_len: displayed(&side.path),
        empty: new.is_empty(),
    });
    let differs = old != new;
    let header = |kind, old_side, new_side| {
        header_len(kind, old_side, new_side, binary, differs, settings.abbrev)
    };
    let mut hunks_len = |before: &[u8], after: &[u8]| {
        if binary || before == after {
            return 0;
        }
        scratch.clear();
        match line_diff {
            Some(line_diff) => line_diff.write(settings.context, Headers::Git, &mut scratch),
            // A whole side added or removed: diffing against nothing is linear.
            None => {
                LineDiff::new(before, after).write(settings.context, Headers::Git, &mut scratch)
            }
        };
        scratch.len()
    };
    match change.kind {
        // git shows a type change as the old file deleted and the new one added.
        ChangeKind::TypeChanged => {
            header(ChangeKind::Deleted, old_side, None)
                + hunks_len(old, b"")
                + header(ChangeKind::Added, None, new_side)
                + hunks_len(b"", new)
        }
        // A submodule that is only dirty has the same commit on both sides: git prints no
        // `index <a>..<b> 160000` line for it.
        kind if change.is_dirty_submodule_only() => {
            let index_line = "index ".len() + 2 * settings.abbrev + 2 + " 160000".len() + 1;
            header(kind, old_side, new_side) - index_line + hunks_len(old, new)
        }
        kind => header(kind, old_side, new_side) + hunks_len(old, new),
    }
}

/// git's `--stat` output for `files` (with `counts`, `None` for a binary file): the table and the
/// summary line.
pub fn stat_table_len(
    files: &[FileDiff<'_>],
    counts: &[Option<LineCounts>],
    quoting: &PathQuoting,
) -> usize {
    if files.is_empty() {
        return 0;
    }
    let mut scratch = Vec::new();
    let entries: Vec<StatEntry> = files
        .iter()
        .zip(counts)
        .map(|(file, counts)| {
            scratch.clear();
            quoting.write(file.change.path(), &mut scratch);
            StatEntry {
                display_len: scratch.len(),
                added: counts.map_or(0, |c| c.added),
                removed: counts.map_or(0, |c| c.removed),
                binary: counts.is_none().then_some((file.old.len(), file.new.len())),
            }
        })
        .collect();
    let (added, removed) = counts
        .iter()
        .flatten()
        .fold((0, 0), |(a, r), c| (a + c.added, r + c.removed));
    stat_len(&entries) + crate::diff::render::summary_line(files.len(), added, removed).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(mode: u32, display_len: usize) -> Option<HeaderSide> {
        Some(HeaderSide {
            mode,
            display_len,
            empty: false,
        })
    }

    #[test]
    fn modified_file_header() {
        // diff --git a/f.txt b/f.txt / index 1234567..89abcde 100644 / --- a/f.txt / +++ b/f.txt
        let expected =
            "diff --git a/f.txt b/f.txt\nindex 1234567..89abcde 100644\n--- a/f.txt\n+++ b/f.txt\n";
        let got = header_len(
            ChangeKind::Modified,
            side(0o100644, 5),
            side(0o100644, 5),
            false,
            true,
            7,
        );
        assert_eq!(got, expected.len());
    }

    #[test]
    fn a_short_stat_line_is_not_scaled() {
        let entry = StatEntry {
            display_len: 5,
            added: 2,
            removed: 1,
            binary: None,
        };
        assert_eq!(stat_len(&[entry]), " f.txt | 3 ++-\n".len());
    }
}
