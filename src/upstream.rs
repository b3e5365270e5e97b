//! A branch's upstream and how far the branch is ahead of and behind it.

use anyhow::Context as _;
use gix::bstr::ByteSlice;
use gix::refs::FullNameRef;
use gix::ObjectId;

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
///
/// A branch may track another local branch (`branch.<name>.remote = .`); remote `.` has no fetch
/// refspecs, so its upstream is the merge ref itself.
pub fn of_branch(repo: &gix::Repository, branch: &FullNameRef) -> anyhow::Result<Option<Upstream>> {
    let tracks_local_branch = repo
        .branch_remote_name(branch.shorten(), gix::remote::Direction::Fetch)
        .is_some_and(|remote| remote.as_bstr() == ".");
    let tracking = if tracks_local_branch {
        repo.branch_remote_ref_name(branch, gix::remote::Direction::Fetch)
    } else {
        repo.branch_remote_tracking_ref_name(branch, gix::remote::Direction::Fetch)
    };
    let Some(tracking) = tracking else {
        return Ok(None);
    };
    let tracking = tracking.with_context(|| format!("upstream of {}", branch.as_bstr()))?;
    let tip = match crate::repo::find_exact_reference(repo, tracking.as_ref())? {
        Some(mut reference) => Some(
            reference
                .peel_to_id()
                .with_context(|| format!("resolving {}", tracking.as_bstr()))?
                .detach(),
        ),
        None => None,
    };
    Ok(Some(Upstream {
        short_name: tracking.as_ref().shorten().to_str_lossy().into_owned(),
        tip,
    }))
}

/// Counts ahead/behind for branch/upstream pairs in one walk per pair over a commit graph shared by
/// all pairs, so history that several branches have in common is read and decoded once.
pub struct DivergenceCounter<'repo, 'cache> {
    graph: gix::revwalk::Graph<'repo, 'cache, gix::revwalk::graph::Commit<u8>>,
    queue: gix::revwalk::PriorityQueue<(u32, i64), ObjectId>,
    painted: Vec<ObjectId>,
    shallow: bool,
}

impl<'repo, 'cache> DivergenceCounter<'repo, 'cache> {
    const LOCAL: u8 = 1;
    const UPSTREAM: u8 = 2;
    const BOTH: u8 = Self::LOCAL | Self::UPSTREAM;

    pub fn new(
        repo: &'repo gix::Repository,
        cache: Option<&'cache gix::commitgraph::Graph>,
    ) -> Self {
        DivergenceCounter {
            graph: repo.revision_graph(cache),
            queue: gix::revwalk::PriorityQueue::new(),
            painted: Vec::new(),
            // Unknown shallowness only makes a missing parent an error, which passes through.
            shallow: repo.is_shallow().unwrap_or(false),
        }
    }

    /// Commits reachable from `local` only (ahead) and from `upstream` only (behind), as
    /// `git rev-list --left-right --count local...upstream` reports them.
    ///
    /// Paints both tips' flags down the history, newest generation (then commit time) first, and
    /// stops once every queued commit carries both flags: everything below is common history.
    pub fn count(&mut self, local: ObjectId, upstream: ObjectId) -> anyhow::Result<Divergence> {
        if local == upstream {
            return Ok(Divergence::default());
        }
        self.graph.clear_commit_data(|flags| *flags = 0);
        self.queue.clear();
        self.painted.clear();
        for (tip, flag) in [(local, Self::LOCAL), (upstream, Self::UPSTREAM)] {
            self.paint(tip, flag)?;
        }
        // Without generation numbers the queue is ordered by commit time only, and commits with
        // equal times may pop before a descendant that later hands them a second flag. So, as
        // git's revision walk does (`still_interesting`), the walk goes on past the point where
        // every queued commit carries both flags while the next one is not older than the last
        // one taken, and for a few commits more (git's SLOP).
        const SLOP: u32 = 5;
        let mut slop = SLOP;
        let mut last_key: Option<(u32, i64)> = None;
        while let Some((&next_key, _)) = self.queue.peek() {
            let unsettled = self.queue.iter_unordered().any(|id| {
                self.graph
                    .get(id)
                    .is_some_and(|commit| commit.data != Self::BOTH)
            }) || last_key.is_some_and(|last| next_key >= last);
            if unsettled {
                slop = SLOP;
            } else {
                slop -= 1;
                if slop == 0 {
                    break;
                }
            }
            let Some((key, id)) = self.queue.pop() else {
                break;
            };
            last_key = Some(key);
            let Some(commit) = self.graph.get(&id) else {
                continue;
            };
            let flags = commit.data;
            let parents = commit.parents.clone();
            for parent in parents {
                self.paint(parent, flags)?;
            }
        }
        let mut divergence = Divergence::default();
        for id in &self.painted {
            match self.graph.get(id).map(|commit| commit.data) {
                Some(Self::LOCAL) => divergence.ahead += 1,
                Some(Self::UPSTREAM) => divergence.behind += 1,
                _ => {}
            }
        }
        Ok(divergence)
    }

    /// Adds `flags` to commit `id`, queueing it again whenever that gives it a flag it lacked.
    fn paint(&mut self, id: ObjectId, flags: u8) -> anyhow::Result<()> {
        let mut queued = None;
        let mut first_paint = false;
        let found = self
            .graph
            .get_or_insert_full_commit(id, |commit| {
                if commit.data & flags != flags {
                    first_paint = commit.data == 0;
                    commit.data |= flags;
                    let generation = commit
                        .generation
                        .unwrap_or(gix::commitgraph::GENERATION_NUMBER_INFINITY);
                    queued = Some((generation, commit.commit_time));
                }
            })
            .with_context(|| format!("reading commit {id}"))?;
        // A shallow clone's boundary commits name parents that were never fetched; git treats
        // them as parentless. Anywhere else a missing commit is corruption git should report.
        if found.is_none() && !self.shallow {
            // A damaged repository: git's own message says what is wrong.
            return Err(crate::failure::Decline::new(format!("commit {id} is missing")).into());
        }
        if let Some(key) = queued {
            self.queue.insert(key, id);
        }
        if first_paint {
            self.painted.push(id);
        }
        Ok(())
    }
}
