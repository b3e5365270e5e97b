//! `git rtk-rm`: git rm, and what it removed. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "rm",
    "git rm, and what it removed",
    "Runs git rm with the same arguments, then prints what it removed.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    flag(
        Some('n'),
        "dry-run",
        "shows what would be removed: runs git",
    )
    .to_git(),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
];
