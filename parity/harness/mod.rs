//! The parity harness: each module owns one step of a twin run.

pub mod case;
pub mod env;
pub mod facts;
pub mod fixture;
pub mod invoke;
pub mod native_size;
pub mod report;
pub mod signals;
pub mod snapshot;
pub mod state;
pub mod text;
pub mod twin;
