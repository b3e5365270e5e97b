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
    use crate::diff::definitions::oracle::{lines, Rule};
    use proptest::prelude::*;

    static RULE: std::sync::LazyLock<Rule> = std::sync::LazyLock::new(|| {
        Rule::new(
            r#"^\s*(function\s+(?P<def>[\w.:-]+)|(?P<name>[\w.:-]+)\s*\(\s*\))"#,
            &["def", "name"],
        )
    });

    #[test]
    fn reads_the_edge_cases_as_the_rule_does() {
        RULE.assert_agrees(
            definition,
            [
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
            ]
            .map(str::as_bytes),
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Lines built from the rule's words, spaces and punctuation, and a non-ASCII byte.
        #[test]
        fn reads_built_lines_as_the_rule_does(line in lines(vec![
            "function", " ", "  ", "\t", "\u{b}", "name", "-", ".", ":", "(", ")", "{", "é", "=",
        ], 8)) {
            prop_assert_eq!(definition(&line).map(<[u8]>::to_vec), RULE.shown(&line));
        }
    }
}
