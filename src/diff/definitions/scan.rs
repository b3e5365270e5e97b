//! Byte scanning shared by the hand-written definition readers, in the terms of their rules'
//! regexes: `\s` and `\w` are ASCII (`(?-u)`): `[\t\n\x0B\x0C\r ]` and `[0-9A-Za-z_]`.

/// The position after `word` when `line` has it at `at`.
pub fn after(line: &[u8], at: usize, word: &[u8]) -> Option<usize> {
    line.get(at..)?.starts_with(word).then_some(at + word.len())
}

/// The position after one or more white space bytes at `at` (`\s+`).
pub fn spaces(line: &[u8], at: usize) -> Option<usize> {
    let end = skip_space(line, at);
    (end > at).then_some(end)
}

/// The position after any white space at `at` (`\s*`).
pub fn skip_space(line: &[u8], at: usize) -> usize {
    skip(line, at, |b| {
        matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
    })
}

/// The position after any word bytes at `at` (`\w*`).
pub fn skip_word(line: &[u8], at: usize) -> usize {
    skip(line, at, is_word)
}

/// The position after any bytes of `class` at `at`.
pub fn skip(line: &[u8], at: usize, class: impl Fn(u8) -> bool) -> usize {
    at + line
        .get(at..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| class(b)).count())
}

/// `\w`.
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `keyword\s+\w+` at `at`: the text from `at` to the end of the name.
pub fn keyword_and_name<'a>(line: &'a [u8], at: usize, keyword: &[u8]) -> Option<&'a [u8]> {
    keyword_and(line, at, keyword, is_word)
}

/// `keyword\s+` and one or more bytes of `name` at `at`: the text from `at` to the end of the
/// name.
pub fn keyword_and<'a>(
    line: &'a [u8],
    at: usize,
    keyword: &[u8],
    name: impl Fn(u8) -> bool,
) -> Option<&'a [u8]> {
    let start = spaces(line, after(line, at, keyword)?)?;
    let end = skip(line, start, name);
    (end > start).then(|| &line[at..end])
}
