//! `git-rtk-write-bench`: times git-rtk's atomic-write core (`git_rtk::write`) in-process against
//! a hand-written durable write and `std::fs::write` measured in the same rounds, then gates it.
//!
//! Pipeline: samples → `results_raw.csv` → analysis → `RESULTS.md`, `history.csv` (appended),
//! `trend.svg` → exit code. `--analyze` redoes everything after the measuring from the raw file.
//!
//! Exit codes: 0 every gate and check passes, 1 a gate or check fails, 2 the run itself failed.
//!
//! Not a test: absolute numbers depend on the machine and its load; the gates are same-run ratios.

mod analyze;
mod chart;
mod history;
mod machine;
mod raw;
mod report;
#[path = "../../rng.rs"]
mod rng;
#[cfg(test)]
mod scratch;
mod stats;
mod workload;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;

use crate::raw::Meta;
use crate::workload::{Schedule, Size, BATCH_API};

const RAW_FILE: &str = "results_raw.csv";
const RESULTS_FILE: &str = "RESULTS.md";
const HISTORY_FILE: &str = "history.csv";
const CHART_FILE: &str = "trend.svg";

/// Times the atomic-write core against same-run baselines, writes RESULTS.md and fails on a gate.
#[derive(Debug, Parser)]
#[command(name = "git-rtk-write-bench")]
struct Args {
    /// Timed rounds of the single-file cells (at least 30 for a result that counts).
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// How many of those rounds also run the batch cells (at least 30 for a result that counts).
    #[arg(long, default_value_t = 80)]
    batch_runs: usize,
    /// Untimed rounds first (every cell, batch cells included).
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// Sizes of the batch cells; each batch cell writes 100 files of this size, so 8MiB writes
    /// 800 MiB per operation and is left out by default to keep a run under five minutes.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Size::Small, Size::Medium])]
    batch_sizes: Vec<Size>,
    /// Where results_raw.csv, RESULTS.md, history.csv and trend.svg go
    /// (default: bench/results/write/ of the workspace).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scratch directory for the written files; must be on the filesystem you mean to measure
    /// (default: target/write-bench/ of the workspace). Emptied before and removed after the run.
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Seed of the per-round shuffle of the cell order.
    #[arg(long, default_value_t = 0x5eed)]
    seed: u64,
    /// Do not measure: rebuild RESULTS.md, history.csv and trend.svg from <out>/results_raw.csv.
    #[arg(long)]
    analyze: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(err) => {
            eprintln!("write-bench: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Returns the number of failed gates and checks.
fn run(args: Args) -> Result<usize> {
    let root = workspace_root()?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("bench").join("results").join("write"));
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    if !args.analyze {
        measure(&args, &root, &out)?;
    }
    analyze_and_report(&out)
}

fn measure(args: &Args, root: &Path, out: &Path) -> Result<()> {
    let started = Instant::now();
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| root.join("target").join("write-bench"));
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("emptying the work directory {}", work.display()))?;
    }
    std::fs::create_dir_all(&work)
        .with_context(|| format!("creating the work directory {}", work.display()))?;
    let fs = machine::filesystem_of(&work)?;
    if matches!(fs.fstype.as_str(), "tmpfs" | "ramfs") {
        eprintln!(
            "write-bench: warning: {} is on {}, where fsync is free; the run will not count",
            work.display(),
            fs.fstype
        );
    }

    let mut meta = Meta::default();
    meta.push("command", command_line());
    meta.push(
        "date",
        jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    );
    meta.push("commit", machine::commit(root));
    meta.push(
        "profile",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    );
    meta.push("kernel", machine::kernel());
    meta.push("cores", machine::cores().to_string());
    meta.push("work_dir", work.display().to_string());
    meta.push("filesystem_type", fs.fstype.clone());
    meta.push("filesystem_source", fs.source.clone());
    meta.push("filesystem_mount", fs.mount_point.clone());
    meta.push("filesystem_options", fs.options.clone());
    meta.push("load_start", machine::load_average());
    meta.push("warmup", args.warmup.to_string());
    meta.push("runs", args.runs.to_string());
    meta.push("batch_runs", args.batch_runs.to_string());
    meta.push("seed", args.seed.to_string());
    meta.push("batch_api", BATCH_API);

    let schedule = Schedule {
        warmup: args.warmup,
        runs: args.runs,
        batch_runs: args.batch_runs,
        sizes: Size::ALL.to_vec(),
        batch_sizes: args.batch_sizes.clone(),
        seed: args.seed,
    };
    eprintln!(
        "write-bench: {} on {} ({}), {} warm-up + {} rounds, batch cells in {} of them",
        work.display(),
        fs.fstype,
        fs.source,
        args.warmup,
        args.runs,
        args.batch_runs
    );
    let samples = workload::run(&schedule, &work)?;
    std::fs::remove_dir_all(&work)
        .with_context(|| format!("removing the work directory {}", work.display()))?;

    meta.push("load_end", machine::load_average());
    meta.push(
        "duration_s",
        format!("{:.0}", started.elapsed().as_secs_f64()),
    );
    let raw_path = out.join(RAW_FILE);
    raw::write(&raw_path, &meta, &samples)?;
    eprintln!(
        "write-bench: {} samples in {:.0} s → {}",
        samples.len(),
        started.elapsed().as_secs_f64(),
        raw_path.display()
    );
    Ok(())
}

fn analyze_and_report(out: &Path) -> Result<usize> {
    let raw_path = out.join(RAW_FILE);
    let run = raw::read(&raw_path)?;
    let analysis = analyze::analyze(&run);

    let history_path = out.join(HISTORY_FILE);
    let current =
        history::Entry::from_analysis(run.meta.get("date"), run.meta.get("commit"), &analysis);
    if !history::append(&history_path, &current)? {
        eprintln!(
            "write-bench: this run is already in {}",
            history_path.display()
        );
    }
    let entries = history::read(&history_path)?;
    let previous = history::previous(&entries, &current);

    let chart_path = out.join(CHART_FILE);
    std::fs::write(&chart_path, chart::render(&entries))
        .with_context(|| format!("writing {}", chart_path.display()))?;
    let results_path = out.join(RESULTS_FILE);
    let md = report::markdown(&run.meta, &analysis, &current, previous, CHART_FILE);
    std::fs::write(&results_path, md)
        .with_context(|| format!("writing {}", results_path.display()))?;

    print_summary(&analysis);
    let failures = analysis.failures();
    eprintln!(
        "write-bench: wrote {}, {}, {}: {}",
        results_path.display(),
        history_path.display(),
        chart_path.display(),
        if failures == 0 {
            "all gates pass".to_owned()
        } else {
            format!("{failures} gate(s)/check(s) FAILED")
        }
    );
    Ok(failures)
}

fn print_summary(analysis: &analyze::Analysis) {
    for g in &analysis.gates {
        let value = match g.measure {
            analyze::Measure::Time { p50, .. } => report::duration(p50),
            analyze::Measure::Ratio(r) => format!("{:.3}×", r.value),
        };
        let verdict = match (g.kind.is_aim(), g.pass) {
            (true, true) => "aim met",
            (true, false) => "aim missed",
            (false, true) => "PASS",
            (false, false) => "FAIL",
        };
        println!(
            "{verdict:>10}  {} [{}]: {value}",
            g.kind.describe(),
            g.size.human()
        );
    }
    for c in analysis.checks.iter().filter(|c| !c.pass) {
        println!("    FAILED  check: {}", c.what);
    }
}

fn workspace_root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("the bench crate has no parent directory")
}

/// The command as the user would type it, for the report.
fn command_line() -> String {
    let rest: Vec<String> = std::env::args().skip(1).collect();
    let base = "cargo run --release -p git-rtk-bench --bin git-rtk-write-bench";
    if rest.is_empty() {
        base.into()
    } else {
        format!("{base} -- {}", rest.join(" "))
    }
}
