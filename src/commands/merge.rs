//! `git rtk-merge`: git merge, and its result. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "merge",
    "git merge, and its result",
    "Runs git merge with the same arguments, then prints the result: the new commit or the conflicts.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    flag(Some('e'), "edit", "edit the message in an editor: runs git").to_git(),
    valued(Some('m'), "message", Value::Required("message"), ""),
    valued(Some('F'), "file", Value::Required("file"), ""),
    valued(Some('s'), "strategy", Value::Required("strategy"), ""),
    valued(Some('X'), "strategy-option", Value::Required("option"), ""),
    valued(None, "cleanup", Value::Required("mode"), ""),
    valued(None, "into-name", Value::Required("branch"), ""),
];
