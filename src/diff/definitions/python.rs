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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::definitions::oracle::{lines, Rule};
    use proptest::prelude::*;

    static RULE: std::sync::LazyLock<Rule> = std::sync::LazyLock::new(|| {
        Rule::new(r#"^\s*(async\s+)?(?P<def>(def|class)\s+\w+)"#, &["def"])
    });

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        RULE.assert_agrees(
            definition,
            [
                "def run(self):",
                "    def run(self):",
                "class Runner(Base):",
                "async def fetch():",
                "  async   def   fetch():",
                "asyncdef fetch():",
                "async with lock:",
                "async",
                "async ",
                "define = 1",
                "classy x",
                "class",
                "class ",
                "def  spaced",
                "def\tx",
                "\t\x0b\x0cdef x",
                "x = def",
                "# def commented",
                "",
            ]
            .map(str::as_bytes),
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Lines built from the rule's words, spaces and punctuation, and a non-ASCII byte.
        #[test]
        fn reads_built_lines_as_the_rule_does(line in lines(vec![
            "async", "def", "class", "defx", " ", "  ", "\t", "\u{b}", "name", "_x1", "(", ")",
            ":", "é", "=",
        ], 8)) {
            prop_assert_eq!(definition(&line).map(<[u8]>::to_vec), RULE.shown(&line));
        }
    }
}
