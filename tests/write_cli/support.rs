//! Running the built `git-rtk-write` in a scratch directory, and looking at what it left.

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// A scratch directory that disappears with the test.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("creating a temp dir: {e}"));
        Scratch { dir }
    }

    /// A scratch directory holding `name` with `content`.
    pub fn with(name: &str, content: impl AsRef<[u8]>) -> Scratch {
        let scratch = Scratch::new();
        scratch.write(name, content);
        scratch
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
        }
        std::fs::write(&path, content)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        let path = self.path(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    pub fn read_string(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// Every entry of the directory (recursively), sorted: temp files left behind show up here.
    pub fn listing(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            let entries =
                std::fs::read_dir(dir).unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()));
            for entry in entries.flatten() {
                let path = entry.path();
                let name = path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                if path.is_dir() {
                    walk(&path, base, out);
                }
                out.push(name);
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), self.dir.path(), &mut out);
        out.sort();
        out
    }

    /// Content and modification time: "untouched" means both are the same.
    pub fn state(&self, name: &str) -> (Vec<u8>, SystemTime) {
        let path = self.path(name);
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()));
        (self.read(name), modified)
    }

    /// Runs the binary here with `args` and `stdin`.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S], stdin: &[u8]) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_git-rtk-write"))
            .args(args)
            .current_dir(self.dir.path())
            .env("LC_ALL", "C")
            .env("HOME", self.dir.path())
            .env_remove("GIT_RTK_PASSTHROUGH")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawning git-rtk-write: {e}"));
        if let Some(mut input) = child.stdin.take() {
            // A command that does not read stdin may close it first; that is not an error here.
            let _ = input.write_all(stdin);
        }
        let output = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("waiting for git-rtk-write: {e}"));
        Run {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code().unwrap_or(-1),
        }
    }
}

impl Run {
    /// Panics with everything the run printed unless it exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run exited with `code` and printed exactly `stdout` there.
    pub fn expect_stdout(&self, code: i32, stdout: &str) -> &Run {
        self.expect_code(code);
        assert_eq!(self.stdout, stdout, "stdout");
        self
    }

    /// Panics unless the run exited with `code` and printed exactly `stderr` there.
    pub fn expect_stderr(&self, code: i32, stderr: &str) -> &Run {
        self.expect_code(code);
        assert_eq!(self.stderr, stderr, "stderr");
        self
    }

    /// Panics unless the run exited with `code` and its stderr starts with `prefix`.
    pub fn expect_stderr_starting(&self, code: i32, prefix: &str) -> &Run {
        self.expect_code(code);
        assert!(self.stderr.starts_with(prefix), "{}", self.stderr);
        self
    }

    /// Panics unless the run exited with `code` and its stderr contains `part`.
    pub fn expect_stderr_containing(&self, code: i32, part: &str) -> &Run {
        self.expect_code(code);
        assert!(self.stderr.contains(part), "{}", self.stderr);
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim_end())
            .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}):\n{}", self.stdout))
    }
}
