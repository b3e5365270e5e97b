//! Shared by the write test binaries: state directories of the tests' own, leftover listings, and running
//! a scenario in a child process (umask is process-wide; crashes must kill a whole process).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use git_rtk::write::WriteOptions;

/// The environment variable that turns the ignored `child_process` test into a scenario runner.
pub const CHILD_ENV: &str = "GIT_RTK_WRITE_TEST_CHILD";

/// This test process's own git-rtk state directory, never the user's: created once, and handed to
/// child processes through `GIT_RTK_STATE_DIR` on their command line (a child finds it there).
/// Nothing sets the variable in this process: the environment is shared by every test thread.
pub fn process_state() -> &'static Path {
    static STATE: OnceLock<PathBuf> = OnceLock::new();
    STATE.get_or_init(|| {
        if let Some(dir) = std::env::var_os("GIT_RTK_STATE_DIR") {
            return PathBuf::from(dir);
        }
        tempfile::Builder::new()
            .prefix("git-rtk-state-")
            .tempdir()
            .expect("temp state dir")
            .keep()
    })
}

/// Default write options, with the pending-batch registry in this process's state directory.
pub fn options() -> WriteOptions {
    WriteOptions {
        pending_dir: Some(process_state().join("pending")),
        ..WriteOptions::default()
    }
}

/// A test's scratch directory for the files it writes, and a state directory of its own, so what
/// it finds in its pending-batch registry is its own batches' doing alone.
pub struct Scratch {
    files: tempfile::TempDir,
    state: tempfile::TempDir,
}

impl Scratch {
    pub fn path(&self) -> &Path {
        self.files.path()
    }

    /// Default write options registering batches in this test's own registry.
    pub fn options(&self) -> WriteOptions {
        WriteOptions {
            pending_dir: Some(self.registry()),
            ..WriteOptions::default()
        }
    }

    pub fn registry(&self) -> PathBuf {
        self.state.path().join("pending")
    }

    /// Pending-batch pointers left in this test's registry.
    pub fn pending_pointers(&self) -> Vec<String> {
        pointers_in(&self.registry())
    }
}

pub fn tempdir() -> Scratch {
    let scratch = |prefix: &str| {
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .expect("temp dir")
    };
    Scratch {
        files: scratch("git-rtk-write-"),
        state: scratch("git-rtk-state-"),
    }
}

/// Directories `a` and `b` under `root`, for a batch across two directories, seeded with each
/// `(path under root, content)`.
pub fn dirs_a_and_b(root: &Path, seed: &[(&str, &str)]) -> (PathBuf, PathBuf) {
    let (a, b) = (root.join("a"), root.join("b"));
    for dir in [&a, &b] {
        fs::create_dir(dir).expect("mkdir");
    }
    for (path, content) in seed {
        fs::write(root.join(path), content).expect("seed");
    }
    (a, b)
}

/// Names in `dir` that are git-rtk leftovers (temporary files or intent records), sorted.
pub fn leftovers(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".rtk-"))
        .collect()
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

/// Pending-batch pointers left in this process's registry (see [`options`]).
pub fn pending_pointers() -> Vec<String> {
    pointers_in(&process_state().join("pending"))
}

fn pointers_in(registry: &Path) -> Vec<String> {
    if !registry.exists() {
        return Vec::new();
    }
    names(registry)
}

/// A command running the ignored `child_process` test of this same test binary with `scenario`,
/// in this process's state directory.
pub fn child_command(scenario: &str, envs: &[(&str, &str)]) -> Command {
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
        .env("GIT_RTK_STATE_DIR", process_state())
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
