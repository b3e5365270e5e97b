//! One case, end to end: build the fixture, run git, capture; rebuild the same fixture at the same
//! path, run the plugin through the same git, capture; compare everything and record the outcome.

use std::path::{Path, PathBuf};

use super::case::Case;
use super::env::{CaseEnv, Side, Toolchain};
use super::facts::{self, Fact, GitQuery};
use super::fixture;
use super::invoke::{self, Output};
use super::native_size::{self, NativeCheck};
use super::report::{self, CaseOutcome};
use super::signals;
use super::snapshot;
use super::state::{self, RepoState};
use super::text;

/// The temporary directory every case directory lives in.
pub struct Workspace {
    pub root: PathBuf,
    /// `GIT_RTK_PARITY_KEEP=1`: leave failing cases' directories (and the root) for inspection.
    pub keep: bool,
    _dir: Option<tempfile::TempDir>,
}

impl Workspace {
    /// Under `$GIT_RTK_PARITY_TMPDIR`, else `/dev/shm` when it is usable (fixtures write thousands of
    /// small files; tmpfs makes that an order of magnitude faster), else the system temp directory.
    pub fn create() -> Result<Self, String> {
        let parent = match std::env::var_os("GIT_RTK_PARITY_TMPDIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ if Path::new("/dev/shm").is_dir() => PathBuf::from("/dev/shm"),
            _ => std::env::temp_dir(),
        };
        let dir = tempfile::Builder::new()
            .prefix("git-rtk-parity-")
            .tempdir_in(&parent)
            .or_else(|_| tempfile::Builder::new().prefix("git-rtk-parity-").tempdir())
            .map_err(|err| format!("cannot create a temporary directory: {err}"))?;
        // Canonical, so the paths git prints are the ones snapshots normalise.
        let root = dir
            .path()
            .canonicalize()
            .map_err(|err| format!("cannot resolve {}: {err}", dir.path().display()))?;
        let keep =
            std::env::var_os("GIT_RTK_PARITY_KEEP").is_some_and(|v| !v.is_empty() && v != "0");
        Ok(Workspace {
            root,
            keep,
            _dir: if keep {
                // Dropping the handle without deleting: the directory stays.
                let _ = dir.keep();
                None
            } else {
                Some(dir)
            },
        })
    }
}

/// Everything one side of the twin left behind.
struct SideRun {
    output: Output,
    state: RepoState,
}

/// Runs a case; `Err` is the readable failure message.
pub fn run(case: &Case, toolchain: &Toolchain, workspace: &Workspace) -> Result<(), String> {
    let env = CaseEnv::new(&workspace.root, case);
    let (outcome, verdict) = match run_twins(case, toolchain, &env) {
        Ok((outcome, verdict)) => (outcome, verdict),
        Err(harness_error) => {
            let outcome = CaseOutcome {
                case: case.id(),
                command: case.spec.command,
                exit_match: false,
                state_match: false,
                signals_match: None,
                facts_match: None,
                facts_held_literally: None,
                snapshot_match: false,
                native_size: None,
                passthrough_suspected: false,
                served: case.spec.served,
                served_match: false,
                problems: vec![format!("harness: {harness_error}")],
            };
            let message = format!(
                "{} ({}): the case could not run\n{harness_error}",
                case.id(),
                case.file.display()
            );
            (outcome, Err(message))
        }
    };
    report::record(outcome);
    if verdict.is_ok() || !workspace.keep {
        fixture::remove_case(&env)?;
    }
    verdict.map_err(|message| {
        if workspace.keep {
            format!("{message}\n(fixture kept in {})", env.case_dir.display())
        } else {
            message
        }
    })
}

/// Both twins and the comparison. The outer `Err` is a harness problem (setup failed, a fact query
/// failed); the inner verdict is the parity result.
fn run_twins(
    case: &Case,
    toolchain: &Toolchain,
    env: &CaseEnv,
) -> Result<(CaseOutcome, Result<(), String>), String> {
    fixture::build(env, toolchain, &case.spec.setup)?;
    let git_before = state::capture(env, toolchain, case)?;
    let git = run_side(case, toolchain, env, Side::Git, case.spec.command.name())?;
    let command = case.spec.command;
    let facts_apply = git.output.exit_code == 0 || command.is_mutating();
    let git_facts: Option<Vec<Fact>> = if facts_apply {
        let query = GitQuery {
            env,
            toolchain,
            case,
            before: &git_before,
            exit_code: git.output.exit_code,
        };
        Some(facts::collect(&query)?)
    } else {
        None
    };

    fixture::build(env, toolchain, &case.spec.setup)?;
    let plugin_before = state::capture(env, toolchain, case)?;
    let fixture_drift = state::differences(&git_before, &plugin_before);
    if !fixture_drift.is_empty() {
        return Err(format!(
            "the setup script is not reproducible: two builds differ before any command ran\n  {}",
            fixture_drift.join("\n  ")
        ));
    }
    let plugin = run_side(
        case,
        toolchain,
        env,
        Side::Plugin,
        &case.spec.command.plugin_subcommand(),
    )?;

    if let Some(dir) = std::env::var_os("GIT_RTK_PARITY_DUMP").filter(|dir| !dir.is_empty()) {
        dump_git_side(Path::new(&dir), case, env, &git.output)?;
    }

    let mut problems = Vec::new();

    let exit_match = git.output.exit_code == plugin.output.exit_code;
    if !exit_match {
        problems.push(format!(
            "exit code: git {}, plugin {}",
            git.output.exit_code, plugin.output.exit_code
        ));
    }

    let state_differences = state::differences(&git.state, &plugin.state);
    if !state_differences.is_empty() {
        problems.push(format!(
            "repository state after the command differs:\n    {}",
            state_differences.join("\n    ")
        ));
    }

    let signals = signals::compare(&git.output.stderr, &plugin.output.stderr);
    for problem in &signals.problems {
        problems.push(format!("stderr: {problem}"));
    }

    let identical_stdout = git.output.stdout == plugin.output.stdout;
    let (facts_match, facts_held_literally) = match &git_facts {
        Some(facts) if !facts.is_empty() => {
            let missing: Vec<String> = facts
                .iter()
                .filter_map(|fact| fact.check(&plugin.output.stdout).err())
                .collect();
            if verbose() {
                eprintln!(
                    "{}: {} facts, {} missing\n  {}",
                    case.id(),
                    facts.len(),
                    missing.len(),
                    facts
                        .iter()
                        .map(|fact| match fact.check(&plugin.output.stdout) {
                            Ok(()) => format!("held: {}", fact.describe()),
                            Err(why) => format!("MISSING: {why}"),
                        })
                        .collect::<Vec<_>>()
                        .join("\n  ")
                );
            }
            let literal = missing.is_empty();
            // git's own output carries every fact by definition; a pass-through plugin that printed
            // it byte for byte holds them too, even where the plugin's format would spell them
            // differently.
            if !literal && !identical_stdout {
                problems.push(format!(
                    "facts from git missing in the plugin's stdout ({} of {}):\n    {}",
                    missing.len(),
                    facts.len(),
                    missing.join("\n    ")
                ));
            }
            (Some(literal || identical_stdout), Some(literal))
        }
        _ => (None, None),
    };

    let recorded = native_size::take_recorded(env)?;
    let served = recorded.as_ref().map(|r| r.served);
    if let Some(failure) = recorded.as_ref().and_then(|r| r.failure.as_deref()) {
        problems.push(format!(
            "the native path failed where git does not (a bug; git served the run): {failure}"
        ));
    }
    if let Some(out) = std::env::var_os("GIT_RTK_PARITY_SERVED_OUT") {
        // Labelling run: note what each case observed (parity/README.md).
        use std::io::Write as _;
        let line = format!(
            "{}\t{}\n",
            case.file.display(),
            served.map_or("none", native_size::Served::as_str)
        );
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)
            .and_then(|mut f| f.write_all(line.as_bytes()));
    }
    match served {
        Some(observed) if observed != case.spec.served => problems.push(format!(
            "served: the case says {}, the plugin run was served by {}",
            case.spec.served.as_str(),
            observed.as_str()
        )),
        None => problems.push("served: the plugin run left no tracking row".to_owned()),
        _ => {}
    }
    let native_check = recorded
        .as_ref()
        .and_then(|r| r.native)
        .map(|(recorded, estimated)| NativeCheck {
            recorded,
            actual: (git.output.stdout.len() + git.output.stderr.len()) as u64,
            estimated,
        });
    if let Some(check) = native_check.filter(|check| !check.holds()) {
        problems.push(check.describe());
    }
    if verbose() {
        if let Some(check) = native_check {
            eprintln!("{}: {}", case.id(), check.describe());
        }
    }

    let snapshot_result = snapshot::check(case, env, &plugin.output.stdout);
    if let Err(problem) = &snapshot_result {
        problems.push(problem.clone());
    }

    let outcome = CaseOutcome {
        case: case.id(),
        command: case.spec.command,
        exit_match,
        state_match: state_differences.is_empty(),
        signals_match: signals.checked.then(|| signals.matched()),
        facts_match,
        facts_held_literally,
        snapshot_match: snapshot_result.is_ok(),
        native_size: native_check,
        passthrough_suspected: identical_stdout
            && git.output.stderr == plugin.output.stderr
            && exit_match,
        served: case.spec.served,
        served_match: served == Some(case.spec.served),
        problems: problems.clone(),
    };
    let verdict = if problems.is_empty() {
        Ok(())
    } else {
        Err(failure_message(
            case,
            env,
            &git.output,
            &plugin.output,
            &problems,
        ))
    };
    Ok((outcome, verdict))
}

/// `GIT_RTK_PARITY_DUMP=<dir>`: write what git itself printed (exit code, stdout, stderr, paths
/// normalised) to `<dir>/<command>.<case>.txt`, to compare git versions with each other.
fn dump_git_side(dir: &Path, case: &Case, env: &CaseEnv, git: &Output) -> Result<(), String> {
    let normalise = |bytes: &[u8]| {
        text::show(bytes)
            .replace(&*env.repo.to_string_lossy(), "[REPO]")
            .replace(&*env.home.to_string_lossy(), "[HOME]")
    };
    let file = dir.join(format!("{}.{}.txt", case.spec.command, case.name));
    std::fs::create_dir_all(dir)
        .and_then(|()| {
            std::fs::write(
                &file,
                format!(
                    "exit {}\n--- stdout ---\n{}--- stderr ---\n{}",
                    git.exit_code,
                    normalise(&git.stdout),
                    normalise(&git.stderr)
                ),
            )
        })
        .map_err(|err| format!("cannot write {}: {err}", file.display()))
}

/// `GIT_RTK_PARITY_VERBOSE=1`: print every fact and its verdict, passing cases included.
fn verbose() -> bool {
    std::env::var_os("GIT_RTK_PARITY_VERBOSE").is_some_and(|v| !v.is_empty() && v != "0")
}

fn run_side(
    case: &Case,
    toolchain: &Toolchain,
    env: &CaseEnv,
    side: Side,
    subcommand: &str,
) -> Result<SideRun, String> {
    let mut argv = vec![subcommand.to_owned()];
    argv.extend(case.spec.args.iter().cloned());
    let mut command = env.git_in_context(toolchain, case, side, &argv);
    if side == Side::Plugin {
        // Tracking on, into the case's own database: the row carries the native size to check.
        command.env("RTK_TRACK", "1");
        command.env("XDG_DATA_HOME", native_size::data_home(env));
    }
    let what = format!("`git {}`", argv.join(" "));
    let output = invoke::run_with_stdin(
        command,
        &what,
        case.spec.stdin.as_deref().map(str::as_bytes),
    )?;
    let state = state::capture(env, toolchain, case)?;
    Ok(SideRun { output, state })
}

fn failure_message(
    case: &Case,
    env: &CaseEnv,
    git: &Output,
    plugin: &Output,
    problems: &[String],
) -> String {
    let mut argv: Vec<String> = case.spec.git_args.clone();
    argv.push(format!("(rtk-){}", case.spec.command));
    argv.extend(case.spec.args.iter().cloned());
    let shown = |bytes: &[u8]| {
        text::excerpt(bytes, 3000)
            .replace(&*env.repo.to_string_lossy(), "[REPO]")
            .replace(&*env.home.to_string_lossy(), "[HOME]")
    };
    format!(
        "{id} ({file}): {description}\n  git {argv:?}{cwd}\n\n  {problems}\n\n\
         --- git stdout ---\n{git_out}\n--- plugin stdout ---\n{plugin_out}\n\
         --- git stderr ---\n{git_err}\n--- plugin stderr ---\n{plugin_err}",
        id = case.id(),
        file = case.file.display(),
        description = case.spec.description.trim(),
        cwd = case
            .spec
            .cwd
            .as_ref()
            .map(|cwd| format!(" in {cwd}/"))
            .unwrap_or_default(),
        problems = problems.join("\n  "),
        git_out = shown(&git.stdout),
        plugin_out = shown(&plugin.stdout),
        git_err = shown(&git.stderr),
        plugin_err = shown(&plugin.stderr),
    )
}
