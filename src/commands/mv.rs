//! `git rtk-mv`: git mv, and what it moved. git runs with the identical argv (see `crate::mutate`); the table holds
//! the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{never, COMMON, SYNOPSIS};
use crate::command::{Command, Entry, GitRun, Kind};
use crate::options::{flag, Flag, LENIENT};

pub const COMMAND: Command = Command {
    name: "mv",
    kind: Kind::Mutating,
    summary: "git mv, and what it moved",
    synopsis: SYNOPSIS,
    about: "Runs git mv with the same arguments, then prints what it moved.",
    syntax: LENIENT,
    table: &[OPTIONS, COMMON],
    entry: Entry::Git(GitRun {
        hand_over: never,
        reads_only: never,
        network: false,
    }),
};

const OPTIONS: &[Flag] =
    &[flag(Some('n'), "dry-run", "shows what would be moved: runs git").to_git()];
