//! The shared `main` of every plugin: run natively, or pass through to git, and exit like git.

use std::ffi::OsString;
use std::io::Write;

use crate::command::{Command, Entry, GitRun, NativeCommand, Outcome};
use crate::failure::CommandError;
use crate::finish::{track, write_stdout, Printed};
use crate::options::{Parsed, Stop};
use crate::passthrough::{self, Reason};

/// Runs a read plugin (`Entry::Native` or `Entry::Split`) for `args` and returns the exit code.
///
/// Output is rendered into memory first, so a command can still decline and pass through after it
/// has started work; nothing reaches stdout until the native path is sure.
pub fn run(command: &'static Command, route: Route, args: &[OsString]) -> i32 {
    let started = std::time::Instant::now();
    let printed = match route {
        Route::Native(native, parsed) => run_native(command.name, native, &parsed, args),
        Route::Usage => Printed::without_sizes(crate::help::print_usage(&command.usage())),
        Route::Git(reason) => {
            Printed::without_sizes(passthrough::run_git(command.name, args, &reason))
        }
        // The caller runs git with the plugin's report (`registry::main`); unchanged git otherwise.
        Route::Mutating(_) => Printed::without_sizes(passthrough::run_git(
            command.name,
            args,
            &Reason("the argv changes the repository".into()),
        )),
    };
    track(command.name, started, &printed);
    printed.exit_code
}

/// Who serves an argv, decided by the command's table.
pub enum Route {
    /// In-process, with the argv read.
    Native(NativeCommand, Parsed<'static>),
    /// `-h`: the command's usage.
    Usage,
    /// git, with the argv unchanged.
    Git(Reason),
    /// git with the plugin's report (`git branch -d`); the caller runs it (`crate::mutate`).
    Mutating(GitRun),
}

/// Reads `args` against `command`'s table and decides who serves them.
pub fn route(command: &'static Command, args: &[OsString]) -> Route {
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
                    .map(|g| g.flag.long.unwrap_or("(a short option)")),
            )
            .collect();
        return Route::Git(Reason(format!(
            "option not served natively: {}",
            words.join(" ")
        )));
    }
    Route::Native(native, parsed)
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
            git_size,
        }) => {
            return Printed {
                exit_code: match write_stdout(&stdout) {
                    Ok(()) => exit_code,
                    Err(err) => err.exit().code(),
                },
                output_bytes: Some(stdout.len() as u64),
                native: git_size.map(|bytes| Native {
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
            // git's own diagnostic, as git prints it: git's output is the same bytes.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{Decline, GitFailure};

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    /// `git config --get` of a key no configuration has: git prints nothing and exits 1.
    fn run_failing(native: NativeCommand) -> Printed {
        let parsed = Parsed::default();
        run_native(
            "config",
            native,
            &parsed,
            &args(&["--get", "rtk.no-such-section.no-such-key"]),
        )
    }

    #[test]
    fn a_bug_on_the_native_path_is_recorded_and_git_serves_the_run() {
        let printed = run_failing(|_| Err(anyhow::anyhow!("index entry out of range")));
        assert_eq!(printed.exit_code, 1, "git's exit code");
        assert_eq!(printed.output_bytes, None, "git printed the output itself");
        assert_eq!(printed.failure.as_deref(), Some("index entry out of range"));
    }

    #[test]
    fn a_decline_is_no_bug() {
        let printed = run_failing(|_| Err(Decline::new("split index").into()));
        assert_eq!(printed.exit_code, 1);
        assert_eq!(printed.failure, None);
    }

    #[test]
    fn gits_own_failure_ends_the_run_as_git_would() {
        let printed = run_failing(|_| Err(GitFailure::fatal("not a git repository").into()));
        assert_eq!(printed.exit_code, 128);
        assert_eq!(printed.failure, None);
        assert!(printed.output_bytes.is_some());
    }
}
