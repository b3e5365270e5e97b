//! `git rtk-gain` end to end: plugin runs are tracked with git's own output size, and the savings
//! the report counts never exceed what real git, run in the same test, actually prints.

use std::path::Path;
use std::process::{Command, Output};

mod support;

struct Sandbox {
    _dir: tempfile::TempDir,
    home: std::path::PathBuf,
    repo: std::path::PathBuf,
    data: std::path::PathBuf,
}

impl Sandbox {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp");
        let home = dir.path().to_path_buf();
        let repo = home.join("repo");
        let data = home.join("data");
        std::fs::create_dir_all(&repo).expect("repo dir");
        Sandbox {
            _dir: dir,
            home,
            repo,
            data,
        }
    }

    fn command(&self, program: &Path, args: &[&str]) -> Command {
        git_rtk::hermetic::Hermetic::new(&self.home)
            .tracking(git_rtk::hermetic::Tracking::Into(self.data.clone()))
            .command(program, &self.repo, args)
    }

    fn git(&self, args: &[&str]) -> Output {
        support::succeeded(
            &mut self.command(Path::new("git"), args),
            &format!("git {args:?}"),
        )
    }

    fn plugin(&self, name: &str, args: &[&str]) -> Output {
        support::succeeded(
            &mut self.command(&support::plugin_binary(name), args),
            &format!("git-rtk-{name} {args:?}"),
        )
    }
}

fn tokens(bytes: usize) -> u64 {
    (bytes as u64).div_ceil(4)
}

#[test]
fn savings_are_counted_from_git_sized_output_and_never_exceed_the_real_difference() {
    let sandbox = Sandbox::new();
    sandbox.git(&["init", "-q", "-b", "main"]);
    for n in 0..30 {
        std::fs::write(sandbox.repo.join(format!("file{n}.txt")), format!("{n}\n")).expect("file");
        sandbox.git(&["add", "."]);
        sandbox.git(&["commit", "-q", "-m", &format!("commit number {n}")]);
    }
    std::fs::write(sandbox.repo.join("file3.txt"), "changed\n").expect("edit");
    std::fs::write(sandbox.repo.join("new.txt"), "new\n").expect("untracked");

    let mut real_saving = 0;
    for (command, args) in [("status", &[][..]), ("log", &["-n", "20"][..])] {
        let git = sandbox.git(&[&[command][..], args].concat());
        let plugin = sandbox.plugin(command, args);
        let git_tokens = tokens(git.stdout.len() + git.stderr.len());
        let plugin_tokens = tokens(plugin.stdout.len());
        assert!(
            git_tokens > plugin_tokens,
            "{command}: the plugin is meant to print less ({plugin_tokens} vs {git_tokens} tokens)"
        );
        real_saving += git_tokens - plugin_tokens;
    }

    let gain = sandbox.plugin("gain", &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&gain.stdout).expect("json report");
    let total = &report["total"];
    assert_eq!(total["runs"], 2, "{report}");
    assert_eq!(total["estimated_runs"], 2, "{report}");
    let saved = total["saved_tokens"].as_u64().expect("saved_tokens");
    assert!(saved > 0, "estimated runs must count a saving: {report}");
    assert!(
        saved <= real_saving,
        "counted {saved} tokens saved, but real git printed only {real_saving} more: {report}"
    );
    assert!(
        report["method"]
            .as_str()
            .is_some_and(|m| m.contains("estimated")),
        "the report states its method: {report}"
    );
}
