//! `git rtk-pull`: git pull, and what it updated. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "pull",
    "git pull, and what it updated",
    "Runs git pull with the same arguments, then prints what it fetched and where HEAD is. On a terminal, git keeps its progress display.",
    &[OPTIONS, super::fetch::TRANSFER, COMMON],
    GitRun {
        network: true,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    flag(
        Some('e'),
        "edit",
        "edit the merge message in an editor: runs git",
    )
    .to_git(),
    valued(Some('s'), "strategy", Value::Required("strategy"), ""),
    valued(Some('X'), "strategy-option", Value::Required("option"), ""),
    valued(None, "cleanup", Value::Required("mode"), ""),
];
