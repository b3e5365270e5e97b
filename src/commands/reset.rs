//! `git rtk-reset`: git reset, and where HEAD is now. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{flag, valued, Flag, Value, LENIENT};

pub const COMMAND: Command = Command {
    name: "reset",
    kind: Kind::Mutating,
    summary: "git reset, and where HEAD is now",
    synopsis: SYNOPSIS,
    about: "Runs git reset with the same arguments, then prints where HEAD is and what changed.",
    syntax: LENIENT,
    table: &[OPTIONS, COMMON],
    entry: Entry::Git(GitRun {
        hand_over: never,
        reads_only: never,
        network: false,
    }),
};

const OPTIONS: &[Flag] = &[
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
];
