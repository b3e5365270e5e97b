//! `git rtk-rm`: git rm, and what it removed. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{flag, valued, Flag, Value, LENIENT};

pub const COMMAND: Command = Command {
    name: "rm",
    kind: Kind::Mutating,
    summary: "git rm, and what it removed",
    synopsis: SYNOPSIS,
    about: "Runs git rm with the same arguments, then prints what it removed.",
    syntax: LENIENT,
    table: &[OPTIONS, COMMON],
    entry: Entry::Git(GitRun {
        hand_over: never,
        reads_only: never,
        network: false,
    }),
};

const OPTIONS: &[Flag] = &[
    flag(
        Some('n'),
        "dry-run",
        "shows what would be removed: runs git",
    )
    .to_git(),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
];
