//! One module per plugin: its arguments and its native implementation.

pub mod branch;
pub mod diff;
pub mod log;
pub mod show;
pub mod status;
pub mod write;
