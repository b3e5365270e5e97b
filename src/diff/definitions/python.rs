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
    use proptest::prelude::*;

    /// The rule as a regex: the oracle the reader is held to.
    fn oracle(line: &[u8]) -> Option<Vec<u8>> {
        static RULE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(r"(?-u)^\s*(async\s+)?(?P<def>(def|class)\s+\w+)")
                .expect("the rule compiles")
        });
        Some(RULE.captures(line)?.name("def")?.as_bytes().to_vec())
    }

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        for line in [
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
        ] {
            assert_eq!(
                definition(line.as_bytes()).map(<[u8]>::to_vec),
                oracle(line.as_bytes()),
                "{line:?}"
            );
        }
    }

    /// Lines built from the rule's words, spaces and punctuation, and a non-ASCII byte.
    fn line() -> impl Strategy<Value = Vec<u8>> {
        let token = prop::sample::select(vec![
            "async", "def", "class", "defx", " ", "  ", "\t", "\u{b}", "name", "_x1", "(", ")",
            ":", "é", "=",
        ]);
        prop::collection::vec(token, 0..8).prop_map(|tokens| tokens.concat().into_bytes())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        #[test]
        fn reads_built_lines_as_the_rule_does(line in line()) {
            prop_assert_eq!(definition(&line).map(<[u8]>::to_vec), oracle(&line));
        }
    }
}
