//! Shared by the write test binaries: a hermetic state directory, leftover listings, and running
//! a scenario in a child process (umask is process-wide; crashes must kill a whole process).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The environment variable that turns the ignored `child_process` test into a scenario runner.
pub const CHILD_ENV: &str = "GIT_RTK_WRITE_TEST_CHILD";

/// Points git-rtk's pending-batch registry at a private directory, once per test process (before
/// any write runs), so tests never touch the real `~/.local/state`. Returns that directory.
pub fn hermetic() -> &'static Path {
    static STATE: OnceLock<PathBuf> = OnceLock::new();
    STATE.get_or_init(|| {
        if let Some(dir) = std::env::var_os("GIT_RTK_STATE_DIR") {
            // A child process inherits its parent's.
            return PathBuf::from(dir);
        }
        let dir = tempfile::Builder::new()
            .prefix("git-rtk-state-")
            .tempdir()
            .expect("temp state dir")
            .keep();
        // Every test calls this first, and `OnceLock` makes the others wait, so no thread reads
        // the environment while it is being set.
        std::env::set_var("GIT_RTK_STATE_DIR", &dir);
        dir
    })
}

pub fn tempdir() -> tempfile::TempDir {
    hermetic();
    tempfile::Builder::new()
        .prefix("git-rtk-write-")
        .tempdir()
        .expect("temp dir")
}

/// Names in `dir` that are git-rtk leftovers (temporary files or intent records), sorted.
pub fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.contains(".rtk-"))
        .collect();
    names.sort();
    names
}

/// Every name in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Pending-batch pointers left in the hermetic state directory.
pub fn pending_pointers() -> Vec<String> {
    let pending = hermetic().join("pending");
    if !pending.exists() {
        return Vec::new();
    }
    names(&pending)
}

/// A command running the ignored `child_process` test of this same test binary with `scenario`.
pub fn child_command(scenario: &str, envs: &[(&str, &str)]) -> Command {
    hermetic();
    let exe = std::env::current_exe().expect("test binary path");
    let mut command = Command::new(exe);
    command
        .args([
            "--exact",
            "child_process",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD_ENV, scenario)
        .stdin(Stdio::null());
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

pub fn run_child(scenario: &str, envs: &[(&str, &str)]) -> Output {
    child_command(scenario, envs)
        .output()
        .expect("run child test process")
}

/// The scenario this process should run, when it is a child.
pub fn child_scenario() -> Option<String> {
    std::env::var(CHILD_ENV).ok()
}

/// Content for version `k` of a stress file: a header, a fill byte and a trailer that all name
/// `k`, and a size that differs per version, so a mix of two versions or a cut never equals one.
pub fn version(k: usize, base_size: usize) -> Vec<u8> {
    let size = base_size + (k % 3) * 4099;
    let mut data = vec![b'a' + (k % 26) as u8; size];
    let header = format!("git-rtk stress version {k}\n");
    data[..header.len()].copy_from_slice(header.as_bytes());
    let trailer = (k as u64).to_le_bytes();
    data[size - 8..].copy_from_slice(&trailer);
    data
}
