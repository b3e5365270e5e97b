//! `git rtk-reset`: git reset, and where HEAD is now. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "reset",
    "git reset, and where HEAD is now",
    "Runs git reset with the same arguments, then prints where HEAD is and what changed.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
];
