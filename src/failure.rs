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
}

impl GitFailure {
    pub fn fatal(message: impl Into<String>) -> Self {
        GitFailure::Fatal(message.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            GitFailure::Fatal(_) => 128,
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
