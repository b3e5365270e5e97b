//! Facts about where the run happened: the filesystem under the work directory (fsync costs
//! nothing on tmpfs, so the report must say), the commit, the load.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

/// The mount that holds a path, from `/proc/self/mountinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filesystem {
    pub fstype: String,
    pub source: String,
    pub mount_point: String,
    pub options: String,
}

pub fn filesystem_of(path: &Path) -> Result<Filesystem> {
    let path = path
        .canonicalize()
        .with_context(|| format!("resolving {}", path.display()))?;
    let text =
        std::fs::read_to_string("/proc/self/mountinfo").context("reading /proc/self/mountinfo")?;
    mount_of(&text, &path).with_context(|| format!("no mount holds {}", path.display()))
}

/// The longest mount point that contains `path`; the last such line wins, as for over-mounts.
fn mount_of(mountinfo: &str, path: &Path) -> Option<Filesystem> {
    let mut best: Option<(usize, Filesystem)> = None;
    for line in mountinfo.lines() {
        // `id parent major:minor root mount-point options [optional…] - fstype source super-options`
        let Some((pre, post)) = line.split_once(" - ") else {
            continue;
        };
        let pre: Vec<&str> = pre.split(' ').collect();
        let post: Vec<&str> = post.split(' ').collect();
        if pre.len() < 6 || post.len() < 2 {
            continue;
        }
        let mount_point = unescape(pre[4]);
        if !path.starts_with(&mount_point) {
            continue;
        }
        let depth = Path::new(&mount_point).components().count();
        if best.as_ref().is_some_and(|(d, _)| *d > depth) {
            continue;
        }
        best = Some((
            depth,
            Filesystem {
                fstype: post[0].to_owned(),
                source: unescape(post[1]),
                mount_point,
                options: pre[5].to_owned(),
            },
        ));
    }
    best.map(|(_, fs)| fs)
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal {
            Some(d) => {
                let code = d.iter().fold(0u32, |acc, b| acc * 8 + u32::from(b - b'0'));
                out.push(u8::try_from(code).unwrap_or(b'?'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `HEAD`'s abbreviated id, with `+dirty` when the measured code (`src/`, `bench/src/`,
/// `Cargo.toml`) has uncommitted changes.
pub fn commit(root: &Path) -> String {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    let dirty = git(&[
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "src",
        "bench/src",
        "Cargo.toml",
        "bench/Cargo.toml",
    ])
    .is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{head}+dirty")
    } else {
        head
    }
}

pub fn load_average() -> String {
    read_trimmed("/proc/loadavg")
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

pub fn kernel() -> String {
    read_trimmed("/proc/sys/kernel/osrelease")
        .map_or_else(|| "unknown".into(), |k| format!("Linux {k}"))
}

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(0, |n| n.get())
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
30 22 0:27 / /tmp rw,nosuid shared:5 - tmpfs tmpfs rw,size=1024k
31 22 0:28 / /mnt/my\\040disk rw - xfs /dev/vdb rw
";

    #[test]
    fn picks_the_deepest_mount() {
        let root = mount_of(MOUNTINFO, Path::new("/work/main/target")).expect("root");
        assert_eq!(root.fstype, "ext4");
        assert_eq!(root.source, "/dev/vda");
        let tmp = mount_of(MOUNTINFO, Path::new("/tmp/x")).expect("tmp");
        assert_eq!(tmp.fstype, "tmpfs");
        let spaced = mount_of(MOUNTINFO, Path::new("/mnt/my disk/a")).expect("escaped");
        assert_eq!(spaced.fstype, "xfs");
        assert_eq!(spaced.mount_point, "/mnt/my disk");
        // `/tmpfoo` is not under `/tmp`.
        assert_eq!(
            mount_of(MOUNTINFO, Path::new("/tmpfoo")).map(|f| f.fstype),
            Some("ext4".into())
        );
    }
}
