//! Options every mutating plugin hands to git with its terminal: output that scripts or people
//! read (`--porcelain`, `--dry-run`, `-z`) and quiet runs with nothing to report.

use crate::options::{flag, valued, Flag, Value};

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

/// For commands with no read-only form.
pub fn never(_: &crate::options::Parsed) -> bool {
    false
}
