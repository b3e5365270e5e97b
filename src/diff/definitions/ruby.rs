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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rule as a regex: the oracle the reader is held to.
    fn oracle(line: &[u8]) -> Option<Vec<u8>> {
        static RULE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(r"(?-u)^\s*(?P<def>(def|class|module)\s+[\w.:?!=<>]+)")
                .expect("the rule compiles")
        });
        Some(RULE.captures(line)?.name("def")?.as_bytes().to_vec())
    }

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        for line in [
            "def bar?",
            "  def self.valid?(x)",
            "def <=>(other)",
            "class Foo < Bar",
            "class Foo::Bar",
            "module Admin",
            "defined?(x)",
            "def",
            "def ",
            "def (x)",
            "classes = []",
            "  module_function",
            "\t\x0b\x0cdef x",
            "x = def y",
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
            "def", "class", "module", "define", " ", "  ", "\t", "\u{b}", "name", "self.", "?",
            "!", "=", "<", ">", "::", "(", ")", "é",
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
