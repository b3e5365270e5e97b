//! Python's definition lines read by hand rather than by a regex (compiling one cost about
//! 0.25 ms per process, see [`super::rust`]). The rule, kept as the test oracle:
//!
//! ```text
//! ^\s*(async\s+)?(?P<def>(def|class)\s+\w+)
//! ```

use super::scan::{after, keyword_and_name, skip_space, spaces};

/// `def` or `class` and the name `line` declares, untrimmed; `None` when it declares neither.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    let start = skip_space(line, 0);
    // Without the white space after it, `async` is not a qualifier, and neither keyword can
    // start there.
    let at = match after(line, start, b"async") {
        Some(end) => spaces(line, end)?,
        None => start,
    };
    keyword_and_name(line, at, b"def").or_else(|| keyword_and_name(line, at, b"class"))
}
