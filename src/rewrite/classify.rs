//! What a `git …` invocation is: where its subcommand word sits after the global options, whether
//! it only reads or changes the repository, and whether a plugin serves it.

use crate::registry::plugins as registry;

/// Whether a git invocation changes the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    ReadOnly,
    Mutating,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::ReadOnly => "read_only",
            Class::Mutating => "mutating",
        }
    }
}

/// Subcommands that never change the repository, whatever their options.
const READ_ONLY: &[&str] = &[
    "status",
    "log",
    "diff",
    "show",
    "blame",
    "grep",
    "ls-files",
    "ls-tree",
    "ls-remote",
    "rev-parse",
    "rev-list",
    "describe",
    "shortlog",
    "cat-file",
    "diff-tree",
    "diff-index",
    "diff-files",
    "for-each-ref",
    "show-ref",
    "name-rev",
    "merge-base",
    "cherry",
    "range-diff",
    "whatchanged",
    "version",
    "help",
    "check-ignore",
    "check-attr",
    "var",
    "count-objects",
    "verify-commit",
    "verify-tag",
];

/// Global options that take the next word as their value.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--config-env",
];
/// Global options without a value that leave the subcommand's meaning alone.
const GLOBAL_FLAGS: &[&str] = &[
    "--no-pager",
    "-P",
    "-p",
    "--paginate",
    "--no-replace-objects",
    "--literal-pathspecs",
    "--glob-pathspecs",
    "--noglob-pathspecs",
    "--icase-pathspecs",
    "--no-optional-locks",
    "--bare",
    "--no-advice",
];

/// Where the subcommand is in `args` (the words after `git`), or why there is none to rewrite.
pub fn subcommand_index(args: &[Option<&str>]) -> Result<usize, &'static str> {
    let mut index = 0;
    while index < args.len() {
        let Some(word) = args[index] else {
            return Err("dynamic-global-option");
        };
        if !word.starts_with('-') {
            return Ok(index);
        }
        let name = word.split_once('=').map_or(word, |(name, _)| name);
        if GLOBAL_WITH_VALUE.contains(&name) {
            // `--git-dir=x` carries its value; `-C x` takes the next word (git has no `-Cx`).
            index += if word.contains('=') && name.starts_with("--") {
                1
            } else if word == name {
                2
            } else {
                return Err("global-option");
            };
        } else if GLOBAL_FLAGS.contains(&word) {
            index += 1;
        } else {
            // --version, --help, --exec-path and anything unknown: not a subcommand run.
            return Err("global-option");
        }
    }
    Err("no-subcommand")
}

/// The class of `git <subcommand> <args>`: a plugin's command by its options table (see
/// [`crate::command::Command::changes_repository`]), git's other commands by the lists here.
pub fn classify(subcommand: &str, args: &[String]) -> Class {
    let mutating = match subcommand {
        _ if READ_ONLY.contains(&subcommand) && !registry::is_plugin(subcommand) => false,
        _ if registry::is_plugin(subcommand) => {
            registry::plugin(subcommand).is_some_and(|command| command.changes_repository(args))
        }
        "remote" => !matches!(
            args.iter()
                .find(|a| !a.starts_with('-'))
                .map(String::as_str),
            None | Some("show" | "get-url")
        ),
        "config" => !args.iter().any(|a| {
            a.starts_with("--get") || a == "-l" || a == "--list" || a == "get" || a == "list"
        }),
        "reflog" => matches!(args.first().map(String::as_str), Some("expire" | "delete")),
        "notes" => !matches!(
            args.first().map(String::as_str),
            None | Some("list" | "show")
        ),
        // Unknown subcommands (aliases, external commands) could do anything.
        _ => true,
    };
    if mutating {
        Class::Mutating
    } else {
        Class::ReadOnly
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn global_options_are_skipped() {
        let args = [
            Some("-C"),
            Some("sub"),
            Some("-c"),
            Some("a=b"),
            Some("--no-pager"),
            Some("log"),
        ];
        assert_eq!(subcommand_index(&args), Ok(5));
        assert_eq!(
            subcommand_index(&[Some("--git-dir=x"), Some("status")]),
            Ok(1)
        );
        assert_eq!(subcommand_index(&[Some("--version")]), Err("global-option"));
        assert_eq!(
            subcommand_index(&[Some("-Csub"), Some("status")]),
            Err("global-option")
        );
    }

    #[test]
    fn classes_follow_the_flags() {
        assert_eq!(classify("status", &[]), Class::ReadOnly);
        assert_eq!(classify("branch", &strings(&["-vv"])), Class::ReadOnly);
        assert_eq!(classify("branch", &strings(&["-D", "x"])), Class::Mutating);
        assert_eq!(classify("stash", &strings(&["list"])), Class::ReadOnly);
        assert_eq!(classify("stash", &strings(&["pop"])), Class::Mutating);
        assert_eq!(classify("stash", &[]), Class::Mutating);
        assert_eq!(classify("tag", &[]), Class::ReadOnly);
        assert_eq!(classify("tag", &strings(&["v1"])), Class::Mutating);
        assert_eq!(classify("tag", &strings(&["-l", "v*"])), Class::ReadOnly);
        assert_eq!(classify("tag", &strings(&["-d", "v1"])), Class::Mutating);
        assert_eq!(classify("checkout", &[]), Class::ReadOnly);
        assert_eq!(classify("checkout", &strings(&["-f"])), Class::Mutating);
        assert_eq!(classify("worktree", &strings(&["list"])), Class::ReadOnly);
        assert_eq!(classify("log", &strings(&["-iE"])), Class::ReadOnly);
        assert_eq!(classify("commit", &strings(&["-m", "x"])), Class::Mutating);
        assert_eq!(classify("some-alias", &[]), Class::Mutating);
        assert_eq!(
            classify("config", &strings(&["--get", "user.name"])),
            Class::ReadOnly
        );
    }
}
