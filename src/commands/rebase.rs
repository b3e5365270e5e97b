//! `git rtk-rebase`: git rebase, and its result. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, valued, Flag, Value};

pub const COMMAND: Command = declare(
    "rebase",
    "git rebase, and its result",
    "Runs git rebase with the same arguments, then prints the result: where HEAD is, or the conflicts.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] = &[
    flag(
        Some('i'),
        "interactive",
        "edit the todo list in an editor: runs git",
    )
    .to_git(),
    flag(None, "edit-todo", "edit the todo list: runs git").to_git(),
    flag(None, "show-current-patch", "prints the patch: runs git").to_git(),
    valued(None, "onto", Value::Required("newbase"), ""),
    valued(Some('x'), "exec", Value::Required("cmd"), ""),
    valued(Some('s'), "strategy", Value::Required("strategy"), ""),
    valued(Some('X'), "strategy-option", Value::Required("option"), ""),
    valued(Some('C'), "context", Value::Required("n"), ""),
    valued(None, "whitespace", Value::Required("action"), ""),
    valued(None, "empty", Value::Required("mode"), ""),
];
