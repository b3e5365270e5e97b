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
    use crate::diff::definitions::oracle::{lines, Rule};
    use proptest::prelude::*;

    static RULE: std::sync::LazyLock<Rule> = std::sync::LazyLock::new(|| {
        Rule::new(
            r#"^(?P<def>func\s+(\([^)]*\)\s*)?\w+|type\s+\w+)"#,
            &["def"],
        )
    });

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        RULE.assert_agrees(
            definition,
            [
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
            ]
            .map(str::as_bytes),
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Lines built from the rule's words, spaces and punctuation, and a non-ASCII byte.
        #[test]
        fn reads_built_lines_as_the_rule_does(line in lines(vec![
            "func", "type", " ", "  ", "\t", "\u{b}", "(", ")", "s *S", "name", "_x1", "{", "é",
            "=",
        ], 8)) {
            prop_assert_eq!(definition(&line).map(<[u8]>::to_vec), RULE.shown(&line));
        }
    }
}
