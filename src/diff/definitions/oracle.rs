//! The test harness of the hand-written definition readers: each is held to its rule written as
//! a regex, on a table of edge cases and on lines built from the rule's own words.

use proptest::prelude::*;

/// A reader's rule: the regex and the capture groups it shows, in order of preference.
pub struct Rule {
    regex: regex::bytes::Regex,
    shown: &'static [&'static str],
}

impl Rule {
    /// `pattern` with ASCII classes (`(?-u)`), as the readers read `\s` and `\w`.
    pub fn new(pattern: &str, shown: &'static [&'static str]) -> Rule {
        Rule {
            regex: regex::bytes::Regex::new(&format!("(?-u){pattern}")).expect("the rule compiles"),
            shown,
        }
    }

    /// What the rule shows for `line`.
    pub fn shown(&self, line: &[u8]) -> Option<Vec<u8>> {
        let captures = self.regex.captures(line)?;
        let shown = self.shown.iter().find_map(|group| captures.name(group))?;
        Some(shown.as_bytes().to_vec())
    }

    /// Fails unless `read` finds in every line exactly what the rule shows.
    pub fn assert_agrees<'a>(
        &self,
        read: fn(&[u8]) -> Option<&[u8]>,
        lines: impl IntoIterator<Item = &'a [u8]>,
    ) {
        for line in lines {
            assert_eq!(
                read(line).map(<[u8]>::to_vec),
                self.shown(line),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

/// Lines of up to `most` tokens drawn from `tokens`.
pub fn lines(tokens: Vec<&'static str>, most: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(tokens), 0..most)
        .prop_map(|tokens| tokens.concat().into_bytes())
}
