//! Shell functions read by hand rather than by a regex (compiling one cost about 0.25 ms per
//! process, see [`super::rust`]). The rule, kept as the test oracle:
//!
//! ```text
//! ^\s*(function\s+(?P<def>[\w.:-]+)|(?P<name>[\w.:-]+)\s*\(\s*\))
//! ```

use super::scan::{after, is_word, skip, skip_space, spaces};

/// The name of the function `line` declares (`function name` or `name()`), or `None`.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    let at = skip_space(line, 0);
    keyword_form(line, at).or_else(|| parenthesised_form(line, at))
}

/// `function\s+` and the name: the name alone.
fn keyword_form(line: &[u8], at: usize) -> Option<&[u8]> {
    let start = spaces(line, after(line, at, b"function")?)?;
    let end = skip(line, start, is_name);
    (end > start).then(|| &line[start..end])
}

/// The name, then `()` with optional white space around and inside: the name alone.
fn parenthesised_form(line: &[u8], at: usize) -> Option<&[u8]> {
    let end = skip(line, at, is_name);
    if end == at {
        return None;
    }
    let open = skip_space(line, end);
    let close = skip_space(line, after(line, open, b"(")?);
    after(line, close, b")")?;
    Some(&line[at..end])
}

/// `[\w.:-]`: a function name.
fn is_name(b: u8) -> bool {
    is_word(b) || matches!(b, b'.' | b':' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rule as a regex: the oracle the reader is held to.
    fn oracle(line: &[u8]) -> Option<Vec<u8>> {
        static RULE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(
                r"(?-u)^\s*(function\s+(?P<def>[\w.:-]+)|(?P<name>[\w.:-]+)\s*\(\s*\))",
            )
            .expect("the rule compiles")
        });
        let captures = RULE.captures(line)?;
        let shown = captures.name("def").or_else(|| captures.name("name"))?;
        Some(shown.as_bytes().to_vec())
    }

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        for line in [
            "setup() {",
            "  setup ( ) {",
            "function setup {",
            "function setup() {",
            "function  ()",
            "function()",
            "functionx ()",
            "function",
            "function ",
            "my-func.v2:x()",
            "echo hi",
            "(x)",
            "x (",
            "x ( y )",
            "\t\x0b\x0cf()",
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
            "function", " ", "  ", "\t", "\u{b}", "name", "-", ".", ":", "(", ")", "{", "é", "=",
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
