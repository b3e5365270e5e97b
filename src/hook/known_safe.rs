//! The "known safe" git check that Codex and Gemini CLI share: a git command they run without
//! asking because its argv alone shows it only reads. Codex wrote it
//! (`codex-rs/shell-command/src/command_safety/is_safe_command.rs` at openai/codex 4e30281a,
//! rust-v0.125.0) and Gemini CLI ported it (`packages/core/src/sandbox/macos/commandSafety.ts`,
//! `isSafeToCallWithExec`, v0.36.0 to 0.61.0), which its policy engine uses to turn "ask" into
//! "allow" (`PolicyEngine.applyShellHeuristics`).
//!
//! A `git rtk-…` command never passes it (`rtk-status` is not a listed subcommand), so a rewrite
//! of a command that passes would add a prompt: the hooks of those agents leave such commands as
//! typed. The lists are kept as data in `known_safe_git.toml`, with their sources; a unit test
//! holds this code to them. Where the two versions differ, this takes the more permissive
//! reading (Gemini checks only `-c`/`--config-env` among global options, Codex also `--git-dir`
//! and others): calling a command known-safe when one of them would not only leaves one more
//! command as typed.

/// Subcommands that can be known-safe (`find_git_subcommand(.., &["status", "log", "diff",
/// "show", "branch"])`).
const SUBCOMMANDS: &[&str] = &["status", "log", "diff", "show", "branch"];

/// Global options that take the next word as their value while looking for the subcommand.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "-C",
    "-c",
    "--config-env",
    "--exec-path",
    "--git-dir",
    "--namespace",
    "--super-prefix",
    "--work-tree",
];

/// `git_subcommand_args_are_read_only`: flags that make any of the subcommands unsafe.
const UNSAFE_FLAGS: &[&str] = &[
    "--output",
    "--ext-diff",
    "--textconv",
    "--exec",
    "--paginate",
];
const UNSAFE_FLAG_PREFIXES: &[&str] = &["--output=", "--exec="];

/// `git_branch_is_read_only`: `git branch` is safe with no arguments, or with these alone.
const BRANCH_READ_ONLY: &[&str] = &[
    "--list",
    "-l",
    "--show-current",
    "-a",
    "--all",
    "-r",
    "--remotes",
    "-v",
    "-vv",
    "--verbose",
];

/// Whether `argv` (`git` first) is a known-safe git command for Codex or Gemini CLI.
pub fn is_known_safe_git(argv: &[&str]) -> bool {
    let Some((program, args)) = argv.split_first() else {
        return false;
    };
    if program.rsplit('/').next() != Some("git") {
        return false;
    }
    // `gitHasConfigOverrideGlobalOption` / `git_has_unsafe_global_option`: anywhere in argv.
    if args.iter().any(|a| {
        *a == "-c"
            || *a == "--config-env"
            || a.starts_with("--config-env=")
            || (a.starts_with("-c") && a.len() > 2 && !a.starts_with("--"))
    }) {
        return false;
    }
    let Some(index) = subcommand_index(args) else {
        return false;
    };
    let subcommand = args[index];
    if !SUBCOMMANDS.contains(&subcommand) {
        return false;
    }
    let rest = &args[index + 1..];
    let read_only = !rest
        .iter()
        .any(|a| UNSAFE_FLAGS.contains(a) || UNSAFE_FLAG_PREFIXES.iter().any(|p| a.starts_with(p)));
    if subcommand != "branch" {
        return read_only;
    }
    read_only
        && (rest.is_empty()
            || rest
                .iter()
                .all(|a| BRANCH_READ_ONLY.contains(a) || a.starts_with("--format=")))
}

/// `find_git_subcommand`: the first word that is not a global option or its value.
fn subcommand_index(args: &[&str]) -> Option<usize> {
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        if GLOBAL_WITH_VALUE.contains(&arg) {
            i += 2;
            continue;
        }
        if arg == "--" || arg.starts_with('-') {
            i += 1;
            continue;
        }
        return Some(i);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = include_str!("known_safe_git.toml");

    fn list(document: &toml_edit::DocumentMut, key: &str) -> Vec<String> {
        document["git"][key]
            .as_array()
            .unwrap_or_else(|| panic!("git.{key} in known_safe_git.toml"))
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn the_code_follows_the_data() {
        let document: toml_edit::DocumentMut = DATA.parse().expect("known_safe_git.toml parses");
        let lists: [(&str, &[&str]); 6] = [
            ("subcommands", SUBCOMMANDS),
            ("global_options_with_separate_value", GLOBAL_WITH_VALUE),
            ("unsafe_subcommand_flags_exact", UNSAFE_FLAGS),
            ("unsafe_subcommand_flag_prefixes", UNSAFE_FLAG_PREFIXES),
            ("branch_read_only_flags_exact", BRANCH_READ_ONLY),
            ("branch_read_only_flag_prefixes", &["--format="]),
        ];
        for (key, in_code) in lists {
            assert_eq!(list(&document, key), in_code, "git.{key}");
        }
    }

    fn safe(command: &str) -> bool {
        is_known_safe_git(&command.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn the_read_forms_pass_and_plugins_never_do() {
        for command in [
            "git status",
            "git log --oneline -5",
            "git diff --stat",
            "git -C sub show HEAD",
            "git branch",
            "git branch -vv",
        ] {
            assert!(safe(command), "{command}");
        }
        for command in [
            "git rtk-status",
            "git log --output=x",
            "git diff --ext-diff",
            "git -c core.pager=x log",
            "git branch -D x",
            "git branch topic",
            "git push",
            "gitx status",
        ] {
            assert!(!safe(command), "{command}");
        }
    }
}
