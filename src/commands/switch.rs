//! `git rtk-switch`: git switch, and where HEAD is now. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{valued, Flag, Value};

pub const COMMAND: Command = declare(
    "switch",
    "git switch, and where HEAD is now",
    "Runs git switch with the same arguments, then prints where HEAD is and what changed.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    valued(Some('c'), "create", Value::Required("new-branch"), ""),
    valued(Some('C'), "force-create", Value::Required("new-branch"), ""),
    valued(None, "orphan", Value::Required("new-branch"), ""),
    valued(None, "conflict", Value::Required("style"), ""),
];
