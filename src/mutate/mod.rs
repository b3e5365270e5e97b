//! Mutating commands (`git rtk-commit`, `git rtk-merge`, …): real git does the work, the plugin
//! reports what changed.
//!
//! gix lacks hooks, signing, stash, rebase, cherry-pick, push and the checkout/reset orchestration
//! (../shared/GIX.md), and a commit that skipped a hook is not the commit git would have made. So
//! every mutating plugin runs `git <cmd>` with the identical argv: hooks, `index.lock`, reflogs,
//! config side effects and exit codes are git's own. What the plugin adds is the report: it reads
//! the repository through gix before and after (see [`snapshot`]) and prints the difference in a
//! few lines (see [`report`]) instead of git's prose. git's diagnostics reach stderr verbatim;
//! on success only its `fatal:`/`error:`/`warning:` lines are kept.
//!
//! Once git has run, nothing can make the plugin run it again: if reading the result fails, git's
//! own output is printed as it was.

pub mod child;
mod headline;
pub mod report;
pub mod snapshot;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};

use crate::options::{Serve, Stop};
use crate::passthrough::{self, Reason};

use crate::command::{Command, GitRun};
use crate::finish::{self, Printed};
use report::{Delta, Staged};
use snapshot::Snapshot;

/// The `main` of a mutating plugin: runs `git <name> <argv>` and reports; returns git's exit
/// code.
pub fn run(command: &'static Command, git: GitRun, args: &[OsString]) -> i32 {
    let started = std::time::Instant::now();
    let printed = report_run(command, git, args);
    finish::track(command.name, started, &printed);
    printed.exit_code
}

/// Whether `git <name> <words>` goes to git unchanged, terminal and all: an option the table
/// hands to git, a form whose output is the product, or one that needs the terminal.
pub fn hands_over(command: &'static Command, git: GitRun, words: &[String]) -> bool {
    match command.parse(words) {
        Err(Stop::Help | Stop::NotUtf8) => true,
        Ok(parsed) => {
            parsed.given.iter().any(|g| g.flag.serve == Serve::Git)
                || (git.hand_over)(&parsed)
                || (git.reads_only)(&parsed)
        }
    }
}

/// The exit code, what the plugin printed, and what git printed (measured: git ran with its
/// output captured).
fn report_run(command: &'static Command, git: GitRun, args: &[OsString]) -> Printed {
    let name = command.name;
    let hand_over = |why: &str| {
        Printed::without_sizes(passthrough::run_git(name, args, &Reason(why.to_owned())))
    };
    if std::env::var_os("GIT_RTK_PASSTHROUGH").is_some_and(|v| v == "1") {
        return hand_over("GIT_RTK_PASSTHROUGH=1");
    }
    let Some(words) = args
        .iter()
        .map(|a| a.to_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()
    else {
        return hand_over("non UTF-8 argument");
    };
    if hands_over(command, git, &words) {
        return hand_over("interactive, read-only or machine-readable form");
    }
    if git.network && std::io::stderr().is_terminal() {
        return hand_over("progress belongs on the terminal");
    }
    // Anything that keeps us from reading the repository first is git's to report.
    let before = match read_state() {
        Ok(state) => state,
        Err(err) => return hand_over(&format!("reading the repository first: {err:#}")),
    };

    let finished = match child::run_git(name, args) {
        Ok(finished) => finished,
        Err(err) => {
            eprintln!("fatal: cannot run git: {err}");
            return Printed::without_sizes(128);
        }
    };
    // From here on git has run: report, or show git's own output, but never run it again.
    let report = read_state().and_then(|after| render(name, &before, &after, &finished));
    let (stdout, stderr) = match report {
        Ok(stdout) => {
            let stderr = if finished.exit_code == 0 {
                child::signal_lines(&finished.stderr)
            } else {
                finished.stderr.clone()
            };
            (stdout, stderr)
        }
        Err(err) => {
            if passthrough::debug_enabled() {
                eprintln!("git-rtk: showing git's own output: {err:#}");
            }
            (finished.stdout.clone(), finished.stderr.clone())
        }
    };
    let _ = std::io::stderr().write_all(&stderr);
    Printed {
        exit_code: match finish::write_stdout(&stdout) {
            Ok(()) => finished.exit_code,
            Err(err) => err.exit().code(),
        },
        output_bytes: Some((stdout.len() + stderr.len()) as u64),
        native: Some(crate::track::Native {
            bytes: (finished.stdout.len() + finished.stderr.len()) as u64,
            method: crate::track::Method::Measured,
        }),
        failure: None,
    }
}

/// A repository handle with its snapshot and staged changes, taken before or after git ran.
struct State {
    repo: gix::Repository,
    snapshot: Snapshot,
    staged: Staged,
}

fn read_state() -> anyhow::Result<State> {
    let repo = crate::repo::open()?;
    let snapshot = snapshot::capture(&repo)?;
    let staged = if repo.workdir().is_some() {
        report::staged(&repo, &snapshot.head)?
    } else {
        Staged::new()
    };
    Ok(State {
        repo,
        snapshot,
        staged,
    })
}

fn render(
    name: &str,
    before: &State,
    after: &State,
    finished: &child::Finished,
) -> anyhow::Result<Vec<u8>> {
    let delta = Delta {
        repo: &after.repo,
        before: &before.snapshot,
        after: &after.snapshot,
        staged_before: &before.staged,
        staged_after: &after.staged,
    };
    let mut lines: Vec<String> = Vec::new();
    let conflicts = delta.conflict_lines()?;
    if finished.exit_code != 0 {
        if let Some(mut text) = headline::failure(name, &delta, finished)? {
            text.extend(conflicts);
            return Ok(join(text));
        }
        if conflicts.is_empty() {
            // A failure the state does not explain: git's own words are the facts.
            return Ok(finished.stdout.clone());
        }
    }
    let head = headline::success(name, &delta)?;
    let covers_head_move = head.is_some();
    lines.extend(head);
    lines.extend(delta.head_line());
    let current = delta.after.head.branch().map(|b| format!("refs/heads/{b}"));
    lines.extend(delta.ref_lines(if covers_head_move {
        current.as_deref()
    } else {
        None
    }));
    if !covers_head_move {
        lines.extend(delta.new_commit_lines());
    }
    let stash = delta.stash_lines();
    if stash.is_empty() {
        lines.extend(delta.staged_lines());
    }
    lines.extend(stash);
    lines.extend(delta.upstream_lines());
    lines.extend(delta.worktree_lines());
    lines.extend(delta.operation_end_line());
    lines.extend(conflicts);
    if lines.is_empty() && finished.exit_code == 0 {
        lines.push(headline::NOTHING_CHANGED.to_owned());
    }
    Ok(join(lines))
}

fn join(lines: Vec<String>) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hands_over;
    use crate::command::{Command, Entry};

    /// Whether `git <command> <args>` goes to git unchanged.
    fn goes_to_git(command: &'static Command, args: &[&str]) -> bool {
        let words: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let git = match command.entry {
            Entry::Git(git) | Entry::Split { git, .. } => git,
            _ => panic!("{} is not run by git", command.name),
        };
        hands_over(command, git, &words)
    }

    #[test]
    fn commit_needs_a_message_source_to_be_served() {
        use crate::commands::commit::COMMAND as COMMIT;
        assert!(goes_to_git(&COMMIT, &[]));
        assert!(goes_to_git(&COMMIT, &["--amend"]));
        assert!(!goes_to_git(&COMMIT, &["--amend", "--no-edit"]));
        assert!(!goes_to_git(&COMMIT, &["-am", "fix -p"]));
        assert!(!goes_to_git(&COMMIT, &["-mfix it", "--message", "-p"]));
        assert!(goes_to_git(&COMMIT, &["-p", "-m", "x"]));
        assert!(goes_to_git(&COMMIT, &["--inter", "-m", "x"]));
        assert!(goes_to_git(&COMMIT, &["-q", "-m", "x"]));
        assert!(!goes_to_git(&COMMIT, &["-F", "-"]));
        assert!(!goes_to_git(&COMMIT, &["--fixup=abc"]));
        assert!(goes_to_git(&COMMIT, &["--fixup=amend:abc"]));
        assert!(!goes_to_git(&COMMIT, &["-m", "x", "--", "-p"]));
    }

    #[test]
    fn read_only_forms_go_to_git() {
        use crate::commands::{add, checkout, stash, tag, worktree};
        assert!(goes_to_git(&stash::COMMAND, &["list"]));
        assert!(goes_to_git(&stash::COMMAND, &["create"]));
        assert!(!goes_to_git(&stash::COMMAND, &[]));
        assert!(!goes_to_git(&stash::COMMAND, &["pop"]));
        assert!(goes_to_git(&tag::COMMAND, &[]));
        assert!(goes_to_git(&tag::COMMAND, &["-l", "v*"]));
        assert!(goes_to_git(&tag::COMMAND, &["-n5"]));
        assert!(!goes_to_git(&tag::COMMAND, &["v1"]));
        assert!(!goes_to_git(&tag::COMMAND, &["-d", "v1"]));
        assert!(goes_to_git(&tag::COMMAND, &["-a", "v1"]));
        assert!(!goes_to_git(&tag::COMMAND, &["-a", "-m", "release", "v1"]));
        assert!(goes_to_git(&worktree::COMMAND, &["list"]));
        assert!(!goes_to_git(&worktree::COMMAND, &["add", "../wt"]));
        assert!(goes_to_git(&checkout::COMMAND, &[]));
        assert!(goes_to_git(&checkout::COMMAND, &["-f"]));
        assert!(!goes_to_git(&checkout::COMMAND, &["-b", "topic"]));
        assert!(goes_to_git(&add::COMMAND, &["-p"]));
        assert!(goes_to_git(&add::COMMAND, &["--dry-run", "."]));
        assert!(goes_to_git(&add::COMMAND, &["-n", "."]));
        assert!(goes_to_git(&add::COMMAND, &["-h"]));
    }

    #[test]
    fn branch_edits_go_through_the_report_except_the_editor() {
        use crate::commands::branch::COMMAND as BRANCH;
        assert!(!goes_to_git(&BRANCH, &["-D", "topic"]));
        assert!(goes_to_git(&BRANCH, &["--edit-description"]));
    }
}
