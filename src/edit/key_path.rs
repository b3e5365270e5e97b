//! Key paths as users type them: `package.version`, `tool."my.key"`, `hooks.PreToolUse[0].matcher`.
//!
//! A segment is a bare word (anything but `.`, `[`, `]` and quotes), a double-quoted string with
//! `\"` and `\\` escapes, or a single-quoted literal; `[N]` indexes an array, `[-1]` counts from
//! the end.

use std::fmt;

use super::EditError;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    /// Zero-based; negative counts from the end.
    Index(i64),
}

/// A parsed key path; displays as the user typed it, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPath {
    pub segments: Vec<Segment>,
}

impl KeyPath {
    pub fn parse(text: &str) -> Result<KeyPath, EditError> {
        let bad = |why: &str| EditError::Usage(format!("invalid key path '{text}': {why}"));
        let mut segments = Vec::new();
        let mut chars = text.chars().peekable();
        // After a key or index, the next thing must be `.`, `[` or the end.
        let mut need_separator = false;
        while let Some(&c) = chars.peek() {
            match c {
                '.' if need_separator => {
                    chars.next();
                    need_separator = false;
                    if chars.peek().is_none_or(|&n| n == '.' || n == '[') {
                        return Err(bad("empty segment"));
                    }
                }
                '.' => return Err(bad("empty segment")),
                '[' => {
                    chars.next();
                    let digits =
                        take_through(&mut chars, ']').ok_or_else(|| bad("unbalanced '['"))?;
                    let index = digits
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| bad("an index must be an integer in brackets, like [0]"))?;
                    segments.push(Segment::Index(index));
                    need_separator = true;
                }
                _ if need_separator => return Err(bad("expected '.' or '[' after a segment")),
                '"' => {
                    chars.next();
                    let mut key = String::new();
                    let mut closed = false;
                    while let Some(q) = chars.next() {
                        match q {
                            '"' => {
                                closed = true;
                                break;
                            }
                            '\\' => match chars.next() {
                                Some(escaped) => key.push(escaped),
                                None => break,
                            },
                            other => key.push(other),
                        }
                    }
                    if !closed {
                        return Err(bad("unterminated quote"));
                    }
                    segments.push(Segment::Key(key));
                    need_separator = true;
                }
                '\'' => {
                    chars.next();
                    let key =
                        take_through(&mut chars, '\'').ok_or_else(|| bad("unterminated quote"))?;
                    segments.push(Segment::Key(key));
                    need_separator = true;
                }
                ']' => return Err(bad("unbalanced ']'")),
                _ => {
                    let mut key = String::new();
                    while let Some(&b) = chars.peek() {
                        if matches!(b, '.' | '[' | ']' | '"' | '\'') {
                            break;
                        }
                        key.push(b);
                        chars.next();
                    }
                    segments.push(Segment::Key(key));
                    need_separator = true;
                }
            }
        }
        if segments.is_empty() {
            return Err(bad("empty"));
        }
        Ok(KeyPath { segments })
    }

    /// The keys from `depth` on, which a `set` creates when they are missing; only keys can be
    /// created, so an index among them is an error naming the path up to it.
    pub fn keys_to_create(&self, depth: usize) -> Result<Vec<String>, EditError> {
        self.segments[depth..]
            .iter()
            .map(|s| match s {
                Segment::Key(k) => Some(k.clone()),
                Segment::Index(_) => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                EditError::NotApplicable(format!(
                    "no key {}: an array element cannot be created by index",
                    self.prefix(depth + 1)
                ))
            })
    }

    /// The first `len` segments, for naming where a walk stopped.
    pub fn prefix(&self, len: usize) -> KeyPath {
        KeyPath {
            segments: self.segments[..len.min(self.segments.len())].to_vec(),
        }
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    let bare = !key.is_empty()
                        && !key.chars().any(|c| {
                            matches!(c, '.' | '[' | ']' | '"' | '\'') || c.is_whitespace()
                        });
                    if bare {
                        f.write_str(key)?;
                    } else {
                        write!(f, "\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))?;
                    }
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The characters up to `close`, which is consumed too; `None` when the text ends first.
fn take_through(chars: &mut impl Iterator<Item = char>, close: char) -> Option<String> {
    let mut taken = String::new();
    for c in chars {
        if c == close {
            return Some(taken);
        }
        taken.push(c);
    }
    None
}

/// Resolves a possibly negative index against a length; `None` when out of range.
pub fn resolve_index(index: i64, len: usize) -> Option<usize> {
    if index < 0 {
        let back = usize::try_from(index.unsigned_abs()).ok()?;
        len.checked_sub(back)
    } else {
        usize::try_from(index).ok().filter(|&i| i < len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Segment> {
        match KeyPath::parse(text) {
            Ok(path) => path.segments,
            Err(err) => panic!("{err}"),
        }
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_owned())
    }

    #[test]
    fn dotted_quoted_and_indexed() {
        assert_eq!(
            keys("package.version"),
            vec![key("package"), key("version")]
        );
        assert_eq!(keys("\"editor.tabSize\""), vec![key("editor.tabSize")]);
        assert_eq!(
            keys("hooks.PreToolUse[0].matcher"),
            vec![
                key("hooks"),
                key("PreToolUse"),
                Segment::Index(0),
                key("matcher")
            ]
        );
        assert_eq!(
            keys("target.'cfg(unix)'.dependencies"),
            vec![key("target"), key("cfg(unix)"), key("dependencies")]
        );
        assert_eq!(
            keys("a[-1][2]"),
            vec![key("a"), Segment::Index(-1), Segment::Index(2)]
        );
        assert_eq!(
            keys("devDependencies.@types/node"),
            vec![key("devDependencies"), key("@types/node")]
        );
        assert_eq!(keys(r#""a\"b""#), vec![key("a\"b")]);
    }

    #[test]
    fn malformed_paths_are_usage_errors() {
        for bad in ["", "a..b", ".a", "a.", "a[x]", "a[1", "\"a", "a\"b\"", "a]"] {
            assert!(
                matches!(KeyPath::parse(bad), Err(EditError::Usage(_))),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn displays_normalised() {
        let path = KeyPath::parse("a.'b.c'[0]").map(|p| p.to_string());
        assert_eq!(path, Ok("a.\"b.c\"[0]".to_owned()));
    }

    #[test]
    fn negative_indices_count_from_the_end() {
        assert_eq!(resolve_index(-1, 3), Some(2));
        assert_eq!(resolve_index(-4, 3), None);
        assert_eq!(resolve_index(3, 3), None);
        assert_eq!(resolve_index(0, 3), Some(0));
    }
}
