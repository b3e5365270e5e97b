//! The index as `git rtk-status` and `git rtk-diff` read and rewrite it: read without checking its
//! checksum (as git reads it), and written back after a stat refresh with the checksum git would
//! write (`index.skipHash` decides), so `git fsck` and the next run see a sound index.

use std::process::Output;

mod support;

use support::temp_repo::TempRepo;

struct Repo(TempRepo);

impl std::ops::Deref for Repo {
    type Target = TempRepo;

    fn deref(&self) -> &TempRepo {
        &self.0
    }
}

impl Repo {
    /// A repository with two committed files, both touched afterwards: same content, new stat
    /// data, so the index's recorded stat is stale until something refreshes it.
    fn with_stale_stat() -> Repo {
        let repo = Repo(TempRepo::init());
        repo.write("a.txt", "a\n");
        repo.write("b.txt", "b\n");
        repo.git(&["add", "."]);
        repo.git(&["commit", "-q", "-m", "base"]);
        for name in ["a.txt", "b.txt"] {
            let file = std::fs::File::options()
                .write(true)
                .open(repo.work.join(name))
                .expect("open");
            let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
            file.set_modified(later).expect("set mtime");
        }
        repo
    }

    fn plugin(&self, name: &str) -> Output {
        support::succeeded(
            &mut self.command(&support::plugin_binary(name), &[]),
            &format!("git-rtk-{name}"),
        )
    }

    /// Paths whose recorded stat data no longer matches the work tree (`diff-files` compares
    /// stat data only and never refreshes the index).
    fn stat_dirty(&self) -> String {
        String::from_utf8_lossy(&self.git(&["diff-files", "--name-only"]).stdout).into_owned()
    }

    fn index_trailer(&self) -> Vec<u8> {
        let index = std::fs::read(self.work.join(".git/index")).expect("read index");
        index[index.len() - 20..].to_vec()
    }
}

#[test]
fn refreshed_stat_is_written_back_with_a_checksum_fsck_accepts() {
    for plugin in ["status", "diff"] {
        let repo = Repo::with_stale_stat();
        assert_eq!(repo.stat_dirty(), "a.txt\nb.txt\n", "setup: stat is stale");
        let output = repo.plugin(plugin);
        assert!(
            output.stdout.is_empty() || plugin == "status",
            "git-rtk-{plugin} found content changes: {output:?}"
        );
        assert_eq!(
            repo.stat_dirty(),
            "",
            "git-rtk-{plugin} refreshed the index"
        );
        assert_ne!(repo.index_trailer(), vec![0; 20]);
        // fsck is the one git command that verifies the index checksum.
        repo.git(&["fsck", "--no-dangling"]);
    }
}

#[test]
fn index_skip_hash_writes_a_null_checksum_as_git_does() {
    let repo = Repo::with_stale_stat();
    repo.git(&["config", "index.skipHash", "true"]);
    repo.plugin("status");
    assert_eq!(repo.stat_dirty(), "");
    assert_eq!(repo.index_trailer(), vec![0; 20]);
}

#[test]
fn a_wrong_index_checksum_is_not_checked_as_git_does_not_check_it() {
    let repo = Repo::with_stale_stat();
    repo.git(&["update-index", "--refresh"]);
    let path = repo.work.join(".git/index");
    let mut index = std::fs::read(&path).expect("read index");
    let last = index.len() - 1;
    index[last] ^= 0xff;
    std::fs::write(&path, &index).expect("write index");
    std::fs::write(repo.work.join("a.txt"), "a changed\n").expect("edit a");
    let ours = String::from_utf8_lossy(&repo.plugin("status").stdout).into_owned();
    // Served natively (git's own long form would be the pass-through's output).
    assert!(
        ours.contains("a.txt") && !ours.contains("Changes not staged"),
        "{ours}"
    );
    // git reads the same index without complaint (it may rewrite it, so it runs second).
    let git = repo.git(&["status", "--porcelain"]);
    assert_eq!(String::from_utf8_lossy(&git.stdout), " M a.txt\n");
}

/// An index gix cannot rewrite without losing part of it (a split index, the untracked cache,
/// version 4): where git would write refreshed stat data into it, the plugin leaves the run to
/// git, and the index ends up refreshed as git's own status or diff leaves it. Each form is first
/// checked with git itself, on a repository of its own.
#[test]
fn an_index_gix_cannot_rewrite_is_refreshed_by_git() {
    let forms: [(&str, &[&[&str]]); 3] = [
        ("split index", &[&["update-index", "--split-index"]]),
        (
            "untracked cache",
            &[
                &["config", "core.untrackedCache", "true"],
                &["update-index", "--untracked-cache"],
            ],
        ),
        ("version 4", &[&["update-index", "--index-version", "4"]]),
    ];
    for (form, commands) in forms {
        for command in ["status", "diff"] {
            let make = || {
                let repo = Repo::with_stale_stat();
                for args in commands {
                    repo.git(args);
                }
                assert_eq!(repo.stat_dirty(), "a.txt\nb.txt\n", "{form}: setup");
                repo
            };
            let by_git = make();
            let git_args: &[&str] = if command == "status" {
                &["status", "--porcelain"]
            } else {
                &["diff"]
            };
            let git_output = by_git.git(git_args);
            assert_eq!(by_git.stat_dirty(), "", "{form}: git {command} refreshes");
            let ours = make();
            let output = ours.plugin(command);
            assert_eq!(
                ours.stat_dirty(),
                "",
                "{form}: git-rtk-{command} leaves the index refreshed: {output:?}"
            );
            if command == "diff" {
                assert!(
                    git_output.stdout.is_empty() && output.stdout.is_empty(),
                    "{form}"
                );
            }
        }
    }
}

/// The identity of the index file: git and gix both replace it by renaming a new file over it.
fn index_identity(repo: &TempRepo) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt as _;
    let meta = std::fs::metadata(repo.work.join(".git/index")).expect("index metadata");
    (meta.ino(), meta.modified().expect("index mtime"))
}

/// An entry dated after the index file was written stays racily clean: `git status` rewrites
/// such an index even with nothing refreshed (`has_racy_timestamp`), `git diff` leaves it. Each
/// plugin rewrites it exactly when git does, on an index gix rewrites and on a split one.
#[test]
fn an_index_with_a_racily_clean_entry_is_rewritten_when_git_rewrites_it() {
    let forms: [(&str, &[&[&str]]); 2] = [
        ("plain", &[]),
        ("split index", &[&["update-index", "--split-index"]]),
    ];
    for (form, commands) in forms {
        for command in ["status", "diff"] {
            let make = || {
                let repo = TempRepo::init();
                repo.write("a.txt", "a\n");
                repo.write("b.txt", "b\n");
                repo.git(&["add", "."]);
                repo.git(&["commit", "-q", "-m", "base"]);
                let later = std::time::SystemTime::now() + std::time::Duration::from_secs(100);
                std::fs::File::options()
                    .write(true)
                    .open(repo.work.join("a.txt"))
                    .and_then(|file| file.set_modified(later))
                    .expect("date a.txt");
                repo.git(&["update-index", "--refresh"]);
                for args in commands {
                    repo.git(args);
                }
                repo
            };
            let by_git = make();
            let before = index_identity(&by_git);
            by_git.git(&[command]);
            let git_rewrote = index_identity(&by_git) != before;
            assert_eq!(git_rewrote, command == "status", "{form}: git {command}");
            let ours = make();
            let before = index_identity(&ours);
            support::succeeded(
                &mut ours.command(&support::plugin_binary(command), &[]),
                &format!("git-rtk-{command}"),
            );
            assert_eq!(
                index_identity(&ours) != before,
                git_rewrote,
                "{form}: git-rtk-{command} rewrites the index as git {command} does"
            );
        }
    }
}
