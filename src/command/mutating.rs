//! Options every mutating plugin hands to git with its terminal: output that scripts or people
//! read (`--porcelain`, `--dry-run`, `-z`) and quiet runs with nothing to report.

use super::{Command, Entry, GitRun, Kind};
use crate::options::{flag, valued, Flag, Value, LENIENT};

/// Shared by every mutating command's table, after its own options (a command's own `-n` or
/// `-q` wins over these).
pub const COMMON: &[Flag] = &[
    valued(
        None,
        "porcelain",
        Value::Optional("version"),
        "machine-readable output: runs git",
    )
    .to_git(),
    flag(None, "dry-run", "shows what would happen: runs git").to_git(),
    flag(Some('q'), "quiet", "nothing to report: runs git").to_git(),
    flag(
        Some('z'),
        "null",
        "NUL-separated output for scripts: runs git",
    )
    .to_git(),
    flag(None, "help", "git's manual").to_git(),
];

/// The synopsis of every mutating plugin: git's own options, all of them.
pub const SYNOPSIS: &[&str] = &["[<git's options and arguments>...]"];

/// For commands with no read-only form, and none handed over beyond their table.
pub fn never(_: &crate::options::Parsed) -> bool {
    false
}

/// git runs every invocation the table does not hand over, and the plugin reports.
pub const REPORTED: GitRun = GitRun {
    hand_over: never,
    reads_only: never,
    network: false,
};

/// The declaration of a mutating plugin: `table` is its own options, then [`COMMON`].
pub const fn declare(
    name: &'static str,
    summary: &'static str,
    about: &'static str,
    table: &'static [&'static [Flag]],
    git: GitRun,
) -> Command {
    Command {
        name,
        kind: Kind::Mutating,
        summary,
        synopsis: SYNOPSIS,
        about,
        syntax: LENIENT,
        table,
        entry: Entry::Git(git),
    }
}
