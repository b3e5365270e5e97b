//! `git rtk-checkout`: git checkout, and where HEAD is now. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{flag, valued, Flag, Parsed, Value};

pub const COMMAND: Command = declare(
    "checkout",
    "git checkout, and where HEAD is now",
    "Runs git checkout with the same arguments, then prints where HEAD is and what changed.",
    &[OPTIONS, COMMON],
    GitRun {
        hand_over: reports_only,
        reads_only,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(Some('b'), "b", Value::Required("new-branch"), ""),
    valued(Some('B'), "B", Value::Required("new-branch"), ""),
    valued(None, "orphan", Value::Required("new-branch"), ""),
    valued(None, "conflict", Value::Required("style"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
    flag(None, "detach", ""),
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
];

/// `git checkout` alone only reports where HEAD is (with `-f` or `-m` it resets the work tree).
fn reads_only(parsed: &Parsed) -> bool {
    parsed.words.is_empty()
}

/// Without operands or a new branch, `git checkout` reports where HEAD is: git's report is the
/// product.
fn reports_only(parsed: &Parsed) -> bool {
    parsed.all_operands().next().is_none()
        && !parsed.has_any(&["b", "B", "orphan", "detach", "pathspec-from-file"])
}
