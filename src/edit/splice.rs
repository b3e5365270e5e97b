//! Byte-range replacements applied to a text in one pass.

use std::ops::Range;

/// Replace `range` of the original text with `text` (an empty range inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

impl Splice {
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Splice {
            range: at..at,
            text: text.into(),
        }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Splice {
            range,
            text: text.into(),
        }
    }

    pub fn remove(range: Range<usize>) -> Self {
        Splice {
            range,
            text: String::new(),
        }
    }
}

/// Applies `splices` to `source`. Ranges refer to the original text; they are applied in order of
/// position (insertions at the same position keep the order given). Overlapping ranges are a bug
/// in the caller and are rejected rather than producing a garbled file.
pub fn apply(source: &str, mut splices: Vec<Splice>) -> Result<String, OverlappingSplices> {
    splices.sort_by_key(|s| (s.range.start, s.range.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut cursor = 0;
    for splice in &splices {
        if splice.range.start < cursor
            || splice.range.end > source.len()
            || !source.is_char_boundary(splice.range.start)
            || !source.is_char_boundary(splice.range.end)
        {
            return Err(OverlappingSplices);
        }
        out.push_str(&source[cursor..splice.range.start]);
        out.push_str(&splice.text);
        cursor = splice.range.end;
    }
    out.push_str(&source[cursor..]);
    Ok(out)
}

/// Two edits claimed the same bytes (an editor bug, never a user error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("internal error: overlapping edits")]
pub struct OverlappingSplices;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_position_order_keeping_insertion_order() {
        let out = apply(
            "abcdef",
            vec![
                Splice::insert(6, "!"),
                Splice::replace(1..3, "XY"),
                Splice::insert(0, "1"),
                Splice::insert(0, "2"),
            ],
        );
        assert_eq!(out, Ok("12aXYdef!".to_owned()));
    }

    #[test]
    fn rejects_overlap() {
        let out = apply(
            "abcdef",
            vec![Splice::remove(1..4), Splice::replace(2..3, "x")],
        );
        assert_eq!(out, Err(OverlappingSplices));
    }
}
