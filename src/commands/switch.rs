//! `git rtk-switch`: git switch, and where HEAD is now. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{valued, Flag, Value, LENIENT};

pub const COMMAND: Command = Command {
    name: "switch",
    kind: Kind::Mutating,
    summary: "git switch, and where HEAD is now",
    synopsis: SYNOPSIS,
    about: "Runs git switch with the same arguments, then prints where HEAD is and what changed.",
    syntax: LENIENT,
    table: &[OPTIONS, COMMON],
    entry: Entry::Git(GitRun {
        hand_over: never,
        reads_only: never,
        network: false,
    }),
};

const OPTIONS: &[Flag] = &[
    valued(Some('c'), "create", Value::Required("new-branch"), ""),
    valued(Some('C'), "force-create", Value::Required("new-branch"), ""),
    valued(None, "orphan", Value::Required("new-branch"), ""),
    valued(None, "conflict", Value::Required("style"), ""),
];
