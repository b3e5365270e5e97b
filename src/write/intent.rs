//! A batch's intent record: what its rename phase will do, written and synced before the first
//! rename so a crash in that phase can be finished by the next writer.
//!
//! **Where intents live.** One copy in *every* directory the batch changes, named
//! `.rtk-intent.<batch id>`, each listing all the batch's directories relative to itself. The
//! copies sit beside the files they describe, so recovery needs no `$HOME`, survives the tree
//! being moved, and is found by the next write into any of those directories (every write scans
//! its directory for leftovers anyway). In addition, while a batch of several files runs, a pointer
//! `$GIT_RTK_STATE_DIR/pending/<batch id>` (default state directory `$XDG_STATE_HOME/git-rtk`,
//! else `~/.local/state/git-rtk`) lists its directories, one escaped path a line, so
//! [`recover_pending`](super::recover_pending) (run at the start of every batch, and available to
//! commands at start-up) settles a crashed batch in every directory it touched, even those nobody
//! writes to again. The pointer is best-effort: without it, recovery waits for the next write into
//! each directory.
//!
//! **Forward or back.** The rename phase starts only once every copy is complete (its last line is
//! a SHA-256 of the rest) and synced, and copies are removed only after every rename is done. So a
//! recoverer that finds every copy complete rolls forward (renames each temporary file still
//! there); one that finds any copy missing or incomplete knows either no rename happened or all
//! did, and rolls back (removes the batch's temporary files, which are then none or unrenamed).
//!
//! Format (text; bytes outside printable ASCII, `%` and space escaped as `%XX`):
//! ```text
//! git-rtk-intent 1
//! id <batch id>
//! dir <relative path>                      one per directory; a copy's own directory is "."
//! write <dir index> <target name> <temporary name>
//! delete <dir index> <target name> <device> <inode>
//! end <sha256 of everything above>
//! ```

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::temp::INTENT_PREFIX;
use super::WriteOptions;

const HEADER: &str = "git-rtk-intent 1";

/// One step of the rename phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Rename `temp` over `target`, both in directory `dir`.
    Write {
        dir: usize,
        target: OsString,
        temp: OsString,
    },
    /// Remove `target` in `dir`, if it is still the file (device, inode) the batch checked.
    Delete {
        dir: usize,
        target: OsString,
        device: u64,
        inode: u64,
    },
}

/// A parsed intent copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Intent {
    pub id: String,
    /// Every directory holding a copy, relative to the directory of the copy that was read.
    pub dirs: Vec<PathBuf>,
    pub steps: Vec<Step>,
}

/// `.rtk-intent.<id>`.
pub(crate) fn copy_name(id: &str) -> OsString {
    OsString::from(format!("{INTENT_PREFIX}{id}"))
}

pub(crate) fn escape(out: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.is_empty() {
        // An empty field would vanish between separators.
        out.extend_from_slice(b"%");
        return;
    }
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'%' {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
}

pub(crate) fn unescape(field: &[u8]) -> Option<Vec<u8>> {
    if field == b"%" {
        return Some(Vec::new());
    }
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'%' {
            let hex = std::str::from_utf8(field.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(field[i]);
            i += 1;
        }
    }
    Some(out)
}

/// `to` relative to `from`; both absolute and canonical, so `..` means exactly the parent.
pub(crate) fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The copy for the directory `dirs[own]` (all of `dirs` absolute and canonical).
pub(crate) fn render(id: &str, dirs: &[PathBuf], own: usize, steps: &[Step]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(HEADER.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(format!("id {id}\n").as_bytes());
    for dir in dirs {
        out.extend_from_slice(b"dir ");
        escape(&mut out, relative(&dirs[own], dir).as_os_str().as_bytes());
        out.push(b'\n');
    }
    for step in steps {
        match step {
            Step::Write { dir, target, temp } => {
                out.extend_from_slice(format!("write {dir} ").as_bytes());
                escape(&mut out, target.as_bytes());
                out.push(b' ');
                escape(&mut out, temp.as_bytes());
            }
            Step::Delete {
                dir,
                target,
                device,
                inode,
            } => {
                out.extend_from_slice(format!("delete {dir} ").as_bytes());
                escape(&mut out, target.as_bytes());
                out.extend_from_slice(format!(" {device} {inode}").as_bytes());
            }
        }
        out.push(b'\n');
    }
    let digest = hex(&Sha256::digest(&out));
    out.extend_from_slice(format!("end {digest}\n").as_bytes());
    out
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses a copy; `None` unless it is complete (ends with a matching checksum) and well formed.
pub(crate) fn parse(bytes: &[u8]) -> Option<Intent> {
    let body_end = bytes
        .strip_suffix(b"\n")?
        .iter()
        .rposition(|&b| b == b'\n')?
        + 1;
    let (body, end_line) = bytes.split_at(body_end);
    let digest = std::str::from_utf8(end_line)
        .ok()?
        .strip_prefix("end ")?
        .trim_end();
    if digest != hex(&Sha256::digest(body)) {
        return None;
    }
    let mut lines = body.strip_suffix(b"\n")?.split(|&b| b == b'\n');
    if lines.next()? != HEADER.as_bytes() {
        return None;
    }
    let id = std::str::from_utf8(lines.next()?.strip_prefix(b"id ")?)
        .ok()?
        .to_owned();
    let mut intent = Intent {
        id,
        dirs: Vec::new(),
        steps: Vec::new(),
    };
    for line in lines {
        let fields: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
        let number =
            |i: usize| -> Option<u64> { std::str::from_utf8(fields.get(i)?).ok()?.parse().ok() };
        let name =
            |i: usize| -> Option<OsString> { Some(OsString::from_vec(unescape(fields.get(i)?)?)) };
        match (fields.first().copied(), fields.len()) {
            (Some(b"dir"), 2) => intent
                .dirs
                .push(PathBuf::from(OsStr::from_bytes(&unescape(fields[1])?))),
            (Some(b"write"), 4) => intent.steps.push(Step::Write {
                dir: usize::try_from(number(1)?).ok()?,
                target: name(2)?,
                temp: name(3)?,
            }),
            (Some(b"delete"), 5) => intent.steps.push(Step::Delete {
                dir: usize::try_from(number(1)?).ok()?,
                target: name(2)?,
                device: number(3)?,
                inode: number(4)?,
            }),
            _ => return None,
        }
    }
    let dirs = intent.dirs.len();
    // Recovery renames and removes what an intent names, and an intent is just a file in a
    // directory (one a repository could ship). So only plain names are accepted, and only this
    // batch's own temporary files can be renamed into place (or removed on a roll-back).
    let valid = intent.steps.iter().all(|s| match s {
        Step::Write { dir, target, temp } => {
            *dir < dirs
                && plain_name(target)
                && plain_name(temp)
                && matches!(
                    super::temp::classify(temp),
                    Some(super::temp::Artifact::BatchTemp { ref id, .. }) if *id == intent.id
                )
        }
        Step::Delete { dir, target, .. } => *dir < dirs && plain_name(target),
    });
    valid.then_some(intent)
}

/// A single directory entry's name: not empty, no `/`, not `.` or `..`.
fn plain_name(name: &OsStr) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty() && !bytes.contains(&b'/') && bytes != b"." && bytes != b".."
}

/// Where pending-batch pointers live for writes made with `options` (see
/// [`WriteOptions::pending_dir`]); `None` when no home is known.
pub(crate) fn pending_dir(options: &WriteOptions) -> Option<PathBuf> {
    match &options.pending_dir {
        Some(dir) => Some(dir.clone()),
        None => Some(crate::dirs::state_dir()?.join("pending")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<PathBuf>, Vec<Step>) {
        let dirs = vec![PathBuf::from("/w/a"), PathBuf::from("/w/b c/d")];
        let steps = vec![
            Step::Write {
                dir: 0,
                target: OsString::from("x y%.toml"),
                temp: OsString::from(".x y%.toml.0.rtk-batch.1.ab"),
            },
            Step::Delete {
                dir: 1,
                target: OsString::from_vec(vec![0xff, b'\n']),
                device: 7,
                inode: 42,
            },
        ];
        (dirs, steps)
    }

    #[test]
    fn intent_round_trips_with_odd_names_and_relative_dirs() {
        let (dirs, steps) = sample();
        let text = render("1.ab", &dirs, 1, &steps);
        let intent = parse(&text).expect("complete intent parses");
        assert_eq!(intent.id, "1.ab");
        assert_eq!(
            intent.dirs,
            vec![PathBuf::from("../../a"), PathBuf::from(".")]
        );
        assert_eq!(intent.steps, steps);
    }

    #[test]
    fn intent_naming_paths_or_foreign_files_is_refused() {
        let (dirs, mut steps) = sample();
        for (target, temp) in [
            ("../escape", ".x.0.rtk-batch.1.ab"),
            ("..", ".x.0.rtk-batch.1.ab"),
            ("ok", ".bashrc"),
            ("ok", ".x.0.rtk-batch.2.ab"),
            ("ok", "sub/.x.0.rtk-batch.1.ab"),
            ("ok", ".sub/x.0.rtk-batch.1.ab"),
        ] {
            steps[0] = Step::Write {
                dir: 0,
                target: OsString::from(target),
                temp: OsString::from(temp),
            };
            assert!(
                parse(&render("1.ab", &dirs, 0, &steps)).is_none(),
                "{target} {temp}"
            );
        }
    }

    #[test]
    fn truncated_or_altered_intent_is_incomplete() {
        let (dirs, steps) = sample();
        let text = render("1.ab", &dirs, 0, &steps);
        for cut in 0..text.len() {
            assert!(
                parse(&text[..cut]).is_none(),
                "prefix of {cut} bytes parsed"
            );
        }
        let mut altered = text.clone();
        altered[20] ^= 1;
        assert!(parse(&altered).is_none());
    }
}
