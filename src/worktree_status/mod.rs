//! The index compared with the work tree, with refreshed stat data written back as git does
//! after a status or diff.
//!
//! gix's `status()` iterator runs this comparison on a producer thread, and before it starts it
//! looks for `.gitmodules` in the index, which loads and hashes the whole index a second time
//! even in a repository without submodules. On a small repository those fixed costs were a third
//! of `git-rtk-status`'s CPU time. Here the comparison runs on [`crate::index_read`]'s index, with
//! gix's submodule status only when the index holds a gitlink.
//!
//! The comparison ([`tracked_only`]) is the same with or without a walk for untracked files:
//! [`preload`] first proves most entries unchanged with one `lstat` each, as git's preload does,
//! and gix compares only the rest. Without a walk (`git diff`, `-uno`) it runs on the calling
//! thread, its preload on worker threads from [`PARALLEL_WITHOUT_WALK_FROM_ENTRIES`] entries on;
//! `git rtk-diff` starts that preload before the index is decoded ([`read_index_preloading`]).
//! With a walk ([`untracked_entries`], on a thread of its own) it runs on the calling thread with
//! one preload thread per core from [`PARALLEL_FROM_ENTRIES`] entries on, and on a second thread
//! of its own below that.

mod preload;

pub use preload::recorded_stat;

use std::sync::atomic::AtomicBool;

use gix::status::index_worktree::{BuiltinSubmoduleStatus, Item};
use gix::status::plumbing::index_as_worktree::traits::{FastEq, SubmoduleStatus};
use gix::status::plumbing::index_as_worktree::{Change, EntryStatus};

/// From this many index entries on, the stat comparison beside the walk for untracked files runs
/// on worker threads and `git rtk-status` diffs HEAD against the index on a thread of its own.
/// Measured on 2 cores, when gix's own comparison ran beside the walk (`perf stat -r 20`, status of a fast-imported tree with
/// `GIT_RTK_PARALLEL_FROM_ENTRIES` at 0 and at 1,000,000): from 1,000 to 4,000 entries the wall
/// times were within noise of each other (11–19 ms either way) while threads cost up to 2 ms more
/// CPU; at 8,000 threads took 26 ms against 31, at 16,000 46 against 79, at 32,000 83 against 100.
pub const PARALLEL_FROM_ENTRIES: usize = 4_000;

/// Without a walk for untracked files (`git diff`, `git rtk-status -uno`) the stat comparison is
/// the run's only work, and threads pay from fewer entries. Measured on 2 cores, `git rtk-diff`
/// without and with threads, paired medians of 40 rounds: 2,000 entries 13.4 → 10.7 ms, 5,000
/// entries 22.9 → 17.6 ms, CPU within 1 ms. At the benchmark's medium-real (1,176 entries), 30
/// rounds in its hermetic environment, threads left the wall time within noise (1.21× of git's
/// against 1.26× serial in the run before) and raised the CPU time to 1.26× of git's, against
/// 1.07× serial. (git's preload starts two threads from 1,000 entries.) `git rtk-status` keeps
/// [`PARALLEL_FROM_ENTRIES`]: it walks for untracked files on a thread of its own already, and
/// there threads below that did not pay (medium-real: 13.4 ms without, 14.5 with).
pub const PARALLEL_WITHOUT_WALK_FROM_ENTRIES: usize = 2_000;

/// Whether `index` is large enough for the work to be split over threads.
/// `GIT_RTK_PARALLEL_FROM_ENTRIES` overrides the threshold, for measuring it on a machine.
pub fn is_large(index: &gix::index::State) -> bool {
    index.entries().len() >= threshold_override().unwrap_or(PARALLEL_FROM_ENTRIES)
}

/// gix's status over [`crate::index_read::index_or_empty`]'s index, with worker threads only
/// for a large index ([`is_large`]).
pub fn status_platform(
    repo: &gix::Repository,
) -> anyhow::Result<gix::status::Platform<'_, gix::progress::Discard>> {
    let index = crate::index_read::index_or_empty(repo)?;
    let small = !is_large(&index);
    Ok(repo
        .status(gix::progress::Discard)?
        .index(index.into())
        .index_worktree_options_mut(|options| {
            if small {
                options.thread_limit = Some(1);
            }
        }))
}

/// Whether the stat comparison is split over threads: as [`is_large`] says when untracked files
/// are walked beside it, else from [`PARALLEL_WITHOUT_WALK_FROM_ENTRIES`] entries on.
fn stat_threads_pay(index: &gix::index::State, walking: bool) -> bool {
    if walking {
        return is_large(index);
    }
    index.entries().len() >= threshold_override().unwrap_or(PARALLEL_WITHOUT_WALK_FROM_ENTRIES)
}

/// `GIT_RTK_PARALLEL_FROM_ENTRIES`, for measuring the thresholds on a machine; asked up to three
/// times per run, so the environment is read once.
fn threshold_override() -> Option<usize> {
    static THRESHOLD: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *THRESHOLD.get_or_init(|| {
        std::env::var("GIT_RTK_PARALLEL_FROM_ENTRIES")
            .ok()
            .and_then(|value| value.parse().ok())
    })
}

/// A preload started before its index was decoded ([`read_index_preloading`]).
pub struct Preloaded {
    index: gix::worktree::Index,
    started: preload::Started,
}

impl Preloaded {
    /// The verdicts, where `index` is the one decoded from the bytes the preload read.
    fn verdicts_for(self, index: &gix::index::State) -> Option<Vec<bool>> {
        let decoded: &gix::index::State = &self.index;
        if !std::ptr::eq(decoded, index) {
            return None;
        }
        self.started.finish(index)
    }
}

/// The index, as [`crate::index_read::index_or_empty`] reads it, with its preload already running
/// where the comparison will split it over threads: `git diff` compares every entry with the
/// work tree, so the `lstat`s start on the other cores while this one decodes the index. Pass the
/// preload on to [`compare`] with the same index.
pub fn read_index_preloading(
    repo: &gix::Repository,
) -> anyhow::Result<(gix::worktree::Index, Option<Preloaded>)> {
    let Some(workdir) = repo.workdir() else {
        return Ok((crate::index_read::index_or_empty(repo)?, None));
    };
    let Some(mapped) = crate::index_read::map(repo)? else {
        return Ok((crate::index_read::index_or_empty(repo)?, None));
    };
    let entries = crate::index_read::header_entries(mapped.bytes()).map_or(0, |n| n as usize);
    // A split index's entries are mostly in the shared index, which gix reads after this file.
    let pays = entries >= threshold_override().unwrap_or(PARALLEL_WITHOUT_WALK_FROM_ENTRIES)
        && !crate::index_read::split_index_configured(repo);
    let mapped = std::sync::Arc::new(mapped);
    let started = if pays {
        preload::Started::spawn(
            std::sync::Arc::clone(&mapped),
            repo.object_hash(),
            workdir.to_owned(),
            preload::Rules::of(repo)?,
            preload_threads(entries),
        )
    } else {
        None
    };
    let index = crate::index_read::decode_and_keep(repo, &mapped)?;
    let preloaded = started.map(|started| Preloaded {
        index: index.clone(),
        started,
    });
    Ok((index, preloaded))
}

/// The directory walk for untracked files as `git status` does it: `mode` when given, otherwise
/// `status.showUntrackedFiles`. `None` when untracked files are not listed at all.
pub fn untracked_walk(
    repo: &gix::Repository,
    mode: Option<gix::status::UntrackedFiles>,
) -> anyhow::Result<Option<gix::dirwalk::Options>> {
    let emission = match untracked_mode(repo, mode)? {
        gix::status::UntrackedFiles::None => return Ok(None),
        gix::status::UntrackedFiles::Collapsed => gix::dir::walk::EmissionMode::CollapseDirectory,
        gix::status::UntrackedFiles::Files => gix::dir::walk::EmissionMode::Matching,
    };
    Ok(Some(repo.dirwalk_options()?.emit_untracked(emission)))
}

/// How `git status` lists untracked files: `mode` when given, otherwise
/// `status.showUntrackedFiles` (normal by default).
pub fn untracked_mode(
    repo: &gix::Repository,
    mode: Option<gix::status::UntrackedFiles>,
) -> anyhow::Result<gix::status::UntrackedFiles> {
    use gix::config::tree::Status;
    Ok(match mode {
        Some(mode) => mode,
        None => repo
            .config_snapshot()
            .string(Status::SHOW_UNTRACKED_FILES)
            .map(|value| {
                Status::SHOW_UNTRACKED_FILES
                    .try_into_show_untracked_files(value.as_ref() as &gix::bstr::BStr)
            })
            .transpose()?
            .unwrap_or_default(),
    })
}

/// Whose opportunistic index write a comparison stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitWrite {
    /// `git status` rewrites the index after refreshing any entry's stat data, and for racily
    /// clean entries alone (`repo_update_index_if_able`).
    Status,
    /// `git diff` rewrites it only when some entry's stat data changed with its content the same
    /// (`refresh_index_quietly`, called for `skip_stat_unmatch` in git's `builtin/diff.c`).
    Diff,
}

/// Every difference between `index` and the work tree (untracked files too when `dirwalk` is
/// given), in no particular order. Stat data found stale but unchanged in content is written
/// back to the index when it can be rewritten losslessly (see [`crate::index_refresh`]); `None`
/// where the command `write` stands for would rewrite an index that cannot be: the caller leaves
/// the run to git, which writes it.
pub fn compare(
    repo: &gix::Repository,
    index: &gix::worktree::Index,
    dirwalk: Option<gix::dirwalk::Options>,
    submodules: gix::status::Submodule,
    preloaded: Option<Preloaded>,
    write: GitWrite,
) -> anyhow::Result<Option<Vec<Item>>> {
    let threads = stat_threads_pay(index, dirwalk.is_some());
    let collect = compare_with(repo, index, dirwalk, submodules, threads, preloaded)?;
    let git_writes = match write {
        GitWrite::Status => {
            !collect.refreshed.is_empty()
                || crate::index_refresh::git_rewrites_for_racy_entries(index)
        }
        // A racily clean entry found unchanged keeps its stat data: not a change git diff writes.
        GitWrite::Diff => collect.refreshed.iter().any(|(at, refresh)| {
            matches!(refresh, Refresh::NewStat(stat)
                if index.entries().get(*at).is_some_and(|entry| entry.stat != *stat))
        }),
    };
    if !git_writes {
        return Ok(Some(collect.items));
    }
    if !crate::index_refresh::is_rewritable(index) {
        return Ok(None);
    }
    write_back(repo, index, &collect.refreshed);
    Ok(Some(collect.items))
}

/// [`compare`]'s findings, with worker threads or not, before any stat refresh is written back.
fn compare_with(
    repo: &gix::Repository,
    index: &gix::index::State,
    dirwalk: Option<gix::dirwalk::Options>,
    submodules: gix::status::Submodule,
    threads: bool,
    preloaded: Option<Preloaded>,
) -> anyhow::Result<Collect> {
    let has_gitlink = index
        .entries()
        .iter()
        .any(|entry| entry.mode == gix::index::entry::Mode::COMMIT);
    let submodule = if has_gitlink {
        Submodules::Builtin(Box::new(BuiltinSubmoduleStatus::new(
            repo.clone().into_sync(),
            submodules,
        )?))
    } else {
        Submodules::None
    };
    let never_interrupted = AtomicBool::new(false);
    let interrupt = &never_interrupted;
    let collect = match dirwalk {
        None => {
            let preload_threads = if threads {
                preload_threads(index.entries().len())
            } else {
                1
            };
            tracked_only(
                repo,
                index,
                submodule,
                preload_threads,
                preloaded,
                interrupt,
            )?
        }
        Some(walk) => {
            let walker = repo.clone();
            let (tracked, untracked) = std::thread::scope(|scope| {
                let untracked =
                    scope.spawn(move || untracked_entries(&walker, index, walk, interrupt));
                let tracked = if threads {
                    // A large index: this thread runs the comparison beside the walk, with one
                    // preload thread per core: more would take the CPU from the walk, the longer
                    // side (50,968 files: 0.67× of git's wall time with 2 threads, 0.81× with 8).
                    // gix's own status ran its comparison, which does per-entry work the preload
                    // skips, beside its walk; with the preload, status of 50,968 files went from
                    // 0.79× to 0.77× of git's wall time and from 264 to 248 ms of CPU (paired
                    // medians of 30 rounds).
                    tracked_only(repo, index, submodule, cores(), preloaded, interrupt)
                } else {
                    // A small index: the comparison on a thread of its own too, while this one
                    // waits. On 2 cores a spawned thread often started only once the thread that
                    // spawned it stopped (up to 2 ms later): with the comparison run here beside
                    // the spawned walk, status of 1,176 files took 4.25 ms against 3.78 for gix's
                    // own status, which also waits on two threads. Against gix's, the preload in
                    // front of the comparison took 0.96× of its wall time and 0.96× of its CPU
                    // (paired medians of 200 rounds; 0.95× and 0.96× on 1,153 files).
                    let comparer = repo.clone();
                    joined(scope.spawn(move || {
                        tracked_only(&comparer, index, submodule, 1, preloaded, interrupt)
                    }))
                };
                (tracked, joined(untracked))
            });
            let mut collect = tracked?;
            collect.items.extend(untracked?);
            collect
        }
    };
    Ok(collect)
}

/// The stat comparison of the tracked files, run where it is called: alone for `git diff` and
/// `-uno`, beside the walk for untracked files otherwise. Without a walk gix's
/// `index_worktree_status` starts a thread for it even so, waits for its
/// results on a channel, and first reads the ignore rules and resolves the git dir's real path,
/// which only the walk uses (`git rtk-diff` on 1,176 files: 5.56 → 5.30 ms, paired medians of 300
/// rounds). The attributes and the filter pipeline are set up as gix sets them up: a racily clean
/// file is read, converted to git's form and hashed as git does.
///
/// The preload runs on `preload_threads` threads, this one included.
///
/// gix sees only the entries [`preload`] could not prove unchanged: its per-entry work (pathspec,
/// path stack, a full-path `lstat` and one per leading directory) cost the in-process diff of
/// 50,968 files 1.07× of git's wall time and 1.4× its CPU; with the preload in front, 0.95× and
/// 1.0× (paired medians of 20–30 rounds).
fn tracked_only(
    repo: &gix::Repository,
    index: &gix::index::State,
    submodule: Submodules,
    preload_threads: usize,
    preloaded: Option<Preloaded>,
    should_interrupt: &AtomicBool,
) -> anyhow::Result<Collect> {
    use gix::status::plumbing::index_as_worktree;
    use gix::worktree::stack::state::attributes::Source;

    let workdir = repo.workdir().ok_or_else(|| {
        anyhow::anyhow!("comparing the index with the work tree needs a work tree")
    })?;
    let rules = preload::Rules::of(repo)?;
    let attributes = repo
        .attributes_only(index, Source::WorktreeThenIdMapping)?
        .detach();
    let (filter, stack) = gix::filter::Pipeline::new(repo, attributes)?.into_parts();
    let (pathspec, _) = repo
        .pathspec(
            false,
            std::iter::empty::<&gix::bstr::BStr>(),
            true,
            index,
            Source::WorktreeThenIdMapping,
        )?
        .into_parts();
    let fscache = repo
        .config_snapshot()
        .boolean(gix::config::tree::Core::FS_CACHE)
        .unwrap_or(cfg!(windows));
    let objects = repo
        .objects
        .clone()
        .into_arc()
        .map_err(|err| anyhow::anyhow!("sharing the object database: {err}"))?;
    // A preload started before the index was decoded has run beside all of the above.
    let unchanged = match preloaded.and_then(|preloaded| preloaded.verdicts_for(index)) {
        Some(verdicts) => verdicts,
        None => preload::unchanged(workdir, index, rules, preload_threads),
    };
    let (rest, positions) = remaining(index, &unchanged);
    let mut found = Collect::default();
    index_as_worktree(
        &rest,
        workdir,
        &mut found,
        FastEq,
        submodule,
        objects,
        &mut gix::progress::Discard,
        index_as_worktree::Context {
            pathspec,
            stack,
            filter,
            should_interrupt,
        },
        index_as_worktree::Options {
            fs: rules.fs,
            thread_limit: (!stat_threads_pay(&rest, false)).then_some(1),
            stat: rules.stat,
            fscache,
        },
    )?;
    // Back to the whole index: its positions, where the refreshed stat data are written, and its
    // entries, whose path ranges point into its own path storage.
    for item in &mut found.items {
        if let Item::Modification {
            entry, entry_index, ..
        } = item
        {
            *entry_index = positions[*entry_index];
            if let Some(whole) = index.entries().get(*entry_index) {
                *entry = whole.clone();
            }
        }
    }
    for (entry_index, _) in &mut found.refreshed {
        *entry_index = positions[*entry_index];
    }
    Ok(found)
}

/// A scoped thread's result, with its panic resumed on this thread.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The walk for untracked (and, as `options` ask, ignored) files alone, as gix's status runs it
/// beside its comparison: the same ignore rules and pathspec, and the same entries left out
/// (`gix-status` 0.37, `index_as_worktree_with_renames`, its `dirwalk::Delegate`: status never
/// shows an entry of untrackable type).
fn untracked_entries(
    repo: &gix::Repository,
    index: &gix::index::State,
    options: gix::dirwalk::Options,
    should_interrupt: &AtomicBool,
) -> anyhow::Result<Vec<Item>> {
    struct Untracked(Vec<Item>);
    impl gix::dir::walk::Delegate for Untracked {
        fn emit(
            &mut self,
            entry: gix::dir::EntryRef<'_>,
            collapsed_directory_status: Option<gix::dir::entry::Status>,
        ) -> gix::dir::walk::Action {
            if entry.disk_kind != Some(gix::dir::entry::Kind::Untrackable) {
                self.0.push(Item::DirectoryContents {
                    entry: entry.to_owned(),
                    collapsed_directory_status,
                });
            }
            std::ops::ControlFlow::Continue(())
        }
    }
    let mut found = Untracked(Vec::new());
    repo.dirwalk(
        index,
        std::iter::empty::<&gix::bstr::BStr>(),
        should_interrupt,
        options,
        &mut found,
    )?;
    Ok(found.0)
}

/// Index entries per preload thread, up to [`PRELOAD_THREADS_PER_CORE`] per core and at least one
/// per core; see [`preload_threads`].
const ENTRIES_PER_PRELOAD_THREAD: usize = 1_500;

/// At most this many preload threads per core.
const PRELOAD_THREADS_PER_CORE: usize = 4;

/// How many threads run the preload over `entries` when it is the only work (no walk beside it)
/// and threads pay. More threads than cores: the loop is system calls, and while one thread's
/// CPU stalls in the kernel another thread is ready on it instead of that CPU idling (git's
/// preload runs up to 20 threads). `git rtk-diff` against git on 2 cores, paired medians, 2 / 4 /
/// 8 threads:
/// 6,000 entries (60 rounds) 0.94× / 0.91× / 0.95×; 50,968 (40 rounds) 0.97× / 0.90× / 0.90×,
/// with 20 threads 0.92×; 199,992 (12 rounds) 0.96× / 0.94× / 0.91×. CPU time stayed within 2%.
fn preload_threads(entries: usize) -> usize {
    let cores = cores();
    (entries / ENTRIES_PER_PRELOAD_THREAD).clamp(cores, cores * PRELOAD_THREADS_PER_CORE)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The entries [`preload`] could not prove unchanged, as an index of their own for gix's
/// comparison, with each one's position in the whole index. Its timestamp is the whole index's,
/// against which gix finds racily clean entries.
fn remaining(index: &gix::index::State, unchanged: &[bool]) -> (gix::index::State, Vec<usize>) {
    let mut rest = gix::index::State::new(index.object_hash());
    rest.set_timestamp(index.timestamp());
    let mut positions = Vec::new();
    for (position, entry) in index.entries().iter().enumerate() {
        if unchanged.get(position).copied().unwrap_or(false) {
            continue;
        }
        rest.dangerously_push_entry(
            entry.stat,
            entry.id,
            entry.flags,
            entry.mode,
            entry.path(index),
        );
        positions.push(position);
    }
    (rest, positions)
}

/// gix's submodule status where the index has gitlinks; nothing to ask otherwise.
#[derive(Clone)]
enum Submodules {
    None,
    Builtin(Box<BuiltinSubmoduleStatus>),
}

impl SubmoduleStatus for Submodules {
    type Output = gix::submodule::Status;

    fn status(
        &mut self,
        entry: &gix::index::Entry,
        rela_path: &gix::bstr::BStr,
    ) -> gix::Result<Option<Self::Output>> {
        match self {
            Submodules::None => Ok(None),
            Submodules::Builtin(builtin) => builtin.status(entry, rela_path),
        }
    }
}

/// A stat refresh for one index entry.
enum Refresh {
    NewStat(gix::index::entry::Stat),
    /// Racily clean but modified: git zeroes the recorded size so the entry stays suspect.
    SizeToZero,
}

#[derive(Default)]
struct Collect {
    items: Vec<Item>,
    refreshed: Vec<(usize, Refresh)>,
}

impl Collect {
    /// Keeps `item`, or only its refreshed stat data where the entry is unchanged.
    fn record(&mut self, item: Item) {
        if let Item::Modification {
            entry_index,
            status,
            ..
        } = &item
        {
            match status {
                EntryStatus::NeedsUpdate(stat) => {
                    self.refreshed.push((*entry_index, Refresh::NewStat(*stat)));
                    return;
                }
                EntryStatus::Change(Change::Modification {
                    set_entry_stat_size_zero: true,
                    ..
                }) => self.refreshed.push((*entry_index, Refresh::SizeToZero)),
                _ => {}
            }
        }
        self.items.push(item);
    }
}

/// What gix's own `index_worktree_status` reports, the reference the tests hold
/// [`compare_with`] and [`tracked_only`] to.
#[cfg(test)]
impl<'index> gix::status::plumbing::index_as_worktree_with_renames::VisitEntry<'index> for Collect {
    type ContentChange = ();
    type SubmoduleStatus = gix::submodule::Status;

    fn visit_entry(
        &mut self,
        entry: gix::status::plumbing::index_as_worktree_with_renames::Entry<
            'index,
            (),
            gix::submodule::Status,
        >,
    ) {
        self.record(entry.into());
    }
}

/// What the stat comparison alone reports ([`tracked_only`]), as the items gix's status reports.
impl<'index> gix::status::plumbing::index_as_worktree::VisitEntry<'index> for Collect {
    type ContentChange = ();
    type SubmoduleStatus = gix::submodule::Status;

    fn visit_entry(
        &mut self,
        _entries: &'index [gix::index::Entry],
        entry: &'index gix::index::Entry,
        entry_index: usize,
        rela_path: &'index gix::bstr::BStr,
        status: EntryStatus<(), gix::submodule::Status>,
    ) {
        self.record(Item::Modification {
            entry: entry.clone(),
            entry_index,
            rela_path: rela_path.to_owned(),
            status,
        });
    }
}

/// Writes the refreshed stat data, as git does opportunistically: the next run then need not
/// re-hash racily clean files. The checksum follows the repository's `index.skipHash`. Any
/// failure (a held `index.lock`, say) is ignored, as git ignores it. Only for an index
/// [`crate::index_refresh::is_rewritable`] accepts ([`compare`] checks).
fn write_back(
    repo: &gix::Repository,
    index: &gix::worktree::Index,
    refreshed: &[(usize, Refresh)],
) {
    let mut file = gix::index::File::clone(index);
    let entries = file.entries_mut();
    for (entry_index, refresh) in refreshed {
        let Some(entry) = entries.get_mut(*entry_index) else {
            return;
        };
        match refresh {
            Refresh::NewStat(stat) => entry.stat = *stat,
            Refresh::SizeToZero => entry.stat.size = 0,
        }
    }
    let skip_hash = repo
        .config_snapshot()
        .boolean(gix::config::tree::Index::SKIP_HASH)
        .unwrap_or(false);
    let _ = file.write(gix::index::write::Options {
        extensions: Default::default(),
        skip_hash,
    });
}
