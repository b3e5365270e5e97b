//! 1,000 plugin runs, 50 or 200 at a time, all tracked in one database: no row lost, no run
//! failing or printing "database is locked". `.ci/run` repeats this file to catch a rare loss.

use std::path::Path;
use std::process::Stdio;

const RUNS: usize = 1000;

#[test]
fn a_thousand_runs_fifty_at_a_time_lose_nothing() {
    runs_lose_nothing(50);
}

#[test]
fn a_thousand_runs_two_hundred_at_a_time_lose_nothing() {
    runs_lose_nothing(200);
}

/// Runs `git-rtk-status` `RUNS` times, `parallel` at once, into one fresh database.
fn runs_lose_nothing(parallel: usize) {
    let dir = tempfile::tempdir().expect("temp");
    let repo = dir.path().join("repo");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&repo).expect("repo dir");
    let hermetic = git_rtk::hermetic::Hermetic::new(dir.path())
        .global_config("/dev/null")
        .tracking(git_rtk::hermetic::Tracking::Into(data.clone()));
    let git = |args: &[&str]| {
        let status = hermetic
            .command("git", &repo, args)
            .stdout(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(repo.join("f.txt"), "x\n").expect("file");

    let plugin = Path::new(env!("CARGO_BIN_EXE_git-rtk-status"));
    let mut failures = Vec::new();
    for _round in 0..RUNS / parallel {
        let children: Vec<_> = (0..parallel)
            .map(|_| {
                hermetic
                    .command(plugin, &repo, &[])
                    .env("GIT_RTK_DEBUG", "1")
                    // About every 20 runs one of them ingests the spool while others append.
                    .env("GIT_RTK_TRACK_SPOOL_LIMIT", "4096")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("plugin starts")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("plugin ends");
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            // Any note at all: with `GIT_RTK_DEBUG=1` a run says when its row or an ingest failed.
            if !output.status.success() || !stderr.is_empty() {
                failures.push(stderr);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} runs failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    // Rows still spooled move into the database, as `git rtk-gain` does before it reads.
    let database = data.join("git-rtk/tracking.sqlite");
    git_rtk::track::ingest(&database).expect("ingest");
    let connection = git_rtk::track::Database::open(&database).expect("open");
    let rows: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM runs WHERE command = 'status' AND exit_code = 0",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(rows, RUNS as i64);
    // Each row carries git's own output size, estimated: here the long format of `git status`
    // (branch, "No commits yet", the untracked section and its hints) outweighs the compact one.
    let estimated: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM runs
             WHERE native_method = 'estimated' AND native_bytes > output_bytes",
            [],
            |r| r.get(0),
        )
        .expect("count estimated");
    assert_eq!(estimated, RUNS as i64);
}
