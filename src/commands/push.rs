//! `git rtk-push`: git push, and what it updated. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{valued, Flag, Value, LENIENT};

pub const COMMAND: Command = Command {
    name: "push",
    kind: Kind::Mutating,
    summary: "git push, and what it updated",
    synopsis: SYNOPSIS,
    about: "Runs git push with the same arguments, then prints the remote refs it updated. On a terminal, git keeps its progress display.",
    syntax: LENIENT,
    table: &[OPTIONS, COMMON],
    entry: Entry::Git(GitRun {
        hand_over: never,
        reads_only: never,
        network: true,
    }),
};

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
