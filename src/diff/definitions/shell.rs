//! Shell functions read by hand rather than by a regex (compiling one cost about 0.25 ms per
//! process, see [`super::rust`]). The rule, kept as the test oracle:
//!
//! ```text
//! ^\s*(function\s+(?P<def>[\w.:-]+)|(?P<name>[\w.:-]+)\s*\(\s*\))
//! ```

use super::scan::{after, is_word, skip, skip_space, spaces};

/// The name of the function `line` declares (`function name` or `name()`), or `None`.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    let at = skip_space(line, 0);
    keyword_form(line, at).or_else(|| parenthesised_form(line, at))
}

/// `function\s+` and the name: the name alone.
fn keyword_form(line: &[u8], at: usize) -> Option<&[u8]> {
    let start = spaces(line, after(line, at, b"function")?)?;
    let end = skip(line, start, is_name);
    (end > start).then(|| &line[start..end])
}

/// The name, then `()` with optional white space around and inside: the name alone.
fn parenthesised_form(line: &[u8], at: usize) -> Option<&[u8]> {
    let end = skip(line, at, is_name);
    if end == at {
        return None;
    }
    let open = skip_space(line, end);
    let close = skip_space(line, after(line, open, b"(")?);
    after(line, close, b")")?;
    Some(&line[at..end])
}

/// `[\w.:-]`: a function name.
fn is_name(b: u8) -> bool {
    is_word(b) || matches!(b, b'.' | b':' | b'-')
}
