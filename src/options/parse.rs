//! Reading an argv against a command's table, the way git reads it: parse-options (bundled short
//! flags, `-xvalue`, `--name=value`, `--name value`) or revision-option style (no bundles, `-h`
//! only alone). Whatever the table does not know is kept in [`Parsed::unknown`] as typed.

use std::ffi::OsString;

use super::{Effect, Flag, Serve, Syntax, Value};

/// One recognised option and its value.
#[derive(Debug, Clone)]
pub struct Given<'t> {
    pub flag: &'t Flag,
    pub value: Option<String>,
}

/// An argv read against a table.
#[derive(Debug, Clone, Default)]
pub struct Parsed<'t> {
    /// Recognised options, in order.
    pub given: Vec<Given<'t>>,
    /// Option words the table does not know (or knows in another form), as typed.
    pub unknown: Vec<String>,
    /// Words before `--` that are not options (revisions, paths, subcommand words).
    pub operands: Vec<String>,
    /// Words after `--`, `None` when there was no `--`.
    pub after_double_dash: Option<Vec<String>>,
    /// The argv as typed (for messages that repeat the command).
    pub words: Vec<String>,
}

/// Why parsing stopped before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `-h`: the command's usage.
    Help,
    /// A word is not valid UTF-8: git handles such arguments itself.
    NotUtf8,
}

/// Reads `args` against `table`.
pub fn parse<'t>(
    table: &'t [&'t [Flag]],
    syntax: Syntax,
    args: &[OsString],
) -> Result<Parsed<'t>, Stop> {
    let words = args
        .iter()
        .map(|a| a.to_str().map(str::to_owned).ok_or(Stop::NotUtf8))
        .collect::<Result<Vec<_>, _>>()?;
    parse_words(table, syntax, &words)
}

/// [`parse`] for words already known to be text.
pub fn parse_words<'t>(
    table: &'t [&'t [Flag]],
    syntax: Syntax,
    words: &[String],
) -> Result<Parsed<'t>, Stop> {
    let flags = || table.iter().flat_map(|section| section.iter());
    let by_short = |letter: char| flags().find(|f| f.short == Some(letter));
    let mut parsed = Parsed {
        words: words.to_vec(),
        ..Parsed::default()
    };
    let mut rest = words.iter().peekable();
    while let Some(word) = rest.next() {
        if word == "--" {
            parsed.after_double_dash = Some(rest.by_ref().cloned().collect());
            break;
        }
        if word == "-h" && (!syntax.help_alone || words.len() == 1) {
            return Err(Stop::Help);
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            let mut matches: Vec<&Flag> = flags().filter(|f| f.long == Some(name)).collect();
            if matches.is_empty() && syntax.lenient && !name.is_empty() {
                matches = flags()
                    .filter(|f| f.long.is_some_and(|l| l.starts_with(name)))
                    .collect();
            }
            let Some(first) = matches.first() else {
                parsed.unknown.push(word.clone());
                continue;
            };
            let value = match (first.value, inline) {
                (Value::None, Some(_)) => {
                    parsed.unknown.push(word.clone());
                    continue;
                }
                (Value::None | Value::Optional(_), inline) => inline,
                (Value::Required(_), Some(inline)) | (Value::LastArgDefault(_), Some(inline)) => {
                    Some(inline)
                }
                (Value::Required(_), None) => match rest.next() {
                    Some(next) => Some(next.clone()),
                    None => {
                        parsed.unknown.push(word.clone());
                        continue;
                    }
                },
                (Value::LastArgDefault(_), None) => rest.next().cloned(),
            };
            for flag in matches {
                parsed.given.push(Given {
                    flag,
                    value: value.clone(),
                });
            }
            continue;
        }
        let Some(letters) = word.strip_prefix('-').filter(|l| !l.is_empty()) else {
            parsed.operands.push(word.clone());
            continue;
        };
        if let Some(numeric) = syntax.numeric {
            if letters.bytes().all(|b| b.is_ascii_digit()) {
                match flags().find(|f| f.long == Some(numeric)) {
                    Some(flag) => parsed.given.push(Given {
                        flag,
                        value: Some(letters.to_owned()),
                    }),
                    None => parsed.unknown.push(word.clone()),
                }
                continue;
            }
        }
        let mut bundle: Vec<Given<'t>> = Vec::new();
        let mut known = true;
        for (at, letter) in letters.char_indices() {
            let Some(flag) = by_short(letter) else {
                if syntax.lenient {
                    parsed.unknown.push(format!("-{letter}"));
                    continue;
                }
                known = false;
                break;
            };
            let attached = &letters[at + letter.len_utf8()..];
            if flag.value == Value::None {
                bundle.push(Given { flag, value: None });
                if !attached.is_empty() && !syntax.bundles {
                    known = false;
                    break;
                }
                continue;
            }
            let value = match flag.value {
                _ if !attached.is_empty() => Some(attached.to_owned()),
                Value::Optional(_) | Value::None => None,
                Value::Required(_) => match rest.next() {
                    Some(next) => Some(next.clone()),
                    None => {
                        known = false;
                        break;
                    }
                },
                Value::LastArgDefault(_) => rest.next().cloned(),
            };
            bundle.push(Given { flag, value });
            break;
        }
        if known {
            parsed.given.extend(bundle);
        } else {
            parsed.unknown.push(word.clone());
        }
    }
    Ok(parsed)
}

impl<'t> Parsed<'t> {
    /// Whether the option with this long name was given.
    pub fn has(&self, long: &str) -> bool {
        self.given.iter().any(|g| g.flag.is(long))
    }

    /// Whether any of these long names was given.
    pub fn has_any(&self, longs: &[&str]) -> bool {
        longs.iter().any(|long| self.has(long))
    }

    /// How many times the option was given (`-vv`).
    pub fn count(&self, long: &str) -> usize {
        self.given.iter().filter(|g| g.flag.is(long)).count()
    }

    /// The value of the last occurrence of the option, if it had one.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|g| g.flag.is(long))
            .and_then(|g| g.value.as_deref())
    }

    /// Whether git must serve this argv: an option the table does not know, or one it hands to
    /// git.
    pub fn needs_git(&self) -> bool {
        !self.unknown.is_empty() || self.given.iter().any(|g| g.flag.serve == Serve::Git)
    }

    /// Whether an option that changes the repository was given.
    pub fn changes_repository(&self) -> bool {
        self.given.iter().any(|g| g.flag.effect == Effect::Changes)
    }

    /// Operands before and after `--`.
    pub fn all_operands(&self) -> impl Iterator<Item = &String> {
        self.operands
            .iter()
            .chain(self.after_double_dash.iter().flatten())
    }

    /// The first operand (a subcommand word such as `stash list`).
    pub fn first_operand(&self) -> Option<&str> {
        self.all_operands().next().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{flag, short_only, valued, PARSE_OPTIONS, REVISIONS};

    const TABLE: &[Flag] = &[
        flag(Some('s'), "short", ""),
        flag(Some('b'), "branch", ""),
        valued(Some('u'), "untracked-files", Value::Optional("mode"), ""),
        valued(Some('m'), "message", Value::Required("msg"), ""),
        valued(None, "merged", Value::LastArgDefault("commit"), ""),
        short_only('U', Value::Optional("n"), ""),
        flag(None, "interactive", ""),
        flag(None, "max-count", ""),
    ];

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn names(parsed: &Parsed) -> Vec<String> {
        parsed
            .given
            .iter()
            .map(|g| match &g.value {
                Some(v) => format!("{}={v}", g.flag.name()),
                None => g.flag.name(),
            })
            .collect()
    }

    #[test]
    fn parse_options_bundles_and_values() {
        let parsed = parse_words(
            &[TABLE],
            PARSE_OPTIONS,
            &words(&["-sbuno", "-m", "a b", "--merged", "--x", "p", "--", "-s"]),
        )
        .expect("parses");
        assert_eq!(
            names(&parsed),
            [
                "short",
                "branch",
                "untracked-files=no",
                "message=a b",
                "merged=--x"
            ]
        );
        assert_eq!(parsed.operands, ["p"]);
        assert_eq!(parsed.after_double_dash, Some(words(&["-s"])));
        assert!(!parsed.needs_git());
    }

    #[test]
    fn unknown_words_stay_whole_and_send_the_argv_to_git() {
        let parsed = parse_words(
            &[TABLE],
            PARSE_OPTIONS,
            &words(&["-sx", "--unt", "--short=1"]),
        )
        .expect("parses");
        assert!(parsed.given.is_empty());
        assert_eq!(parsed.unknown, ["-sx", "--unt", "--short=1"]);
        assert!(parsed.needs_git());
    }

    #[test]
    fn revisions_take_no_bundles_and_h_only_alone() {
        let parsed =
            parse_words(&[TABLE], REVISIONS, &words(&["-sb", "-U5", "-h"])).expect("parses");
        assert_eq!(names(&parsed), ["U=5"]);
        assert_eq!(parsed.unknown, ["-sb", "-h"]);
        assert_eq!(
            parse_words(&[TABLE], REVISIONS, &words(&["-h"])).err(),
            Some(Stop::Help)
        );
    }

    #[test]
    fn lenient_reading_and_numeric_counts_where_the_syntax_allows() {
        let syntax = Syntax {
            lenient: true,
            numeric: Some("max-count"),
            ..PARSE_OPTIONS
        };
        let parsed = parse_words(&[TABLE], syntax, &words(&["--inter", "-12", "-xsm", "a"]))
            .expect("parses");
        assert_eq!(
            names(&parsed),
            ["interactive", "max-count=12", "short", "message=a"]
        );
        assert_eq!(parsed.unknown, ["-x"]);
        let strict = parse_words(&[TABLE], PARSE_OPTIONS, &words(&["--inter"])).expect("parses");
        assert_eq!(strict.unknown, ["--inter"]);
    }

    #[test]
    fn a_missing_required_value_is_left_to_git() {
        let parsed = parse_words(&[TABLE], PARSE_OPTIONS, &words(&["-m"])).expect("parses");
        assert_eq!(parsed.unknown, ["-m"]);
    }
}
