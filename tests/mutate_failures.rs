//! A failing run of every mutating plugin exits non-zero with git's exit code and shows git's
//! first error line on stderr: the plugin can never report success for a command git refused.
//!
//! Each test builds the same fixture twice, runs real git in one and the plugin binary in the
//! other, and compares. Expected values come from git in the same test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shared hermetic environment (`git_rtk::hermetic`) with `home` as `HOME`.
fn hermetic(command: &mut Command, home: &Path) {
    git_rtk::hermetic::Hermetic::new(home).apply(command);
}

/// Builds `setup` in a fresh directory `<root>/<name>/repo` and returns the repository path.
fn fixture(root: &Path, name: &str, setup: &str) -> PathBuf {
    let dir = root.join(name);
    let repo = dir.join("repo");
    let home = dir.join("home");
    std::fs::create_dir_all(&repo).expect("fixture directory");
    std::fs::create_dir_all(&home).expect("home directory");
    std::fs::write(home.join(".gitconfig"), "[init]\n\tdefaultBranch = main\n")
        .expect("global config");
    let mut command = Command::new("bash");
    hermetic(&mut command, &home);
    let status = command
        .args(["-euo", "pipefail", "-c", setup])
        .current_dir(&repo)
        .status()
        .expect("bash runs");
    assert!(status.success(), "setup failed: {setup}");
    repo
}

fn run(program: &Path, args: &[&str], repo: &Path) -> Output {
    let mut command = Command::new(program);
    hermetic(&mut command, &repo.parent().expect("case dir").join("home"));
    command
        .args(args)
        .current_dir(repo)
        .output()
        .expect("command runs")
}

/// The first `fatal:`/`error:` line of `stderr`.
fn first_error_line(stderr: &[u8]) -> Option<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .find(|line| line.starts_with("fatal:") || line.starts_with("error:"))
        .map(str::to_owned)
}

fn check(plugin: &Path, subcommand: &str, setup: &str, args: &[&str]) {
    let root = tempfile::tempdir().expect("temporary directory");
    let git_repo = fixture(root.path(), "git", setup);
    let mut git_args = vec![subcommand];
    git_args.extend_from_slice(args);
    let git = run(Path::new("git"), &git_args, &git_repo);
    assert_ne!(
        git.status.code(),
        Some(0),
        "the scenario must make git fail"
    );
    let Some(error_line) = first_error_line(&git.stderr) else {
        panic!(
            "git printed no error line: {}",
            String::from_utf8_lossy(&git.stderr)
        )
    };

    let plugin_repo = fixture(root.path(), "plugin", setup);
    let ours = run(plugin, args, &plugin_repo);
    assert_eq!(
        ours.status.code(),
        git.status.code(),
        "exit code; plugin stdout: {}",
        String::from_utf8_lossy(&ours.stdout)
    );
    let stderr = String::from_utf8_lossy(&ours.stderr);
    let error_line = error_line.replace(
        &*git_repo.parent().expect("case dir").to_string_lossy(),
        &plugin_repo.parent().expect("case dir").to_string_lossy(),
    );
    assert!(
        stderr.lines().any(|line| line == error_line),
        "git's first error line {error_line:?} missing from the plugin's stderr:\n{stderr}"
    );
}

const BASE: &str = "git init -q && echo base > f.txt && git add f.txt && git commit -q -m base";

macro_rules! failing {
    ($test:ident, $bin:literal, $sub:literal, $setup:expr, [$($arg:literal),*]) => {
        #[test]
        fn $test() {
            check(Path::new(env!($bin)), $sub, $setup, &[$($arg),*]);
        }
    };
}

failing!(add, "CARGO_BIN_EXE_git-rtk-add", "add", BASE, ["nope.txt"]);
failing!(
    commit,
    "CARGO_BIN_EXE_git-rtk-commit",
    "commit",
    BASE,
    ["-m", "x", "--", "nope.txt"]
);
failing!(rm, "CARGO_BIN_EXE_git-rtk-rm", "rm", BASE, ["nope.txt"]);
failing!(
    mv,
    "CARGO_BIN_EXE_git-rtk-mv",
    "mv",
    BASE,
    ["nope.txt", "x.txt"]
);
failing!(
    tag,
    "CARGO_BIN_EXE_git-rtk-tag",
    "tag",
    &format!("{BASE} && git tag v1"),
    ["v1"]
);
failing!(
    switch,
    "CARGO_BIN_EXE_git-rtk-switch",
    "switch",
    BASE,
    ["nope"]
);
failing!(
    checkout,
    "CARGO_BIN_EXE_git-rtk-checkout",
    "checkout",
    BASE,
    ["nope"]
);
failing!(
    restore,
    "CARGO_BIN_EXE_git-rtk-restore",
    "restore",
    BASE,
    ["nope.txt"]
);
failing!(
    reset,
    "CARGO_BIN_EXE_git-rtk-reset",
    "reset",
    BASE,
    ["nope"]
);
failing!(
    stash,
    "CARGO_BIN_EXE_git-rtk-stash",
    "stash",
    BASE,
    ["apply", "nope"]
);
failing!(
    merge,
    "CARGO_BIN_EXE_git-rtk-merge",
    "merge",
    BASE,
    ["--abort"]
);
failing!(
    rebase,
    "CARGO_BIN_EXE_git-rtk-rebase",
    "rebase",
    BASE,
    ["nope"]
);
failing!(
    cherry_pick,
    "CARGO_BIN_EXE_git-rtk-cherry-pick",
    "cherry-pick",
    BASE,
    ["nope"]
);
failing!(
    push,
    "CARGO_BIN_EXE_git-rtk-push",
    "push",
    BASE,
    ["nope", "main"]
);
failing!(
    fetch,
    "CARGO_BIN_EXE_git-rtk-fetch",
    "fetch",
    BASE,
    ["nope"]
);
failing!(pull, "CARGO_BIN_EXE_git-rtk-pull", "pull", BASE, ["nope"]);
failing!(
    worktree,
    "CARGO_BIN_EXE_git-rtk-worktree",
    "worktree",
    &format!("{BASE} && mkdir taken && echo x > taken/x"),
    ["add", "taken"]
);
failing!(
    branch_action,
    "CARGO_BIN_EXE_git-rtk-branch",
    "branch",
    BASE,
    ["-d", "nope"]
);
