//! Pieces of compact output shared by several plugins.

pub mod date;
pub mod decorations;

/// The abbreviated id git would print for `id` (`core.abbrev`, unique prefix). Fails when the
/// object is missing: git reports that itself.
pub fn short_id(repo: &gix::Repository, id: gix::ObjectId) -> anyhow::Result<String> {
    use anyhow::Context as _;
    use gix::prelude::ObjectIdExt as _;
    Ok(id
        .attach(repo)
        .shorten()
        .with_context(|| format!("abbreviating {id}"))?
        .to_string())
}
