//! `git rtk-restore`: git restore, and what it restored. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "restore",
    "git restore, and what it restored",
    "Runs git restore with the same arguments, then prints what it restored.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
    valued(Some('s'), "source", Value::Required("tree-ish"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
    valued(None, "conflict", Value::Required("style"), ""),
];
