//! Applying one file's hunks to its content: exact context, searched near the stated line.

use bstr::ByteSlice as _;

use super::parse::{Hunk, HunkLine};

/// The new content, and for each hunk how far from its stated line it applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub content: Vec<u8>,
    pub offsets: Vec<isize>,
}

/// Why a hunk did not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HunkFailure {
    /// Index of the hunk in the file patch.
    pub hunk: usize,
    pub reason: String,
}

/// Applies `hunks` in order. Each hunk's context and removed lines must match the file exactly;
/// when they are not at the stated line, the nearest exact match after the previous hunk is used
/// (as patch(1) does with an offset, but never with fuzz).
pub fn apply_hunks(content: &[u8], hunks: &[Hunk]) -> Result<Applied, HunkFailure> {
    let lines: Vec<&[u8]> = content.lines_with_terminator().collect();
    let mut out = Vec::with_capacity(content.len());
    let mut offsets = Vec::with_capacity(hunks.len());
    let mut cursor = 0;
    for (index, hunk) in hunks.iter().enumerate() {
        let old: Vec<&[u8]> = hunk
            .lines
            .iter()
            .filter_map(|l| match l {
                HunkLine::Context(b) | HunkLine::Remove(b) => Some(b.as_slice()),
                HunkLine::Add(_) => None,
            })
            .collect();
        // With no old lines, `old_start` is the line after which to insert.
        let stated = if old.is_empty() {
            hunk.old_start
        } else {
            hunk.old_start.saturating_sub(1)
        };
        let Some(at) = find_match(&lines, &old, stated, cursor) else {
            return Err(HunkFailure {
                hunk: index,
                reason: mismatch_reason(&lines, &old, stated),
            });
        };
        for line in &lines[cursor..at] {
            out.extend_from_slice(line);
        }
        for line in &hunk.lines {
            match line {
                HunkLine::Context(b) | HunkLine::Add(b) => out.extend_from_slice(b),
                HunkLine::Remove(_) => {}
            }
        }
        offsets.push(at as isize - stated as isize);
        cursor = at + old.len();
    }
    for line in &lines[cursor..] {
        out.extend_from_slice(line);
    }
    Ok(Applied {
        content: out,
        offsets,
    })
}

/// The line index nearest `stated` (and not before `min`) where `old` matches exactly.
fn find_match(lines: &[&[u8]], old: &[&[u8]], stated: usize, min: usize) -> Option<usize> {
    let last_start = lines.len().checked_sub(old.len())?;
    if old.is_empty() {
        return (stated >= min && stated <= lines.len()).then_some(stated);
    }
    let matches_at = |at: usize| at >= min && at <= last_start && lines[at..at + old.len()] == *old;
    (0..=lines.len()).find_map(|distance| {
        if matches_at(stated + distance) {
            Some(stated + distance)
        } else if distance > 0 && stated >= distance && matches_at(stated - distance) {
            Some(stated - distance)
        } else {
            None
        }
    })
}

/// The first line at the stated place that differs from what the hunk expects.
fn mismatch_reason(lines: &[&[u8]], old: &[&[u8]], stated: usize) -> String {
    if old.is_empty() {
        return format!("the file has only {} lines", lines.len());
    }
    for (i, expected) in old.iter().enumerate() {
        let line_no = stated + i + 1;
        match lines.get(stated + i) {
            Some(found) if found == expected => continue,
            Some(found) => {
                return format!(
                    "line {line_no} is {} but the patch expects {}",
                    show(found),
                    show(expected)
                )
            }
            None => {
                return format!(
                    "the file ends before line {line_no}, where the patch expects {}",
                    show(expected)
                )
            }
        }
    }
    "its lines are not in the file after the previous hunk".to_owned()
}

/// A line for a message: quoted, escapes visible, cut when long.
fn show(line: &[u8]) -> String {
    let text = format!("{:?}", line.to_str_lossy());
    if text.chars().count() > 80 {
        format!("{}…\"", text.chars().take(78).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::patch::parse::parse;

    /// The one file's hunks in `patch`, applied to `content`.
    fn apply(patch: &str, content: &[u8]) -> Result<Applied, HunkFailure> {
        let hunks = match parse(patch.as_bytes(), 1) {
            Ok(mut files) if !files.is_empty() => files.remove(0).hunks,
            other => panic!("{other:?}"),
        };
        apply_hunks(content, &hunks)
    }

    #[test]
    fn applies_with_offset() {
        let applied = apply(
            "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n b\n-c\n+C\n",
            b"a\nb\nc\nd\n",
        );
        assert_eq!(
            applied,
            Ok(Applied {
                content: b"a\nb\nC\nd\n".to_vec(),
                offsets: vec![1]
            })
        );
    }

    #[test]
    fn crlf_and_missing_final_newline_are_exact() {
        let applied = apply("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\r\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n", b"a\r\nb");
        assert_eq!(applied.map(|a| a.content), Ok(b"a\r\nB".to_vec()));
    }

    #[test]
    fn mismatch_names_the_line() {
        let failure = apply("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n", b"a\nz\n");
        assert_eq!(
            failure,
            Err(HunkFailure {
                hunk: 0,
                reason: "line 2 is \"z\\n\" but the patch expects \"b\\n\"".to_owned()
            })
        );
    }

    #[test]
    fn pure_addition_into_empty_file() {
        let applied = apply("--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n", b"");
        assert_eq!(applied.map(|a| a.content), Ok(b"a\nb\n".to_vec()));
    }
}
