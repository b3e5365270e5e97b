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
    use crate::diff::definitions::oracle::{lines, Rule};
    use proptest::prelude::*;

    static RULE: std::sync::LazyLock<Rule> = std::sync::LazyLock::new(|| {
        Rule::new(
            r#"^\s*(?P<def>(def|class|module)\s+[\w.:?!=<>]+)"#,
            &["def"],
        )
    });

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        RULE.assert_agrees(
            definition,
            [
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
            ]
            .map(str::as_bytes),
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Lines built from the rule's words, spaces and punctuation, and a non-ASCII byte.
        #[test]
        fn reads_built_lines_as_the_rule_does(line in lines(vec![
            "def", "class", "module", "define", " ", "  ", "\t", "\u{b}", "name", "self.", "?",
            "!", "=", "<", ">", "::", "(", ")", "é",
        ], 8)) {
            prop_assert_eq!(definition(&line).map(<[u8]>::to_vec), RULE.shown(&line));
        }
    }
}
