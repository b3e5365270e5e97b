//! `git rtk-worktree`: git worktree, and the worktrees now. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{valued, Flag, Parsed, Value};

pub const COMMAND: Command = declare(
    "worktree",
    "git worktree, and the worktrees now",
    "Runs git worktree add, remove, move, prune, lock, unlock or repair with the same arguments, then prints the worktrees that changed. Other subcommands run git unchanged.",
    &[OPTIONS, COMMON],
    GitRun {
        hand_over: other_subcommand,
        reads_only,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(Some('b'), "b", Value::Required("new-branch"), ""),
    valued(Some('B'), "B", Value::Required("new-branch"), ""),
    valued(None, "reason", Value::Required("string"), ""),
    valued(None, "expire", Value::Required("expire"), ""),
];

/// `worktree list` only reads.
fn reads_only(parsed: &Parsed) -> bool {
    matches!(parsed.first_operand(), Some("list"))
}

/// Subcommands whose result the report covers; any other goes to git.
fn other_subcommand(parsed: &Parsed) -> bool {
    !matches!(
        parsed.first_operand(),
        Some("add" | "remove" | "move" | "prune" | "lock" | "unlock" | "repair")
    )
}
