//! `git rtk-stash`: git stash, and what it stashed or applied. git runs with the identical argv
//! (see `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps
//! the terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{flag, valued, Flag, Parsed, Value};

pub const COMMAND: Command = declare(
    "stash",
    "git stash, and what it stashed or applied",
    "Runs git stash with the same arguments, then prints what it stashed, applied or dropped. stash list, show, create and store run git unchanged.",
    &[OPTIONS, COMMON],
    GitRun {
        hand_over: prints_product,
        reads_only,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(Some('m'), "message", Value::Required("message"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
];

/// `stash list` and `stash show` only read.
fn reads_only(parsed: &Parsed) -> bool {
    matches!(parsed.first_operand(), Some("list" | "show"))
}

/// `create` prints the product; `store` takes an id from scripts.
fn prints_product(parsed: &Parsed) -> bool {
    matches!(parsed.first_operand(), Some("create" | "store"))
}
