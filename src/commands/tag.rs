//! `git rtk-tag`: git tag, and the tag it made or removed. git runs with the identical argv (see
//! `crate::mutate`); the table holds the options the plugin reads to decide whether git keeps the
//! terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::{Command, GitRun};
use crate::options::{flag, valued, Flag, Parsed, Value};

pub const COMMAND: Command = declare(
    "tag",
    "git tag, and the tag it made or removed",
    "Runs git tag with the same arguments, then prints the tag it made or removed. Listing tags, and annotating without a message (the editor), run git unchanged.",
    &[OPTIONS, COMMON],
    GitRun {
        hand_over,
        reads_only: lists,
        ..REPORTED
    },
);

const OPTIONS: &[Flag] = &[
    valued(Some('m'), "message", Value::Required("message"), ""),
    valued(Some('F'), "file", Value::Required("file"), ""),
    valued(Some('u'), "local-user", Value::Required("key-id"), ""),
    valued(None, "cleanup", Value::Required("mode"), ""),
    valued(None, "sort", Value::Required("key"), "lists tags: runs git"),
    valued(
        None,
        "format",
        Value::Required("format"),
        "lists tags: runs git",
    ),
    valued(
        None,
        "contains",
        Value::LastArgDefault("commit"),
        "lists tags: runs git",
    ),
    valued(
        None,
        "no-contains",
        Value::LastArgDefault("commit"),
        "lists tags: runs git",
    ),
    valued(
        None,
        "points-at",
        Value::LastArgDefault("object"),
        "lists tags: runs git",
    ),
    valued(
        None,
        "merged",
        Value::LastArgDefault("commit"),
        "lists tags: runs git",
    ),
    valued(
        None,
        "no-merged",
        Value::LastArgDefault("commit"),
        "lists tags: runs git",
    ),
    valued(None, "trailer", Value::Required("token[(=|:)value]"), ""),
    valued(
        Some('n'),
        "n",
        Value::Optional("n"),
        "lists tags with messages: runs git",
    ),
    valued(
        None,
        "column",
        Value::Optional("options"),
        "lists tags: runs git",
    ),
    flag(Some('l'), "list", "lists tags: runs git"),
    flag(Some('v'), "verify", "verifies signatures: runs git"),
    flag(Some('d'), "delete", ""),
    flag(Some('a'), "annotate", ""),
    flag(Some('s'), "sign", ""),
    flag(Some('f'), "force", ""),
    flag(Some('e'), "edit", "edit the message in an editor: runs git").to_git(),
];

/// Whether `git tag <args>` lists (or verifies) tags rather than making or removing one: the
/// rewriter's classification and the plugin's hand-over both ask this.
pub fn lists(parsed: &Parsed) -> bool {
    let deleting = parsed.has("delete");
    parsed.has_any(&[
        "list",
        "verify",
        "n",
        "contains",
        "no-contains",
        "points-at",
        "merged",
        "no-merged",
        "sort",
        "format",
        "column",
    ]) || (parsed.all_operands().next().is_none() && !deleting)
}

/// An annotated tag without a message opens the editor.
fn hand_over(parsed: &Parsed) -> bool {
    let annotated = parsed.has_any(&["annotate", "sign", "local-user"]);
    let message_given = parsed.has_any(&["message", "file"]);
    annotated && !message_given
}
