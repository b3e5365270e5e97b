//! Exact byte-for-byte text replacement, and the hint shown when the text is not found.
//!
//! Everything works on bytes: CRLF line endings, a byte-order mark and bytes that are not UTF-8
//! pass through untouched.

use bstr::ByteSlice as _;

/// Start offsets of the non-overlapping occurrences of `needle`, left to right.
pub fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(i) = haystack[from..].find(needle) {
        found.push(from + i);
        from += i + needle.len();
    }
    found
}

/// The 1-based line number of byte `pos`.
pub fn line_number(haystack: &[u8], pos: usize) -> usize {
    haystack[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `haystack` with `old_len` bytes at each of `positions` (sorted, non-overlapping) replaced by
/// `new`.
pub fn replace_at(haystack: &[u8], positions: &[usize], old_len: usize, new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + positions.len() * new.len());
    let mut cursor = 0;
    for &pos in positions {
        out.extend_from_slice(&haystack[cursor..pos]);
        out.extend_from_slice(new);
        cursor = pos + old_len;
    }
    out.extend_from_slice(&haystack[cursor..]);
    out
}

/// Why text that was not found may still be almost there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NearMiss {
    /// The text is there with CRLF line endings where it has LF (or the other way round).
    LineEndings { line: usize },
    /// The line most like the first line of the text, and how alike (0–100 %).
    ClosestLine {
        line: usize,
        text: String,
        percent: u8,
    },
}

/// The best explanation for `needle` not being in `haystack`, if any line is at all alike.
pub fn near_miss(haystack: &[u8], needle: &[u8]) -> Option<NearMiss> {
    let as_crlf = needle.replace("\r\n", "\n").replace("\n", "\r\n");
    let as_lf = needle.replace("\r\n", "\n");
    for variant in [as_crlf, as_lf] {
        if variant != needle {
            if let Some(pos) = haystack.find(&variant) {
                return Some(NearMiss::LineEndings {
                    line: line_number(haystack, pos),
                });
            }
        }
    }
    let wanted = needle
        .lines()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())?
        .to_str_lossy()
        .into_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
    let mut best: Option<(f32, usize, String)> = None;
    for (index, line) in haystack.lines().enumerate() {
        if std::time::Instant::now() > deadline {
            break;
        }
        let candidate = line.trim();
        // Lines of very different length cannot be close; skipping them keeps big files fast.
        if candidate.is_empty()
            || candidate.len() > wanted.len() * 3 + 8
            || wanted.len() > candidate.len() * 3 + 8
        {
            continue;
        }
        let candidate = candidate.to_str_lossy();
        let ratio = similar::TextDiff::configure()
            .deadline(deadline)
            .diff_chars(wanted.as_str(), candidate.as_ref())
            .ratio();
        if best.as_ref().is_none_or(|(b, _, _)| ratio > *b) {
            best = Some((ratio, index + 1, candidate.into_owned()));
        }
    }
    let (ratio, line, text) = best?;
    // Below half alike the "closest" line only misleads.
    (ratio >= 0.5).then(|| NearMiss::ClosestLine {
        line,
        text,
        percent: (ratio * 100.0).round().clamp(0.0, 100.0) as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_non_overlapping_matches() {
        assert_eq!(find_all(b"aaaa", b"aa"), vec![0, 2]);
        assert_eq!(find_all(b"abc", b""), Vec::<usize>::new());
        assert_eq!(line_number(b"a\nb\nc", 4), 3);
    }

    #[test]
    fn replaces_at_positions() {
        assert_eq!(replace_at(b"x-x-x", &[0, 4], 1, b"yy"), b"yy-x-yy".to_vec());
    }

    #[test]
    fn explains_line_ending_mismatch() {
        assert_eq!(
            near_miss(b"one\r\ntwo\r\n", b"one\ntwo"),
            Some(NearMiss::LineEndings { line: 1 })
        );
    }

    #[test]
    fn closest_line() {
        let hit = near_miss(
            b"fn main() {\n    let answer = 42;\n}\n",
            b"let answr = 42;",
        );
        assert!(
            matches!(hit, Some(NearMiss::ClosestLine { line: 2, .. })),
            "{hit:?}"
        );
        assert_eq!(near_miss(b"abc\n", b"zzzzzzzzzz"), None);
    }
}
