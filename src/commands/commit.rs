//! `git rtk-commit`: git commit, and the commit it made. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{flag, valued, Flag, Parsed, Value};

pub const COMMAND: Command = declare(
    "commit",
    "git commit, and the commit it made",
    "Runs git commit with the same arguments, then prints the commit it made: id, branch, subject and what changed. Without a message source git opens the editor, so the terminal stays git's.",
    &[OPTIONS, COMMON],
    GitRun {
        hand_over,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(Some('m'), "message", Value::Required("message"), ""),
    valued(Some('F'), "file", Value::Required("file"), ""),
    valued(Some('C'), "reuse-message", Value::Required("commit"), ""),
    valued(
        Some('c'),
        "reedit-message",
        Value::Required("commit"),
        "edit a reused message: runs git",
    )
    .to_git(),
    valued(Some('t'), "template", Value::Required("file"), ""),
    valued(
        None,
        "fixup",
        Value::Required("[(amend|reword):]commit"),
        "",
    ),
    valued(None, "squash", Value::Required("commit"), ""),
    valued(None, "author", Value::Required("author"), ""),
    valued(None, "date", Value::Required("date"), ""),
    valued(None, "cleanup", Value::Required("mode"), ""),
    valued(None, "trailer", Value::Required("token[(=|:)value]"), ""),
    valued(None, "pathspec-from-file", Value::Required("file"), ""),
    valued(Some('S'), "gpg-sign", Value::Optional("key-id"), ""),
    valued(Some('u'), "untracked-files", Value::Optional("mode"), ""),
    flag(None, "no-edit", ""),
    flag(Some('a'), "all", ""),
    flag(Some('s'), "signoff", ""),
    flag(Some('n'), "no-verify", ""),
    flag(Some('o'), "only", ""),
    flag(Some('i'), "include", ""),
    flag(None, "amend", ""),
    flag(Some('p'), "patch", "choose hunks interactively: runs git").to_git(),
    flag(None, "interactive", "interactive staging: runs git").to_git(),
    flag(Some('e'), "edit", "edit the message in an editor: runs git").to_git(),
    flag(None, "short", "prints status: runs git").to_git(),
    flag(None, "long", "prints status: runs git").to_git(),
    flag(
        Some('v'),
        "verbose",
        "shows the diff in the editor: runs git",
    )
    .to_git(),
    flag(None, "status", "status in the editor template: runs git").to_git(),
];

/// No message source, or one that opens the editor: the editor needs the terminal.
fn hand_over(parsed: &Parsed) -> bool {
    let fixup_message = parsed
        .value("fixup")
        .is_some_and(|v| !v.starts_with("amend:") && !v.starts_with("reword:"));
    let message_given =
        parsed.has_any(&["message", "file", "reuse-message", "no-edit"]) || fixup_message;
    !message_given
}
