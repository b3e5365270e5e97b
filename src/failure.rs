//! How a run ends when it does not simply succeed, and the one place exit codes are decided.
//!
//! A native command returns `anyhow::Result`; [`CommandError::from_native`] sorts its error into
//! one of three kinds: a failure git reports the same way ([`GitFailure`]: git's words, git's exit
//! code), a deliberate hand-over ([`Decline`]: this state is git's to serve), and anything else,
//! which is a bug on the native path: git serves the run, and the bug is recorded in the run's
//! tracking row, shown with `GIT_RTK_DEBUG=1`, and fails the parity suite.

use std::fmt;

/// Why a run ended, for its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// A result, not an error: nothing matched, nothing to commit, an edit that did not apply.
    NothingDone,
    /// `fatal:` (git's `die`).
    Fatal,
    /// Bad arguments, and `-h` (git's `usage_with_options`).
    Usage,
    /// The reader of stdout went away: the exit of a process killed by SIGPIPE.
    BrokenPipe,
}

impl Exit {
    /// The process exit code: the one mapping for every command.
    pub fn code(self) -> i32 {
        match self {
            Exit::Success => 0,
            Exit::NothingDone => 1,
            Exit::Fatal => 128,
            Exit::Usage => 129,
            Exit::BrokenPipe => 128 + libc::SIGPIPE,
        }
    }
}

/// A failure git itself would report, with git's wording and exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitFailure {
    /// `fatal: …`, exit 128.
    Fatal(String),
}

impl GitFailure {
    pub fn fatal(message: impl Into<String>) -> Self {
        GitFailure::Fatal(message.into())
    }

    pub fn exit(&self) -> Exit {
        match self {
            GitFailure::Fatal(_) => Exit::Fatal,
        }
    }

    /// What goes to stderr.
    pub fn stderr_text(&self) -> String {
        format!("{self}\n")
    }
}

impl fmt::Display for GitFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitFailure::Fatal(msg) => write!(f, "fatal: {msg}"),
        }
    }
}

impl std::error::Error for GitFailure {}

/// The native path does not serve this state faithfully, by design: git serves the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decline(pub String);

impl Decline {
    pub fn new(reason: impl Into<String>) -> Self {
        Decline(reason.into())
    }
}

impl fmt::Display for Decline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Decline {}

/// Every error a plugin run can end with.
#[derive(Debug)]
pub enum CommandError {
    /// git reports this the same way.
    Git(GitFailure),
    /// git serves this run (see [`Decline`]).
    Declined(Decline),
    /// The native path failed where git would not have: a bug.
    Internal(anyhow::Error),
    /// Writing the output failed.
    Output(std::io::Error),
}

impl CommandError {
    /// Sorts an error of the native path.
    pub fn from_native(err: anyhow::Error) -> Self {
        if let Some(failure) = err.downcast_ref::<GitFailure>() {
            return CommandError::Git(failure.clone());
        }
        if let Some(decline) = err.downcast_ref::<Decline>() {
            return CommandError::Declined(decline.clone());
        }
        CommandError::Internal(err)
    }

    /// How the run ends: git's code for its failures; a closed pipe as SIGPIPE would; output
    /// that cannot be written is fatal. A declined or failed native run has git's exit code,
    /// known only once git ran.
    pub fn exit(&self) -> Exit {
        match self {
            CommandError::Git(failure) => failure.exit(),
            CommandError::Output(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                Exit::BrokenPipe
            }
            CommandError::Output(_) => Exit::Fatal,
            CommandError::Declined(_) | CommandError::Internal(_) => Exit::Fatal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_sorted_by_what_they_are() {
        let git = anyhow::Error::from(GitFailure::fatal("not a git repository"));
        assert!(matches!(
            CommandError::from_native(git),
            CommandError::Git(_)
        ));
        let declined = anyhow::Error::from(Decline::new("split index")).context("opening");
        assert!(matches!(
            CommandError::from_native(declined),
            CommandError::Declined(_)
        ));
        let bug = anyhow::anyhow!("object not found");
        assert!(matches!(
            CommandError::from_native(bug),
            CommandError::Internal(_)
        ));
    }

    #[test]
    fn exit_codes_are_gits() {
        assert_eq!(Exit::Fatal.code(), 128);
        assert_eq!(Exit::Usage.code(), 129);
        assert_eq!(Exit::BrokenPipe.code(), 141);
        let pipe = CommandError::Output(std::io::ErrorKind::BrokenPipe.into());
        assert_eq!(pipe.exit().code(), 141);
    }
}
