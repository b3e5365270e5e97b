//! `git rtk-restore`: git restore, and what it restored. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{flag, valued, Flag, Value, LENIENT};

pub const COMMAND: Command = Command {
    name: "restore",
    kind: Kind::Mutating,
    summary: "git restore, and what it restored",
    synopsis: SYNOPSIS,
    about: "Runs git restore with the same arguments, then prints what it restored.",
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
    valued(Some('s'), "source", Value::Required("tree-ish"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
    valued(None, "conflict", Value::Required("style"), ""),
];
