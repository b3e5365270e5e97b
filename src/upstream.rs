//! A branch's upstream and how far the branch is ahead of and behind it.

use gix::bstr::ByteSlice;
use gix::refs::FullNameRef;

/// The configured upstream of a local branch (`branch.<name>.remote` + `.merge`).
#[derive(Debug, Clone)]
pub struct Upstream {
    /// Shortened as git prints it: `origin/main`, or `main` for a local upstream.
    pub short_name: String,
    /// Where the remote-tracking branch points; `None` when it is gone.
    pub tip: Option<gix::ObjectId>,
}

/// Commits only on the branch (`ahead`) and only on its upstream (`behind`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Divergence {
    pub ahead: usize,
    pub behind: usize,
}

/// Looks up the upstream of `branch`, or `None` when the branch has none configured.
pub fn of_branch(repo: &gix::Repository, branch: &FullNameRef) -> anyhow::Result<Option<Upstream>> {
    let Some(tracking) =
        repo.branch_remote_tracking_ref_name(branch, gix::remote::Direction::Fetch)
    else {
        return Ok(None);
    };
    let tracking = tracking?;
    let tip = match repo.try_find_reference(tracking.as_ref())? {
        Some(mut reference) => Some(reference.peel_to_id()?.detach()),
        None => None,
    };
    Ok(Some(Upstream {
        short_name: tracking.as_ref().shorten().to_str_lossy().into_owned(),
        tip,
    }))
}

/// Counts commits reachable from exactly one of `local` and `upstream`, as `git status` does.
pub fn divergence(
    repo: &gix::Repository,
    local: gix::ObjectId,
    upstream: gix::ObjectId,
) -> anyhow::Result<Divergence> {
    if local == upstream {
        return Ok(Divergence::default());
    }
    let count_only_in = |tip: gix::ObjectId, hidden: gix::ObjectId| -> anyhow::Result<usize> {
        let mut count = 0;
        for info in repo.rev_walk([tip]).with_hidden([hidden]).all()? {
            info?;
            count += 1;
        }
        Ok(count)
    };
    Ok(Divergence {
        ahead: count_only_in(local, upstream)?,
        behind: count_only_in(upstream, local)?,
    })
}
