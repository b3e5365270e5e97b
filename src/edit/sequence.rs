//! Adding and removing one item of a bracketed, comma-separated sequence — a JSON object or
//! array, a TOML array or inline table — in the sequence's own layout: one item per line with the
//! same indentation, or all on one line; trailing commas kept if the sequence uses them; a comment
//! after an item stays with that item.

use std::ops::Range;

use super::layout::{self, Comments};
use super::splice::Splice;

/// A sequence located in a text.
#[derive(Debug, Clone)]
pub struct Sequence<'t> {
    pub text: &'t str,
    /// Offset of the opening bracket.
    pub open: usize,
    /// Offset of the closing bracket.
    pub close: usize,
    /// Each item from its first byte (a key, for tables) to the end of its value.
    pub items: Vec<Range<usize>>,
    pub comments: Comments,
}

/// How an empty sequence receives its first item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyStyle {
    /// On its own line, one indentation unit deeper than the line of the opening bracket.
    Block { unit: String },
    /// On the brackets' line: `[item]`, or `{ item }` when padded.
    Inline { padded: bool },
}

impl Sequence<'_> {
    /// The comma separating item `i` from what follows, if any.
    fn comma_after(&self, i: usize) -> Option<usize> {
        let pos = layout::skip_trivia(self.text, self.items[i].end, self.comments);
        (pos < self.close && self.text.as_bytes()[pos] == b',').then_some(pos)
    }

    /// The indentation a new item gets, or `None` when it goes on an existing line.
    pub fn new_item_indent(&self, empty: &EmptyStyle) -> Option<String> {
        match self.items.last() {
            Some(last) if layout::starts_line(self.text, last.start) => {
                Some(layout::indent_at(self.text, last.start).to_owned())
            }
            Some(_) => None,
            None => match empty {
                EmptyStyle::Block { unit } => {
                    Some(format!("{}{unit}", layout::indent_at(self.text, self.open)))
                }
                EmptyStyle::Inline { .. } if self.inside_has_newline() => Some(format!(
                    "{}{}",
                    layout::indent_at(self.text, self.open),
                    layout::indent_unit(self.text)
                )),
                EmptyStyle::Inline { .. } => None,
            },
        }
    }

    /// The spacing after the commas of a one-line sequence (`""` in `[1,2]`), from its last
    /// two items.
    fn inline_gap(&self) -> Option<&str> {
        let n = self.items.len();
        let comma = self.comma_after(n.checked_sub(2)?)?;
        let gap = &self.text[comma + 1..self.items[n - 1].start];
        gap.bytes().all(|b| b == b' ' || b == b'\t').then_some(gap)
    }

    fn inside_has_newline(&self) -> bool {
        self.text[self.open..self.close].contains('\n')
    }

    /// Splices that append `item` (already rendered for [`Self::new_item_indent`]).
    pub fn append(&self, item: &str, empty: &EmptyStyle) -> Vec<Splice> {
        let nl = layout::newline(self.text);
        let Some(last_index) = self.items.len().checked_sub(1) else {
            return self.first_item(item, empty, nl);
        };
        let last = &self.items[last_index];
        let comma = self.comma_after(last_index);
        match (self.new_item_indent(empty), comma) {
            (Some(indent), Some(comma)) => {
                let at = layout::trailing_comment_end(self.text, comma + 1, self.comments);
                vec![Splice::insert(at, format!("{nl}{indent}{item},"))]
            }
            (Some(indent), None) => {
                let at = layout::trailing_comment_end(self.text, last.end, self.comments);
                let line = format!("{nl}{indent}{item}");
                if at == last.end {
                    vec![Splice::insert(at, format!(",{line}"))]
                } else {
                    vec![Splice::insert(last.end, ","), Splice::insert(at, line)]
                }
            }
            (None, Some(comma)) => vec![Splice::insert(comma + 1, format!(" {item},"))],
            (None, None) => {
                let gap = self.inline_gap().unwrap_or(" ");
                vec![Splice::insert(last.end, format!(",{gap}{item}"))]
            }
        }
    }

    fn first_item(&self, item: &str, empty: &EmptyStyle, nl: &str) -> Vec<Splice> {
        let inside = self.open + 1..self.close;
        if self.inside_has_newline() {
            let indent = self.new_item_indent(empty).unwrap_or_default();
            let at = layout::line_end(self.text, self.open);
            return vec![Splice::insert(at, format!("{nl}{indent}{item}"))];
        }
        match empty {
            EmptyStyle::Block { unit } => {
                let outer = layout::indent_at(self.text, self.open);
                vec![Splice::replace(
                    inside,
                    format!("{nl}{outer}{unit}{item}{nl}{outer}"),
                )]
            }
            EmptyStyle::Inline { padded: true } => {
                vec![Splice::replace(inside, format!(" {item} "))]
            }
            EmptyStyle::Inline { padded: false } => vec![Splice::replace(inside, item)],
        }
    }

    /// Splices that remove item `index` with its separator (and, when it sits on its own lines,
    /// those lines with the comment after it).
    pub fn remove(&self, index: usize) -> Vec<Splice> {
        let item = &self.items[index];
        let comma = self.comma_after(index);
        let after = comma.map_or(item.end, |c| c + 1);
        let comment_end = layout::trailing_comment_end(self.text, after, self.comments);
        let own_lines = layout::starts_line(self.text, item.start)
            && layout::rest_of_line_blank(self.text, comment_end);
        let is_last = index + 1 == self.items.len();
        if own_lines {
            let mut splices = vec![Splice::remove(
                layout::line_start(self.text, item.start)
                    ..layout::after_line(self.text, comment_end),
            )];
            // The new last item must not keep a separator the sequence did not have.
            if is_last && comma.is_none() && index > 0 {
                if let Some(previous_comma) = self.comma_after(index - 1) {
                    splices.push(Splice::remove(previous_comma..previous_comma + 1));
                }
            }
            return splices;
        }
        if !is_last {
            vec![Splice::remove(item.start..self.items[index + 1].start)]
        } else if index > 0 {
            vec![Splice::remove(self.items[index - 1].end..item.end)]
        } else {
            vec![Splice::remove(self.open + 1..self.close)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::splice;

    /// A JSON-ish array of single digits: items are the digits.
    fn seq(text: &str) -> Sequence<'_> {
        let open = text.find('[').unwrap_or(0);
        let close = text.rfind(']').unwrap_or(0);
        let mut items = Vec::new();
        let mut in_comment = false;
        for (i, b) in text.bytes().enumerate() {
            match b {
                b'/' => in_comment = true,
                b'\n' => in_comment = false,
                b'0'..=b'9' if !in_comment => items.push(i..i + 1),
                _ => {}
            }
        }
        Sequence {
            text,
            open,
            close,
            items,
            comments: Comments::Slash,
        }
    }

    fn append(text: &str, item: &str) -> String {
        let s = seq(text);
        splice::apply(text, s.append(item, &EmptyStyle::Inline { padded: false }))
            .unwrap_or_default()
    }

    fn remove(text: &str, index: usize) -> String {
        let s = seq(text);
        splice::apply(text, s.remove(index)).unwrap_or_default()
    }

    #[test]
    fn appends_in_the_sequence_layout() {
        for (text, appended) in [
            ("[1, 2]", "[1, 2, 3]"),
            ("[1, 2,]", "[1, 2, 3,]"),
            ("[1,2]", "[1,2,3]"),
            ("[1]", "[1, 3]"),
            ("[]", "[3]"),
            ("[\n  1,\n  2\n]", "[\n  1,\n  2,\n  3\n]"),
            ("[\n  1,\n  2,\n]", "[\n  1,\n  2,\n  3,\n]"),
            (
                "[\r\n  1, // one\r\n  2 // two\r\n]",
                "[\r\n  1, // one\r\n  2, // two\r\n  3\r\n]",
            ),
            ("[\n]", "[\n  3\n]"),
        ] {
            assert_eq!(append(text, "3"), appended, "{text:?}");
        }
    }

    #[test]
    fn removes_with_separator_and_own_lines() {
        for (text, index, removed) in [
            ("[1, 2, 3]", 0, "[2, 3]"),
            ("[1, 2, 3]", 2, "[1, 2]"),
            ("[1]", 0, "[]"),
            ("[\n  1, // one\n  2\n]", 0, "[\n  2\n]"),
            ("[\n  1, // one\n  2 // two\n]", 1, "[\n  1 // one\n]"),
            ("[\n  1,\n  2,\n]", 1, "[\n  1,\n]"),
        ] {
            assert_eq!(
                remove(text, index),
                removed,
                "{text:?} without item {index}"
            );
        }
    }

    #[test]
    fn empty_block_style() {
        let text = "{}";
        let s = Sequence {
            text,
            open: 0,
            close: 1,
            items: Vec::new(),
            comments: Comments::Slash,
        };
        let empty = EmptyStyle::Block {
            unit: "  ".to_owned(),
        };
        assert_eq!(s.new_item_indent(&empty).as_deref(), Some("  "));
        assert_eq!(
            splice::apply(text, s.append("\"a\": 1", &empty)).unwrap_or_default(),
            "{\n  \"a\": 1\n}"
        );
    }
}
