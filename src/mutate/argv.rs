//! Reading a mutating command's argv just enough to decide who serves it: which options are
//! present (short flags unbundled, long names without their values) and which words are operands.
//!
//! Misreading here can only make the plugin hand more to git unchanged, never change what git does:
//! the argv reaches git as given either way.

/// One command's options that take a value, so their values are not mistaken for flags.
#[derive(Debug, Clone, Copy)]
pub struct Grammar {
    /// Short options whose value is attached or the next word (`-m msg`, `-mmsg`).
    pub valued_shorts: &'static str,
    /// Long options whose value may be the next word (`--message msg`).
    pub valued_longs: &'static [&'static str],
}

#[derive(Debug, Default)]
pub struct Scanned {
    pub shorts: Vec<char>,
    /// `--name` for `--name` and `--name=value`.
    pub longs: Vec<String>,
    /// Values of long options given as `--name=value` or `--name value`, by name.
    pub long_values: Vec<(String, String)>,
    pub operands: Vec<String>,
}

impl Scanned {
    pub fn short(&self, letters: &str) -> bool {
        self.shorts.iter().any(|c| letters.contains(*c))
    }

    /// Whether a long option abbreviates or equals one of `names` (git accepts unambiguous
    /// prefixes, so `--inter` is `--interactive`).
    pub fn long(&self, names: &[&str]) -> bool {
        self.longs.iter().any(|given| {
            let given = given.trim_start_matches("--");
            given.len() >= 3 && names.iter().any(|name| name.starts_with(given))
                || names.contains(&given)
        })
    }

    pub fn value_of(&self, name: &str) -> Option<&str> {
        self.long_values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub fn scan(args: &[String], grammar: Grammar) -> Scanned {
    let mut out = Scanned::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            out.operands.extend(words.by_ref().cloned());
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            let value = value.or_else(|| {
                grammar
                    .valued_longs
                    .contains(&name)
                    .then(|| words.next().cloned())
                    .flatten()
            });
            out.longs.push(format!("--{name}"));
            if let Some(value) = value {
                out.long_values.push((name.to_owned(), value));
            }
        } else if word.len() > 1 && word.starts_with('-') {
            for (at, letter) in word[1..].char_indices() {
                out.shorts.push(letter);
                if grammar.valued_shorts.contains(letter) {
                    // The rest of the word, or the next word, is the value.
                    if at + letter.len_utf8() == word.len() - 1 {
                        words.next();
                    }
                    break;
                }
            }
        } else {
            out.operands.push(word.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    const COMMIT: Grammar = Grammar {
        valued_shorts: "mFC",
        valued_longs: &["message"],
    };

    #[test]
    fn values_are_not_flags() {
        let scanned = scan(&words(&["-mfix it", "-a", "--message", "-p", "x"]), COMMIT);
        assert_eq!(scanned.shorts, ['m', 'a']);
        assert!(!scanned.short("ip"));
        assert_eq!(scanned.value_of("message"), Some("-p"));
        assert_eq!(scanned.operands, ["x"]);
    }

    #[test]
    fn bundles_unpack_until_a_valued_letter() {
        let scanned = scan(&words(&["-am", "msg", "file"]), COMMIT);
        assert_eq!(scanned.shorts, ['a', 'm']);
        assert_eq!(scanned.operands, ["file"]);
    }

    #[test]
    fn long_prefixes_count_and_double_dash_ends_options() {
        let scanned = scan(&words(&["--inter", "--", "-p"]), COMMIT);
        assert!(scanned.long(&["interactive"]));
        assert!(!scanned.short("p"));
        assert_eq!(scanned.operands, ["-p"]);
    }
}
