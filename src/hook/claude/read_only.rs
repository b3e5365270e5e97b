//! Claude Code's built-in read-only check for git commands in its Bash tool: a command it runs
//! without asking in every mode. The lists are data (`read_only_git.<version>.toml`), extracted
//! from the published packages by `scripts/extract-claude-read-only.mjs`, each recording its
//! client version in `[meta]`: 2.1.112 (the last `cli.js`) and 2.1.332 (JavaScript embedded in
//! the native binary). A command counts as read-only only when every list says so, so the hook's
//! `"allow"` holds for each of those versions.
//!
//! The flag check follows the validator in `cli.js` (2.1.112; the TOML's header describes it):
//! the argv must start with an entry's words (no global option may come first), every flag must be
//! listed with its value kind, a `--` ends the check, combined short flags must all be plain
//! switches. An entry's extra check in JavaScript (`dangerous_callback`) is reproduced here by
//! its source hash (`branch` in both versions; in 2.1.332 the format check of `log`, `show` and
//! others, and `diff`'s submodule options); an entry whose check is not is
//! [`Verdict::Unknown`]. The build turns the TOML files into tables (`build.rs`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Claude runs it without asking (as far as this one command goes).
    ReadOnly,
    /// Claude's read-only check rejects it.
    NotReadOnly,
    /// An extra check this code does not reproduce decides.
    Unknown,
}

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    None,
    Number,
    Text,
    Char,
}

/// One entry of a list: the argv it starts with, its flags, its extra check.
#[derive(Debug)]
pub struct EntryData {
    pub prefix: &'static [&'static str],
    pub respects_double_dash: bool,
    /// The JavaScript extra check, by its source hash.
    pub callback: Option<&'static str>,
    pub flags: &'static [(&'static str, Kind)],
}

/// One client version's list.
#[derive(Debug)]
pub struct ListData {
    pub version: &'static str,
    pub entries: &'static [EntryData],
}

// `LISTS`: every `read_only_git.<version>.toml`, oldest first, as tables (build.rs), so a hook
// process does not parse TOML.
include!(concat!(env!("OUT_DIR"), "/claude_read_only.rs"));

/// The embedded lists, oldest first.
pub fn lists() -> &'static [ListData] {
    LISTS
}

/// The verdict of every embedded list together: read-only only when all agree it is, not
/// read-only when any says so.
pub fn judge(argv: &[String]) -> Verdict {
    let verdicts: Vec<Verdict> = lists().iter().map(|list| list.judge(argv)).collect();
    if verdicts.contains(&Verdict::NotReadOnly) {
        Verdict::NotReadOnly
    } else if verdicts.iter().all(|v| *v == Verdict::ReadOnly) {
        Verdict::ReadOnly
    } else {
        Verdict::Unknown
    }
}

/// The `git branch` extra check (source hash `3b56cf38d997a787`): listing only.
const BRANCH_CALLBACK: &str = "3b56cf38d997a787";
/// 2.1.332's `git branch` check: [`format_is_dangerous`], then the same listing-only rule.
const BRANCH_FORMAT_CALLBACK: &str = "cdfcbeea27f6ca56";
/// 2.1.332's `git diff` check (source hash `6e97a51e86a91318`): submodule options.
const DIFF_SUBMODULE_CALLBACK: &str = "6e97a51e86a91318";
/// 2.1.332's check on `log`, `show`, `shortlog`, `rev-list`, `for-each-ref` (`ft`).
const FORMAT_CALLBACK: &str = "22bb79dd6483d06b";

impl ListData {
    /// Claude's verdict on one git command's argv (`git` first), words as the shell gives them.
    pub fn judge(&self, argv: &[String]) -> Verdict {
        let mut verdict = None;
        for entry in self.entries {
            if argv.len() < entry.prefix.len()
                || argv
                    .iter()
                    .zip(entry.prefix)
                    .any(|(word, prefix)| word != prefix)
            {
                continue;
            }
            let rest = &argv[entry.prefix.len()..];
            let this = match entry.callback {
                None => Verdict::ReadOnly,
                Some(BRANCH_CALLBACK) if branch_is_dangerous(rest) => Verdict::NotReadOnly,
                Some(BRANCH_CALLBACK) => Verdict::ReadOnly,
                Some(BRANCH_FORMAT_CALLBACK)
                    if format_is_dangerous(rest) || branch_is_dangerous(rest) =>
                {
                    Verdict::NotReadOnly
                }
                Some(BRANCH_FORMAT_CALLBACK) => Verdict::ReadOnly,
                Some(DIFF_SUBMODULE_CALLBACK) if diff_submodule_is_dangerous(rest) => {
                    Verdict::NotReadOnly
                }
                Some(DIFF_SUBMODULE_CALLBACK) => Verdict::ReadOnly,
                Some(FORMAT_CALLBACK) if format_is_dangerous(rest) => Verdict::NotReadOnly,
                Some(FORMAT_CALLBACK) => Verdict::ReadOnly,
                Some(_) => Verdict::Unknown,
            };
            let this = if this == Verdict::ReadOnly && !entry.flags_pass(rest) {
                Verdict::NotReadOnly
            } else {
                this
            };
            verdict = match (verdict, this) {
                (None, v) => Some(v),
                (Some(a), b) if a == b => Some(a),
                // Two entries disagree (`remote` and `remote show`): which one Claude applies
                // is not modelled.
                _ => Some(Verdict::Unknown),
            };
        }
        verdict.unwrap_or(Verdict::NotReadOnly)
    }
}

fn looks_like_flag(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 2
        && bytes[0] == b'-'
        && (bytes[1].is_ascii_alphanumeric() || bytes[1] == b'_' || bytes[1] == b'-')
}

impl EntryData {
    fn flag(&self, name: &str) -> Option<Kind> {
        self.flags
            .iter()
            .find(|(flag, _)| *flag == name)
            .map(|(_, kind)| *kind)
    }

    /// The validator: see the TOML's header for the algorithm.
    fn flags_pass(&self, args: &[String]) -> bool {
        let mut i = 0;
        while i < args.len() {
            let word = args[i].as_str();
            i += 1;
            if word.is_empty() {
                continue;
            }
            if word == "--" && self.respects_double_dash {
                return true;
            }
            if !looks_like_flag(word) {
                continue;
            }
            let (name, inline) = match word.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (word, None),
            };
            match self.flag(name) {
                Some(Kind::None) => {
                    if inline.is_some() {
                        return false;
                    }
                }
                Some(kind) => {
                    let value = match inline {
                        Some(value) => value,
                        None => {
                            let Some(next) = args.get(i) else {
                                return false;
                            };
                            if looks_like_flag(next) {
                                return false;
                            }
                            i += 1;
                            next.as_str()
                        }
                    };
                    let dash_ok = name == "--sort"
                        && value.len() >= 2
                        && value.as_bytes()[1].is_ascii_alphabetic();
                    if kind == Kind::Text && value.starts_with('-') && !dash_ok {
                        return false;
                    }
                    let ok = match kind {
                        Kind::Number => {
                            !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
                        }
                        Kind::Char => value.chars().count() == 1 || value == "{}" || value == "EOF",
                        _ => true,
                    };
                    if !ok {
                        return false;
                    }
                }
                None => {
                    let numeric = word.len() > 1 && word[1..].bytes().all(|b| b.is_ascii_digit());
                    if numeric {
                        continue;
                    }
                    let combined = !word.starts_with("--") && word.len() > 2 && inline.is_none();
                    if !(combined
                        && word[1..]
                            .chars()
                            .all(|c| self.flag(&format!("-{c}")) == Some(Kind::None)))
                    {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// `git branch`'s extra check: a positional argument is dangerous (creates a branch) unless list
/// mode (`-l`, `--list`, or a combined short flag with `l`) came before it, or the flag just before
/// is `--merged`/`--no-merged`. Values of `--contains`, `--no-contains`, `--points-at`, `--sort`
/// are skipped; `--` switches to positional mode.
fn branch_is_dangerous(args: &[String]) -> bool {
    const TAKES_VALUE: &[&str] = &["--contains", "--no-contains", "--points-at", "--sort"];
    const COMMIT_OPTIONAL: &[&str] = &["--merged", "--no-merged"];
    let mut i = 0;
    let mut last_flag = String::new();
    let mut list_mode = false;
    let mut positional = false;
    while i < args.len() {
        let word = args[i].as_str();
        if word.is_empty() {
            i += 1;
            continue;
        }
        if word == "--" && !positional {
            positional = true;
            last_flag.clear();
            i += 1;
            continue;
        }
        if !positional && word.starts_with('-') {
            let combined_with_l = !word.starts_with("--")
                && word.len() > 2
                && !word.contains('=')
                && word[1..].contains('l');
            if word == "--list" || word == "-l" || combined_with_l {
                list_mode = true;
            }
            if let Some((name, _)) = word.split_once('=') {
                last_flag = name.to_owned();
                i += 1;
            } else if TAKES_VALUE.contains(&word) {
                last_flag = word.to_owned();
                i += 2;
            } else {
                last_flag = word.to_owned();
                i += 1;
            }
        } else {
            if !list_mode && !COMMIT_OPTIONAL.contains(&last_flag.as_str()) {
                return true;
            }
            i += 1;
        }
    }
    false
}

/// 2.1.332's `ft`: a format that could run a signature check (`%G…`, `%(signature)`), names a
/// pretty alias from the user's configuration, or holds a tilde expression. Checked for every word
/// (`%G` anywhere) and for the values of `--format`, `--pretty`, `--sort`, `--group`.
fn format_is_dangerous(args: &[String]) -> bool {
    const BUILT_IN: &[&str] = &[
        "oneline", "short", "medium", "full", "fuller", "email", "raw",
    ];
    let signature = |word: &str| {
        let bytes = word.as_bytes();
        word.contains("%(signature")
            || word.contains("%(*signature")
            || (0..bytes.len()).any(|i| {
                bytes[i] == b'%'
                    && (bytes.get(i + 1) == Some(&b'G')
                        || (matches!(bytes.get(i + 1), Some(b'-' | b'+' | b' '))
                            && bytes.get(i + 2) == Some(&b'G')))
            })
    };
    let tilde = |word: &str| {
        word.starts_with('~')
            || word.contains("=~")
            || word.contains(":~")
            || (word.contains('~') && word.contains('{'))
    };
    let alias = |value: &str| {
        !value.is_empty()
            && !value.contains('%')
            && !value.starts_with("format:")
            && !value.starts_with("tformat:")
            && !BUILT_IN.contains(&value)
    };
    for (i, word) in args.iter().enumerate() {
        if signature(word) {
            return true;
        }
        for option in ["--format", "--pretty", "--sort", "--group"] {
            let value = if word == option {
                args.get(i + 1).map(String::as_str)
            } else {
                word.strip_prefix(option).and_then(|v| v.strip_prefix('='))
            };
            let Some(value) = value else { continue };
            if tilde(value) || signature(value) || value.contains("signature") {
                return true;
            }
            if (option == "--format" || option == "--pretty") && alias(value) {
                return true;
            }
        }
    }
    false
}

/// 2.1.332's `git diff` check: `--submodule=<x>` other than `short`, or
/// `--ignore-submodules=<x>` other than `all` (`dirty` only together with `--submodule=short`
/// before any `--`) makes it not read-only. (The callback reads a word's name as the part before
/// its first `=`.)
fn diff_submodule_is_dangerous(args: &[String]) -> bool {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let short = args[..end].iter().any(|a| a == "--submodule=short");
    args.iter().any(|a| {
        let name = a.split_once('=').map_or(a.as_str(), |(name, _)| name);
        (name == "--submodule" && a != "--submodule=short")
            || (name == "--ignore-submodules"
                && a != "--ignore-submodules=all"
                && !(a == "--ignore-submodules=dirty" && short))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extracted lists' files (their headers name the package), oldest first.
    const DATA: &[&str] = &[
        include_str!("read_only_git.2.1.112.toml"),
        include_str!("read_only_git.2.1.332.toml"),
    ];

    fn judge_in(list: &ListData, command: &str) -> Verdict {
        let argv: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
        list.judge(&argv)
    }

    #[test]
    fn each_embedded_list_is_read_and_names_its_version() {
        let versions: Vec<&str> = lists().iter().map(|l| l.version).collect();
        assert_eq!(versions, ["2.1.112", "2.1.332"]);
        for (list, text) in lists().iter().zip(DATA) {
            assert!(list.entries.len() >= 20, "{}", list.version);
            assert!(
                text.contains(&format!("@anthropic-ai/claude-code@{}", list.version)),
                "the header names the package {}",
                list.version
            );
        }
    }

    #[test]
    fn listed_flags_pass_and_others_do_not() {
        for command in [
            "git status",
            "git log --oneline -5",
            "git log -n 5",
            "git diff --stat",
            "git show HEAD",
            "git branch -a",
            "git branch --merged main",
            "git diff HEAD~1 -- src",
        ] {
            assert_eq!(
                judge_in(&lists()[0], command),
                Verdict::ReadOnly,
                "{command}"
            );
        }
        for command in [
            "git diff --output=x",
            "git log --output=x",
            "git branch -D x",
            "git branch topic",
            "git -C x status",
            "git rtk-status",
            "git log -n5",
            "git push",
        ] {
            assert_eq!(judge(&words(command)), Verdict::NotReadOnly, "{command}");
        }
    }

    #[test]
    fn the_newer_checks_on_formats_and_submodules() {
        let dangerous = |args: &str| format_is_dangerous(&words(args));
        for args in [
            "--format=myalias",
            "--format myalias",
            "--pretty=reference",
            "--pretty=%G?",
            "--format=%+G?",
            "--format=%(signature)",
            "--format=signature",
            "--pretty=format:%GS",
        ] {
            assert!(dangerous(args), "{args}");
        }
        for args in [
            "",
            "--oneline -5",
            "--format=%H",
            "--format=%h %s",
            "--pretty=oneline",
            "--format=format:%h",
            "--format=%xG",
            "--sort=-committerdate",
            "--format=",
        ] {
            assert!(!dangerous(args), "{args}");
        }
        let submodule = |args: &str| diff_submodule_is_dangerous(&words(args));
        assert!(submodule("--submodule=diff"));
        assert!(submodule("--ignore-submodules=dirty"));
        assert!(!submodule("--ignore-submodules=dirty --submodule=short"));
        assert!(!submodule("--ignore-submodules=all"));
        assert_eq!(judge(&words("git log --oneline -5")), Verdict::ReadOnly);
        assert_eq!(
            judge(&words("git log --format=myalias")),
            Verdict::NotReadOnly
        );
        assert_eq!(judge(&words("git diff --stat")), Verdict::ReadOnly);
        assert_eq!(judge(&words("git branch -vv")), Verdict::ReadOnly);
    }

    fn words(command: &str) -> Vec<String> {
        command.split_whitespace().map(str::to_owned).collect()
    }
}
