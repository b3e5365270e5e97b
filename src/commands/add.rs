//! `git rtk-add`: git add, and what it staged. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "add",
    "git add, and what it staged",
    "Runs git add with the same arguments, then prints what is staged now.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
    flag(Some('i'), "interactive", "interactive adding: runs git").to_git(),
    flag(Some('e'), "edit", "edit the diff in an editor: runs git").to_git(),
    flag(Some('n'), "dry-run", "shows what would be added: runs git").to_git(),
    valued(None, "chmod", Value::Required("(+|-)x"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
];
