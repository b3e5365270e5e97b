//! `git rtk-fetch`: git fetch, and what it updated. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{valued, Flag, Value};

pub const COMMAND: Command = declare(
    "fetch",
    "git fetch, and what it updated",
    "Runs git fetch with the same arguments, then prints the remote-tracking refs it updated. On a terminal, git keeps its progress display.",
    &[OPTIONS, TRANSFER, COMMON],
    GitRun {
        network: true,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(None, "refmap", Value::Required("refmap"), ""),
    valued(None, "filter", Value::Required("filter-spec"), ""),
];

/// The fetch options `git pull` passes on to its fetch (a section of both tables).
pub const TRANSFER: &[Flag] = &[
    valued(None, "depth", Value::Required("depth"), ""),
    valued(None, "deepen", Value::Required("depth"), ""),
    valued(None, "shallow-since", Value::Required("time"), ""),
    valued(None, "shallow-exclude", Value::Required("ref"), ""),
    valued(None, "upload-pack", Value::Required("path"), ""),
    valued(Some('j'), "jobs", Value::Required("n"), ""),
    valued(Some('o'), "server-option", Value::Required("option"), ""),
    valued(None, "negotiation-tip", Value::Required("revision"), ""),
];
