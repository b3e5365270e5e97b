//! `git-rtk-bench`: builds the benchmark repositories (medium, large and huge, synthetic, huge with
//! git's untracked cache and split index on; medium-real, this project's own history at a pinned
//! commit), then times each git-rtk plugin against the git command it replaces (and against
//! spawning git and filtering its output), times each plugin's start-up (`-h`) against git's,
//! counts output tokens, and writes `bench.csv` and `REPORT.md`.
//!
//! Not a test: numbers depend on the machine. Run it with
//! `cargo run --release -p git-rtk-bench -- [--runs N] [--only medium|medium-real|large|huge] [--out DIR]`.

mod baseline;
mod cases;
mod elf;
mod fixture;
mod hermetic;
mod measure;
mod other_cpu;
mod program;
mod report;
mod rng;
mod session;
mod synth;
mod tokens;
mod tracking;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};

use crate::cases::NOOP_COMMAND;
use crate::hermetic::HermeticEnv;
use crate::program::{workspace_root, CARGO_RELEASE};
use crate::report::RunInfo;

/// A sub-millisecond difference needs more rounds than a comparison with git: this many per
/// `--runs`.
const TRACKING_ROUNDS_PER_RUN: usize = 10;

/// The plugin whose ELF header says how the measured plugins are linked (they are built alike).
const LINKING_PROBE: &str = "git-rtk-status";

/// Plugins measured (the read plugins of the registry); each must exist in the release directory.
fn plugins() -> Vec<String> {
    git_rtk::registry::of_kind(git_rtk::command::Kind::Read)
        .map(|c| c.binary())
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Only {
    Medium,
    /// This project's own history at a pinned commit.
    MediumReal,
    Large,
    /// 200,000 files, git's untracked cache and split index on: status and the diffs only.
    Huge,
}

impl Only {
    fn repo(self) -> fixture::Repo {
        match self {
            Only::Medium => fixture::Repo::Synthetic(fixture::MEDIUM),
            Only::MediumReal => fixture::Repo::Pinned(fixture::MEDIUM_REAL),
            Only::Large => fixture::Repo::Synthetic(fixture::LARGE),
            Only::Huge => fixture::Repo::Synthetic(fixture::HUGE),
        }
    }
}

/// Times git-rtk plugins against the git commands they replace and counts their output tokens.
#[derive(Debug, Parser)]
#[command(name = "git-rtk-bench")]
struct Args {
    /// Timed runs of each variant (after the warm-up); at least 10 for a report that counts.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Warm-up rounds before timing (they also let `git status` refresh the index).
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// Measure one repository only (default: all four; medium-real is skipped with a note when
    /// the workspace's repository lacks its pinned commit, and fails the run when named here).
    #[arg(long, value_enum)]
    only: Option<Only>,
    /// Where bench.csv and REPORT.md go (default: bench/results/ of the workspace).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Use the release plugins as they are instead of building them with `scripts/cargo-release`
    /// first.
    #[arg(long)]
    no_build: bool,
    /// Rebuild the benchmark repositories even if a valid cached copy exists.
    #[arg(long)]
    rebuild_repos: bool,
    /// Also write every variant's stdout to <out>/outputs/<repo>/ (to see what was counted).
    #[arg(long)]
    save_outputs: bool,
    /// Run only the whole-session token benchmark (SESSION.md, session.csv), not the timings.
    #[arg(long)]
    session_only: bool,
}

fn main() -> ExitCode {
    program::exit_status("bench", run(Args::parse()))
}

/// The directory `cargo build --release` puts this benchmark in (it also honours a custom target
/// directory), else `target/release` beside it; its parent holds the cached repositories.
fn release_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("locating the benchmark binary")?;
    let dir = exe.parent().context("benchmark binary has no directory")?;
    if dir.file_name().is_some_and(|n| n == "release") {
        return Ok(dir.to_path_buf());
    }
    let target = dir
        .parent()
        .context("benchmark binary is not in a target directory")?;
    Ok(target.join("release"))
}

fn build_plugins(root: &Path) -> Result<()> {
    eprintln!("bench: {CARGO_RELEASE} build --release --bins -p git-rtk");
    let status = program::cargo_release(root, &["build", "--release", "--bins", "-p", "git-rtk"])
        .status()
        .with_context(|| format!("running {CARGO_RELEASE} to build the release plugins"))?;
    if !status.success() {
        bail!(
            "building the release plugins failed ({status}). Fix the build, or run \
             `{CARGO_RELEASE} build --release --bins -p git-rtk` in {} yourself and re-run with --no-build",
            root.display()
        );
    }
    Ok(())
}

fn check_plugins(dir: &Path) -> Result<()> {
    let missing: Vec<String> = plugins()
        .into_iter()
        .filter(|p| !dir.join(p).is_file())
        .collect();
    if !missing.is_empty() {
        bail!(
            "release plugins missing from {}: {}. Run `{CARGO_RELEASE} build --release --bins -p git-rtk` at the workspace root first",
            dir.display(),
            missing.join(", ")
        );
    }
    Ok(())
}

fn run(args: Args) -> Result<()> {
    let started = Instant::now();
    if cfg!(debug_assertions) {
        eprintln!("bench: warning: this is a debug build; the spawn+filter baseline filters in this process, so use --release for numbers that count");
    }
    if args.runs < 10 {
        eprintln!(
            "bench: warning: --runs {} is below the 10 runs a report needs",
            args.runs
        );
    }
    let root = workspace_root()?;
    let plugin_dir = program::plugin_dir(&root)?;
    let mut timings = Vec::new();

    let t = Instant::now();
    if !args.no_build {
        build_plugins(&root)?;
    }
    check_plugins(&plugin_dir)?;
    timings.push((
        "build release plugins".to_owned(),
        t.elapsed().as_secs_f64(),
    ));

    let bench_dir = release_dir()?;
    let target = bench_dir
        .parent()
        .context("release directory has no parent")?;
    let cache = target.join("bench-repos");
    let tools = HermeticEnv::install_noop_command(&cache.join("bin"), NOOP_COMMAND)?;
    let env = HermeticEnv::new(&[&plugin_dir, &tools], &cache.join("home"))?;
    let load_start = load_average();
    let cpu_start = other_cpu::Snapshot::now();
    // git looks in its exec-path before PATH: a plugin installed there would shadow ours.
    let exec_path = env.run(&cache, &["--exec-path"])?;
    let shadowing: Vec<String> = plugins()
        .into_iter()
        .filter(|p| Path::new(exec_path.trim()).join(p).exists())
        .collect();
    if !shadowing.is_empty() {
        bail!(
            "{} in git's exec-path ({}) would run instead of the freshly built plugins; remove them first",
            shadowing.join(", "),
            exec_path.trim()
        );
    }

    let t = Instant::now();
    let counter = tokens::TokenCounter::o200k()?;
    timings.push((
        "load o200k_base tokenizer".to_owned(),
        t.elapsed().as_secs_f64(),
    ));

    let repos = match args.only {
        Some(only) => vec![only.repo()],
        None => fixture::ALL.to_vec(),
    };
    let t = Instant::now();
    let floor = measure::alternate(
        &env,
        &cache,
        &[
            measure::Variant::Git(vec!["version".into()]),
            measure::Variant::Git(vec![NOOP_COMMAND.into()]),
        ],
        args.warmup,
        args.runs * 2,
    )
    .context("measuring git's own start-up and external-command dispatch")?;
    let dispatch = report::DispatchFloor {
        git_version: floor[0].stats(),
        noop: floor[1].stats(),
        git_version_cpu: floor[0].cpu_stats(),
        noop_cpu: floor[1].cpu_stats(),
        noop_command: NOOP_COMMAND,
    };
    timings.push((
        "measure git start-up and dispatch".to_owned(),
        t.elapsed().as_secs_f64(),
    ));

    let mut fixtures = Vec::new();
    let mut results = Vec::new();
    let mut startups = Vec::new();
    let mut overheads = Vec::new();
    let mut sessions = Vec::new();
    let mut skipped = Vec::new();
    for repo in repos {
        let name = repo.name();
        let t = Instant::now();
        let fixture = match fixture::ensure(&env, &cache, repo, &root, args.rebuild_repos) {
            Ok(fixture) => fixture,
            // Named with --only it fails the run; in a run of all repositories it is skipped.
            Err(err) if args.only.is_none() && err.is::<fixture::MissingCommit>() => {
                eprintln!("bench: skipping the {name} repository: {err:#}");
                skipped.push(format!("**Skipped**: {err:#}."));
                continue;
            }
            Err(err) => return Err(err),
        };
        let verb = if fixture.built_in.is_some() {
            "build"
        } else {
            "verify cached"
        };
        timings.push((
            format!("{verb} {name} repository"),
            t.elapsed().as_secs_f64(),
        ));

        if !args.session_only && repo.size() <= cases::STARTUP_UP_TO {
            let t = Instant::now();
            startups.extend(cases::run_startups(
                &env,
                &plugin_dir,
                name,
                &fixture.work,
                (args.warmup, args.runs),
                &counter,
            )?);
            timings.push((
                format!("measure start-up on {name} repository"),
                t.elapsed().as_secs_f64(),
            ));
        }
        if !args.session_only {
            let t = Instant::now();
            for case in cases::all() {
                if !case.runs_on(repo) {
                    continue;
                }
                eprintln!(
                    "bench: {name}: {} vs {}",
                    case.git.join(" "),
                    case.plugin.join(" ")
                );
                let result = cases::run_case(
                    &env,
                    &plugin_dir,
                    name,
                    &fixture.work,
                    &case,
                    (args.warmup, args.runs),
                    &counter,
                )
                .with_context(|| format!("measuring `{}` on the {name} repository", case.name))?;
                results.push(result);
            }
            timings.push((
                format!("measure {name} repository"),
                t.elapsed().as_secs_f64(),
            ));
            if name == fixture::MEDIUM.name {
                let t = Instant::now();
                eprintln!("bench: medium: tracking overhead (RTK_TRACK on vs off)");
                overheads = tracking::measure(
                    &env,
                    &plugin_dir,
                    &fixture.work,
                    args.warmup,
                    args.runs * TRACKING_ROUNDS_PER_RUN,
                )
                .context("measuring the tracking overhead")?;
                timings.push((
                    "measure tracking overhead".to_owned(),
                    t.elapsed().as_secs_f64(),
                ));
            }
        }
        // After the timings: copying the repositories for the session must not disturb them.
        if repo.size() < fixture::Size::Huge {
            sessions.push(run_session(
                &env,
                &cache,
                name,
                &fixture.work,
                &counter,
                &mut timings,
            )?);
        } else {
            eprintln!("bench: {name}: no whole agent session on this repository");
            skipped.push(format!(
                "**No session on the {name} repository**: it is there to time status and the \
                 diffs on {} files with git's accelerations on, and the whole-session token \
                 benchmark would copy it twice and replay 36 commands, history and grep ones \
                 included, for minutes; the session runs on the other repositories.",
                report::thousands(fixture.tracked_files)
            ));
        }
        fixtures.push(fixture);
    }
    timings.push(("total".to_owned(), started.elapsed().as_secs_f64()));

    let out = match args.out {
        Some(dir) => dir,
        None => root.join("bench").join("results"),
    };
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let info = RunInfo {
        command_line: command_line(),
        date_utc: utc_now(),
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        memory: meminfo().unwrap_or_else(|| "unknown".into()),
        cpu: cpu_model().unwrap_or_else(|| "unknown".into()),
        kernel: read_trimmed("/proc/sys/kernel/osrelease")
            .map_or_else(|| "unknown".into(), |k| format!("Linux {k}")),
        git_version: format!("{} (`{}`)", env.version()?, env.git_path().display()),
        commit: workspace_commit(&env, &root),
        plugin_linking: elf::describe(&plugin_dir.join(LINKING_PROBE)),
        plugin_dir: plugin_dir.display().to_string(),
        load_start,
        load_end: load_average(),
        other_cpu: cpu_start.and_then(|start| start.other_until_now()),
        runs: args.runs,
        warmup: args.warmup,
        dispatch,
        timings,
        skipped,
    };
    let session_csv = out.join("session.csv");
    session::write_csv(&session_csv, &sessions)?;
    let session_md = out.join("SESSION.md");
    std::fs::write(&session_md, session::markdown(&info, &sessions))
        .with_context(|| format!("writing {}", session_md.display()))?;
    eprintln!(
        "bench: wrote {} and {}",
        session_csv.display(),
        session_md.display()
    );
    if args.session_only {
        return Ok(());
    }
    if args.save_outputs {
        save_outputs(&out.join("outputs"), &results)?;
    }
    let csv = out.join("bench.csv");
    report::write_csv(&csv, &results, &startups)?;
    let tracking_csv = out.join("tracking.csv");
    tracking::write_csv(&tracking_csv, &overheads)?;
    let md_path = out.join("REPORT.md");
    let mut md = report::markdown(&info, &fixtures, &results, &startups)?;
    if !overheads.is_empty() {
        md.push_str(&tracking::markdown(&overheads)?);
    }
    std::fs::write(&md_path, md).with_context(|| format!("writing {}", md_path.display()))?;
    print!("{}", report::summary(&results));
    eprintln!(
        "bench: wrote {} and {} in {:.0}s",
        csv.display(),
        md_path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The whole-session token benchmark on one repository (`bench/src/session.rs`).
fn run_session(
    env: &HermeticEnv,
    cache: &Path,
    repo: &'static str,
    work: &Path,
    counter: &tokens::TokenCounter,
    timings: &mut Vec<(String, f64)>,
) -> Result<session::SessionResult> {
    let t = Instant::now();
    eprintln!("bench: {repo}: whole agent session, as typed and as the hook rewrites it");
    let result = session::run(env, repo, work, &cache.join("session"), counter)
        .with_context(|| format!("the session on the {repo} repository"))?;
    timings.push((
        format!("session on {repo} repository"),
        t.elapsed().as_secs_f64(),
    ));
    Ok(result)
}

fn save_outputs(dir: &Path, results: &[cases::CaseResult]) -> Result<()> {
    for r in results {
        let repo_dir = dir.join(r.repo);
        std::fs::create_dir_all(&repo_dir)
            .with_context(|| format!("creating {}", repo_dir.display()))?;
        let stem = r
            .case
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        for (variant, v) in [
            ("git", &r.git),
            ("plugin", &r.plugin),
            ("spawn_filter", &r.baseline),
            ("best_native", &r.best_native),
        ] {
            let path = repo_dir.join(format!("{stem}.{variant}.txt"));
            std::fs::write(&path, &v.stdout)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// The command as the user would type it, for the report.
fn command_line() -> String {
    let rest: Vec<String> = std::env::args().skip(1).collect();
    if rest.is_empty() {
        "cargo run --release -p git-rtk-bench".into()
    } else {
        format!("cargo run --release -p git-rtk-bench -- {}", rest.join(" "))
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
}

fn load_average() -> String {
    read_trimmed("/proc/loadavg")
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn meminfo() -> Option<String> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.1} GiB", kib / (1024.0 * 1024.0)))
}

fn cpu_model() -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
}

/// `abc1234`, with a note when the work tree has uncommitted changes to tracked files.
fn workspace_commit(env: &HermeticEnv, root: &Path) -> String {
    let Ok(head) = env.run(root, &["rev-parse", "--short", "HEAD"]) else {
        return "(no commit yet)".into();
    };
    let dirty = env
        .run(root, &["status", "--porcelain", "--untracked-files=no"])
        .map(|s| !s.trim().is_empty())
        .unwrap_or(false);
    if dirty {
        format!("{} (with uncommitted changes)", head.trim())
    } else {
        head.trim().to_owned()
    }
}

/// Now as `YYYY-MM-DD HH:MM UTC`.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// Howard Hinnant's days-to-civil conversion (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
