//! `--merged`, `--no-merged`, `--contains`, `--no-contains` and `--points-at`, each answered with
//! one graph walk per filter commit rather than one per branch.

use anyhow::Context as _;
use gix::bstr::ByteSlice;
use gix::ObjectId;

use super::*;

/// Applies `--points-at`, `--merged`, `--no-merged`, `--contains`, `--no-contains` as git's
/// ref-filter does, or `None` when a revision does not resolve (git prints its own error).
pub(super) fn apply_filters(
    repo: &gix::Repository,
    filters: &Filters,
    entries: Vec<Entry>,
) -> anyhow::Result<Option<Vec<Entry>>> {
    for spec in filters
        .points_at
        .iter()
        .chain(&filters.merged)
        .chain(&filters.no_merged)
        .chain(&filters.contains)
        .chain(&filters.no_contains)
    {
        if is_ambiguous_ref(repo, spec)? {
            return Ok(None);
        }
    }
    let resolve_all = |specs: &[String], peel: bool| -> Option<Vec<ObjectId>> {
        specs
            .iter()
            .map(|spec| {
                let id = repo.rev_parse_single(spec.as_bytes().as_bstr()).ok()?;
                if peel {
                    Some(id.object().ok()?.peel_to_commit().ok()?.id)
                } else {
                    Some(id.detach())
                }
            })
            .collect()
    };
    let (Some(points_at), Some(merged), Some(no_merged), Some(contains), Some(no_contains)) = (
        resolve_all(&filters.points_at, false),
        resolve_all(&filters.merged, true),
        resolve_all(&filters.no_merged, true),
        resolve_all(&filters.contains, true),
        resolve_all(&filters.no_contains, true),
    ) else {
        return Ok(None);
    };

    let mut entries = entries;
    if !points_at.is_empty() {
        let mut kept = Vec::with_capacity(entries.len());
        for entry in entries {
            if points_at_any(repo, entry.id, &points_at)? {
                kept.push(entry);
            }
        }
        entries = kept;
    }
    if !filters.needs_commits() || entries.is_empty() {
        return Ok(Some(entries));
    }
    let mut tips = Vec::with_capacity(entries.len());
    for entry in &entries {
        // ref-filter drops refs that do not lead to a commit; leave that case to git.
        let Some(commit) = repo
            .find_object(entry.id)
            .ok()
            .and_then(|object| object.peel_to_commit().ok())
        else {
            return Ok(None);
        };
        tips.push(commit.id);
    }

    let cache = repo
        .commit_graph_if_enabled()
        .context("opening the commit-graph")?;
    let mut reach = Reachability::new(repo, cache.as_ref());
    let mut keep = vec![true; tips.len()];
    // Each filter keeps a tip when any of its commits qualifies (`--merged A --merged B`: merged
    // into A or B), the negated ones when none does.
    for (commits, wanted, relation) in [
        (&merged, true, Relation::MergedInto),
        (&no_merged, false, Relation::MergedInto),
        (&contains, true, Relation::Contains),
        (&no_contains, false, Relation::Contains),
    ] {
        if commits.is_empty() {
            continue;
        }
        let hits = reach.related_to_any(relation, commits, &tips)?;
        for (keep, hit) in keep.iter_mut().zip(hits) {
            *keep &= hit == wanted;
        }
    }
    let mut keep = keep.into_iter();
    entries.retain(|_| keep.next().unwrap_or(false));
    Ok(Some(entries))
}

/// `--points-at`: the ref's own object, or the object its tag points to, is one of `objects`.
pub(super) fn points_at_any(
    repo: &gix::Repository,
    id: ObjectId,
    objects: &[ObjectId],
) -> anyhow::Result<bool> {
    if objects.contains(&id) {
        return Ok(true);
    }
    let object = repo
        .find_object(id)
        .with_context(|| format!("reading {id}"))?;
    if object.kind != gix::object::Kind::Tag {
        return Ok(false);
    }
    let target = object
        .into_tag()
        .target_id()
        .with_context(|| format!("decoding tag {id}"))?;
    Ok(objects.contains(&target.detach()))
}

pub(super) type MergeBaseGraph<'repo, 'cache> = gix::revwalk::Graph<
    'repo,
    'cache,
    gix::revwalk::graph::Commit<gix::revision::plumbing::merge_base::Flags>,
>;

/// Answers "is this commit an ancestor of that one" for whole sets of branch tips.
///
/// With a commit-graph, generation numbers bound every walk (an ancestor's generation is always
/// lower), so one walk per filter commit answers for all tips, as git's `tips_reachable_from_bases`
/// and `can_all_from_reach` do. Without one, nothing bounds a walk but finding a merge base, so
/// each tip gets a merge-base computation, as in git's `repo_in_merge_bases`; the graph is shared
/// so that commits already read are not decoded again.
pub(super) enum Reachability<'repo, 'cache> {
    Generations(gix::revwalk::Graph<'repo, 'cache, gix::revwalk::graph::Commit<()>>),
    MergeBases(&'repo gix::Repository, MergeBaseGraph<'repo, 'cache>),
}

impl<'repo, 'cache> Reachability<'repo, 'cache> {
    fn new(repo: &'repo gix::Repository, cache: Option<&'cache gix::commitgraph::Graph>) -> Self {
        // Like git's `generation_numbers_enabled`: a commit-graph written without generation
        // numbers stores zeros, which bound nothing.
        let has_generations = cache
            .and_then(|cache| cache.iter_commits().next())
            .is_some_and(|first| first.generation() != 0);
        match cache {
            Some(cache) if has_generations => {
                Reachability::Generations(repo.revision_graph(Some(cache)))
            }
            _ => Reachability::MergeBases(repo, repo.revision_graph(cache)),
        }
    }

    /// For each tip: does it stand in `relation` to any of `commits`?
    fn related_to_any(
        &mut self,
        relation: Relation,
        commits: &[ObjectId],
        tips: &[ObjectId],
    ) -> anyhow::Result<Vec<bool>> {
        let mut tips = Tips {
            ids: tips,
            hits: vec![false; tips.len()],
        };
        for &commit in commits {
            match (&mut *self, relation) {
                (Reachability::Generations(graph), Relation::MergedInto) => {
                    reachable_tips(graph, commit, &mut tips)?
                }
                (Reachability::Generations(graph), Relation::Contains) => {
                    tips_reaching(graph, commit, &mut tips)?
                }
                (Reachability::MergeBases(repo, graph), _) => {
                    for (index, tip) in tips.pending() {
                        let (ancestor, descendant) = match relation {
                            Relation::MergedInto => (tip, commit),
                            Relation::Contains => (commit, tip),
                        };
                        tips.hits[index] = is_ancestor(repo, graph, ancestor, descendant)?;
                    }
                }
            }
        }
        Ok(tips.hits)
    }
}

/// The branch tips a filter decides, and which of them are hits so far.
pub(super) struct Tips<'t> {
    ids: &'t [ObjectId],
    hits: Vec<bool>,
}

impl Tips<'_> {
    /// The tips not hit yet, with their index: a hit stays a hit, so only these need deciding.
    fn pending(&self) -> Vec<(usize, ObjectId)> {
        self.ids
            .iter()
            .copied()
            .enumerate()
            .filter(|&(index, _)| !self.hits[index])
            .collect()
    }
}

/// How a tip must relate to a filter commit to count as a hit.
#[derive(Clone, Copy)]
enum Relation {
    /// `--merged`: the tip is reachable from the commit.
    MergedInto,
    /// `--contains`: the commit is reachable from the tip.
    Contains,
}

pub(super) type GenerationGraph<'repo, 'cache> =
    gix::revwalk::Graph<'repo, 'cache, gix::revwalk::graph::Commit<()>>;

/// The generation of `id` and its parents. It is infinite for a commit the commit-graph does not
/// know and for a saturated one: either kind only has its own kind as descendants, so cut-offs at a
/// finite generation stay sound.
pub(super) fn generation_and_parents(
    graph: &mut GenerationGraph<'_, '_>,
    id: ObjectId,
) -> anyhow::Result<(u32, Vec<ObjectId>)> {
    let commit = graph
        .get_or_insert_full_commit(id, |_| {})
        .with_context(|| format!("reading commit {id}"))?
        .with_context(|| format!("commit {id} is missing"))?;
    let generation = commit
        .generation
        .filter(|&generation| {
            generation != 0 && generation < gix::commitgraph::GENERATION_NUMBER_MAX
        })
        .unwrap_or(gix::commitgraph::GENERATION_NUMBER_INFINITY);
    Ok((generation, commit.parents.to_vec()))
}

/// Marks as hits the tips reachable from `base`: one walk down from `base` that never goes below
/// the lowest generation among the tips still unseen.
pub(super) fn reachable_tips(
    graph: &mut GenerationGraph<'_, '_>,
    base: ObjectId,
    tips: &mut Tips<'_>,
) -> anyhow::Result<()> {
    let mut wanted: gix::hashtable::HashMap<ObjectId, Vec<usize>> = Default::default();
    let mut min_generation = u32::MAX;
    for (index, tip) in tips.pending() {
        wanted.entry(tip).or_default().push(index);
        min_generation = min_generation.min(generation_and_parents(graph, tip)?.0);
    }
    let mut seen = gix::hashtable::HashSet::default();
    let mut stack = vec![base];
    seen.insert(base);
    while let Some(id) = stack.pop() {
        if let Some(indices) = wanted.remove(&id) {
            for index in indices {
                tips.hits[index] = true;
            }
            if wanted.is_empty() {
                break;
            }
        }
        let (generation, parents) = generation_and_parents(graph, id)?;
        if generation < min_generation {
            continue;
        }
        stack.extend(parents.into_iter().filter(|&parent| seen.insert(parent)));
    }
    Ok(())
}

/// Marks as hits the tips from which `target` is reachable: a depth-first walk from each tip,
/// memoised across tips and cut off at `target`'s generation (nothing at or below it but `target`
/// itself can lead to it).
pub(super) fn tips_reaching(
    graph: &mut GenerationGraph<'_, '_>,
    target: ObjectId,
    tips: &mut Tips<'_>,
) -> anyhow::Result<()> {
    enum Visit {
        Enter(ObjectId),
        /// All parents are decided: decide the commit.
        Leave(ObjectId, Vec<ObjectId>),
    }
    let (target_generation, _) = generation_and_parents(graph, target)?;
    let bounded = target_generation != gix::commitgraph::GENERATION_NUMBER_INFINITY;
    let mut reaches: gix::hashtable::HashMap<ObjectId, bool> = Default::default();
    reaches.insert(target, true);
    let mut stack = Vec::new();
    for (index, tip) in tips.pending() {
        stack.push(Visit::Enter(tip));
        while let Some(visit) = stack.pop() {
            match visit {
                Visit::Enter(id) => {
                    if reaches.contains_key(&id) {
                        continue;
                    }
                    let (generation, parents) = generation_and_parents(graph, id)?;
                    if bounded && generation <= target_generation {
                        reaches.insert(id, false);
                        continue;
                    }
                    let pending: Vec<_> = parents
                        .iter()
                        .filter(|parent| !reaches.contains_key(*parent))
                        .map(|&parent| Visit::Enter(parent))
                        .collect();
                    stack.push(Visit::Leave(id, parents));
                    stack.extend(pending);
                }
                Visit::Leave(id, parents) => {
                    let any = parents
                        .iter()
                        .any(|parent| reaches.get(parent).copied().unwrap_or(false));
                    reaches.insert(id, any);
                }
            }
        }
        tips.hits[index] = reaches.get(&tip).copied().unwrap_or(false);
    }
    Ok(())
}

/// Whether `ancestor` is reachable from `descendant` (or is it).
pub(super) fn is_ancestor(
    repo: &gix::Repository,
    graph: &mut MergeBaseGraph<'_, '_>,
    ancestor: ObjectId,
    descendant: ObjectId,
) -> anyhow::Result<bool> {
    if ancestor == descendant {
        return Ok(true);
    }
    let base = repo
        .merge_base_with_graph(ancestor, descendant, graph)
        .with_context(|| format!("merge base of {ancestor} and {descendant}"))?;
    Ok(base.is_some_and(|base| base.detach() == ancestor))
}
