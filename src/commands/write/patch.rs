//! `git rtk-write patch [-p N] [FILE|-]`: apply a unified diff to the working directory, all of
//! it or none of it.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use bstr::ByteSlice as _;
use clap::Args;
use serde_json::{json, Value};

use super::failure::{Failure, FailureKind};
use super::files::{self, FileChange, Snapshot};
use super::{Done, Options};
use crate::edit::patch::{self as unified, FilePatch};
use crate::write::Expected;

/// Apply a unified diff (plain or git's: several files, new and deleted files, renames and copies).
/// Context must match exactly (a hunk may sit at another line, never with fuzz); if any hunk
/// fails, nothing is written and the failing hunk is named.
#[derive(Debug, Args)]
pub struct PatchArgs {
    /// Strip N leading path components, as patch(1) does.
    #[arg(short = 'p', value_name = "N", default_value_t = 1)]
    pub strip: usize,
    /// The patch file; stdin when absent or `-`.
    pub patch: Option<PathBuf>,
}

/// One path's state while the patch is applied in memory.
struct Tracked {
    /// As read from disk (`None`: did not exist).
    original: Option<Snapshot>,
    /// After the patches so far (`None`: does not exist).
    current: Option<Vec<u8>>,
}

/// What happened to one file, for the summary.
struct Outcome {
    label: String,
    json: Value,
}

pub fn cmd_patch(args: &PatchArgs, options: &Options) -> Result<Done, Failure> {
    let text = read_patch(args.patch.as_deref())?;
    let patches =
        unified::parse(&text, args.strip).map_err(|err| Failure::fatal(err.to_string()))?;
    if patches.is_empty() {
        return Err(Failure::new(
            FailureKind::DoesNotApply,
            "the input holds no patch",
        ));
    }
    let mut tree: BTreeMap<PathBuf, Tracked> = BTreeMap::new();
    let mut outcomes = Vec::new();
    for patch in &patches {
        outcomes.push(apply_file(patch, &mut tree)?);
    }
    let mut changes = Vec::new();
    let mut diff = Vec::new();
    for (path, tracked) in &tree {
        let before = tracked.original.as_ref().map(|s| &s.content);
        if before == tracked.current.as_ref() {
            continue;
        }
        let name = path.to_string_lossy();
        diff.extend(files::unified_diff(
            before.map(|_| name.as_ref()),
            tracked.current.as_ref().map(|_| name.as_ref()),
            before.map_or(&[][..], Vec::as_slice),
            tracked.current.as_deref().unwrap_or_default(),
        ));
        match (&tracked.original, &tracked.current) {
            (_, Some(content)) => changes.push(FileChange::Write {
                path: path.clone(),
                content: content.clone(),
                expected: Some(
                    tracked
                        .original
                        .as_ref()
                        .map_or(Expected::Absent, |s| s.expected.clone()),
                ),
            }),
            (Some(original), None) => changes.push(FileChange::Delete {
                path: path.clone(),
                expected: original.expected.clone(),
            }),
            (None, None) => {}
        }
    }
    files::commit(&changes, options)?;
    let labels: Vec<String> = outcomes.iter().map(|o| o.label.clone()).collect();
    let count = outcomes.len();
    let mut json = serde_json::Map::new();
    json.insert("changed".to_owned(), (!changes.is_empty()).into());
    json.insert(
        "files".to_owned(),
        outcomes
            .into_iter()
            .map(|o| o.json)
            .collect::<Vec<_>>()
            .into(),
    );
    let summary = if changes.is_empty() {
        "no change: the patch changes nothing".to_owned()
    } else {
        let noun = if count == 1 { "file" } else { "files" };
        format!("patched {count} {noun}: {}", labels.join(", "))
    };
    Ok(Done {
        summary,
        json,
        diff,
    })
}

fn read_patch(path: Option<&Path>) -> Result<Vec<u8>, Failure> {
    match path {
        Some(path) if path != Path::new("-") => std::fs::read(path).map_err(|err| {
            Failure::fatal(format!("cannot read patch '{}': {err}", path.display()))
        }),
        _ => {
            let mut text = Vec::with_capacity(64 * 1024);
            std::io::stdin()
                .lock()
                .read_to_end(&mut text)
                .map_err(|err| {
                    Failure::fatal(format!("cannot read the patch from stdin: {err}"))
                })?;
            Ok(text)
        }
    }
}

/// A path from the patch as a relative path inside the working directory.
fn local_path(raw: &[u8]) -> Result<PathBuf, Failure> {
    let path = raw
        .to_path()
        .map_err(|_| {
            Failure::new(
                FailureKind::DoesNotApply,
                "a path in the patch is not valid",
            )
        })?
        .to_owned();
    let escapes = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes {
        return Err(Failure::new(
            FailureKind::DoesNotApply,
            format!(
                "{}: path is outside the working directory; nothing was written",
                path.display()
            ),
        ));
    }
    Ok(path)
}

/// The current content of `path`, read from disk the first time it is needed.
fn tracked<'t>(
    tree: &'t mut BTreeMap<PathBuf, Tracked>,
    path: &Path,
) -> Result<&'t mut Tracked, Failure> {
    if !tree.contains_key(path) {
        let original = files::read(path)?;
        let current = original.as_ref().map(|s| s.content.clone());
        tree.insert(path.to_owned(), Tracked { original, current });
    }
    tree.get_mut(path)
        .ok_or_else(|| Failure::fatal(format!("{}: lost track of the file", path.display())))
}

fn does_not_apply(file: &str, message: &str) -> Failure {
    Failure::new(
        FailureKind::DoesNotApply,
        format!("{file}: {message}; nothing was written"),
    )
    .detail("file", file)
}

/// Applies one file's patch to the in-memory tree.
fn apply_file(
    patch: &FilePatch,
    tree: &mut BTreeMap<PathBuf, Tracked>,
) -> Result<Outcome, Failure> {
    let name = patch.display_path();
    if patch.binary {
        return Err(does_not_apply(&name, "binary patches are not supported"));
    }
    let old_path = patch.old_path.as_deref().map(local_path).transpose()?;
    let new_path = patch.new_path.as_deref().map(local_path).transpose()?;
    let source = match &old_path {
        Some(path) => tracked(tree, path)?.current.clone(),
        None => None,
    };
    if old_path.is_some() && source.is_none() {
        return Err(does_not_apply(&name, "no such file"));
    }
    let applied = unified::apply_hunks(source.as_deref().unwrap_or_default(), &patch.hunks)
        .map_err(|failure| {
            let header = patch
                .hunks
                .get(failure.hunk)
                .map_or("", |h| h.header.as_str());
            Failure::new(
                FailureKind::DoesNotApply,
                format!(
                    "{name}: hunk {header} does not apply: {}; nothing was written",
                    failure.reason
                ),
            )
            .detail("file", name.clone())
            .detail("hunk", header)
        })?;
    let hunks = patch.hunks.len();
    let (label, status) = match (&old_path, &new_path) {
        (None, Some(new)) => {
            let target = tracked(tree, new)?;
            if target.current.is_some() {
                return Err(does_not_apply(&name, "already exists"));
            }
            target.current = Some(applied.content);
            (format!("{} (new)", new.display()), "added")
        }
        (Some(old), None) => {
            if !applied.content.is_empty() {
                return Err(does_not_apply(
                    &name,
                    "the file has lines the deletion does not remove",
                ));
            }
            tracked(tree, old)?.current = None;
            (format!("{} (deleted)", old.display()), "deleted")
        }
        (Some(old), Some(new)) if old != new && (patch.rename || patch.copy) => {
            let target = tracked(tree, new)?;
            if target.current.is_some() {
                return Err(does_not_apply(&new.display().to_string(), "already exists"));
            }
            target.current = Some(applied.content);
            if patch.rename {
                tracked(tree, old)?.current = None;
            }
            let verb = if patch.rename { "renamed" } else { "copied" };
            (
                format!("{} → {} ({verb})", old.display(), new.display()),
                verb,
            )
        }
        (Some(old), Some(_)) => {
            tracked(tree, old)?.current = Some(applied.content);
            let noun = if hunks == 1 { "hunk" } else { "hunks" };
            (format!("{} ({hunks} {noun})", old.display()), "modified")
        }
        (None, None) => return Err(does_not_apply(&name, "the patch names no file")),
    };
    let json = json!({
        "old_path": old_path.map(|p| p.display().to_string()),
        "new_path": new_path.map(|p| p.display().to_string()),
        "status": status,
        "hunks": hunks,
        "offsets": applied.offsets,
    });
    Ok(Outcome { label, json })
}
