//! The changes of a status read from git's own machine-readable output, for repositories where
//! git's accelerations make it the faster reader (see [`crate::git_acceleration`]).
//!
//! git runs `status --porcelain=v2 -z` with the request's options (see [`crate::git_records`]); its
//! records become the same [`Changes`] the in-process reader builds, so rendering and git's output size
//! are shared. Format: git's `Documentation/git-status.txt`, "Porcelain Format Version 2".

use gix::bstr::{BString, ByteSlice};

use super::{Changes, StatusRequest};

/// git's status, started: it runs while the branch line is read in-process.
pub(super) struct Pending(crate::git_records::Started);

/// Starts git's status for `request`.
pub(super) fn start(request: &StatusRequest) -> anyhow::Result<Pending> {
    crate::git_records::Started::spawn(&arguments(request)).map(Pending)
}

impl Pending {
    /// Waits for git and reads its records.
    pub(super) fn finish(self) -> anyhow::Result<Changes> {
        parse(&self.0.finish()?)
    }
}

/// `status --porcelain=v2 -z` with the options the user gave; what the user left out stays
/// git's configured default, as in `git status`.
fn arguments(request: &StatusRequest) -> Vec<String> {
    let mut args = vec![
        "status".to_owned(),
        "--porcelain=v2".to_owned(),
        "-z".to_owned(),
    ];
    if let Some(mode) = request.untracked {
        use gix::status::UntrackedFiles::*;
        let mode = match mode {
            None => "no",
            Collapsed => "normal",
            Files => "all",
        };
        args.push(format!("--untracked-files={mode}"));
    }
    if request.ignored {
        args.push("--ignored".to_owned());
    }
    if request.renames_given {
        args.push(
            if request.renames {
                "--renames"
            } else {
                "--no-renames"
            }
            .to_owned(),
        );
    }
    args.push("--".to_owned());
    args.extend(request.pathspecs.iter().map(|p| p.to_string()));
    args
}

/// Reads every record: `1` ordinary, `2` renamed or copied (its source is the next NUL-terminated
/// field), `u` unmerged, `?` untracked, `!` ignored. Paths are relative to the work tree's top.
fn parse(stdout: &[u8]) -> anyhow::Result<Changes> {
    let mut changes = Changes::default();
    let mut records = stdout.split(|&b| b == 0).filter(|r| !r.is_empty());
    while let Some(record) = records.next() {
        let malformed = || anyhow::anyhow!("unexpected status record: {:?}", record.as_bstr());
        match record.first() {
            Some(b'1') => {
                let fields: Vec<&[u8]> = record.splitn(9, |&b| b == b' ').collect();
                let [_, xy, sub, _, _, _, _, _, path] = fields[..] else {
                    return Err(malformed());
                };
                record_tracked(&mut changes, xy, sub, path, None).ok_or_else(malformed)?;
            }
            Some(b'2') => {
                let fields: Vec<&[u8]> = record.splitn(10, |&b| b == b' ').collect();
                let [_, xy, sub, _, _, _, _, _, _, path] = fields[..] else {
                    return Err(malformed());
                };
                let source = records.next().ok_or_else(malformed)?;
                record_tracked(&mut changes, xy, sub, path, Some(source)).ok_or_else(malformed)?;
            }
            Some(b'u') => {
                let fields: Vec<&[u8]> = record.splitn(11, |&b| b == b' ').collect();
                let [_, xy, _, _, _, _, _, _, _, _, path] = fields[..] else {
                    return Err(malformed());
                };
                let code = conflict_code(xy).ok_or_else(malformed)?;
                changes.tracked.entry(path.into()).or_default().conflict = Some(code);
            }
            Some(b'?') => changes
                .untracked
                .push(path_after_marker(record).ok_or_else(malformed)?),
            Some(b'!') => changes
                .ignored
                .push(path_after_marker(record).ok_or_else(malformed)?),
            // `# branch.*` headers are not asked for; the branch line is read in-process.
            Some(b'#') => {}
            _ => return Err(malformed()),
        }
    }
    Ok(changes)
}

/// One changed tracked path: `XY` with `.` for an unchanged side; `sub` is `N...` or, for a
/// submodule, `S<c><m><u>` (new commits, modified content, untracked content).
fn record_tracked(
    changes: &mut Changes,
    xy: &[u8],
    sub: &[u8],
    path: &[u8],
    source: Option<&[u8]>,
) -> Option<()> {
    let [x, y] = xy[..] else { return None };
    let letter = |c: u8| (c != b'.').then_some(c);
    let mut worktree = letter(y);
    if let [b'S', commits, modified, untracked] = sub[..] {
        if worktree.is_some() {
            changes.submodule_changed = true;
            worktree =
                super::submodule_column(commits == b'C', modified == b'M', untracked == b'U')
                    .or(worktree);
        }
    }
    let state = changes.tracked.entry(BString::from(path)).or_default();
    state.index = letter(x);
    state.worktree = worktree;
    state.renamed_from = source.map(BString::from);
    Some(())
}

/// The path of a `? <path>` or `! <path>` record.
fn path_after_marker(record: &[u8]) -> Option<BString> {
    record.get(1..)?.strip_prefix(b" ").map(BString::from)
}

fn conflict_code(xy: &[u8]) -> Option<&'static str> {
    Some(match xy {
        b"DD" => "DD",
        b"AU" => "AU",
        b"UD" => "UD",
        b"UA" => "UA",
        b"DU" => "DU",
        b"AA" => "AA",
        b"UU" => "UU",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_record_kind() -> anyhow::Result<()> {
        let h = "0123456789012345678901234567890123456789";
        let stdout = format!(
            "1 .M N... 100644 100644 100644 {h} {h} a file\0\
             1 A. N... 000000 100644 100644 {h} {h} added\0\
             2 R. N... 100644 100644 100644 {h} {h} R100 new name\0old name\0\
             1 .M SC.. 160000 160000 160000 {h} {h} sub\0\
             1 .M S..U 160000 160000 160000 {h} {h} sub2\0\
             u UU N... 100644 100644 100644 100644 {h} {h} {h} both\0\
             ? dir/\0\
             ! ignored.log\0"
        );
        let changes = parse(stdout.as_bytes())?;
        let state = |path: &str| &changes.tracked[&BString::from(path)];
        assert_eq!(
            (state("a file").index, state("a file").worktree),
            (None, Some(b'M'))
        );
        assert_eq!(state("added").index, Some(b'A'));
        assert_eq!(state("new name").index, Some(b'R'));
        assert_eq!(
            state("new name").renamed_from,
            Some(BString::from("old name"))
        );
        assert_eq!(state("sub").worktree, Some(b'M'));
        assert_eq!(state("sub2").worktree, Some(b'?'));
        assert!(changes.submodule_changed);
        assert_eq!(state("both").conflict, Some("UU"));
        assert_eq!(changes.untracked, vec![BString::from("dir/")]);
        assert_eq!(changes.ignored, vec![BString::from("ignored.log")]);
        Ok(())
    }

    #[test]
    fn a_record_of_another_shape_is_an_error() {
        assert!(parse(b"1 .M N... too short\0").is_err());
        assert!(parse(b"x something\0").is_err());
        assert!(parse(b"u ZZ N... 1 2 3 4 a b c path\0").is_err());
    }
}
