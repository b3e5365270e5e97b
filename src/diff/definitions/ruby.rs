//! Ruby's definition lines read by hand rather than by a regex (compiling one cost about
//! 0.25 ms per process, see [`super::rust`]). The rule, kept as the test oracle:
//!
//! ```text
//! ^\s*(?P<def>(def|class|module)\s+[\w.:?!=<>]+)
//! ```

use super::scan::{is_word, keyword_and, skip_space};

/// `def`, `class` or `module` and the name `line` declares (`def self.valid?`), untrimmed;
/// `None` when it declares none.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    let at = skip_space(line, 0);
    [b"def".as_slice(), b"class", b"module"]
        .into_iter()
        .find_map(|keyword| keyword_and(line, at, keyword, is_name))
}

/// `[\w.:?!=<>]`: a method or constant name, with its receiver or namespace.
fn is_name(b: u8) -> bool {
    is_word(b) || matches!(b, b'.' | b':' | b'?' | b'!' | b'=' | b'<' | b'>')
}
