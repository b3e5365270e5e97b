//! The files that differ between the index and the work tree, read from git's `diff --raw -z`,
//! where fsmonitor lets git skip the `lstat()` of unchanged files on a large index (see
//! [`crate::git_acceleration`]). The lines of each file are still read and diffed here.
//!
//! git's raw records: `:<old mode> <new mode> <old id> <new id> <status>` NUL `<path>` NUL, with
//! the new id all zeros for a file read from the work tree (git's
//! `Documentation/diff-format.txt`). Paths are relative to the top of the work tree
//! (`--no-relative`). Anything but a plain modification, deletion or type change of a regular
//! file or symlink (a conflict, an intent-to-add entry, a submodule) leaves the diff to the
//! in-process path, which knows how git prints those.

use gix::bstr::{BString, ByteSlice};

use super::{ChangeKind, Content, FileChange, Side};

/// The changes, or `None` when a record is of a kind left to the in-process path.
pub fn index_to_worktree(repo: &gix::Repository) -> anyhow::Result<Option<Vec<FileChange>>> {
    let args: Vec<String> = [
        "diff",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--no-relative",
    ]
    .map(str::to_owned)
    .to_vec();
    let raw = crate::git_records::output(&args)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| anyhow::anyhow!("no work tree"))?
        .to_owned();
    parse(&raw, &workdir)
}

fn parse(raw: &[u8], workdir: &std::path::Path) -> anyhow::Result<Option<Vec<FileChange>>> {
    let mut changes = Vec::new();
    let mut fields = raw.split(|&b| b == 0);
    while let Some(header) = fields.next().filter(|h| !h.is_empty()) {
        let malformed = || anyhow::anyhow!("unexpected raw diff record: {:?}", header.as_bstr());
        let path = BString::from(fields.next().ok_or_else(malformed)?);
        let header = header.strip_prefix(b":").ok_or_else(malformed)?;
        let parts: Vec<&[u8]> = header.split(|&b| b == b' ').collect();
        let [old_mode, new_mode, old_id, new_id, status] = parts[..] else {
            return Err(malformed());
        };
        let (old_mode, new_mode) = (
            octal(old_mode).ok_or_else(malformed)?,
            octal(new_mode).ok_or_else(malformed)?,
        );
        if old_mode == 0o160000 || new_mode == 0o160000 {
            return Ok(None);
        }
        let old_id = gix::ObjectId::from_hex(old_id).map_err(|_| malformed())?;
        let new_id = gix::ObjectId::from_hex(new_id).map_err(|_| malformed())?;
        let old = Side::blob(path.clone(), old_mode, old_id);
        let content = if new_id.is_null() {
            Content::Worktree(workdir.join(gix::path::from_bstr(path.as_bstr())?))
        } else {
            Content::Blob(new_id)
        };
        let new = || Side {
            path: path.clone(),
            mode: new_mode,
            content: content.clone(),
        };
        let change = match status {
            b"M" => FileChange {
                kind: ChangeKind::Modified,
                old: Some(old),
                new: Some(new()),
            },
            b"T" => FileChange {
                kind: ChangeKind::TypeChanged,
                old: Some(old),
                new: Some(new()),
            },
            b"D" => FileChange {
                kind: ChangeKind::Deleted,
                old: Some(old),
                new: None,
            },
            // `U` (unmerged), `A` (intent to add) and anything newer.
            _ => return Ok(None),
        };
        changes.push(change);
    }
    Ok(Some(changes))
}

fn octal(field: &[u8]) -> Option<u32> {
    u32::from_str_radix(field.to_str().ok()?, 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZERO: &str = "0000000000000000000000000000000000000000";
    const ID: &str = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";

    #[test]
    fn reads_modifications_deletions_and_type_changes() -> anyhow::Result<()> {
        let raw = format!(
            ":100644 100755 {ID} {ZERO} M\0a file\0\
             :100644 000000 {ID} {ZERO} D\0gone\0\
             :100644 120000 {ID} {ZERO} T\0link\0"
        );
        let changes = parse(raw.as_bytes(), std::path::Path::new("/w"))?
            .ok_or_else(|| anyhow::anyhow!("served"))?;
        let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ChangeKind::Modified,
                ChangeKind::Deleted,
                ChangeKind::TypeChanged
            ]
        );
        let new = changes[0]
            .new
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("new side"))?;
        assert_eq!(new.mode, 0o100755);
        assert!(
            matches!(&new.content, Content::Worktree(p) if p == std::path::Path::new("/w/a file"))
        );
        assert!(changes[1].new.is_none());
        Ok(())
    }

    #[test]
    fn conflicts_intent_to_add_and_submodules_are_left_to_the_in_process_path() -> anyhow::Result<()>
    {
        for record in [
            format!(":000000 000000 {ZERO} {ZERO} U\0c\0"),
            format!(":000000 100644 {ZERO} {ZERO} A\0ita\0"),
            format!(":160000 160000 {ID} {ZERO} M\0sub\0"),
        ] {
            assert!(parse(record.as_bytes(), std::path::Path::new("/w"))?.is_none());
        }
        Ok(())
    }

    #[test]
    fn a_record_of_another_shape_is_an_error() {
        assert!(parse(b":100644 M\0path\0", std::path::Path::new("/w")).is_err());
        assert!(parse(b"no colon\0path\0", std::path::Path::new("/w")).is_err());
    }
}
