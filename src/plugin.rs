//! The shared `main` of every plugin: run natively, or pass through to git, and exit like git.

use std::ffi::OsString;
use std::io::Write;

use crate::failure::{CommandError, Exit};
use crate::options::{Parsed, Stop};
use crate::passthrough::{self, Reason};
use crate::registry::{Command, Entry};

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
            exit_code: Exit::Success.code(),
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

/// Signature of a native command: the argv read against the command's table, with nothing in it
/// the table hands to git.
pub type NativeCommand = fn(&Parsed) -> anyhow::Result<Outcome>;

/// Runs a read plugin (`Entry::Native` or `Entry::Split`) for `args` and returns the exit code.
///
/// Output is rendered into memory first, so a command can still decline and pass through after it
/// has started work; nothing reaches stdout until the native path is sure.
pub fn run(command: &'static Command, args: &[OsString]) -> i32 {
    let started = std::time::Instant::now();
    let printed = match route(command, args) {
        Route::Native(native, parsed) => run_native(command.name, native, &parsed, args),
        Route::Usage => Printed::without_sizes(crate::help::print_usage(&command.usage())),
        Route::Git(reason) => {
            Printed::without_sizes(passthrough::run_git(command.name, args, &reason))
        }
        Route::Mutating(git) => return crate::mutate::run(command, git, args),
    };
    track(command.name, started, &printed);
    printed.exit_code
}

/// Who serves an argv, decided by the command's table.
enum Route {
    Native(NativeCommand, Parsed<'static>),
    Usage,
    Git(Reason),
    Mutating(crate::registry::GitRun),
}

fn route(command: &'static Command, args: &[OsString]) -> Route {
    let (native, split) = match command.entry {
        Entry::Native(native) => (native, None),
        Entry::Split { native, git, lists } => (native, Some((git, lists))),
        Entry::Git(git) => return Route::Mutating(git),
        Entry::Tool { .. } => return Route::Git(Reason("not a plugin".into())),
    };
    if std::env::var_os("GIT_RTK_PASSTHROUGH").is_some_and(|v| v == "1") {
        return Route::Git(Reason("GIT_RTK_PASSTHROUGH=1".into()));
    }
    let parsed = match crate::options::parse(command.table, command.syntax, args) {
        Ok(parsed) => parsed,
        Err(Stop::Help) => return Route::Usage,
        Err(Stop::NotUtf8) => return Route::Git(Reason("non UTF-8 argument".into())),
    };
    if let Some((git, lists)) = split {
        if !lists(&parsed) {
            return Route::Mutating(git);
        }
    }
    if parsed.needs_git() {
        let words: Vec<&str> = parsed
            .unknown
            .iter()
            .map(String::as_str)
            .chain(
                parsed
                    .given
                    .iter()
                    .filter(|g| g.flag.serve == crate::options::Serve::Git)
                    .map(|_| "an option git serves"),
            )
            .collect();
        return Route::Git(Reason(format!(
            "option not served natively: {}",
            words.join(" ")
        )));
    }
    Route::Native(native, parsed)
}

/// How a run ended, for the exit code and the tracking row.
pub(crate) struct Printed {
    pub exit_code: i32,
    /// Bytes the plugin printed on stdout and stderr; `None` when git printed them itself.
    pub output_bytes: Option<u64>,
    pub native: Option<crate::track::Native>,
    /// A bug on the native path (git then served the run), for the tracking row.
    pub failure: Option<String>,
}

impl Printed {
    /// Nothing to compare: git printed everything itself, or the run never got that far.
    pub(crate) fn without_sizes(exit_code: i32) -> Self {
        Printed {
            exit_code,
            output_bytes: None,
            native: None,
            failure: None,
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
        failure: printed.failure.clone(),
    });
}

fn run_native(
    subcommand: &str,
    native: NativeCommand,
    parsed: &Parsed,
    args: &[OsString],
) -> Printed {
    use crate::track::{Method, Native};
    let error = match native(parsed) {
        Ok(Outcome::Printed {
            stdout,
            exit_code,
            native,
        }) => {
            return Printed {
                exit_code: match write_stdout(&stdout) {
                    Ok(()) => exit_code,
                    Err(err) => err.exit().code(),
                },
                output_bytes: Some(stdout.len() as u64),
                native: native.map(|bytes| Native {
                    bytes,
                    method: Method::Estimated,
                }),
                failure: None,
            }
        }
        Ok(Outcome::PassThrough(reason)) => {
            return Printed::without_sizes(passthrough::run_git(subcommand, args, &reason))
        }
        Err(err) => CommandError::from_native(err),
    };
    match error {
        CommandError::Git(failure) => {
            // git's own diagnostic, as git prints it: the native size is the same bytes.
            let text = failure.stderr_text();
            let _ = std::io::stderr().write_all(text.as_bytes());
            let bytes = text.len() as u64;
            Printed {
                exit_code: failure.exit().code(),
                output_bytes: Some(bytes),
                native: Some(Native {
                    bytes,
                    method: Method::Estimated,
                }),
                failure: None,
            }
        }
        CommandError::Declined(decline) => {
            Printed::without_sizes(passthrough::run_git(subcommand, args, &Reason(decline.0)))
        }
        // A bug: git serves the run so the user sees what git does, and the run's row says so.
        CommandError::Internal(err) => {
            let text = format!("{err:#}");
            if passthrough::debug_enabled() {
                eprintln!("git-rtk: bug on the native path of `git {subcommand}`: {text}");
            }
            let mut printed = Printed::without_sizes(passthrough::run_git(
                subcommand,
                args,
                &Reason(format!("native path failed: {text}")),
            ));
            printed.failure = Some(text);
            printed
        }
        CommandError::Output(err) => {
            Printed::without_sizes(CommandError::Output(err).exit().code())
        }
    }
}

/// Writes all of `bytes`; a closed pipe ends the process quietly, as git's death by SIGPIPE does
/// (the error's exit is [`Exit::BrokenPipe`]); any other failure says so on stderr.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CommandError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Err(CommandError::Output(err)),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "fatal: unable to write to stdout: {err}");
            Err(CommandError::Output(err))
        }
    }
}
