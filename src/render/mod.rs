//! Pieces of compact output shared by several plugins.

pub mod date;
pub mod decorations;

/// The abbreviated id git would print for `id` (`core.abbrev`, unique prefix).
pub fn short_id(repo: &gix::Repository, id: gix::ObjectId) -> String {
    use gix::prelude::ObjectIdExt as _;
    id.attach(repo).shorten_or_id().to_string()
}
