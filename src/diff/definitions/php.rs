//! PHP's definition lines read by hand rather than by a regex (compiling one cost about
//! 0.25 ms per process, see [`super::rust`]). The rule, kept as the test oracle:
//!
//! ```text
//! ^\s*((public|protected|private|static|abstract|final)\s+)*
//!     (?P<def>(function|class|interface|trait|enum)\s+\w+)
//! ```

use super::scan::{after, keyword_and_name, skip_space, spaces};

/// Modifiers that may come before the keyword.
const MODIFIERS: &[&[u8]] = &[
    b"public",
    b"protected",
    b"private",
    b"static",
    b"abstract",
    b"final",
];

/// Keywords that name what they define, each followed by white space and a name.
const DEFINING: &[&[u8]] = &[b"function", b"class", b"interface", b"trait", b"enum"];

/// The keyword and name `line` declares, without its modifiers, untrimmed; `None` when it
/// declares none. Taking every modifier is the only way to match: a keyword is no modifier.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    let mut at = skip_space(line, 0);
    while let Some(next) = MODIFIERS
        .iter()
        .find_map(|word| spaces(line, after(line, at, word)?))
    {
        at = next;
    }
    DEFINING
        .iter()
        .find_map(|word| keyword_and_name(line, at, word))
}
