//! Handing a command to real git, unchanged.
//!
//! Run through git's dispatch (`git rtk-status`), git has put its exec-path first on `PATH`, so
//! `git` found here is the same git that invoked the plugin; the working directory and `GIT_DIR`,
//! `GIT_WORK_TREE` and `GIT_CONFIG_PARAMETERS` already carry `-C`, `--git-dir`, `--work-tree` and
//! `-c`. Started directly (`git-rtk-status`, the hook's direct form, which it sends only without
//! such global options), `git` is the one on the user's `PATH`: the git the shell would have run
//! for the command as typed.

use std::ffi::OsString;
use std::process::Command;

/// Why the native path declined; shown only with `GIT_RTK_DEBUG=1`.
#[derive(Debug, Clone)]
pub struct Reason(pub String);

/// Runs `git <subcommand> <args>` with inherited stdio and returns its exit code.
pub fn run_git(subcommand: &str, args: &[OsString], reason: &Reason) -> i32 {
    if debug_enabled() {
        eprintln!("git-rtk: passing `git {subcommand}` through: {}", reason.0);
    }
    match Command::new("git").arg(subcommand).args(args).status() {
        Ok(status) => exit_code_of(status),
        Err(err) => {
            eprintln!("fatal: cannot run git: {err}");
            128
        }
    }
}

/// git's exit code, or 128 + the signal that ended it, as a shell reports it.
pub(crate) fn exit_code_of(status: std::process::ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    128
}

pub fn debug_enabled() -> bool {
    std::env::var_os("GIT_RTK_DEBUG").is_some_and(|v| !v.is_empty() && v != "0")
}
