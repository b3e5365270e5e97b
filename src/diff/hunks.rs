//! Line hunks: `-`/`+`/context lines verbatim, and `\ No newline at end of file` after a last
//! line that lacks one, under one of two headers:
//! - git's `@@ -a,b +c,d @@ <function>` (`,1` omitted, the start of an empty side is the line
//!   before it), for `-U<n>` output and for sizing git's own output;
//! - the compact `@@ +c @@ <definition>` of the default zero-context output: where the hunk starts
//!   in the new file (for removed lines only, the new line they followed), and the enclosing
//!   definition ([`Definitions`]). The rest of git's header follows from the lines shown: the
//!   counts are the numbers of `-` and `+` lines, and the old start is the new start minus the
//!   lines added and plus the lines removed by the file's earlier hunks.

use gix::diff::blob::{diff_with_slider_heuristics, sources::byte_lines, Algorithm, InternedInput};

use super::definitions::{self, Definitions};

/// Line counts of one file's diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub added: usize,
    pub removed: usize,
}

/// How hunk headers are written.
#[derive(Debug, Clone, Copy)]
pub enum Headers {
    /// git's headers with git's function names on every hunk, as git prints them.
    Git,
    /// `@@ +c @@ <definition>`, the definition named only where it differs from the previous
    /// hunk's: a repeat only spends tokens on what the reader already has.
    Compact(Definitions),
}

/// The line diff of two contents, computed once and renderable with any context size.
pub struct LineDiff<'a> {
    /// The same lines, terminators included, that `byte_lines` tokenised.
    old_lines: Vec<&'a [u8]>,
    new_lines: Vec<&'a [u8]>,
    changes: Vec<gix::diff::blob::Hunk>,
}

impl<'a> LineDiff<'a> {
    pub fn new(old: &'a [u8], new: &'a [u8]) -> Self {
        let input = InternedInput::new(byte_lines(old), byte_lines(new));
        let diff = diff_with_slider_heuristics(Algorithm::Myers, &input);
        LineDiff {
            old_lines: old.split_inclusive(|&b| b == b'\n').collect(),
            new_lines: new.split_inclusive(|&b| b == b'\n').collect(),
            changes: diff.hunks().collect(),
        }
    }

    /// Appends the hunks with `context` lines around each change. Returns the added/removed
    /// line counts.
    pub fn write(&self, context: u32, headers: Headers, out: &mut Vec<u8>) -> LineCounts {
        let (old_lines, new_lines, changes) = (&self.old_lines, &self.new_lines, &self.changes);
        let mut counts = LineCounts::default();
        let old_len = old_lines.len() as u32;

        let mut previous_function: Option<&[u8]> = None;
        let mut group_start = 0;
        while group_start < changes.len() {
            // Changes whose context would touch or overlap are printed as one hunk, as xdiff does.
            let mut group_end = group_start + 1;
            while group_end < changes.len()
                && changes[group_end].before.start - changes[group_end - 1].before.end
                    <= 2 * context
            {
                group_end += 1;
            }
            let group = &changes[group_start..group_end];
            let first = &group[0];
            let last = &group[group.len() - 1];
            let lead = context.min(first.before.start);
            let trail = context.min(old_len - last.before.end);
            let old_start = first.before.start - lead;
            let old_end = last.before.end + trail;
            let new_start = first.after.start - lead;
            let new_end = last.after.end + trail;

            let function = match headers {
                Headers::Git => {
                    out.extend_from_slice(b"@@ -");
                    write_range(old_start, old_end - old_start, out);
                    out.extend_from_slice(b" +");
                    write_range(new_start, new_end - new_start, out);
                    definitions::git_function_line(&old_lines[..old_start as usize])
                }
                Headers::Compact(definitions) => {
                    out.extend_from_slice(b"@@ +");
                    write_start(new_start, new_end - new_start, out);
                    definitions.enclosing(old_lines, old_start)
                }
            };
            out.extend_from_slice(b" @@");
            let repeated = !matches!(headers, Headers::Git) && function == previous_function;
            if let Some(function) = function.filter(|_| !repeated) {
                out.push(b' ');
                out.extend_from_slice(function);
            }
            previous_function = function;
            out.push(b'\n');

            let mut old_cursor = old_start;
            for change in group {
                for i in old_cursor..change.before.start {
                    write_line(b' ', old_lines[i as usize], out);
                }
                for i in change.before.clone() {
                    write_line(b'-', old_lines[i as usize], out);
                    counts.removed += 1;
                }
                for i in change.after.clone() {
                    write_line(b'+', new_lines[i as usize], out);
                    counts.added += 1;
                }
                old_cursor = change.before.end;
            }
            for i in old_cursor..old_end {
                write_line(b' ', old_lines[i as usize], out);
            }
            group_start = group_end;
        }
        counts
    }
}

/// Writes every line of `content` with `marker` (`+` for an added file, `-` for a deleted one).
/// No hunk header: the whole file is the hunk, and its line count is the number of lines shown.
pub fn write_whole(marker: u8, content: &[u8], out: &mut Vec<u8>) {
    for line in content.split_inclusive(|&b| b == b'\n') {
        write_line(marker, line, out);
    }
}

/// Counts added and removed lines without rendering, for `--stat`/`--numstat`.
pub fn count_lines(old: &[u8], new: &[u8]) -> LineCounts {
    let input = InternedInput::new(byte_lines(old), byte_lines(new));
    let diff = diff_with_slider_heuristics(Algorithm::Myers, &input);
    LineCounts {
        added: diff.count_additions() as usize,
        removed: diff.count_removals() as usize,
    }
}

/// A range's start alone, with git's convention that an empty range names the line before it.
fn write_start(start: u32, count: u32, out: &mut Vec<u8>) {
    let line = if count == 0 { start } else { start + 1 };
    out.extend_from_slice(line.to_string().as_bytes());
}

/// `start,count` with git's conventions: a count of 1 is omitted, and an empty range names the
/// line before it.
fn write_range(start: u32, count: u32, out: &mut Vec<u8>) {
    let text = match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    };
    out.extend_from_slice(text.as_bytes());
}

fn write_line(marker: u8, line: &[u8], out: &mut Vec<u8>) {
    out.push(marker);
    out.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}
