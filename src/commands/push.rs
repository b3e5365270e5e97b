//! `git rtk-push`: git push, and what it updated. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{valued, Flag, Value};

pub const COMMAND: Command = declare(
    "push",
    "git push, and what it updated",
    "Runs git push with the same arguments, then prints the remote refs it updated. On a terminal, git keeps its progress display.",
    &[OPTIONS, COMMON],
    GitRun {
        network: true,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(None, "repo", Value::Required("repository"), ""),
    valued(
        None,
        "receive-pack",
        Value::Required("git-receive-pack"),
        "",
    ),
    valued(None, "exec", Value::Required("git-receive-pack"), ""),
    valued(Some('o'), "push-option", Value::Required("option"), ""),
];
