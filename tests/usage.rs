//! Every binary the package declares answers `-h` as git does: exit 129 and its usage, first line
//! `usage: git rtk-<cmd>`, on stdout; a plugin that hands `-h` to git answers exactly as git does
//! (run here in the same place). And output into a closed pipe ends quietly, without a panic.

use std::path::PathBuf;
use std::process::{Command, Stdio};

mod support;
use support::{binaries, target_dir};

/// The built binary `name`.
fn built(name: &str) -> PathBuf {
    target_dir().join(name)
}

#[test]
fn the_registry_lists_exactly_the_declared_binaries() {
    let mut declared = binaries();
    declared.sort();
    let mut registered: Vec<String> = git_rtk::registry::all()
        .iter()
        .map(|c| c.binary())
        .collect();
    registered.sort();
    assert_eq!(registered, declared);
}

#[test]
fn every_binary_answers_h_with_its_usage_and_129() {
    let home = tempfile::tempdir().expect("temp home");
    let names = binaries();
    assert!(names.len() >= 28, "{names:?}");
    for name in names {
        let command = name.strip_prefix("git-rtk-").expect("git-rtk- prefix");
        let run = |program: PathBuf, args: &[&str]| {
            git_rtk::hermetic::Hermetic::new(home.path())
                .command(&program, home.path(), args)
                .output()
                .unwrap_or_else(|e| panic!("running {}: {e}", program.display()))
        };
        let output = run(built(&name), &["-h"]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(129),
            "{name} -h: {stdout}{stderr}"
        );
        if stdout.starts_with(&format!("usage: git rtk-{command}")) {
            continue;
        }
        // Handed to git: the same answer as `git <cmd> -h`, stream for stream.
        let git = run(PathBuf::from("git"), &[command, "-h"]);
        assert_eq!(
            (output.status.code(), &output.stdout, &output.stderr),
            (git.status.code(), &git.stdout, &git.stderr),
            "{name} -h is neither its own usage on stdout nor git's answer"
        );
        assert!(
            format!("{stdout}{stderr}").starts_with(&format!("usage: git {command}")),
            "{name}: {stdout}{stderr}"
        );
    }
}

#[test]
fn output_into_a_closed_pipe_ends_without_a_panic() {
    let home = tempfile::tempdir().expect("temp home");
    for (name, args) in [
        ("git-rtk-gain", vec![]),
        ("git-rtk-gain", vec!["-h"]),
        ("git-rtk-rewrite", vec!["git status"]),
        ("git-rtk-init", vec!["-h"]),
        ("git-rtk-discover", vec![]),
    ] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let output = Command::new(built(name))
            .args(&args)
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("RTK_AUDIT", "0")
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("running {name}: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{name} {args:?}: {stderr}");
        // git dies by SIGPIPE there (141 in a shell); nothing else is an acceptable ending.
        assert!(
            matches!(output.status.code(), Some(0 | 1 | 129 | 141)),
            "{name} {args:?}: {:?} {stderr}",
            output.status
        );
    }
}

/// Where the help text of an option line starts (after the spelling and its padding), or `None`
/// for a line whose help is on the next line.
fn help_column(line: &str) -> Option<usize> {
    let spelled_end = 4 + line[4..].find("  ")?;
    let rest = &line[spelled_end..];
    Some(spelled_end + (rest.len() - rest.trim_start().len()))
}

#[test]
fn plugin_usage_has_gits_option_layout() {
    let home = tempfile::tempdir().expect("temp home");
    let run = |program: PathBuf, args: &[&str]| {
        git_rtk::hermetic::Hermetic::new(home.path())
            .command(&program, home.path(), args)
            .output()
            .expect("runs")
    };
    // `git status -h` prints its usage on stderr (most commands use stdout).
    let git = run(PathBuf::from("git"), &["status", "-h"]);
    let git = String::from_utf8([git.stdout, git.stderr].concat()).expect("text");
    // `git status -h`, run here: `    -s, --[no-]short      show status concisely`.
    let git_line = git
        .lines()
        .find(|l| l.starts_with("    -s, "))
        .unwrap_or_else(|| panic!("git status -h: {git}"));
    let git_column = help_column(git_line).expect("git's help column");
    let ours = String::from_utf8(run(built("git-rtk-status"), &["-h"]).stdout).expect("text");
    let option_lines: Vec<&str> = ours.lines().filter(|l| l.starts_with("    -")).collect();
    assert!(option_lines.len() >= 4, "{ours}");
    for line in option_lines {
        match help_column(line) {
            Some(column) => assert_eq!(column, git_column, "{line:?}"),
            // A long spelling: the help follows on the next line at git's column.
            None => {
                let next = ours
                    .lines()
                    .skip_while(|l| *l != line)
                    .nth(1)
                    .expect("help line");
                assert_eq!(next.len() - next.trim_start().len(), git_column, "{next:?}");
            }
        }
    }
}
