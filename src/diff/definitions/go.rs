//! Go's definition lines read by hand rather than by a regex (compiling one cost about 0.25 ms
//! per process, see [`super::rust`]). The rule, kept as the test oracle:
//!
//! ```text
//! ^(?P<def>func\s+(\([^)]*\)\s*)?\w+|type\s+\w+)
//! ```

use super::scan::{after, keyword_and_name, skip_space, skip_word, spaces};

/// `func` with its receiver and name, or `type` and its name, untrimmed; `None` when `line`
/// declares neither. Both start at the left margin.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    function(line).or_else(|| keyword_and_name(line, 0, b"type"))
}

/// `func\s+(\([^)]*\)\s*)?\w+`. Backtracking cannot find another match: given back, white space
/// would have to be a `(` or a word byte, and the receiver ends at its first `)`.
fn function(line: &[u8]) -> Option<&[u8]> {
    let at = spaces(line, after(line, 0, b"func")?)?;
    let receiver_end = (line.get(at) == Some(&b'('))
        .then(|| line[at..].iter().position(|&b| b == b')'))
        .flatten()
        .map(|close| skip_space(line, at + close + 1));
    let name = receiver_end.unwrap_or(at);
    let end = skip_word(line, name);
    (end > name).then(|| &line[..end])
}
