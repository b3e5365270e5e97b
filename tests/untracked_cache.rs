//! git's untracked cache as `git rtk-status` reads it (`src/untracked_cache/`), held to git itself:
//! where the cache is read, the paths listed are the ones `git status` lists in the same state;
//! after each change git would read a directory again for, the cache is refused; and the plugin
//! served from the cache runs no git and leaves the index as git leaves it.
//!
//! Every file and directory is dated 100 s back before git builds the cache, so that nothing is
//! racily clean against the index git then writes (a directory modified in the index file's second
//! is never trusted; a test of its own checks that).

use std::path::Path;
use std::time::{Duration, SystemTime};

use gix::bstr::BString;
use gix::status::UntrackedFiles;

mod support;

use support::temp_repo::TempRepo;

struct Repo {
    repo: TempRepo,
    /// How many times [`Repo::settle`] ran: each dates the tree to another whole second.
    settled: std::cell::Cell<u64>,
}

impl std::ops::Deref for Repo {
    type Target = TempRepo;

    fn deref(&self) -> &TempRepo {
        &self.repo
    }
}

impl Repo {
    /// A repository with the untracked cache on, its global exclude file inside the test's
    /// directory, and a tree of tracked files (`a/`, `a/b/` with its own `.gitignore`, `c/`).
    fn new() -> Repo {
        let repo = Repo {
            repo: TempRepo::init(),
            settled: std::cell::Cell::new(0),
        };
        repo.git(&["config", "core.untrackedCache", "true"]);
        let excludes = repo.home.join("excludes");
        repo.git(&["config", "core.excludesFile", &excludes.to_string_lossy()]);
        repo.write("top.txt", "top\n");
        repo.write("a/one.txt", "1\n");
        repo.write("a/b/two.txt", "2\n");
        repo.write("a/b/.gitignore", "*.tmp\n");
        repo.write("c/three.txt", "3\n");
        repo.write(".gitignore", "*.log\n");
        repo.git(&["add", "."]);
        repo.git(&["commit", "-q", "-m", "base"]);
        repo
    }

    /// Untracked files of every kind `git status` tells apart: in a tracked directory, in an
    /// untracked directory two levels down (shown as `d/`), an empty untracked directory and one
    /// holding only ignored files (both hidden), one ignored by a nested `.gitignore`, names with
    /// a space and non-ASCII letters, and an untracked directory inside an untracked one inside a
    /// tracked one.
    fn add_untracked(&self) {
        self.write("u.txt", "u\n");
        self.write("a/new.txt", "n\n");
        self.write("a/b/scratch.tmp", "ignored\n");
        self.write("a/b/kept.txt", "kept\n");
        self.write("d/e/f.txt", "f\n");
        std::fs::create_dir_all(self.work.join("empty/inner")).expect("empty dir");
        self.write("logs/x.log", "ignored\n");
        self.write("c/with space.txt", "s\n");
        self.write("c/ünï.txt", "u\n");
        self.write("c/fresh/deeper/g.txt", "g\n");
    }

    /// Dates every file and directory of the work tree `seconds` back (the git directory aside).
    fn age(&self, seconds: u64) {
        let then =
            filetime::FileTime::from_system_time(SystemTime::now() - Duration::from_secs(seconds));
        age_tree(&self.work, then);
    }

    /// Dates the one directory or file at `path` `seconds` back.
    fn date(&self, path: &str, seconds: u64) {
        let then =
            filetime::FileTime::from_system_time(SystemTime::now() - Duration::from_secs(seconds));
        filetime::set_symlink_file_times(self.work.join(path), then, then).expect("set times");
    }

    /// Ages the tree, then lets git build (or rebuild) the cache and write the index; a second
    /// status then finds every directory valid. Each call dates the tree to a second of its own:
    /// git compares directory dates to the second, and a directory redated within the second git
    /// cached would stay trusted by git with other nanoseconds, which the reader here refuses.
    fn settle(&self) {
        let round = self.settled.get();
        self.settled.set(round + 1);
        self.age(200 + 2 * round);
        self.git(&["status", "--porcelain"]);
        self.git(&["status", "--porcelain"]);
    }

    /// The untracked paths `git status` lists in `mode`.
    fn git_untracked(&self, mode: &str) -> Vec<BString> {
        let output = self.git(&["status", "--porcelain=v2", "-z", &format!("-u{mode}")]);
        output
            .stdout
            .split(|&b| b == 0)
            .filter_map(|record| record.strip_prefix(b"? "))
            .map(BString::from)
            .collect()
    }

    /// What the cache lists in `mode`, read as the plugin reads it.
    fn cached(&self, mode: UntrackedFiles) -> Option<Vec<BString>> {
        cached_at(&self.work, mode)
    }

    /// The cache, read in `-unormal` before git's next status, lists what that status lists.
    fn assert_cache_lists_what_git_lists(&self, context: &str) {
        let cached = self.cached(UntrackedFiles::Collapsed);
        assert_eq!(cached, Some(self.git_untracked("normal")), "{context}");
    }

    fn index_identity(&self) -> (Vec<u8>, SystemTime) {
        let path = self.work.join(".git/index");
        let modified = std::fs::metadata(&path)
            .and_then(|meta| meta.modified())
            .expect("index metadata");
        (std::fs::read(&path).expect("index"), modified)
    }
}

/// What the cache of the work tree at `work` lists in `mode`.
fn cached_at(work: &Path, mode: UntrackedFiles) -> Option<Vec<BString>> {
    let repo = gix::open_opts(work, gix::open::Options::isolated()).expect("open");
    let index = git_rtk::index_read::load(&repo).expect("index");
    git_rtk::untracked_cache::untracked_paths(&repo, &index, mode).expect("cache read")
}

fn age_tree(dir: &Path, then: filetime::FileTime) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|name| name == ".git") {
            continue;
        }
        if path.is_dir() {
            age_tree(&path, then);
        }
        filetime::set_symlink_file_times(&path, then, then).expect("set times");
    }
    filetime::set_symlink_file_times(dir, then, then).expect("set times");
}

#[test]
fn a_trusted_cache_lists_what_git_lists() {
    let repo = Repo::new();
    repo.add_untracked();
    repo.settle();
    let expected = repo.git_untracked("normal");
    assert!(expected.contains(&BString::from("d/")), "{expected:?}");
    assert_eq!(repo.cached(UntrackedFiles::Collapsed), Some(expected));
    // The cache was made for -unormal: another mode is git's to walk.
    assert_eq!(repo.cached(UntrackedFiles::Files), None);
    // -uno reads no cache; one in place lists nothing.
    assert_eq!(repo.cached(UntrackedFiles::None), Some(Vec::new()));
}

#[test]
fn a_cache_made_for_every_file_lists_every_file() {
    let repo = Repo::new();
    repo.git(&["config", "status.showUntrackedFiles", "all"]);
    repo.add_untracked();
    repo.settle();
    let expected = repo.git_untracked("all");
    assert!(
        expected.contains(&BString::from("d/e/f.txt")),
        "{expected:?}"
    );
    assert_eq!(repo.cached(UntrackedFiles::Files), Some(expected));
    assert_eq!(repo.cached(UntrackedFiles::Collapsed), None);
}

/// A change made to the repository between two statuses.
type Change = &'static dyn Fn(&Repo);

/// Each change git reads a directory again for, made without touching the directories' dates
/// where it can (so the refusal comes from the check that matters, not from a racy date), then
/// the cache git rebuilt read again.
#[test]
fn a_change_git_would_read_again_is_refused_until_git_has() {
    let repo = Repo::new();
    repo.add_untracked();
    repo.settle();
    let changes: [(&str, Change); 7] = [
        ("a new file in a tracked directory", &|repo| {
            repo.write("a/later.txt", "later\n");
            // Only the directory's date moves back, and not to the cached one: its stat data is
            // what tells the change.
            repo.date("a", 50);
        }),
        ("an untracked file gone from a tracked directory", &|repo| {
            std::fs::remove_file(repo.work.join("a/new.txt")).expect("remove");
            repo.date("a", 50);
        }),
        ("a directory's .gitignore edited in place", &|repo| {
            // Written in place: the directory's date stays the cached one.
            repo.write("a/b/.gitignore", "*.tmp\nkept.txt\n");
        }),
        ("the top .gitignore edited in place", &|repo| {
            repo.write(".gitignore", "*.log\nu.txt\n");
        }),
        ("info/exclude edited", &|repo| {
            std::fs::write(repo.work.join(".git/info/exclude"), "c/\n").expect("exclude");
        }),
        ("core.excludesFile edited", &|repo| {
            std::fs::write(repo.home.join("excludes"), "a/later.txt\n").expect("excludes");
        }),
        ("core.excludesFile removed again", &|repo| {
            std::fs::remove_file(repo.home.join("excludes")).expect("remove excludes");
        }),
    ];
    for (change, apply) in changes {
        let before = repo.git_untracked("normal");
        // The last status ran before this change: the cache is git's view before it.
        assert_eq!(
            repo.cached(UntrackedFiles::Collapsed),
            Some(before.clone()),
            "{change}: before"
        );
        apply(&repo);
        // Read before git's next status, which updates the cache.
        let cached = repo.cached(UntrackedFiles::Collapsed);
        let after = repo.git_untracked("normal");
        assert_ne!(
            before, after,
            "{change}: the change must show in git's status"
        );
        assert_eq!(cached, None, "{change}");
        repo.settle();
        repo.assert_cache_lists_what_git_lists(&format!(
            "{change}: once git has rebuilt the cache"
        ));
    }
}

#[test]
fn a_directory_dated_in_the_index_second_is_not_trusted() {
    let repo = Repo::new();
    repo.add_untracked();
    repo.settle();
    assert!(repo.cached(UntrackedFiles::Collapsed).is_some());
    // git caches the directory while its date is not older than the index it writes.
    let later = filetime::FileTime::from_system_time(SystemTime::now() + Duration::from_secs(100));
    filetime::set_file_times(repo.work.join("c"), later, later).expect("date c/");
    repo.git(&["status", "--porcelain"]);
    repo.git(&["status", "--porcelain"]);
    assert_eq!(repo.cached(UntrackedFiles::Collapsed), None);
}

#[test]
fn a_cache_made_elsewhere_is_refused() {
    let repo = Repo::new();
    repo.add_untracked();
    repo.settle();
    let moved = repo.home.join("moved");
    std::fs::rename(&repo.work, &moved).expect("move the work tree");
    for mode in [UntrackedFiles::Collapsed, UntrackedFiles::None] {
        assert_eq!(cached_at(&moved, mode), None, "{mode:?}");
    }
}

/// A tracked `.gitignore` unchanged since it was staged is known by the index's id, unless git
/// would convert it on the way in; git then hashes its content. Each setting below makes git
/// record one id or the other in the cache, and the cache is read only if the id computed here
/// is the same.
#[test]
fn a_tracked_gitignore_is_known_by_the_id_git_gives_it() {
    let settings: &[(&str, &[&[&str]])] = &[
        ("no attributes", &[]),
        ("* text=auto", &[]),
        ("* text", &[]),
        (".gitignore -text", &[&["core.autocrlf", "true"]]),
        (".gitignore text=input", &[]),
        (".gitignore eol=crlf", &[]),
        (".gitignore eol=lf", &[]),
        (".gitignore ident", &[]),
        (".gitignore filter=strip", &[&["filter.strip.clean", "cat"]]),
        (".gitignore filter=undefined", &[]),
        (".gitignore working-tree-encoding=UTF-8", &[]),
        ("no attributes, autocrlf", &[&["core.autocrlf", "true"]]),
        (
            "no attributes, autocrlf input",
            &[&["core.autocrlf", "input"]],
        ),
    ];
    for (attributes, config) in settings {
        let repo = Repo::new();
        if !attributes.starts_with("no attributes") {
            repo.write("a/b/.gitattributes", &format!("{attributes}\n"));
            repo.git(&["add", "a/b/.gitattributes"]);
            repo.git(&["commit", "-q", "-m", "attributes"]);
        }
        for pair in config.iter() {
            let [key, value] = pair else {
                panic!("{pair:?}")
            };
            repo.git(&["config", key, value]);
        }
        repo.add_untracked();
        repo.settle();
        repo.assert_cache_lists_what_git_lists(&format!("{attributes} {config:?}"));
    }
}

#[test]
fn a_modified_tracked_gitignore_is_known_by_its_content() {
    let repo = Repo::new();
    repo.add_untracked();
    repo.write("a/b/.gitignore", "*.tmp\nkept.txt\n");
    repo.settle();
    let expected = repo.git_untracked("normal");
    assert!(
        !expected.contains(&BString::from("a/b/kept.txt")),
        "{expected:?}"
    );
    assert_eq!(repo.cached(UntrackedFiles::Collapsed), Some(expected));
}

/// The plugin on a small repository with git's untracked cache on: while the cache holds, no git
/// runs (git's trace would be written) and the index stays byte for byte; after a change git
/// would write the cache for, git runs and updates it, and the next run is served from the cache
/// again, with the change in it.
#[test]
fn the_plugin_reads_the_cache_and_leaves_changes_to_git() {
    let repo = Repo::new();
    repo.add_untracked();
    repo.settle();
    let trace = repo.home.join("trace");
    let run = || {
        let _ = std::fs::remove_file(&trace);
        let mut command = repo.command(&support::plugin_binary("status"), &[]);
        command.env("GIT_TRACE2_EVENT", &trace);
        let output = support::succeeded(&mut command, "git-rtk-status");
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            trace.exists(),
        )
    };
    let before = repo.index_identity();
    let (stdout, git_ran) = run();
    assert!(!git_ran, "served from the cache without git:\n{stdout}");
    assert_eq!(repo.index_identity(), before, "the index is left as it was");
    // git's short format spells (and quotes) each untracked line as the plugin does.
    let short = repo.git(&["status", "--short"]);
    let short = String::from_utf8_lossy(&short.stdout);
    let untracked: Vec<&str> = short.lines().filter(|l| l.starts_with("?? ")).collect();
    assert!(untracked.len() > 5, "{short}");
    for line in untracked {
        assert!(stdout.lines().any(|l| l == line), "{line:?} in\n{stdout}");
    }

    repo.write("c/later.txt", "later\n");
    repo.date("c", 50);
    let (stdout, git_ran) = run();
    assert!(git_ran, "git serves a changed directory:\n{stdout}");
    assert!(stdout.lines().any(|l| l == "?? c/later.txt"), "{stdout}");
    let (stdout, git_ran) = run();
    assert!(!git_ran, "the cache git updated is read again:\n{stdout}");
    assert!(stdout.lines().any(|l| l == "?? c/later.txt"), "{stdout}");
}
