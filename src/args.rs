//! Splitting a plugin's argv the way git's parse-options does, so each command can decide what it
//! serves natively and hand everything else to git unchanged.

use std::ffi::OsString;

/// An argv split into options and positional words.
#[derive(Debug, Default, Clone)]
pub struct SplitArgs {
    /// Options in order, bundled short flags expanded (`-sb` → `-s`, `-b`).
    pub options: Vec<String>,
    /// Words before `--` that are not options (revisions or paths).
    pub positionals: Vec<String>,
    /// Words after `--` (always paths), `None` when there was no `--`.
    pub after_double_dash: Option<Vec<String>>,
}

/// Why an argv cannot be split for the native path.
#[derive(Debug)]
pub enum SplitError {
    /// A word is not valid UTF-8: git handles such paths itself.
    NotUtf8,
    /// `-h`: print the command's help.
    Help,
}

impl SplitError {
    /// The outcome every command gives for this: its usage for `-h`, git for unreadable words.
    pub fn into_outcome(self, usage: &str) -> crate::plugin::Outcome {
        match self {
            SplitError::Help => crate::help::usage(usage),
            SplitError::NotUtf8 => crate::plugin::Outcome::pass_through("non UTF-8 argument"),
        }
    }
}

/// Splits `args`. `bundled_shorts` lists the short flags without values that may be bundled
/// (`-sb`); a bundle containing any other letter is kept whole so the command passes it through.
/// `valued_shorts` lists short options whose value may be the next word (`-n 5` → `-n5`).
pub fn split(
    args: &[OsString],
    bundled_shorts: &str,
    valued_shorts: &str,
) -> Result<SplitArgs, SplitError> {
    let mut split = SplitArgs::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let word = word.to_str().ok_or(SplitError::NotUtf8)?;
        if word == "--" {
            let rest = words
                .by_ref()
                .map(|w| w.to_str().map(str::to_owned).ok_or(SplitError::NotUtf8))
                .collect::<Result<Vec<_>, _>>()?;
            split.after_double_dash = Some(rest);
            break;
        }
        if word == "-h" {
            return Err(SplitError::Help);
        }
        if word.starts_with("--") {
            split.options.push(word.to_owned());
        } else if word.len() == 2 && word.starts_with('-') && valued_shorts.contains(&word[1..]) {
            match words.next() {
                Some(value) => {
                    let value = value.to_str().ok_or(SplitError::NotUtf8)?;
                    split.options.push(format!("{word}{value}"));
                }
                None => split.options.push(word.to_owned()),
            }
        } else if word.len() > 1 && word.starts_with('-') {
            let letters = &word[1..];
            if letters.len() > 1 && letters.chars().all(|c| bundled_shorts.contains(c)) {
                split
                    .options
                    .extend(letters.chars().map(|c| format!("-{c}")));
            } else {
                split.options.push(word.to_owned());
            }
        } else {
            split.positionals.push(word.to_owned());
        }
    }
    Ok(split)
}

/// The value of `--name=value`, if `option` has that form.
pub fn long_value<'a>(option: &'a str, name: &str) -> Option<&'a str> {
    option.strip_prefix(name)?.strip_prefix('=')
}

#[cfg(test)]
mod tests {
    use super::split;
    use std::ffi::OsString;

    fn words(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn bundles_expand_and_valued_shorts_take_the_next_word() {
        let split =
            split(&words(&["-sb", "-n", "5", "rev", "--", "path"]), "sb", "n").expect("splits");
        assert_eq!(split.options, ["-s", "-b", "-n5"]);
        assert_eq!(split.positionals, ["rev"]);
        assert_eq!(split.after_double_dash, Some(vec!["path".to_owned()]));
    }

    #[test]
    fn unknown_bundles_stay_whole_for_git() {
        let split = split(&words(&["-sx"]), "sb", "").expect("splits");
        assert_eq!(split.options, ["-sx"]);
    }
}
