//! Unified diffs: reading them ([`parse`]) and applying one file's hunks to its content
//! ([`apply`]). Neither touches the file system; the command decides what to read and write.

pub mod apply;
pub mod parse;

pub use apply::{apply_hunks, Applied, HunkFailure};
pub use parse::{parse, FilePatch, Hunk, HunkLine, PatchSyntaxError};
