//! The comparisons: each plugin against the git command it replaces, the spawn-and-filter baseline
//! producing the same compact form, and the most compact lossless form git itself offers.

use std::path::Path;

use anyhow::{Context, Result};

use crate::baseline::Baseline;
use crate::fixture::{Repo, Size};
use crate::hermetic::HermeticEnv;
use crate::measure::{self, Measured, Stats, Variant};
use crate::tokens::TokenCounter;

/// `git rtk-bench-noop` runs `true`: what git's dispatch of any external command costs, the floor
/// under every `git rtk-*`.
pub const NOOP_COMMAND: &str = "rtk-bench-noop";

pub struct Case {
    /// Short name used in tables and the CSV (`status`, `log -n 50`, …).
    pub name: &'static str,
    /// `git <args>`: the command the plugin replaces.
    pub git: Vec<String>,
    /// `git <args>` dispatching to the plugin (`rtk-status`, …).
    pub plugin: Vec<String>,
    pub baseline: Baseline,
    /// The most compact native form that keeps the facts (`status -sb`, …).
    pub best_native: Vec<String>,
    /// Only the facts every line must carry, as tightly as git prints them (`log --format=%h %s`:
    /// abbreviated id and full subject). No output that keeps those facts can be smaller, so a
    /// token target below it cannot be met on these commits.
    pub fact_floor: Option<Vec<String>>,
    /// The largest repository it runs on: a whole-history `git log` of the large one is
    /// pointless, and on the huge one only the commands whose cost grows with the work tree
    /// (status and the diffs) say something the large one does not.
    pub up_to: Size,
}

impl Case {
    /// Whether this case runs on `repo`.
    pub fn runs_on(&self, repo: Repo) -> bool {
        repo.size() <= self.up_to
    }
}

fn args(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

pub fn all() -> Vec<Case> {
    let case = |name, git: &str, plugin: &str, baseline, best: &str, up_to| Case {
        name,
        git: args(git),
        plugin: args(plugin),
        baseline,
        best_native: args(best),
        fact_floor: None,
        up_to,
    };
    // `%x20` is a space: the argv is split on whitespace.
    let with_floor = |case: Case, floor: &str| Case {
        fact_floor: Some(args(floor)),
        ..case
    };
    vec![
        case(
            "status",
            "status",
            "rtk-status",
            Baseline::status(),
            "status -sb",
            Size::Huge,
        ),
        with_floor(
            case(
                "log -n 50",
                "log -n 50",
                "rtk-log -n 50",
                Baseline::log(Some(50)),
                "log -n 50 --oneline --decorate",
                Size::Large,
            ),
            "log -n 50 --format=%h%x20%s",
        ),
        // The count agents type most (`git log -n 20` is the session's first log).
        with_floor(
            case(
                "log -n 20",
                "log -n 20",
                "rtk-log -n 20",
                Baseline::log(Some(20)),
                "log -n 20 --oneline --decorate",
                Size::Large,
            ),
            "log -n 20 --format=%h%x20%s",
        ),
        with_floor(
            case(
                "log",
                "log",
                "rtk-log",
                Baseline::log(None),
                "log --oneline --decorate",
                Size::Medium,
            ),
            "log --format=%h%x20%s",
        ),
        case(
            "diff",
            "diff",
            "rtk-diff",
            Baseline::diff(false),
            "diff -U0",
            Size::Huge,
        ),
        case(
            "diff --cached",
            "diff --cached",
            "rtk-diff --cached",
            Baseline::diff(true),
            "diff --cached -U0",
            Size::Huge,
        ),
        case(
            "show HEAD",
            "show HEAD",
            "rtk-show HEAD",
            Baseline::show_head(),
            "show -U0 HEAD",
            Size::Large,
        ),
        case(
            "branch -vv",
            "branch -vv",
            "rtk-branch -vv",
            Baseline::branch_vv(),
            "branch -vv",
            Size::Large,
        ),
    ]
}

/// A plugin's start-up: `git-rtk-<cmd> -h` run directly against `git <cmd> -h`, with `true` in the
/// same rounds. `-h` parses the arguments and prints the usage without opening the repository, so
/// its time is the process start-up (loader, runtime, argument parsing) every run of the plugin
/// pays; for a command of 2 ms that is a large share.
pub struct Startup {
    /// The git command, and the plugin's name after `git-rtk-` (`log`).
    pub command: &'static str,
    /// The case whose direct run the start-up is a share of: the form agents type most.
    pub full_case: &'static str,
}

/// The start-up is timed on the medium repositories only: `-h` opens no repository, and the
/// medium ones are where a plugin's whole run is short enough for its start-up to matter.
pub const STARTUP_UP_TO: Size = Size::Medium;

/// What git and the plugins exit with after printing the usage for `-h`.
const USAGE_EXIT: i32 = 129;

/// One per plugin that [`all`] times.
pub fn startups() -> Vec<Startup> {
    [
        ("status", "status"),
        ("log", "log -n 20"),
        ("diff", "diff"),
        ("show", "show HEAD"),
        ("branch", "branch -vv"),
    ]
    .into_iter()
    .map(|(command, full_case)| Startup { command, full_case })
    .collect()
}

/// One variant's numbers.
#[derive(Debug, Clone)]
pub struct VariantResult {
    /// The command line as a user would type it.
    pub command: String,
    /// `None` for the best native form, which is only run for its tokens.
    pub stats: Option<Stats>,
    /// Median over rounds of this variant's time divided by git's.
    pub ratio_vs_git: Option<f64>,
    /// CPU time (user + system of the process and the processes it waited for), like `stats`.
    pub cpu: Option<Stats>,
    /// Median over rounds of this variant's CPU time divided by git's.
    pub cpu_ratio_vs_git: Option<f64>,
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr_first_line: Option<String>,
    pub tokens: usize,
}

#[derive(Debug, Clone)]
pub struct CaseResult {
    pub repo: &'static str,
    pub case: &'static str,
    pub git: VariantResult,
    pub plugin: VariantResult,
    pub baseline: VariantResult,
    pub best_native: VariantResult,
    /// See [`Case::fact_floor`]; run only for its tokens.
    pub fact_floor: Option<VariantResult>,
    /// `git rtk-bench-noop`, timed in the same rounds: the dispatch floor.
    pub floor: VariantResult,
    /// The plugin binary run directly, without git's dispatch, in the same rounds.
    pub direct: VariantResult,
    /// `sh -c 'git <args>'`: git's command as an agent's shell tool runs it, in the same rounds.
    pub git_sh: VariantResult,
    /// The agent path: `sh -c '<the command as the hook rewrites it>'`, in the same rounds; its
    /// ratios are to `git_sh`, like with like.
    pub agent: VariantResult,
}

/// A plugin's start-up on one repository; the ratios are to `git`'s.
#[derive(Debug, Clone)]
pub struct StartupResult {
    pub repo: &'static str,
    /// See [`Startup`].
    pub command: &'static str,
    pub full_case: &'static str,
    /// `git <cmd> -h`.
    pub git: VariantResult,
    /// `git-rtk-<cmd> -h`, run directly.
    pub plugin: VariantResult,
    /// `true`, found on `PATH`: the floor of any process on this machine.
    pub noop: VariantResult,
}

impl CaseResult {
    /// The plugin printed exactly what the git command printed: it passed through.
    pub fn plugin_is_git_output(&self) -> bool {
        self.plugin.stdout == self.git.stdout
    }
}

fn display(args: &[String]) -> String {
    format!("git {}", args.join(" "))
}

fn first_line(bytes: &[u8]) -> Option<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(str::to_owned)
}

/// `m`'s numbers, its time and CPU time as ratios to `git`'s (`None`: `m` is git).
fn from_measured(
    command: String,
    m: &Measured,
    git: Option<&Measured>,
    tokens: &TokenCounter,
) -> VariantResult {
    VariantResult {
        command,
        stats: Some(m.stats()),
        ratio_vs_git: Some(git.map_or(1.0, |g| measure::paired_ratio(m, g))),
        cpu: Some(m.cpu_stats()),
        cpu_ratio_vs_git: Some(git.map_or(1.0, |g| measure::paired_cpu_ratio(m, g))),
        exit_code: m.last.exit_code,
        tokens: tokens.count(&m.last.stdout),
        stderr_first_line: first_line(&m.last.stderr),
        stdout: m.last.stdout.clone(),
    }
}

pub fn run_case(
    env: &HermeticEnv,
    plugin_dir: &Path,
    repo: &'static str,
    work: &Path,
    case: &Case,
    (warmup, runs): (usize, usize),
    tokens: &TokenCounter,
) -> Result<CaseResult> {
    let typed = display(&case.git);
    let rewritten = crate::session::as_rewritten(&typed);
    let variants = [
        Variant::Git(case.git.clone()),
        Variant::Git(case.plugin.clone()),
        Variant::SpawnAndFilter(case.baseline.clone()),
        Variant::Git(vec![NOOP_COMMAND.to_owned()]),
        Variant::Direct(
            plugin_dir.join(format!("git-{}", case.plugin[0])),
            case.plugin[1..].to_vec(),
        ),
        Variant::Shell(typed.clone()),
        Variant::Shell(rewritten.clone()),
    ];
    let measured = measure::alternate(env, work, &variants, warmup, runs)?;
    let [git, plugin, baseline, floor, direct, git_sh, agent] = &measured[..] else {
        anyhow::bail!("expected seven measured variants");
    };
    let best = Variant::Git(case.best_native.clone()).run(env, work)?;
    let tokens_only = |argv: &[String], output: measure::RunOutput| VariantResult {
        command: display(argv),
        stats: None,
        ratio_vs_git: None,
        cpu: None,
        cpu_ratio_vs_git: None,
        exit_code: output.exit_code,
        tokens: tokens.count(&output.stdout),
        stderr_first_line: first_line(&output.stderr),
        stdout: output.stdout,
    };
    let fact_floor = match &case.fact_floor {
        Some(argv) => Some(tokens_only(
            argv,
            Variant::Git(argv.clone()).run(env, work)?,
        )),
        None => None,
    };
    Ok(CaseResult {
        repo,
        case: case.name,
        git: from_measured(display(&case.git), git, None, tokens),
        plugin: from_measured(display(&case.plugin), plugin, Some(git), tokens),
        baseline: from_measured(
            format!("{} + filter", display(&case.baseline.git_args)),
            baseline,
            Some(git),
            tokens,
        ),
        direct: from_measured(
            format!("git-{}", case.plugin.join(" ")),
            direct,
            Some(git),
            tokens,
        ),
        floor: from_measured(format!("git {NOOP_COMMAND}"), floor, Some(git), tokens),
        git_sh: from_measured(format!("sh -c '{typed}'"), git_sh, None, tokens),
        agent: from_measured(format!("sh -c '{rewritten}'"), agent, Some(git_sh), tokens),
        best_native: tokens_only(&case.best_native, best),
        fact_floor,
    })
}

/// Every plugin's start-up ([`startups`]) on `repo`, each in its own alternating rounds of
/// `git <cmd> -h`, `git-rtk-<cmd> -h` and `true`. Every run must exit as expected (129 after the
/// usage, 0 for `true`): a `-h` that did something else is not the start-up.
pub fn run_startups(
    env: &HermeticEnv,
    plugin_dir: &Path,
    repo: &'static str,
    work: &Path,
    rounds: (usize, usize),
    tokens: &TokenCounter,
) -> Result<Vec<StartupResult>> {
    let truth = env.which("true")?;
    let mut results = Vec::new();
    for startup in startups() {
        let git_args = vec![startup.command.to_owned(), "-h".to_owned()];
        let plugin = format!("git-rtk-{}", startup.command);
        eprintln!(
            "bench: {repo}: {} vs {plugin} -h vs true",
            display(&git_args)
        );
        let variants = [
            Variant::Git(git_args.clone()),
            Variant::Direct(plugin_dir.join(&plugin), vec!["-h".to_owned()]),
            Variant::Direct(truth.clone(), Vec::new()),
        ];
        let exit_codes = [USAGE_EXIT, USAGE_EXIT, 0];
        let measured = measure::alternate_expecting(env, work, &variants, &exit_codes, rounds)
            .with_context(|| format!("measuring `{plugin} -h` on the {repo} repository"))?;
        let [git, plugin_run, noop] = &measured[..] else {
            anyhow::bail!("expected three measured variants");
        };
        results.push(StartupResult {
            repo,
            command: startup.command,
            full_case: startup.full_case,
            git: from_measured(display(&git_args), git, None, tokens),
            plugin: from_measured(format!("{plugin} -h"), plugin_run, Some(git), tokens),
            noop: from_measured(truth.display().to_string(), noop, Some(git), tokens),
        });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each start-up is of a plugin [`all`] times, against a case of that plugin, and every
    /// plugin [`all`] times has one.
    #[test]
    fn a_startup_per_timed_plugin() {
        let cases = all();
        let mut timed: Vec<&str> = cases.iter().map(|c| c.plugin[0].as_str()).collect();
        timed.dedup();
        let startups = startups();
        let plugins: Vec<String> = startups
            .iter()
            .map(|s| format!("rtk-{}", s.command))
            .collect();
        assert_eq!(plugins, timed);
        for startup in &startups {
            let full = cases
                .iter()
                .find(|c| c.name == startup.full_case)
                .unwrap_or_else(|| panic!("no case `{}`", startup.full_case));
            assert_eq!(full.plugin[0], format!("rtk-{}", startup.command));
            assert_eq!(full.git[0], startup.command);
            assert!(full.up_to >= STARTUP_UP_TO);
        }
    }
}
