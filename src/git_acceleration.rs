//! Whether git outruns the in-process path on this repository: because of an acceleration gix
//! does not have, or because the index is large.
//!
//! On very large work trees git keeps two caches that gix (0.x, as pinned in `Cargo.lock`) never
//! reads: the untracked cache (`core.untrackedCache`, the index's `UNTR` extension: git re-reads
//! only the directories whose stat data changed) and fsmonitor (`core.fsmonitor`: git lstat()s
//! only what the monitor reports). With either in use and a big enough index, `git status` is
//! served from git's machine-readable output (`status --porcelain=v2 -z`) and rendered compactly,
//! which also leaves git's own side effects (its index refresh, the untracked cache it updates)
//! exactly as `git status` leaves them.
//!
//! Measured on 2 cores with `core.untrackedCache=true` and a split index, on fast-imported work
//! trees of 100 files per directory with 1% of the files modified and 50 untracked, tracking off,
//! paired medians of 20–30 rounds (`git status` / in-process / served from git's output):
//!
//! | entries | git status | in-process | from git's output |
//! |--------:|-----------:|-----------:|------------------:|
//! |   2,000 |    11.4 ms |    13.3 ms |           14.8 ms |
//! |   5,000 |    16.1 ms |    19.3 ms |           20.0 ms |
//! |  10,000 |    26.0 ms |    31.6 ms |           29.6 ms |
//! |  20,000 |    38.8 ms |    50.8 ms |           43.9 ms |
//! |  50,000 |    84.7 ms |   108.9 ms |           88.9 ms |
//! | 200,000 |     345 ms |     444 ms |            348 ms |
//!
//! The in-process status costs what git's would without its cache: the walk for untracked files
//! is what git saves. Serving from git's output costs git's run plus this process's start and
//! git's spawn (about 2.5 ms), and less CPU than the in-process path from 5,000 entries on;
//! [`GIT_STATUS_FROM_ENTRIES`] sits between the sizes where each was the faster.
//!
//! That threshold now applies to fsmonitor alone. With the untracked cache, a status git would
//! serve from its cache without reading any directory or rewriting the index is read in-process,
//! the untracked files taken from that cache ([`crate::untracked_cache`],
//! `commands/status/from_cache.rs`); git's output serves the rest, at every size: a status that
//! changes the cache rewrites the index (as does a stat refresh or a racily clean entry), and the
//! in-process walk cannot have that side effect, since gix neither updates nor writes `UNTR`.
//! Paired medians, tracking off: at 199,994 entries with a split index, 225.7 ms against git's
//! 317.6 (0.71×, CPU 376 against 441 ms, 15 rounds), where git's output took 1.02×; at 2,000
//! entries (20 directories of 100 files, 3 changes), 3.44 ms against git's 3.55 (0.97×, 100
//! rounds), where the in-process walk took 1.15×. A status git rebuilds the cache for costs
//! git's own run plus about 3 ms.
//!
//! `git diff` (index against work tree) gains nothing from the untracked cache. Its stat loop is
//! served in-process with [`crate::worktree_status`]'s preload (one `lstat` per file, relative to
//! its directory), which outruns git's own at every size measured; git lists the changed files
//! (`diff --raw -z`, only their lines read and diffed here) only where fsmonitor lets it skip the
//! `lstat()` of unchanged files. Wall time against `git diff`, paired medians on 2 cores, tracking
//! on, the range over runs of 15–30 rounds:
//!
//! | entries | in-process | changed files from git |
//! |--------:|-----------:|-----------------------:|
//! |  50,968 | 0.92–0.95× |             1.03–1.04× |
//! | 199,992 (untracked cache, split index) | 0.93–0.99× | 0.99–1.00× |
//!
//! (Before the preload the in-process path was 1.07–1.11× of git from 50,000 entries on, and git
//! listed the files from 40,000. Since the preload runs up to four threads per core, the
//! in-process path measured 0.86–0.90× at 50,968 entries and 0.91× at 199,992.)
//!
//! fsmonitor could not be measured here: git 2.47's built-in daemon says "fsmonitor--daemon not
//! supported on this platform" on Linux, and no hook-based monitor (Watchman) is installed. With
//! a monitor git skips even the lstat() of unchanged files, so the same rule applies to it.

use std::path::Path;

/// From this many index entries on, a repository whose git uses fsmonitor has its status served
/// from git's output (with the untracked cache, every size: see [`status_by_git`]).
/// `GIT_RTK_GIT_STATUS_FROM_ENTRIES` overrides it, for measuring the threshold on a machine.
pub const GIT_STATUS_FROM_ENTRIES: u64 = 8_000;

/// Which of git's accelerations the repository uses, as git decides it from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accelerations {
    pub untracked_cache: bool,
    pub fsmonitor: bool,
}

impl Accelerations {
    /// git's own reading of the configuration: `core.fsmonitor` set to a hook path or `true`;
    /// `core.untrackedCache=true`, or unset while `feature.manyFiles=true` (which implies it).
    /// An unset `core.untrackedCache` means "keep whatever the index has": that case is counted as
    /// not accelerated, which only costs speed, never correctness.
    pub fn of(repo: &gix::Repository) -> Accelerations {
        let config = repo.config_snapshot();
        let fsmonitor = config.string("core.fsmonitor").is_some_and(|value| {
            let value = value.to_ascii_lowercase();
            !value.is_empty() && !matches!(value.as_slice(), b"false" | b"no" | b"off" | b"0")
        });
        let untracked_cache = match config.try_boolean("core.untrackedCache") {
            Ok(Some(enabled)) => enabled,
            // "keep" is git's documented default spelt out.
            Err(_) => false,
            Ok(None) => config.boolean("feature.manyFiles").unwrap_or(false),
        };
        Accelerations {
            untracked_cache,
            fsmonitor,
        }
    }

    pub fn any(self) -> bool {
        self.untracked_cache || self.fsmonitor
    }
}

/// Whether `git status` is left to git on this repository: served from git's own output, or from
/// git's untracked cache where git would read it and rewrite nothing
/// (`commands/status/from_cache.rs`). With `core.untrackedCache` on that is every size: a status
/// that changes the cache rewrites the index, a side effect the in-process walk cannot have (gix
/// neither updates nor writes `UNTR`). With fsmonitor, from [`GIT_STATUS_FROM_ENTRIES`] entries
/// on.
pub fn status_by_git(repo: &gix::Repository) -> bool {
    let accelerations = Accelerations::of(repo);
    accelerations.untracked_cache
        || (accelerations.fsmonitor
            && index_reaches(
                repo,
                threshold("GIT_RTK_GIT_STATUS_FROM_ENTRIES", GIT_STATUS_FROM_ENTRIES),
            ))
}

/// Whether `git diff`'s changed files are listed by git on this repository: fsmonitor in use and
/// at least [`GIT_STATUS_FROM_ENTRIES`] entries (git then skips the lstat() of unchanged files).
/// `GIT_RTK_GIT_DIFF_FROM_ENTRIES` makes any repository from that many entries on list them
/// through git, for measuring and testing that path.
pub fn diff_by_git(repo: &gix::Repository) -> bool {
    match set_threshold("GIT_RTK_GIT_DIFF_FROM_ENTRIES") {
        Some(from) => index_reaches(repo, from),
        None => {
            Accelerations::of(repo).fsmonitor
                && index_reaches(
                    repo,
                    threshold("GIT_RTK_GIT_STATUS_FROM_ENTRIES", GIT_STATUS_FROM_ENTRIES),
                )
        }
    }
}

/// Whether the repository's index holds at least `wanted` entries. Its shared part is counted
/// only where `core.splitIndex` is set: looking for it means listing the git directory, which
/// every small repository's diff would pay for. An index split by hand (`git update-index
/// --split-index` without the setting) is then counted by its own part only, which can only
/// leave the run in-process.
fn index_reaches(repo: &gix::Repository, wanted: u64) -> bool {
    let split = crate::index_read::split_index_configured(repo);
    index_entries_at_least(&repo.index_path(), wanted, split)
}

fn threshold(variable: &str, default: u64) -> u64 {
    set_threshold(variable).unwrap_or(default)
}

/// The threshold `variable` sets, if it holds a number.
fn set_threshold(variable: &str) -> Option<u64> {
    std::env::var(variable).ok()?.parse().ok()
}

/// Whether the index holds at least `wanted` entries, read from file headers alone: the index's
/// own, plus, for a split index (`split`), its shared index (`sharedindex.<id>` beside it; with several,
/// the largest, which over-counts only after the index shrank). Decoding the index to count it
/// would cost a large part of what serving from git saves.
fn index_entries_at_least(index: &Path, wanted: u64, split: bool) -> bool {
    let Some(own) = header_entries(index) else {
        return false;
    };
    if own >= wanted {
        return true;
    }
    if !split {
        return false;
    }
    let Some(dir) = index.parent() else {
        return false;
    };
    let Ok(listing) = std::fs::read_dir(dir) else {
        return false;
    };
    let shared = listing
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .as_encoded_bytes()
                .starts_with(b"sharedindex.")
        })
        .filter_map(|entry| header_entries(&entry.path()))
        .max()
        .unwrap_or(0);
    own + shared >= wanted
}

fn header_entries(path: &Path) -> Option<u64> {
    crate::index_read::file_header_entries(path).map(u64::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_with(entries: u32) -> Vec<u8> {
        let mut bytes = b"DIRC\0\0\0\x02".to_vec();
        bytes.extend_from_slice(&entries.to_be_bytes());
        bytes
    }

    #[test]
    fn counts_the_index_and_its_largest_shared_index() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let index = dir.path().join("index");
        std::fs::write(&index, index_with(10))?;
        assert!(index_entries_at_least(&index, 10, true));
        assert!(!index_entries_at_least(&index, 11, true));
        std::fs::write(dir.path().join("sharedindex.aa"), index_with(5))?;
        std::fs::write(dir.path().join("sharedindex.bb"), index_with(90))?;
        assert!(index_entries_at_least(&index, 100, true));
        assert!(!index_entries_at_least(&index, 101, true));
        // Not a split index: the shared files beside it are not counted.
        assert!(!index_entries_at_least(&index, 100, false));
        Ok(())
    }

    #[test]
    fn a_missing_or_foreign_file_counts_as_small() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let index = dir.path().join("index");
        assert!(!index_entries_at_least(&index, 1, true));
        std::fs::write(&index, b"not an index at all")?;
        assert!(!index_entries_at_least(&index, 1, true));
        Ok(())
    }
}
