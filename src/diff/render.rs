//! The output forms of `git rtk-diff` (docs/output.md): compact patch, `--stat`, and git's own
//! `--numstat`, `--name-only` and `--name-status`.

use super::hunks::{self, FunctionNames, LineDiff};
use super::{is_binary, load, ChangeKind, FileChange};
use crate::native_size::patch::{self as native_patch, HeaderSide, NativeDiff, StatEntry};
use crate::quote::PathQuoting;

/// Which form to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Patch { context: u32 },
    Stat,
    NumStat,
    NameOnly,
    NameStatus,
}

/// Renders `changes` in `form`. Returns `None` when the form needs something only git renders
/// (renamed paths in `--stat`/`--numstat`, whose `{old => new}` spelling is git's). With `native`,
/// also adds the size of what git itself prints for the same form (see [`crate::native_size`]).
pub fn render(
    repo: &gix::Repository,
    changes: &[FileChange],
    form: Form,
    out: &mut Vec<u8>,
    mut native: Option<&mut NativeDiff>,
) -> anyhow::Result<Option<()>> {
    let start = out.len();
    let quoting = PathQuoting::from_config(repo, false);
    if changes.iter().any(|c| {
        matches!(
            c.kind,
            ChangeKind::Renamed { exact: false } | ChangeKind::Copied { exact: false }
        )
    }) {
        // The similarity score of an inexact rename is git's own estimate (diffcore-delta).
        return Ok(None);
    }
    match form {
        Form::Patch { context } => {
            for change in changes {
                write_patch(repo, change, context, &quoting, out, native.as_deref_mut())?;
            }
            return Ok(Some(()));
        }
        Form::NameOnly => {
            for change in changes {
                quoting.write(change.path(), out);
                out.push(b'\n');
            }
        }
        Form::NameStatus => {
            for change in changes {
                if matches!(
                    change.kind,
                    ChangeKind::Renamed { exact: false } | ChangeKind::Copied { exact: false }
                ) {
                    // git prints its own similarity score here.
                    return Ok(None);
                }
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
        Form::NumStat | Form::Stat => {
            if changes.iter().any(|c| is_rewrite(c.kind)) {
                return Ok(None);
            }
            let (mut files, mut added, mut removed) = (0, 0, 0);
            let mut stat_entries = Vec::new();
            for change in changes {
                let (old, new) = contents(repo, change)?;
                files += 1;
                let binary = is_binary(&old) || is_binary(&new);
                let counts = if binary {
                    None
                } else {
                    Some(hunks::count_lines(&old, &new))
                };
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
                let path_start = out.len();
                quoting.write(change.path(), out);
                stat_entries.push(StatEntry {
                    display_len: out.len() - path_start,
                    added: counts.map_or(0, |c| c.added),
                    removed: counts.map_or(0, |c| c.removed),
                    binary: counts.is_none().then_some((old.len(), new.len())),
                });
                match (form, counts) {
                    (Form::Stat, Some(c)) => {
                        out.extend_from_slice(format!(" +{} -{}", c.added, c.removed).as_bytes())
                    }
                    (Form::Stat, None) => out.extend_from_slice(b" binary"),
                    _ => {}
                }
                out.push(b'\n');
            }
            if form == Form::Stat && files > 0 {
                let summary = summary_line(files, added, removed);
                out.extend_from_slice(summary.as_bytes());
                if let Some(native) = native {
                    native.bytes += native_patch::stat_len(&stat_entries) + summary.len();
                }
                return Ok(Some(()));
            }
        }
    }
    // --name-only, --name-status and --numstat are printed exactly as git prints them.
    if let Some(native) = native {
        native.bytes += out.len() - start;
    }
    Ok(Some(()))
}

fn contents(repo: &gix::Repository, change: &FileChange) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let old = change
        .old
        .as_ref()
        .map(|s| load(repo, s))
        .transpose()?
        .unwrap_or_default();
    let new = change
        .new
        .as_ref()
        .map(|s| load(repo, s))
        .transpose()?
        .unwrap_or_default();
    Ok((old, new))
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
pub fn write_patch(
    repo: &gix::Repository,
    change: &FileChange,
    context: u32,
    quoting: &PathQuoting,
    out: &mut Vec<u8>,
    native: Option<&mut NativeDiff>,
) -> anyhow::Result<()> {
    let (old, new) = contents(repo, change)?;
    let binary = is_binary(&old) || is_binary(&new);
    // A changed file's line diff is computed once, for the compact hunks and git's alike.
    let line_diff = (!binary
        && old != new
        && !matches!(
            change.kind,
            ChangeKind::Added | ChangeKind::Deleted | ChangeKind::TypeChanged
        ))
    .then(|| LineDiff::new(&old, &new));
    if let Some(native) = native {
        native.bytes += native_patch_len(
            change,
            (&old, &new),
            line_diff.as_ref(),
            binary,
            quoting,
            native,
        );
    }
    out.extend_from_slice(status_code(change.kind).as_bytes());
    out.push(b' ');
    if let (Some(source), true) = (&change.old, is_rewrite(change.kind)) {
        quoting.write(&source.path, out);
        out.extend_from_slice(b" -> ");
    }
    quoting.write(change.path(), out);
    let mut notes: Vec<String> = Vec::new();
    match (&change.old, &change.new) {
        (Some(o), Some(n)) if o.mode != n.mode => {
            notes.push(format!("mode {:o} -> {:o}", o.mode, n.mode))
        }
        (None, Some(n)) if n.mode != 0o100644 => notes.push(format!("new mode {:o}", n.mode)),
        (Some(o), None) if o.mode != 0o100644 => notes.push(format!("deleted mode {:o}", o.mode)),
        _ => {}
    }
    if binary {
        notes.push("binary".to_owned());
    }
    if !notes.is_empty() {
        out.extend_from_slice(format!(" ({})", notes.join(", ")).as_bytes());
    }
    out.push(b'\n');
    if binary || old == new {
        return Ok(());
    }
    match change.kind {
        // A whole file added or removed is one hunk; its `@@ -0,0 +1,n @@` header says nothing
        // the lines don't. git shows a type change as the old content removed and the new added.
        ChangeKind::Added => hunks::write_whole(b'+', &new, out),
        ChangeKind::Deleted => hunks::write_whole(b'-', &old, out),
        ChangeKind::TypeChanged => {
            hunks::write_whole(b'-', &old, out);
            hunks::write_whole(b'+', &new, out);
        }
        _ => {
            if let Some(line_diff) = &line_diff {
                line_diff.write(context, FunctionNames::WhenChanged, out);
            }
        }
    }
    Ok(())
}

/// What `git diff` prints for one file: its header and its hunks with git's context and
/// function names.
fn native_patch_len(
    change: &FileChange,
    (old, new): (&[u8], &[u8]),
    line_diff: Option<&LineDiff<'_>>,
    binary: bool,
    quoting: &PathQuoting,
    native: &NativeDiff,
) -> usize {
    let mut scratch = Vec::new();
    let mut displayed = |path: &[u8]| {
        scratch.clear();
        quoting.write(path, &mut scratch);
        scratch.len()
    };
    let old_side = change.old.as_ref().map(|side| HeaderSide {
        mode: side.mode,
        display_len: displayed(&side.path),
        empty: old.is_empty(),
    });
    let new_side = change.new.as_ref().map(|side| HeaderSide {
        mode: side.mode,
        display_len: displayed(&side.path),
        empty: new.is_empty(),
    });
    let differs = old != new;
    let header = |kind, old_side, new_side| {
        native_patch::header_len(kind, old_side, new_side, binary, differs, native.abbrev)
    };
    let mut hunks_len = |before: &[u8], after: &[u8]| {
        if binary || before == after {
            return 0;
        }
        scratch.clear();
        match line_diff {
            Some(line_diff) => line_diff.write(native.context, FunctionNames::Always, &mut scratch),
            // A whole side added or removed: diffing against nothing is linear.
            None => LineDiff::new(before, after).write(
                native.context,
                FunctionNames::Always,
                &mut scratch,
            ),
        };
        scratch.len()
    };
    match change.kind {
        // git shows a type change as the old file deleted and the new one added.
        ChangeKind::TypeChanged => {
            header(ChangeKind::Deleted, old_side, None)
                + hunks_len(old, b"")
                + header(ChangeKind::Added, None, new_side)
                + hunks_len(b"", new)
        }
        kind => header(kind, old_side, new_side) + hunks_len(old, new),
    }
}
