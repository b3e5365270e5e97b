//! The output forms of `git rtk-diff` (docs/output.md): compact patch, `--stat`, and git's own
//! `--numstat`, `--name-only` and `--name-status`.

use super::definitions::Definitions;
use super::hunks::{self, Headers, LineCounts, LineDiff};
use super::report::FileDiff;
use super::{ChangeKind, FileChange};
use crate::quote::PathQuoting;

/// Which form to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `context`: `-U<n>`, with git's hunk headers; `None` for the compact default (no context,
    /// compact headers).
    Patch {
        context: Option<u32>,
    },
    Stat,
    NumStat,
    NameOnly,
    NameStatus,
}

/// Whether `changes` in `form` need something only git renders: the similarity score of an
/// inexact rename or copy (git's own estimate, diffcore-delta), or a rewritten path in
/// `--stat`/`--numstat` (whose `{old => new}` spelling is git's).
pub fn needs_git(changes: &[FileChange], form: Form) -> bool {
    let inexact = changes.iter().any(|c| {
        matches!(
            c.kind,
            ChangeKind::Renamed { exact: false } | ChangeKind::Copied { exact: false }
        )
    });
    let rewritten_stat =
        matches!(form, Form::Stat | Form::NumStat) && changes.iter().any(|c| is_rewrite(c.kind));
    inexact || rewritten_stat
}

/// `--name-only`: one path per line, as git prints it.
pub fn write_names(changes: &[FileChange], quoting: &PathQuoting, out: &mut Vec<u8>) {
    for change in changes {
        quoting.write(change.path(), out);
        out.push(b'\n');
    }
}

/// `--name-status`: the status letter, then the path (source and destination of a rename), as git
/// prints it.
pub fn write_name_status(changes: &[FileChange], quoting: &PathQuoting, out: &mut Vec<u8>) {
    for change in changes {
        out.extend_from_slice(status_code(change.kind).as_bytes());
        if let (Some(old), true) = (&change.old, is_rewrite(change.kind)) {
            out.push(b'\t');
            quoting.write(&old.path, out);
        }
        out.push(b'\t');
        quoting.write(change.path(), out);
        out.push(b'\n');
    }
}

/// `--numstat` as git prints it, or the compact `--stat`: `path +added -removed` per file (a
/// zero count left out unless both are) and git's summary line. `counts` is each file's line counts (`None` for a binary file).
pub fn write_stat(
    files: &[FileDiff<'_>],
    counts: &[Option<LineCounts>],
    form: Form,
    quoting: &PathQuoting,
    out: &mut Vec<u8>,
) {
    let (mut added, mut removed) = (0, 0);
    for (file, counts) in files.iter().zip(counts) {
        if let Some(c) = counts {
            added += c.added;
            removed += c.removed;
        }
        match (form, counts) {
            (Form::NumStat, Some(c)) => {
                out.extend_from_slice(format!("{}\t{}\t", c.added, c.removed).as_bytes())
            }
            (Form::NumStat, None) => out.extend_from_slice(b"-\t-\t"),
            _ => {}
        }
        quoting.write(file.change.path(), out);
        match (form, counts) {
            // A count of zero is left out unless both are (a mode change, a dirty submodule).
            (Form::Stat, Some(c)) => {
                if c.added > 0 || c.removed == 0 {
                    out.extend_from_slice(format!(" +{}", c.added).as_bytes());
                }
                if c.removed > 0 || c.added == 0 {
                    out.extend_from_slice(format!(" -{}", c.removed).as_bytes());
                }
            }
            (Form::Stat, None) => out.extend_from_slice(b" binary"),
            _ => {}
        }
        out.push(b'\n');
    }
    if form == Form::Stat && !files.is_empty() {
        out.extend_from_slice(summary_line(files.len(), added, removed).as_bytes());
    }
}

fn is_rewrite(kind: ChangeKind) -> bool {
    matches!(kind, ChangeKind::Renamed { .. } | ChangeKind::Copied { .. })
}

fn status_code(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "A",
        ChangeKind::Deleted => "D",
        ChangeKind::Modified => "M",
        ChangeKind::TypeChanged => "T",
        ChangeKind::Renamed { exact: true } => "R100",
        ChangeKind::Renamed { exact: false } => "R",
        ChangeKind::Copied { exact: true } => "C100",
        ChangeKind::Copied { exact: false } => "C",
    }
}

/// git's `print_stat_summary` line.
pub fn summary_line(files: usize, added: usize, removed: usize) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_owned()
        } else {
            many.to_owned()
        }
    };
    let mut line = format!(" {files} {} changed", plural(files, "file", "files"));
    if added > 0 || removed == 0 {
        line.push_str(&format!(
            ", {added} {}(+)",
            plural(added, "insertion", "insertions")
        ));
    }
    if removed > 0 || added == 0 {
        line.push_str(&format!(
            ", {removed} {}(-)",
            plural(removed, "deletion", "deletions")
        ));
    }
    line.push('\n');
    line
}

/// One file: the header line, then its hunks (or nothing for binary and mode-only changes).
/// `line_diff` is the file's line diff (see [`FileDiff::line_diff`]).
pub fn write_patch(
    file: &FileDiff<'_>,
    line_diff: Option<&LineDiff<'_>>,
    context: Option<u32>,
    quoting: &PathQuoting,
    out: &mut Vec<u8>,
) {
    let change = file.change;
    let (old, new) = (&file.old, &file.new);
    out.extend_from_slice(status_code(change.kind).as_bytes());
    out.push(b' ');
    if let (Some(source), true) = (&change.old, is_rewrite(change.kind)) {
        quoting.write(&source.path, out);
        out.extend_from_slice(b" -> ");
    }
    quoting.write(change.path(), out);
    let mut notes: Vec<String> = Vec::new();
    let is_submodule =
        |side: &Option<super::Side>| side.as_ref().is_some_and(|s| s.mode == 0o160000);
    match (&change.old, &change.new) {
        (Some(o), Some(n)) if o.mode != n.mode => {
            notes.push(format!("mode {:o} -> {:o}", o.mode, n.mode))
        }
        // A gitlink's mode is said by `submodule` below.
        (None, Some(n)) if n.mode != 0o100644 && n.mode != 0o160000 => {
            notes.push(format!("new mode {:o}", n.mode))
        }
        (Some(o), None) if o.mode != 0o100644 && o.mode != 0o160000 => {
            notes.push(format!("deleted mode {:o}", o.mode))
        }
        _ => {}
    }
    if is_submodule(&change.old) || is_submodule(&change.new) {
        notes.push("submodule".to_owned());
    }
    if file.binary {
        notes.push("binary".to_owned());
    }
    if !notes.is_empty() {
        out.extend_from_slice(format!(" ({})", notes.join(", ")).as_bytes());
    }
    out.push(b'\n');
    if file.binary || old == new {
        return;
    }
    match change.kind {
        // A whole file added or removed is one hunk; its `@@ -0,0 +1,n @@` header says nothing
        // the lines don't. git shows a type change as the old content removed and the new added.
        ChangeKind::Added => hunks::write_whole(b'+', new, out),
        ChangeKind::Deleted => hunks::write_whole(b'-', old, out),
        ChangeKind::TypeChanged => {
            hunks::write_whole(b'-', old, out);
            hunks::write_whole(b'+', new, out);
        }
        _ => {
            if let Some(line_diff) = line_diff {
                match context {
                    Some(context) => line_diff.write(context, Headers::Git, out),
                    None => {
                        let definitions = Definitions::for_path(change.path());
                        line_diff.write(0, Headers::Compact(definitions), out)
                    }
                };
            }
        }
    }
}
