//! Turning `git log`-style positional arguments into walk tips, hidden commits and paths.
//!
//! git decides per word whether it is a revision or a path and rejects words that could be both;
//! here any word that is not clearly one of them makes the caller pass through, so git reports it.

use gix::bstr::BString;

/// Resolved revision arguments.
#[derive(Debug, Default, Clone)]
pub struct Revisions {
    pub tips: Vec<gix::ObjectId>,
    pub hidden: Vec<gix::ObjectId>,
    /// Repository-relative literal paths.
    pub paths: Vec<BString>,
    /// Whether any revision word was given (otherwise the caller uses HEAD).
    pub explicit: bool,
}

/// Resolves `words` (before `--`) as revisions and `paths` (after `--`) as literal paths.
/// `None` means git must decide.
pub fn resolve(
    repo: &gix::Repository,
    words: &[String],
    paths: Option<&[String]>,
) -> anyhow::Result<Option<Revisions>> {
    let mut revisions = Revisions::default();
    let prefix = crate::repo::prefix(repo)?;
    for word in words {
        if word_is_existing_path(repo, &prefix, word) {
            // git accepts a path here only when it is not also a revision; leave the call to git.
            return Ok(None);
        }
        let resolved = if let Some((a, b)) = word.split_once("...") {
            symmetric(repo, a, b)?
        } else if let Some((a, b)) = word.split_once("..") {
            match (commit_of(repo, or_head(a)), commit_of(repo, or_head(b))) {
                (Some(a), Some(b)) => Some((vec![b], vec![a])),
                _ => None,
            }
        } else if let Some(hidden) = word.strip_prefix('^') {
            commit_of(repo, hidden).map(|id| (vec![], vec![id]))
        } else {
            commit_of(repo, word).map(|id| (vec![id], vec![]))
        };
        let Some((tips, hidden)) = resolved else {
            return Ok(None);
        };
        revisions.tips.extend(tips);
        revisions.hidden.extend(hidden);
        revisions.explicit = true;
    }
    for path in paths.unwrap_or_default() {
        match crate::paths::repository_path(&prefix, path) {
            Some(path) => revisions.paths.push(path),
            None => return Ok(None),
        }
    }
    Ok(Some(revisions))
}

fn or_head(spec: &str) -> &str {
    if spec.is_empty() {
        "HEAD"
    } else {
        spec
    }
}

/// `A...B`: both tips, with their merge base hidden.
fn symmetric(
    repo: &gix::Repository,
    a: &str,
    b: &str,
) -> anyhow::Result<Option<(Vec<gix::ObjectId>, Vec<gix::ObjectId>)>> {
    let (Some(a), Some(b)) = (commit_of(repo, or_head(a)), commit_of(repo, or_head(b))) else {
        return Ok(None);
    };
    let hidden = match repo.merge_base(a, b) {
        Ok(Some(base)) => vec![base.detach()],
        Ok(None) => Vec::new(),
        Err(_) => Vec::new(),
    };
    Ok(Some((vec![a, b], hidden)))
}

/// The commit a revision names, or `None` if it does not name one.
pub fn commit_of(repo: &gix::Repository, spec: &str) -> Option<gix::ObjectId> {
    if spec.starts_with('-') || spec.contains(':') {
        return None;
    }
    let id = repo.rev_parse_single(spec).ok()?;
    let commit = id.object().ok()?.peel_to_commit().ok()?;
    Some(commit.id)
}

/// Whether `word` names something in the work tree (relative to the current directory).
pub fn word_is_existing_path(repo: &gix::Repository, prefix: &str, word: &str) -> bool {
    let Some(workdir) = repo.workdir() else {
        return false;
    };
    std::fs::symlink_metadata(workdir.join(prefix).join(word)).is_ok()
}
