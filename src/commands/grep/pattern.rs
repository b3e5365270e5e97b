//! `git grep`'s patterns as a ripgrep matcher: POSIX basic (git's default) and extended regular
//! expressions translated to Rust's syntax, fixed strings escaped, several `-e` patterns joined,
//! and `-w` applied by git's own rule. A pattern whose meaning Rust's syntax cannot keep
//! (back-references, collating elements) is `None`: git serves the run.

use grep_matcher::Matcher as _;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};

/// How git reads a pattern: `-G` (the default), `-E`, `-F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    #[default]
    Basic,
    Extended,
    Fixed,
}

/// Every pattern of a run, ready to match one line at a time.
pub struct LineMatcher {
    regex: RegexMatcher,
    /// `-w`: a match counts only with a non-word byte (or the line's end) on both sides.
    words: bool,
}

impl LineMatcher {
    /// The matcher for `patterns` (each already split at newlines, as git splits them), or
    /// `None` when a pattern needs git. `unicode`: the locale is UTF-8 (classes, `.` and case
    /// folding by character) rather than C (by byte).
    pub fn new(
        patterns: &[String],
        dialect: Dialect,
        ignore_case: bool,
        words: bool,
        unicode: bool,
    ) -> Option<LineMatcher> {
        let mut translated = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            // An empty match never counts as a word in git.
            if words && pattern.is_empty() {
                return None;
            }
            translated.push(match dialect {
                Dialect::Fixed => regex::escape(pattern),
                Dialect::Basic => posix_to_rust(pattern, false)?,
                Dialect::Extended => posix_to_rust(pattern, true)?,
            });
        }
        let regex = RegexMatcherBuilder::new()
            .case_insensitive(ignore_case)
            .unicode(unicode)
            .multi_line(true)
            .line_terminator(Some(b'\n'))
            .build_many(&translated)
            .ok()?;
        Some(LineMatcher { regex, words })
    }

    /// The ripgrep matcher, for the line searcher to find candidate lines with.
    pub fn regex(&self) -> &RegexMatcher {
        &self.regex
    }

    /// `-w`: a line matches only through a whole-word match ([`Self::find`] decides).
    pub fn words(&self) -> bool {
        self.words
    }

    /// Where the first match that counts starts and ends in `line` (without its newline).
    pub fn find(&self, line: &[u8]) -> Option<(usize, usize)> {
        if !self.words {
            let found = self.regex.find(line).ok()??;
            return Some((found.start(), found.end()));
        }
        git_word_match(&self.regex, line)
    }
}

/// git's `-w` (grep.c, `match_one_pattern`): a word byte is an ASCII letter, digit or `_`
/// whatever the locale. A match that is not a whole word is retried from its start plus one,
/// past the word it began in.
fn git_word_match(regex: &RegexMatcher, line: &[u8]) -> Option<(usize, usize)> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut at = 0;
    loop {
        let found = regex.find_at(line, at).ok()??;
        let (start, end) = (found.start(), found.end());
        let starts_word = start == 0 || !is_word(line[start - 1]);
        let ends_word = end == line.len() || !is_word(line[end]);
        if start < end && starts_word && ends_word {
            return Some((start, end));
        }
        if start + 1 >= line.len() {
            return None;
        }
        at = start + 1;
        while at < line.len() && is_word(line[at - 1]) {
            at += 1;
        }
        if at >= line.len() {
            return None;
        }
    }
}

/// A POSIX basic (GNU flavour: `\+`, `\?`, `\|`, `\<`, `\>`) or extended regular expression in
/// Rust's syntax, or `None` when Rust cannot say the same (back-references, collating and
/// equivalence classes, a dangling `\` or `[`).
pub fn posix_to_rust(pattern: &str, extended: bool) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut i = 0;
    // Where `*` is literal and `^` an anchor: the start, after a group opens or an alternation,
    // and (basic) after a leading `^`.
    let mut at_start = true;
    while i < chars.len() {
        let c = chars[i];
        let was_start = at_start;
        at_start = false;
        match c {
            '\\' => {
                let next = *chars.get(i + 1)?;
                i += 2;
                match next {
                    '1'..='9' => return None,
                    '(' | '|' if !extended => {
                        out.push(next);
                        at_start = true;
                    }
                    ')' | '{' | '}' | '+' | '?' if !extended => out.push(next),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(next);
                    }
                    '<' => out.push_str(r"\b{start}"),
                    '>' => out.push_str(r"\b{end}"),
                    // The buffer's start and end: git matches line by line.
                    '`' => out.push('^'),
                    '\'' => out.push('$'),
                    // Any other escaped character stands for itself (`\t` is `t`).
                    other => push_literal(&mut out, other),
                }
                continue;
            }
            '[' => {
                i = bracket(&chars, i, &mut out)?;
                continue;
            }
            '*' if was_start => push_literal(&mut out, '*'),
            // POSIX `a**` is `a*`; Rust rejects the repetition of a repetition.
            '*' => {
                if !out.ends_with('*') || out.ends_with(r"\*") {
                    out.push('*');
                }
            }
            '^' if extended || was_start => {
                out.push('^');
                at_start = !extended;
            }
            '^' => push_literal(&mut out, '^'),
            '$' => {
                let at_end = i + 1 == chars.len()
                    || (!extended
                        && chars.get(i + 1) == Some(&'\\')
                        && matches!(chars.get(i + 2), Some(')') | Some('|')));
                if extended || at_end {
                    out.push('$');
                } else {
                    push_literal(&mut out, '$');
                }
            }
            '+' | '?' | '|' | '(' | ')' | '{' | '}' if !extended => push_literal(&mut out, c),
            '(' | '|' => {
                out.push(c);
                at_start = true;
            }
            '.' | '+' | '?' | ')' | '{' | '}' => out.push(c),
            other => push_literal(&mut out, other),
        }
        i += 1;
    }
    Some(out)
}

fn push_literal(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
}

/// Copies the bracket expression starting at `chars[start] == '['`; returns the index after its
/// closing `]`. A backslash is literal inside POSIX brackets.
fn bracket(chars: &[char], start: usize, out: &mut String) -> Option<usize> {
    let mut i = start + 1;
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            out.push(']');
            return Some(i + 1);
        }
        first = false;
        if c == '[' && matches!(chars.get(i + 1), Some(':') | Some('=') | Some('.')) {
            if chars[i + 1] != ':' {
                return None;
            }
            let end = (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == ':' && chars[j + 1] == ']')?;
            out.push_str("[:");
            out.extend(&chars[i + 2..end]);
            out.push_str(":]");
            i = end + 2;
            continue;
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            push_literal(out, c);
            out.push('-');
            push_literal(out, chars[i + 2]);
            i += 3;
            continue;
        }
        push_literal(out, c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (pattern, extended, Rust's spelling or `None`).
    const TRANSLATIONS: &[(&str, bool, Option<&str>)] = &[
        ("a+b", false, Some(r"a\+b")),
        (r"a\+b", false, Some("a+b")),
        ("a|b", false, Some(r"a\|b")),
        (r"a\|b", false, Some("a|b")),
        ("(ab)", false, Some(r"\(ab\)")),
        (r"\(ab\)\{2\}", false, Some("(ab){2}")),
        (r"[\n]", false, Some(r"[\\n]")),
        (r"\t", false, Some("t")),
        ("*star", false, Some(r"\*star")),
        ("^*star", false, Some(r"^\*star")),
        ("end$ here", false, Some(r"end\$ here")),
        (r"\<foo\>", false, Some(r"\b{start}foo\b{end}")),
        ("{2}", false, Some(r"\{2\}")),
        ("a**", false, Some("a*")),
        ("[[:alpha:]_]", false, Some("[[:alpha:]_]")),
        (r"\(a\)\1", false, None),
        ("[[=a=]]", false, None),
        (r"a\", false, None),
        ("(ab){2}", true, Some("(ab){2}")),
        (r"\(ab\)", true, Some(r"\(ab\)")),
        ("a|b$", true, Some("a|b$")),
    ];

    #[test]
    fn posix_patterns_translate_or_go_to_git() {
        for (pattern, extended, expected) in TRANSLATIONS {
            assert_eq!(
                posix_to_rust(pattern, *extended).as_deref(),
                *expected,
                "{pattern} (extended: {extended})"
            );
        }
    }

    #[test]
    fn words_follow_gits_ascii_rule() {
        let matcher = |pattern: &str| {
            LineMatcher::new(&[pattern.to_owned()], Dialect::Basic, false, true, true)
                .expect("a matcher")
        };
        assert_eq!(matcher("caf").find("café au lait".as_bytes()), Some((0, 3)));
        assert_eq!(matcher("foo").find(b"foobar foo"), Some((7, 10)));
        assert_eq!(matcher("foo").find(b"foobar"), None);
        assert!(
            LineMatcher::new(&[String::new()], Dialect::Basic, false, true, true).is_none(),
            "an empty word pattern goes to git"
        );
    }
}
