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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::definitions::oracle::{lines, Rule};
    use proptest::prelude::*;

    static RULE: std::sync::LazyLock<Rule> = std::sync::LazyLock::new(|| {
        Rule::new(
            r#"^\s*((public|protected|private|static|abstract|final)\s+)*(?P<def>(function|class|interface|trait|enum)\s+\w+)"#,
            &["def"],
        )
    });

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        RULE.assert_agrees(
            definition,
            [
                "function run($x) {",
                "    public static function run()",
                "final class Runner",
                "abstract  class A",
                "abstractclass A",
                "finally x",
                "private function &ref()",
                "interface Shape",
                "trait Loggable",
                "enum Suit: string",
                "public $x = 1;",
                "function",
                "function ",
                "static fn() => 1",
                "\t\x0b\x0cclass X",
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
            "public", "static", "final", "abstract", "function", "class", "enum", "finally", " ",
            "  ", "\t", "\u{b}", "name", "_x1", "&", "(", ")", "é", "=",
        ], 8)) {
            prop_assert_eq!(definition(&line).map(<[u8]>::to_vec), RULE.shown(&line));
        }
    }
}
