//! The shared `main` of every plugin: run natively, or pass through to git, and exit like git.

use std::ffi::OsString;
use std::io::Write;

use crate::failure::GitFailure;
use crate::passthrough::{self, Reason};

/// What a native command decided.
pub enum Outcome {
    /// Print this to stdout and exit with this code.
    Printed { stdout: Vec<u8>, exit_code: i32 },
    /// The native path does not serve this invocation faithfully: run real git instead.
    PassThrough(Reason),
}

impl Outcome {
    pub fn success(stdout: Vec<u8>) -> Self {
        Outcome::Printed {
            stdout,
            exit_code: 0,
        }
    }

    pub fn pass_through(reason: impl Into<String>) -> Self {
        Outcome::PassThrough(Reason(reason.into()))
    }
}

/// Signature of a native command: the arguments after the subcommand name.
pub type NativeCommand = fn(&[OsString]) -> anyhow::Result<Outcome>;

/// Runs `command` for `git <subcommand>` and returns the process exit code.
///
/// Output is rendered into memory first, so a command can still decline and pass through after it
/// has started work; nothing reaches stdout until the native path is sure.
pub fn run(subcommand: &str, command: NativeCommand) -> i32 {
    let started = std::time::Instant::now();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let (exit_code, output_bytes) = run_with_args(subcommand, command, &args);
    track(subcommand, started, exit_code, output_bytes);
    exit_code
}

/// Records a finished run (see [`crate::track`]); `output_bytes` is `None` when git printed.
pub(crate) fn track(
    subcommand: &str,
    started: std::time::Instant,
    exit_code: i32,
    output_bytes: Option<u64>,
) {
    let elapsed = started.elapsed();
    // Built only when tracking is on: the project lookup walks up the directory tree.
    crate::track::record(|| crate::track::Run {
        command: subcommand.to_owned(),
        project: crate::track::project_of(&std::env::current_dir().unwrap_or_default()),
        exit_code,
        elapsed,
        output_bytes,
        native_bytes: None,
    });
}

/// The exit code, and the bytes printed when the plugin printed them itself.
fn run_with_args(
    subcommand: &str,
    command: NativeCommand,
    args: &[OsString],
) -> (i32, Option<u64>) {
    if std::env::var_os("GIT_RTK_PASSTHROUGH").is_some_and(|v| v == "1") {
        let code = passthrough::run_git(subcommand, args, &Reason("GIT_RTK_PASSTHROUGH=1".into()));
        return (code, None);
    }
    match command(args) {
        Ok(Outcome::Printed { stdout, exit_code }) => match write_stdout(&stdout) {
            Ok(()) => (exit_code, Some(stdout.len() as u64)),
            Err(code) => (code, Some(stdout.len() as u64)),
        },
        Ok(Outcome::PassThrough(reason)) => (passthrough::run_git(subcommand, args, &reason), None),
        Err(err) => match err.downcast_ref::<GitFailure>() {
            Some(failure) => {
                let _ = std::io::stderr().write_all(failure.stderr_text().as_bytes());
                (failure.exit_code(), Some(0))
            }
            // An error git would not have had: let git do the whole job, so the user sees exactly
            // what git does.
            None => (
                passthrough::run_git(subcommand, args, &Reason(format!("{err:#}"))),
                None,
            ),
        },
    }
}

/// Writes all of `bytes`; a closed pipe ends the process quietly, as git's death by SIGPIPE does.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), i32> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Err(141),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "fatal: unable to write to stdout: {err}");
            Err(128)
        }
    }
}
