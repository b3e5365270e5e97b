//! Rust's definition lines read by hand rather than by a regex: compiling the regex took about
//! 0.25 ms of a 5 ms `git rtk-diff` on this project's own history, once per process, most of it
//! the first run of the regex compiler's code. The rule is the pattern below, kept as the test
//! oracle: the reader must find exactly what it captures, on every line.
//!
//! ```text
//! ^\s*(pub(\([^)]*\))?\s+)?((default|const|async|unsafe|extern(\s+"[^"]*")?)\s+)*
//!     (?P<def>(fn|struct|enum|union|trait|mod|type)\s+\w+|impl\b[^{]*)
//! |^\s*(?P<macro>macro_rules!\s*\w+)
//! ```
//!
//! `\s` and `\w` are ASCII (`(?-u)`): `[\t\n\x0B\x0C\r ]` and `[0-9A-Za-z_]`.

use super::scan::{after, is_word, keyword_and_name, skip_space, skip_word, spaces};

/// Keywords that name what they define, each followed by white space and a name.
const DEFINING: &[&[u8]] = &[
    b"fn", b"struct", b"enum", b"union", b"trait", b"mod", b"type",
];

/// Qualifiers that may come between the visibility and the keyword.
const QUALIFIERS: &[&[u8]] = &[b"default", b"const", b"async", b"unsafe", b"extern"];

/// The definition `line` declares (keyword and name, `impl` up to its body, or `macro_rules!` and
/// its name), untrimmed; `None` when it declares none.
pub fn definition(line: &[u8]) -> Option<&[u8]> {
    let start = skip_space(line, 0);
    item(line, start).or_else(|| {
        let name = skip_space(line, after(line, start, b"macro_rules!")?);
        let end = skip_word(line, name);
        (end > name).then(|| &line[start..end])
    })
}

/// `(pub(\([^)]*\))?\s+)?(qualifier\s+)*` then the defining part, from `at`.
fn item(line: &[u8], at: usize) -> Option<&[u8]> {
    let mut at = at;
    if let Some(after_pub) = after(line, at, b"pub") {
        let after_scope = match line.get(after_pub) {
            Some(b'(') => line[after_pub..]
                .iter()
                .position(|&b| b == b')')
                .map(|close| after_pub + close + 1),
            _ => Some(after_pub),
        };
        // Without the white space after it the visibility does not match, and nothing else can
        // start with `pub`.
        at = after_scope
            .and_then(|end| spaces(line, end))
            .or_else(|| spaces(line, after_pub))?;
    }
    while let Some(next) = qualifier(line, at) {
        at = next;
    }
    defining(line, at)
}

/// The position after one qualifier and the white space after it, when `at` starts one.
fn qualifier(line: &[u8], at: usize) -> Option<usize> {
    QUALIFIERS.iter().find_map(|word| {
        let end = after(line, at, word)?;
        if *word == b"extern" {
            // `extern "C" `: the ABI string is optional, the white space after it is not.
            let abi = spaces(line, end)
                .filter(|&quote| line.get(quote) == Some(&b'"'))
                .and_then(|quote| {
                    let close = line[quote + 1..].iter().position(|&b| b == b'"')?;
                    spaces(line, quote + 1 + close + 1)
                });
            if abi.is_some() {
                return abi;
            }
        }
        spaces(line, end)
    })
}

/// `(keyword)\s+\w+` or `impl\b[^{]*` at `at`.
fn defining(line: &[u8], at: usize) -> Option<&[u8]> {
    let named = DEFINING
        .iter()
        .find_map(|word| keyword_and_name(line, at, word));
    named.or_else(|| {
        let end = after(line, at, b"impl")?;
        if line.get(end).is_some_and(|&b| is_word(b)) {
            return None;
        }
        let body = line[end..]
            .iter()
            .position(|&b| b == b'{')
            .map_or(line.len(), |open| end + open);
        Some(&line[at..body])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::definitions::oracle;

    #[test]
    fn reads_every_line_of_this_crate_as_the_rule_does() {
        let mut lines = 0;
        let mut definitions = 0;
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("listing the sources") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read(&path).expect("reading a source file");
                    for line in text.split(|&b| b == b'\n') {
                        oracle::rule("rust").assert_agrees("rust", definition, [line]);
                        lines += 1;
                        definitions += usize::from(oracle::rule("rust").shown(line).is_some());
                    }
                }
            }
        }
        // The sources hold thousands of lines and hundreds of definitions: the comparison saw both.
        assert!(
            lines > 10_000 && definitions > 500,
            "{lines} lines, {definitions} definitions"
        );
    }
}
