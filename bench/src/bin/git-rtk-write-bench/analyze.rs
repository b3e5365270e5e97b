//! From raw samples to per-cell statistics, same-run ratios, gate verdicts and sanity checks.
//!
//! Gates compare the core with baselines measured in the same rounds, never with absolute times
//! from another day: a shared machine slows both sides of a ratio alike.

use std::collections::BTreeMap;

use crate::raw::RawRun;
use crate::stats;
use crate::workload::{Scenario, Size};

/// Below this many timed runs a cell's numbers do not count.
pub const MIN_RUNS: usize = 30;
pub const SKIP_LIMIT_NS: f64 = 2_000_000.0;
pub const SKIP_AIM_NS: f64 = 20_000.0;
pub const DURABLE_OVER_BARE: f64 = 1.10;
pub const FAST_OVER_DURABLE: f64 = 1.0;
/// The batch against the best hand-written per-file-fsync batch of the same rounds (naive or
/// with early writeback): no filesystem-specific durability shortcut is allowed to win this.
pub const BATCH_OVER_BEST_BARE: f64 = 1.05;

/// Seed of the bootstrap resampling: fixed, so re-analysing a raw file reproduces its report.
const BOOTSTRAP_SEED: u64 = 0x0b00_75ed;

/// Statistics of one cell's samples (times in nanoseconds).
#[derive(Debug, Clone)]
pub struct CellSummary {
    pub scenario: Scenario,
    pub size: Size,
    pub n: usize,
    pub p50: f64,
    pub p50_ci: Option<(f64, f64)>,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
    /// Median syncs and renames the operation reported.
    pub syncs: f64,
    pub renames: f64,
    pub skipped: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct RatioEstimate {
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// Rounds in which both cells ran.
    pub rounds: usize,
}

/// The families of gates; `id`s are the history's metric names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GateKind {
    SkipLimit,
    SkipAim,
    DurableVsBare,
    FastVsDurable,
    BatchVsBestBare,
}

impl GateKind {
    pub fn id(self) -> &'static str {
        match self {
            GateKind::SkipLimit => "skip_p50",
            GateKind::SkipAim => "skip_p50_aim",
            GateKind::DurableVsBare => "durable_vs_bare",
            GateKind::FastVsDurable => "fast_vs_durable",
            GateKind::BatchVsBestBare => "batch_vs_best_bare",
        }
    }

    /// An aim is reported, never failed on.
    pub fn is_aim(self) -> bool {
        self == GateKind::SkipAim
    }

    pub fn limit(self) -> f64 {
        match self {
            GateKind::SkipLimit => SKIP_LIMIT_NS,
            GateKind::SkipAim => SKIP_AIM_NS,
            GateKind::DurableVsBare => DURABLE_OVER_BARE,
            GateKind::FastVsDurable => FAST_OVER_DURABLE,
            GateKind::BatchVsBestBare => BATCH_OVER_BEST_BARE,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            GateKind::SkipLimit => "unchanged (skip) p50 < 2 ms",
            GateKind::SkipAim => "aim: unchanged (skip) p50 ≤ 20 µs",
            GateKind::DurableVsBare => "durable p50 ≤ 1.10 × bare baseline p50",
            GateKind::FastVsDurable => "fast p50 < durable p50",
            GateKind::BatchVsBestBare => {
                "batch of 100 p50 ≤ 1.05 × the best hand-written per-file-fsync batch"
            }
        }
    }

    fn passes(self, value: f64) -> bool {
        match self {
            GateKind::SkipLimit | GateKind::FastVsDurable => value < self.limit(),
            GateKind::SkipAim | GateKind::DurableVsBare | GateKind::BatchVsBestBare => {
                value <= self.limit()
            }
        }
    }
}

/// What a gate measured: a time (skip gates) or a ratio of two same-run cells.
#[derive(Debug, Clone, Copy)]
pub enum Measure {
    Time { p50: f64, ci: Option<(f64, f64)> },
    Ratio(RatioEstimate),
}

impl Measure {
    pub fn value(&self) -> f64 {
        match self {
            Measure::Time { p50, .. } => *p50,
            Measure::Ratio(r) => r.value,
        }
    }

    pub fn ci(&self) -> Option<(f64, f64)> {
        match self {
            Measure::Time { ci, .. } => *ci,
            Measure::Ratio(r) => r.ci,
        }
    }
}

#[derive(Debug, Clone)]
pub struct GateResult {
    pub kind: GateKind,
    pub size: Size,
    pub measure: Measure,
    pub pass: bool,
    /// The 95% interval reaches across the limit: a re-run may well give the other verdict.
    pub marginal: bool,
}

/// A condition without which the numbers mean nothing (enough runs, a real disk, the core did
/// what the cell claims).
#[derive(Debug, Clone)]
pub struct Check {
    pub what: String,
    pub pass: bool,
}

/// A same-run ratio that is shown but not gated.
#[derive(Debug, Clone)]
pub struct InfoRatio {
    pub id: &'static str,
    pub label: &'static str,
    pub size: Size,
    pub estimate: RatioEstimate,
}

#[derive(Debug, Clone)]
pub struct Analysis {
    pub cells: Vec<CellSummary>,
    pub gates: Vec<GateResult>,
    pub checks: Vec<Check>,
    pub info: Vec<InfoRatio>,
}

impl Analysis {
    pub fn cell(&self, scenario: Scenario, size: Size) -> Option<&CellSummary> {
        self.cells
            .iter()
            .find(|c| c.scenario == scenario && c.size == size)
    }

    /// Failed gates (aims excluded) plus failed checks: non-zero fails the run.
    pub fn failures(&self) -> usize {
        self.gates
            .iter()
            .filter(|g| !g.kind.is_aim() && !g.pass)
            .count()
            + self.checks.iter().filter(|c| !c.pass).count()
    }
}

pub fn analyze(run: &RawRun) -> Analysis {
    let mut by_cell: BTreeMap<(Size, Scenario), Vec<&crate::workload::Sample>> = BTreeMap::new();
    for s in &run.samples {
        by_cell.entry((s.size, s.scenario)).or_default().push(s);
    }
    let cells: Vec<CellSummary> = by_cell
        .iter()
        .map(|(&(size, scenario), samples)| summarize(scenario, size, samples))
        .collect();
    let ratio = |num: Scenario, den: Scenario, size: Size| -> Option<RatioEstimate> {
        let a = by_cell.get(&(size, num))?;
        let b = by_cell.get(&(size, den))?;
        let b_by_round: BTreeMap<usize, f64> =
            b.iter().map(|s| (s.round, s.nanos as f64)).collect();
        let (xs, ys): (Vec<f64>, Vec<f64>) = a
            .iter()
            .filter_map(|s| Some((s.nanos as f64, *b_by_round.get(&s.round)?)))
            .unzip();
        if xs.is_empty() {
            return None;
        }
        let (value, ci) = stats::ratio_of_medians(&xs, &ys, BOOTSTRAP_SEED);
        Some(RatioEstimate {
            value,
            ci,
            rounds: xs.len(),
        })
    };

    let mut gates = Vec::new();
    let mut push = |kind: GateKind, size: Size, measure: Measure| {
        let pass = kind.passes(measure.value());
        let marginal = measure
            .ci()
            .is_some_and(|(lo, hi)| kind.passes(lo) != kind.passes(hi));
        gates.push(GateResult {
            kind,
            size,
            measure,
            pass,
            marginal,
        });
    };
    let sizes: Vec<Size> = Size::ALL
        .into_iter()
        .filter(|&size| cells.iter().any(|c| c.size == size))
        .collect();
    for &size in &sizes {
        if let Some(skip) = cells
            .iter()
            .find(|c| c.scenario == Scenario::Skip && c.size == size)
        {
            let measure = Measure::Time {
                p50: skip.p50,
                ci: skip.p50_ci,
            };
            if size != Size::Large {
                push(GateKind::SkipLimit, size, measure);
            }
            if size == Size::Small {
                push(GateKind::SkipAim, size, measure);
            }
        }
    }
    for &size in &sizes {
        if let Some(r) = ratio(Scenario::Durable, Scenario::Bare, size) {
            push(GateKind::DurableVsBare, size, Measure::Ratio(r));
        }
    }
    for &size in &sizes {
        if let Some(r) = ratio(Scenario::Fast, Scenario::Durable, size) {
            push(GateKind::FastVsDurable, size, Measure::Ratio(r));
        }
    }
    for &size in &sizes {
        // Against the faster of the two hand-written batches: the larger of the two ratios.
        let best = [Scenario::BareBatch, Scenario::BareWritebackBatch]
            .into_iter()
            .filter_map(|bare| ratio(Scenario::Batch, bare, size))
            .max_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(r) = best {
            push(GateKind::BatchVsBestBare, size, Measure::Ratio(r));
        }
    }

    let mut info = Vec::new();
    for &size in &sizes {
        for (id, label, num, den) in [
            (
                "std_write_vs_bare",
                "`std::fs::write` / bare durable",
                Scenario::StdWrite,
                Scenario::Bare,
            ),
            (
                "fast_vs_bare_fast",
                "fast / bare fast (the core's own cost per write, without fsync noise)",
                Scenario::Fast,
                Scenario::BareFast,
            ),
            (
                "fast_vs_std_write",
                "fast / `std::fs::write`",
                Scenario::Fast,
                Scenario::StdWrite,
            ),
            (
                "batch_vs_singles",
                "batch / 100 single durable writes",
                Scenario::Batch,
                Scenario::Singles,
            ),
            (
                "bare_batch_vs_singles",
                "naive bare batch / 100 single durable writes",
                Scenario::BareBatch,
                Scenario::Singles,
            ),
            (
                "bare_wb_batch_vs_singles",
                "bare batch with early writeback / 100 single durable writes",
                Scenario::BareWritebackBatch,
                Scenario::Singles,
            ),
            (
                "batch_vs_bare_batch",
                "batch / naive bare batch",
                Scenario::Batch,
                Scenario::BareBatch,
            ),
            (
                "batch_vs_bare_wb_batch",
                "batch / bare batch with early writeback (the core's batch overhead over its own algorithm)",
                Scenario::Batch,
                Scenario::BareWritebackBatch,
            ),
        ] {
            if let Some(estimate) = ratio(num, den, size) {
                info.push(InfoRatio {
                    id,
                    label,
                    size,
                    estimate,
                });
            }
        }
    }

    let checks = checks(run, &cells, &gates);
    Analysis {
        cells,
        gates,
        checks,
        info,
    }
}

fn summarize(scenario: Scenario, size: Size, samples: &[&crate::workload::Sample]) -> CellSummary {
    let mut times: Vec<f64> = samples.iter().map(|s| s.nanos as f64).collect();
    times.sort_by(f64::total_cmp);
    let syncs: Vec<f64> = samples.iter().map(|s| f64::from(s.syncs)).collect();
    let renames: Vec<f64> = samples.iter().map(|s| f64::from(s.renames)).collect();
    CellSummary {
        scenario,
        size,
        n: times.len(),
        p50: stats::median_sorted(&times),
        p50_ci: stats::median_ci_sorted(&times),
        p95: stats::percentile_sorted(&times, 0.95),
        min: times.first().copied().unwrap_or(f64::NAN),
        max: times.last().copied().unwrap_or(f64::NAN),
        syncs: stats::median(&syncs),
        renames: stats::median(&renames),
        skipped: samples.iter().filter(|s| s.skipped).count(),
    }
}

fn checks(run: &RawRun, cells: &[CellSummary], gates: &[GateResult]) -> Vec<Check> {
    let mut out = Vec::new();
    let fstype = run.meta.get("filesystem_type");
    out.push(Check {
        what: format!(
            "work directory on a disk filesystem (`{fstype}`), where fsync has a real cost (not tmpfs/ramfs)"
        ),
        pass: !matches!(fstype, "tmpfs" | "ramfs" | "unknown"),
    });
    let profile = run.meta.get("profile");
    out.push(Check {
        what: format!("benchmark and core built with optimisations (profile: {profile})"),
        pass: profile == "release",
    });
    let fewest = cells.iter().map(|c| c.n).min().unwrap_or(0);
    out.push(Check {
        what: format!("at least {MIN_RUNS} timed runs in every cell (fewest: {fewest})"),
        pass: fewest >= MIN_RUNS,
    });
    let expected_gates = [
        GateKind::SkipLimit,
        GateKind::DurableVsBare,
        GateKind::FastVsDurable,
        GateKind::BatchVsBestBare,
    ];
    let missing: Vec<&str> = expected_gates
        .iter()
        .filter(|k| !gates.iter().any(|g| g.kind == **k))
        .map(|k| k.id())
        .collect();
    out.push(Check {
        what: if missing.is_empty() {
            "every gate family was measured".to_owned()
        } else {
            format!(
                "every gate family was measured (missing: {})",
                missing.join(", ")
            )
        },
        pass: missing.is_empty(),
    });
    for c in cells {
        let cell = format!("{} {}", c.scenario.id(), c.size.label());
        match c.scenario {
            Scenario::Skip => out.push(Check {
                what: format!(
                    "{cell}: the core reported every write as skipped ({}/{})",
                    c.skipped, c.n
                ),
                pass: c.skipped == c.n,
            }),
            Scenario::Durable | Scenario::Singles | Scenario::Batch => {
                let files = c.scenario.files() as f64;
                out.push(Check {
                    what: format!(
                        "{cell}: none skipped ({}), ≥ 1 data sync per file plus a directory sync (median {} syncs), {} file(s) renamed (median {})",
                        c.skipped, c.syncs, files, c.renames
                    ),
                    pass: c.skipped == 0 && c.syncs > files && c.renames >= files,
                })
            }
            Scenario::Fast => out.push(Check {
                what: format!(
                    "{cell}: none skipped ({}), renamed (median {} renames)",
                    c.skipped, c.renames
                ),
                pass: c.skipped == 0 && c.renames >= 1.0,
            }),
            Scenario::Bare
            | Scenario::BareFast
            | Scenario::StdWrite
            | Scenario::BareBatch
            | Scenario::BareWritebackBatch => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::Meta;
    use crate::workload::Sample;

    fn sample(round: usize, scenario: Scenario, nanos: u64, syncs: u32) -> Sample {
        Sample {
            round,
            order: 0,
            scenario,
            size: Size::Small,
            nanos,
            bytes: 1024,
            syncs,
            renames: u32::from(scenario != Scenario::Skip),
            skipped: scenario == Scenario::Skip,
        }
    }

    #[test]
    fn gates_follow_same_round_ratios() {
        let mut samples = Vec::new();
        for round in 0..40 {
            let jitter = (round % 7) as u64 * 1000;
            samples.push(sample(round, Scenario::Bare, 100_000 + jitter, 2));
            samples.push(sample(round, Scenario::Durable, 105_000 + jitter, 2));
            samples.push(sample(round, Scenario::Fast, 20_000 + jitter, 0));
            samples.push(sample(round, Scenario::Skip, 8_000, 0));
        }
        let mut meta = Meta::default();
        meta.push("filesystem_type", "ext4");
        meta.push("profile", "release");
        let analysis = analyze(&RawRun { meta, samples });
        let gate = |kind| {
            analysis
                .gates
                .iter()
                .find(|g| g.kind == kind)
                .expect("gate measured")
        };
        assert!(gate(GateKind::DurableVsBare).pass);
        assert!(gate(GateKind::FastVsDurable).pass);
        assert!(gate(GateKind::SkipLimit).pass);
        assert!(gate(GateKind::SkipAim).pass);
        // No batch cells: the run is incomplete and must not pass.
        assert!(analysis.failures() > 0);
        assert!(analysis
            .checks
            .iter()
            .any(|c| !c.pass && c.what.contains("batch_vs_best_bare")));
    }

    #[test]
    fn tmpfs_does_not_count() {
        let mut meta = Meta::default();
        meta.push("filesystem_type", "tmpfs");
        let samples = (0..30)
            .map(|r| sample(r, Scenario::Skip, 5_000, 0))
            .collect();
        let analysis = analyze(&RawRun { meta, samples });
        assert!(analysis
            .checks
            .iter()
            .any(|c| !c.pass && c.what.contains("tmpfs")));
    }
}
