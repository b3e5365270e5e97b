///
pub mod create;
///
pub mod remove;
