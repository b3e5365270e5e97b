//! A commit walk that yields commits in the order `git log` does.
//!
//! git pops commits from a queue ordered by committer date, newest first, with ties broken by
//! insertion order; hidden (`^A`, `A..`) commits spread "uninteresting" to their ancestors. With
//! paths, git's default history simplification applies: a commit whose paths are unchanged from a
//! parent is left out, and a merge that took the paths from one parent is followed only through it.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use gix::bstr::BString;

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

struct Node {
    parents: Vec<gix::ObjectId>,
    time: i64,
    tree: gix::ObjectId,
    uninteresting: bool,
    queued: bool,
}

/// Walks the history described by `spec` and returns the commits git would list, in order.
pub fn walk(repo: &gix::Repository, spec: &WalkSpec) -> anyhow::Result<Vec<WalkedCommit>> {
    let mut walker = Walker {
        repo,
        spec,
        nodes: HashMap::new(),
        queue: BinaryHeap::new(),
        sequence: 0,
    };
    for id in &spec.hidden {
        walker.enqueue(*id, true)?;
    }
    for id in &spec.tips {
        walker.enqueue(*id, false)?;
    }
    let mut listed = Vec::new();
    while let Some((_, _, id)) = walker.queue.pop() {
        if walker.everybody_uninteresting(id) {
            break;
        }
        let (uninteresting, time) = {
            let node = &walker.nodes[&id];
            (node.uninteresting, node.time)
        };
        if !uninteresting && spec.since.is_some_and(|since| time < since) {
            continue;
        }
        let (parents, shown) = walker.parents_to_follow(id)?;
        for parent in parents {
            walker.enqueue(parent, uninteresting)?;
        }
        if !uninteresting && shown {
            listed.push(id);
        }
    }
    // A commit listed early may have been reached later through a hidden commit.
    Ok(listed
        .into_iter()
        .filter_map(|id| {
            let node = &walker.nodes[&id];
            (!node.uninteresting).then_some(WalkedCommit {
                id,
                parent_count: node.parents.len(),
                commit_time: node.time,
            })
        })
        .collect())
}

struct Walker<'a> {
    repo: &'a gix::Repository,
    spec: &'a WalkSpec,
    nodes: HashMap<gix::ObjectId, Node>,
    queue: BinaryHeap<(i64, Reverse<u64>, gix::ObjectId)>,
    sequence: u64,
}

impl Walker<'_> {
    fn load(&mut self, id: gix::ObjectId) -> anyhow::Result<()> {
        if self.nodes.contains_key(&id) {
            return Ok(());
        }
        let commit = self.repo.find_commit(id)?;
        let decoded = commit.decode()?;
        let node = Node {
            parents: decoded.parents().collect(),
            time: decoded.committer()?.time()?.seconds,
            tree: decoded.tree(),
            uninteresting: false,
            queued: false,
        };
        self.nodes.insert(id, node);
        Ok(())
    }

    fn enqueue(&mut self, id: gix::ObjectId, uninteresting: bool) -> anyhow::Result<()> {
        self.load(id)?;
        if uninteresting {
            self.mark_uninteresting(id);
        }
        let node = self.nodes.get_mut(&id).expect("loaded above");
        if node.queued {
            return Ok(());
        }
        node.queued = true;
        let time = node.time;
        self.sequence += 1;
        self.queue.push((time, Reverse(self.sequence), id));
        Ok(())
    }

    /// Marks `id` and every already-loaded ancestor uninteresting, as git's
    /// `mark_parents_uninteresting` does.
    fn mark_uninteresting(&mut self, id: gix::ObjectId) {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let Some(node) = self.nodes.get_mut(&id) else {
                continue;
            };
            if node.uninteresting {
                continue;
            }
            node.uninteresting = true;
            stack.extend(node.parents.iter().copied());
        }
    }

    /// Stop once every queued commit (and the one just popped) is uninteresting.
    fn everybody_uninteresting(&self, popped: gix::ObjectId) -> bool {
        if self.spec.hidden.is_empty() {
            return false;
        }
        self.nodes[&popped].uninteresting
            && self
                .queue
                .iter()
                .all(|(_, _, id)| self.nodes[id].uninteresting)
    }

    /// The parents to walk next and whether the commit itself is shown, after path simplification.
    fn parents_to_follow(
        &mut self,
        id: gix::ObjectId,
    ) -> anyhow::Result<(Vec<gix::ObjectId>, bool)> {
        let mut parents = self.nodes[&id].parents.clone();
        if self.spec.first_parent {
            parents.truncate(1);
        }
        if self.spec.paths.is_empty() {
            return Ok((parents, true));
        }
        let tree = self.nodes[&id].tree;
        if parents.is_empty() {
            // A root commit is shown when it has anything at the paths.
            let empty = self.paths_state(None)?;
            return Ok((parents, self.paths_state(Some(tree))? != empty));
        }
        let own = self.paths_state(Some(tree))?;
        for parent in &parents {
            self.load(*parent)?;
            let parent_tree = self.nodes[parent].tree;
            if self.paths_state(Some(parent_tree))? == own {
                // TREESAME to this parent: the commit is hidden and history follows this parent.
                return Ok((vec![*parent], false));
            }
        }
        Ok((parents, true))
    }

    /// The entries at the walk's paths in `tree` (`None` for the empty tree).
    fn paths_state(
        &self,
        tree: Option<gix::ObjectId>,
    ) -> anyhow::Result<Vec<Option<(gix::ObjectId, u16)>>> {
        let Some(tree) = tree else {
            return Ok(vec![None; self.spec.paths.len()]);
        };
        let tree = self.repo.find_tree(tree)?;
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
