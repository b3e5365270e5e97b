//! Where lines, indentation and comments are in a text, so inserted text can match its
//! surroundings. Positions are byte offsets.

/// How the format writes comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comments {
    /// TOML: `#` to the end of the line.
    Hash,
    /// JSONC: `// …` and `/* … */`.
    Slash,
}

/// The file's line terminator: CRLF when its first line ends so, else LF.
pub fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Start of the line containing `pos`.
pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// End of the line's content at or after `pos`: before its `\r\n` or `\n`, or the end of text.
pub fn line_end(text: &str, pos: usize) -> usize {
    match text[pos..].find('\n') {
        Some(i) => {
            let nl = pos + i;
            if nl > pos && text.as_bytes()[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            }
        }
        None => text.len(),
    }
}

/// Just past the line terminator of the line at or after `pos` (end of text on the last line).
pub fn after_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// The leading spaces and tabs of the line containing `pos`.
pub fn indent_at(text: &str, pos: usize) -> &str {
    let start = line_start(text, pos);
    let rest = &text[start..];
    let len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..len]
}

/// Whether only spaces and tabs precede `pos` on its line.
pub fn starts_line(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
}

/// Whether only spaces and tabs follow `pos` up to the end of its line.
pub fn rest_of_line_blank(text: &str, pos: usize) -> bool {
    text[pos..line_end(text, pos)]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
}

/// The end of a comment written after `pos` on the same line (`1, // why`), or `pos` when the
/// rest of the line holds something else. Whitespace alone does not count.
pub fn trailing_comment_end(text: &str, pos: usize, comments: Comments) -> usize {
    let end = line_end(text, pos);
    let rest = &text[pos..end];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let start = pos + skipped;
    let after = &text[start..end];
    match comments {
        Comments::Hash if after.starts_with('#') => end,
        Comments::Slash if after.starts_with("//") => end,
        Comments::Slash if after.starts_with("/*") => match after.find("*/") {
            Some(close) if rest_of_line_blank(text, start + close + 2) => end,
            _ => pos,
        },
        _ => pos,
    }
}

/// The first byte at or after `pos` that is not whitespace, a line break or a comment.
pub fn skip_trivia(text: &str, mut pos: usize, comments: Comments) -> usize {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' if comments == Comments::Hash => pos = line_end(text, pos),
            b'/' if comments == Comments::Slash && bytes.get(pos + 1) == Some(&b'/') => {
                pos = line_end(text, pos);
            }
            b'/' if comments == Comments::Slash && bytes.get(pos + 1) == Some(&b'*') => {
                pos = text[pos + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |i| pos + 2 + i + 2);
            }
            _ => break,
        }
    }
    pos
}

/// One level of indentation as the file writes it: a tab, or the smallest run of leading spaces
/// on any line (two when nothing is indented).
pub fn indent_unit(text: &str) -> String {
    let mut smallest: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with('\t') {
            return "\t".to_owned();
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if spaces > 0 && spaces < line.len() {
            smallest = Some(smallest.map_or(spaces, |s| s.min(spaces)));
        }
    }
    " ".repeat(smallest.unwrap_or(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_terminators() {
        let text = "ab\r\ncd\nef";
        assert_eq!(newline(text), "\r\n");
        assert_eq!(newline("a\nb\r\n"), "\n");
        assert_eq!(line_end(text, 0), 2);
        assert_eq!(after_line(text, 0), 4);
        assert_eq!(line_start(text, 5), 4);
        assert_eq!(line_end(text, 4), 6);
        assert_eq!(line_end(text, 7), 9);
        assert_eq!(after_line(text, 7), 9);
    }

    #[test]
    fn trailing_comments() {
        let text = "a = 1 # one\nb = 2\n";
        assert_eq!(trailing_comment_end(text, 5, Comments::Hash), 11);
        assert_eq!(trailing_comment_end(text, 17, Comments::Hash), 17);
        let json = "\"a\": 1, /* x */ \n\"b\": 2 /* y */ , \"c\": 3";
        assert_eq!(trailing_comment_end(json, 7, Comments::Slash), 16);
        assert_eq!(trailing_comment_end(json, 23, Comments::Slash), 23);
    }

    #[test]
    fn trivia_and_indent() {
        let json = "1 // c\n /* d */ , 2";
        assert_eq!(skip_trivia(json, 1, Comments::Slash), 16);
        assert_eq!(
            indent_unit("{\n    \"a\": {\n        \"b\": 1\n    }\n}"),
            "    "
        );
        assert_eq!(indent_unit("{\n\t\"a\": 1\n}"), "\t");
        assert_eq!(indent_unit("{}"), "  ");
        assert_eq!(indent_at("x\n   y", 5), "   ");
        assert!(starts_line("x\n   y", 5));
        assert!(!starts_line("x y", 2));
    }
}
