//! Commit history: resolving revision arguments and walking commits in git's order.

pub mod dates;
pub mod revisions;
pub mod walk;
