//! One module per plugin: its arguments and its native implementation.

pub mod branch;
pub mod diff;
pub mod discover;
pub mod gain;
pub mod hook;
pub mod init;
pub mod log;
pub mod rewrite;
pub mod show;
pub mod status;
pub mod write;
