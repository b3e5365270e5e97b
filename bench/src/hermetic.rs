//! The hermetic environment every git process of the benchmark runs in.
//!
//! Builds and measurements must not see the user's configuration, locale or time zone: the
//! environment is cleared and only what git needs is set back (no system or global config, `HOME`
//! in an empty directory, `LC_ALL=C`, `TZ=UTC`, fixed identities). `PATH` starts with the release
//! plugin directory, so `git rtk-status` is dispatched by real git exactly as a user would run it.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{bail, Context, Result};
use git_rtk::hermetic::{Hermetic, Identity, Tracking};

/// The identity used by every commit and tag the fixture builder makes through git itself.
const IDENTITY: (&str, &str) = ("Bench Builder", "bench@example.com");
/// 2023-11-14 22:13:20 UTC: a fixed date keeps commit ids stable across builds.
pub const EPOCH: i64 = 1_700_000_000;

#[derive(Debug, Clone)]
pub struct HermeticEnv {
    /// Absolute path of the `git` that both sides run.
    git: PathBuf,
    home: PathBuf,
    path: OsString,
}

impl HermeticEnv {
    /// `front` goes first on `PATH` (the plugin directory first); `home` is created empty if missing.
    pub fn new(front: &[&Path], home: &Path) -> Result<Self> {
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let git = find_on_path("git", &inherited)
            .context("no `git` on PATH: the benchmark measures git itself, install it first")?;
        std::fs::create_dir_all(home)
            .with_context(|| format!("creating the benchmark HOME {}", home.display()))?;
        let mut dirs: Vec<PathBuf> = front.iter().map(|d| d.to_path_buf()).collect();
        dirs.extend(std::env::split_paths(&inherited));
        let path = std::env::join_paths(dirs).context("joining PATH")?;
        Ok(HermeticEnv {
            git,
            home: home.to_path_buf(),
            path,
        })
    }

    pub fn git_path(&self) -> &Path {
        &self.git
    }

    /// Where `program` is on this environment's `PATH`, as a process it starts would find it.
    pub fn which(&self, program: &str) -> Result<PathBuf> {
        find_on_path(program, &self.path)
            .with_context(|| format!("no `{program}` on the benchmark's PATH"))
    }

    /// Makes `git <name>` run `true`: the floor of git dispatching an external command.
    /// Returns the directory to put on `PATH`.
    pub fn install_noop_command(dir: &Path, name: &str) -> Result<PathBuf> {
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let truth = find_on_path("true", &inherited).context("no `true` on PATH")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let link = dir.join(format!("git-{name}"));
        if link.symlink_metadata().is_ok() {
            std::fs::remove_file(&link).with_context(|| format!("removing {}", link.display()))?;
        }
        std::os::unix::fs::symlink(&truth, &link)
            .with_context(|| format!("linking {} to {}", link.display(), truth.display()))?;
        Ok(dir.to_path_buf())
    }

    /// `git <args>` in `dir`, with the hermetic environment and nothing inherited.
    pub fn git(&self, dir: &Path, args: &[&str]) -> Command {
        self.program(&self.git, dir, args)
    }

    /// `program <args>` in `dir` with the same hermetic environment as [`Self::git`]: the
    /// project's shared one (`git_rtk::hermetic`), with no global configuration, the builder's
    /// identity and date, and run tracking where a user's runs have it.
    pub fn program(&self, program: &Path, dir: &Path, args: &[&str]) -> Command {
        let identity = Identity::new(IDENTITY.0, IDENTITY.1);
        Hermetic::new(&self.home)
            .path(self.path.clone())
            .global_config("/dev/null")
            .identities(identity.clone(), identity)
            .date(format!("@{EPOCH} +0000"))
            .tracking(Tracking::Default)
            .command(program, dir, args)
    }

    /// Runs `git <args>` in `dir`; fails with git's stderr unless it exits 0. Returns stdout.
    pub fn run(&self, dir: &Path, args: &[&str]) -> Result<String> {
        let output = self
            .git(dir, args)
            .output()
            .with_context(|| format!("running git {}", args.join(" ")))?;
        checked(args, output)
    }

    /// Like [`run`](Self::run), feeding `input` on stdin.
    pub fn run_with_input(&self, dir: &Path, args: &[&str], input: &[u8]) -> Result<String> {
        let mut child = self
            .git(dir, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting git {}", args.join(" ")))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(input)
                .with_context(|| format!("writing to git {}", args.join(" ")))?;
        }
        let output = child
            .wait_with_output()
            .with_context(|| format!("waiting for git {}", args.join(" ")))?;
        checked(args, output)
    }

    /// `git version` as git prints it.
    pub fn version(&self) -> Result<String> {
        Ok(self.run(&self.home, &["version"])?.trim().to_owned())
    }
}

fn checked(args: &[&str], output: Output) -> Result<String> {
    if !output.status.success() {
        bail!(
            "git {} failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("git {}: stdout is not UTF-8", args.join(" ")))
}

fn find_on_path(program: &str, path: &OsString) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}
