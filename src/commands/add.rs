//! `git rtk-add`: git add, and what it staged. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{flag, valued, Flag, Value, LENIENT};

pub const COMMAND: Command = Command {
    name: "add",
    kind: Kind::Mutating,
    summary: "git add, and what it staged",
    synopsis: SYNOPSIS,
    about: "Runs git add with the same arguments, then prints what is staged now.",
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
    flag(Some('i'), "interactive", "interactive adding: runs git").to_git(),
    flag(Some('e'), "edit", "edit the diff in an editor: runs git").to_git(),
    flag(Some('n'), "dry-run", "shows what would be added: runs git").to_git(),
    valued(None, "chmod", Value::Required("(+|-)x"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
];
