//! Errors that end a plugin run the way git ends its own: a message on stderr and git's exit code.
//!
//! Anything that is *not* a [`GitFailure`] is an internal limit of the native path; the plugin then
//! hands the argv to real git instead of reporting it (see [`crate::plugin`]).

use std::fmt;

/// A failure git itself would report, with git's wording and exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitFailure {
    /// `fatal: …`, exit 128.
    Fatal(String),
    /// A usage error: the whole text is printed as is, exit 129.
    Usage(String),
    /// Already reported (or nothing to report): exit with this code.
    Exit(i32),
}

impl GitFailure {
    pub fn fatal(message: impl Into<String>) -> Self {
        GitFailure::Fatal(message.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            GitFailure::Fatal(_) => 128,
            GitFailure::Usage(_) => 129,
            GitFailure::Exit(code) => *code,
        }
    }

    /// What goes to stderr, if anything.
    pub fn stderr_text(&self) -> Option<String> {
        match self {
            GitFailure::Fatal(msg) => Some(format!("fatal: {msg}\n")),
            GitFailure::Usage(text) => Some(text.clone()),
            GitFailure::Exit(_) => None,
        }
    }
}

impl fmt::Display for GitFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitFailure::Fatal(msg) => write!(f, "fatal: {msg}"),
            GitFailure::Usage(text) => f.write_str(text.trim_end()),
            GitFailure::Exit(code) => write!(f, "exit {code}"),
        }
    }
}

impl std::error::Error for GitFailure {}
