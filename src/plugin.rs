//! The shared `main` of every plugin: run natively, or pass through to git, and exit like git.

use std::ffi::OsString;
use std::io::Write;

use crate::failure::GitFailure;
use crate::passthrough::{self, Reason};

/// What a native command decided.
pub enum Outcome {
    /// Print this to stdout and exit with this code. `native` is the estimated size of what git
    /// itself prints for the same invocation (see [`crate::native_size`]), when known.
    Printed {
        stdout: Vec<u8>,
        exit_code: i32,
        native: Option<u64>,
    },
    /// The native path does not serve this invocation faithfully: run real git instead.
    PassThrough(Reason),
}

impl Outcome {
    pub fn success(stdout: Vec<u8>) -> Self {
        Outcome::Printed {
            stdout,
            exit_code: 0,
            native: None,
        }
    }

    /// Attaches the estimated size of git's own output (`None` leaves it unknown).
    pub fn with_native(mut self, size: Option<u64>) -> Self {
        if let Outcome::Printed { native, .. } = &mut self {
            *native = size;
        }
        self
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
    let printed = run_with_args(subcommand, command, &args);
    track(subcommand, started, &printed);
    printed.exit_code
}

/// How a run ended, for the exit code and the tracking row.
pub(crate) struct Printed {
    pub exit_code: i32,
    /// Bytes the plugin printed on stdout and stderr; `None` when git printed them itself.
    pub output_bytes: Option<u64>,
    pub native: Option<crate::track::Native>,
}

impl Printed {
    /// Nothing to compare: git printed everything itself, or the run never got that far.
    pub(crate) fn without_sizes(exit_code: i32) -> Self {
        Printed {
            exit_code,
            output_bytes: None,
            native: None,
        }
    }
}

/// Records a finished run (see [`crate::track`]).
pub(crate) fn track(subcommand: &str, started: std::time::Instant, printed: &Printed) {
    let elapsed = started.elapsed();
    // Built only when tracking is on: the project lookup walks up the directory tree.
    crate::track::record(|| crate::track::Run {
        command: subcommand.to_owned(),
        project: crate::track::project_of(&std::env::current_dir().unwrap_or_default()),
        exit_code: printed.exit_code,
        elapsed,
        output_bytes: printed.output_bytes,
        native: printed.native,
    });
}

fn run_with_args(subcommand: &str, command: NativeCommand, args: &[OsString]) -> Printed {
    use crate::track::{Method, Native};
    if std::env::var_os("GIT_RTK_PASSTHROUGH").is_some_and(|v| v == "1") {
        let code = passthrough::run_git(subcommand, args, &Reason("GIT_RTK_PASSTHROUGH=1".into()));
        return Printed::without_sizes(code);
    }
    match command(args) {
        Ok(Outcome::Printed {
            stdout,
            exit_code,
            native,
        }) => Printed {
            exit_code: write_stdout(&stdout).err().unwrap_or(exit_code),
            output_bytes: Some(stdout.len() as u64),
            native: native.map(|bytes| Native {
                bytes,
                method: Method::Estimated,
            }),
        },
        Ok(Outcome::PassThrough(reason)) => {
            Printed::without_sizes(passthrough::run_git(subcommand, args, &reason))
        }
        Err(err) => match err.downcast_ref::<GitFailure>() {
            Some(failure) => {
                // git's own diagnostic, as git prints it: the native size is the same bytes.
                let text = failure.stderr_text();
                let _ = std::io::stderr().write_all(text.as_bytes());
                let bytes = text.len() as u64;
                Printed {
                    exit_code: failure.exit_code(),
                    output_bytes: Some(bytes),
                    native: Some(Native {
                        bytes,
                        method: Method::Estimated,
                    }),
                }
            }
            // An error git would not have had: let git do the whole job, so the user sees exactly
            // what git does.
            None => Printed::without_sizes(passthrough::run_git(
                subcommand,
                args,
                &Reason(format!("{err:#}")),
            )),
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
