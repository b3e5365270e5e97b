//! Ref names shown next to commits, spelt and ordered as `git log --decorate=short` does:
//! `HEAD -> main` (or `HEAD` when detached) first, then the other refs in reverse refname order,
//! tags as `tag: v1`. Only `refs/heads`, `refs/remotes`, `refs/tags` and `HEAD` decorate, as in git.

use std::collections::HashMap;

use gix::bstr::ByteSlice;

pub struct Decorations {
    by_commit: HashMap<gix::ObjectId, Vec<String>>,
}

impl Decorations {
    pub fn load(repo: &gix::Repository) -> anyhow::Result<Self> {
        let mut named: Vec<(Vec<u8>, gix::ObjectId)> = Vec::new();
        let platform = repo.references()?;
        for reference in platform.all()? {
            let Ok(mut reference) = reference else {
                continue;
            };
            let full = reference.name().as_bstr().to_vec();
            let decorates = full == b"refs/stash"
                || [&b"refs/heads/"[..], b"refs/remotes/", b"refs/tags/"]
                    .iter()
                    .any(|p| full.starts_with(p));
            if !decorates {
                continue;
            }
            // Symbolic refs such as origin/HEAD decorate the commit they resolve to.
            let Ok(id) = reference.peel_to_id() else {
                continue;
            };
            named.push((full, id.detach()));
        }
        named.sort_by(|a, b| a.0.cmp(&b.0));

        let head = repo.head()?;
        let head_branch = head.referent_name().map(|n| n.as_bstr().to_vec());
        let head_id = head.id().map(|id| id.detach());

        let mut by_commit: HashMap<gix::ObjectId, Vec<String>> = HashMap::new();
        for (full, id) in named.iter().rev() {
            if head_branch.as_deref() == Some(full.as_slice()) && head_id == Some(*id) {
                continue;
            }
            by_commit.entry(*id).or_default().push(short_ref_name(full));
        }
        if let Some(id) = head_id {
            let label = match &head_branch {
                Some(branch) => format!("HEAD -> {}", short_ref_name(branch)),
                None => "HEAD".to_owned(),
            };
            by_commit.entry(id).or_default().insert(0, label);
        }
        Ok(Decorations { by_commit })
    }

    /// The decorations of `id`, joined as git prints them inside parentheses.
    pub fn of(&self, id: &gix::oid) -> Option<String> {
        self.by_commit.get(id).map(|names| names.join(", "))
    }
}

fn short_ref_name(full: &[u8]) -> String {
    let text = full.to_str_lossy();
    if let Some(tag) = text.strip_prefix("refs/tags/") {
        format!("tag: {tag}")
    } else if let Some(branch) = text.strip_prefix("refs/heads/") {
        branch.to_owned()
    } else if let Some(remote) = text.strip_prefix("refs/remotes/") {
        remote.to_owned()
    } else {
        text.into_owned()
    }
}
