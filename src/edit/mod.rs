//! Format-preserving editors: what `git rtk-write` computes before anything is written.
//!
//! Every editor here works on text in memory and returns new text; none of them touches the file
//! system. Config edits locate their target with a parser (spans) and splice only the bytes they
//! must change, so comments, whitespace, line endings and number spelling elsewhere survive
//! byte for byte.

pub mod change;
pub mod config;
pub mod json;
pub mod key_path;
pub mod layout;
pub mod patch;
pub mod replace;
pub mod sequence;
pub mod splice;
pub mod toml;

/// Why an edit cannot be made. The kind decides the exit code of the command that asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The file itself is not valid in its format (exit 128).
    #[error("{0}")]
    Syntax(String),
    /// What the user typed (key path, value) is malformed (exit 129).
    #[error("{0}")]
    Usage(String),
    /// The edit does not fit this document: a missing key, a wrong type, an index out of range,
    /// a duplicated key (exit 1).
    #[error("{0}")]
    NotApplicable(String),
}
