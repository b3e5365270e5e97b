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
    use proptest::prelude::*;

    /// The rule as a regex: the oracle the reader is held to.
    fn oracle(line: &[u8]) -> Option<Vec<u8>> {
        static RULE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(
                r"(?-u)^\s*((public|protected|private|static|abstract|final)\s+)*(?P<def>(function|class|interface|trait|enum)\s+\w+)",
            )
            .expect("the rule compiles")
        });
        Some(RULE.captures(line)?.name("def")?.as_bytes().to_vec())
    }

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        for line in [
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
            "public", "static", "final", "abstract", "function", "class", "enum", "finally", " ",
            "  ", "\t", "\u{b}", "name", "_x1", "&", "(", ")", "é", "=",
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
