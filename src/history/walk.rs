//! A commit walk that yields commits in the order `git log` does.
//!
//! git pops commits from a queue ordered by committer date, newest first, with ties broken by
//! insertion order; hidden (`^A`, `A..`) commits spread "uninteresting" to their ancestors. With
//! paths, git's default history simplification applies: a commit whose paths are unchanged from a
//! parent is left out, and a merge that took the paths from one parent is followed only through it.
//!
//! Without hidden commits the walk is lazy, so `-n` stops reading history early; with them it has
//! to run until only uninteresting commits are queued, as git's `limit_list` does. Parents and dates
//! come from the commit-graph when there is one.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use anyhow::Context as _;
use gix::bstr::BString;
use gix::revwalk::graph::Commit;

/// What to walk and how.
#[derive(Debug, Default, Clone)]
pub struct WalkSpec {
    pub tips: Vec<gix::ObjectId>,
    pub hidden: Vec<gix::ObjectId>,
    pub first_parent: bool,
    /// Repository-relative literal paths (files or directories); empty means the whole tree.
    pub paths: Vec<BString>,
    /// `--since`: commits with an older committer date are dropped and not walked through.
    pub since: Option<i64>,
}

/// A listed commit with what the walk already read of it.
#[derive(Debug, Clone, Copy)]
pub struct WalkedCommit {
    pub id: gix::ObjectId,
    pub parent_count: usize,
    /// Committer date, seconds since the epoch.
    pub commit_time: i64,
}

const UNINTERESTING: u8 = 1;
const QUEUED: u8 = 2;

type CommitGraph<'repo, 'cache> = gix::revwalk::Graph<'repo, 'cache, Commit<u8>>;

/// The walk; iterate it for the commits git would list, in order.
pub struct Walk<'repo, 'cache> {
    repo: &'repo gix::Repository,
    spec: WalkSpec,
    graph: CommitGraph<'repo, 'cache>,
    queue: BinaryHeap<(i64, Reverse<u64>, gix::ObjectId)>,
    sequence: u64,
    shallow: bool,
    /// With hidden commits: the whole result, computed on the first call.
    limited: Option<VecDeque<WalkedCommit>>,
}

impl<'repo, 'cache> Walk<'repo, 'cache> {
    /// Prepares the walk; `cache` is the repository's commit-graph, if any.
    pub fn new(
        repo: &'repo gix::Repository,
        spec: WalkSpec,
        cache: Option<&'cache gix::commitgraph::Graph>,
    ) -> anyhow::Result<Self> {
        let mut walk = Walk {
            repo,
            graph: repo.revision_graph(cache),
            queue: BinaryHeap::new(),
            sequence: 0,
            shallow: repo.is_shallow().unwrap_or(false),
            limited: None,
            spec,
        };
        for id in walk.spec.hidden.clone() {
            walk.enqueue(id, true)?;
        }
        for id in walk.spec.tips.clone() {
            walk.enqueue(id, false)?;
        }
        Ok(walk)
    }

    fn next_commit(&mut self) -> anyhow::Result<Option<WalkedCommit>> {
        if self.spec.hidden.is_empty() {
            while let Some(popped) = self.step()? {
                if let Some(shown) = popped {
                    return Ok(Some(shown));
                }
            }
            return Ok(None);
        }
        if self.limited.is_none() {
            let mut listed = Vec::new();
            while let Some(popped) = self.step()? {
                listed.extend(popped);
                if self.everybody_uninteresting() {
                    break;
                }
            }
            // A commit listed early may have been reached later through a hidden commit.
            let kept = listed
                .into_iter()
                .filter(|c| self.flags(&c.id) & UNINTERESTING == 0)
                .collect();
            self.limited = Some(kept);
        }
        Ok(self.limited.as_mut().and_then(VecDeque::pop_front))
    }

    /// Pops one commit and queues the parents to follow. `None` when the queue is empty;
    /// `Some(None)` when the popped commit is not listed.
    fn step(&mut self) -> anyhow::Result<Option<Option<WalkedCommit>>> {
        let Some((time, _, id)) = self.queue.pop() else {
            return Ok(None);
        };
        let uninteresting = self.flags(&id) & UNINTERESTING != 0;
        if !uninteresting && self.spec.since.is_some_and(|since| time < since) {
            return Ok(Some(None));
        }
        let (parents, shown) = self.parents_to_follow(id)?;
        for parent in &parents {
            self.enqueue(*parent, uninteresting)?;
        }
        let parent_count = self.graph.get(&id).map_or(0, |c| c.parents.len());
        Ok(Some((!uninteresting && shown).then_some(WalkedCommit {
            id,
            parent_count,
            commit_time: time,
        })))
    }

    fn flags(&self, id: &gix::oid) -> u8 {
        self.graph.get(id).map_or(0, |c| c.data)
    }

    /// Reads `id` into the graph; `false` for a parent a shallow clone never fetched.
    fn load(&mut self, id: gix::ObjectId) -> anyhow::Result<bool> {
        let found = self
            .graph
            .get_or_insert_commit(id, |_| {})
            .with_context(|| format!("reading commit {id}"))?
            .is_some();
        if !found && !self.shallow {
            // A damaged repository: git's own message says what is wrong.
            return Err(crate::failure::Decline::new(format!("commit {id} is missing")).into());
        }
        Ok(found)
    }

    fn enqueue(&mut self, id: gix::ObjectId, uninteresting: bool) -> anyhow::Result<()> {
        if !self.load(id)? {
            return Ok(());
        }
        if uninteresting {
            self.mark_uninteresting(id);
        }
        let Some(commit) = self.graph.get_mut(&id) else {
            return Ok(());
        };
        if commit.data & QUEUED != 0 {
            return Ok(());
        }
        commit.data |= QUEUED;
        let time = commit.commit_time;
        self.sequence += 1;
        self.queue.push((time, Reverse(self.sequence), id));
        Ok(())
    }

    /// Marks `id` and every already-loaded ancestor uninteresting, as git's
    /// `mark_parents_uninteresting` does.
    fn mark_uninteresting(&mut self, id: gix::ObjectId) {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let Some(commit) = self.graph.get_mut(&id) else {
                continue;
            };
            if commit.data & UNINTERESTING != 0 {
                continue;
            }
            commit.data |= UNINTERESTING;
            stack.extend(commit.parents.iter().copied());
        }
    }

    /// Every queued commit is uninteresting: nothing more can be listed.
    fn everybody_uninteresting(&self) -> bool {
        self.queue
            .iter()
            .all(|(_, _, id)| self.flags(id) & UNINTERESTING != 0)
    }

    /// The parents to walk next and whether the commit itself is shown, after path simplification.
    fn parents_to_follow(
        &mut self,
        id: gix::ObjectId,
    ) -> anyhow::Result<(Vec<gix::ObjectId>, bool)> {
        let mut parents: Vec<gix::ObjectId> = self
            .graph
            .get(&id)
            .map(|c| c.parents.to_vec())
            .unwrap_or_default();
        if self.spec.first_parent {
            parents.truncate(1);
        }
        if self.spec.paths.is_empty() {
            return Ok((parents, true));
        }
        let own = self.paths_state(Some(id))?;
        if parents.is_empty() {
            // A root commit is shown when it has anything at the paths.
            return Ok((parents, own != self.paths_state(None)?));
        }
        for parent in &parents {
            if self.paths_state(Some(*parent))? == own {
                // TREESAME to this parent: the commit is hidden and history follows this parent.
                return Ok((vec![*parent], false));
            }
        }
        Ok((parents, true))
    }

    /// The entries at the walk's paths in `commit`'s tree (`None` for the empty tree).
    fn paths_state(
        &self,
        commit: Option<gix::ObjectId>,
    ) -> anyhow::Result<Vec<Option<(gix::ObjectId, u16)>>> {
        let Some(commit) = commit else {
            return Ok(vec![None; self.spec.paths.len()]);
        };
        let tree = self.repo.find_commit(commit)?.tree()?;
        let mut state = Vec::with_capacity(self.spec.paths.len());
        for path in &self.spec.paths {
            if path.is_empty() {
                state.push(Some((tree.id, 0o040000)));
                continue;
            }
            let entry = tree.lookup_entry(
                path.split(|&b| b == b'/')
                    .filter(|c| !c.is_empty())
                    .map(<[u8]>::to_vec),
            )?;
            state.push(entry.map(|e| (e.object_id(), e.mode().value())));
        }
        Ok(state)
    }
}

impl Iterator for Walk<'_, '_> {
    type Item = anyhow::Result<WalkedCommit>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_commit().transpose()
    }
}
