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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rule as a regex: the oracle the reader is held to.
    fn oracle(line: &[u8]) -> Option<Vec<u8>> {
        static RULE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(r"(?-u)^(?P<def>func\s+(\([^)]*\)\s*)?\w+|type\s+\w+)")
                .expect("the rule compiles")
        });
        Some(RULE.captures(line)?.name("def")?.as_bytes().to_vec())
    }

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        for line in [
            "func (s *S) Run() error {",
            "func Run() {",
            "func  Run()",
            "func (s S)Run()",
            "func (s S) (x int)",
            "func (x",
            "func ()",
            "func () Name",
            "func(s S) Run()",
            "funcRun()",
            "func",
            "func ",
            " func Run()",
            "type Server struct {",
            "type  T = int",
            "type",
            "typed x",
            "\ttype T int",
            "func (a (b)) c",
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
            "func", "type", " ", "  ", "\t", "\u{b}", "(", ")", "s *S", "name", "_x1", "{", "é",
            "=",
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
