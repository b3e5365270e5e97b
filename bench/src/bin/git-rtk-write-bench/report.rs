//! `RESULTS.md`: the run's facts, gate verdicts, every cell, the comparison with the previous
//! recorded run and the trend chart. Everything in it is derived from `results_raw.csv` and
//! `history.csv`; regenerate it (`--analyze`) rather than editing it.

use std::fmt::Write as _;

use crate::analyze::{Analysis, GateKind, Measure, MIN_RUNS};
use crate::history::Entry;
use crate::raw::Meta;
use crate::stats::CONFIDENCE;
use crate::workload::{Scenario, Size};

pub fn markdown(
    meta: &Meta,
    analysis: &Analysis,
    current: &Entry,
    previous: Option<&Entry>,
    chart_file: &str,
) -> String {
    let mut md = String::new();
    let failures = analysis.failures();
    let _ = writeln!(md, "# git-rtk write benchmark\n");
    let _ = writeln!(
        md,
        "Produced by `{}` on {} at commit `{}`. Every number below comes from `results_raw.csv` of that run; \
         regenerate this file with `--analyze` rather than editing it.\n",
        meta.get("command"),
        meta.get("date"),
        meta.get("commit")
    );
    let verdict = if failures == 0 {
        "**All gates pass.**".to_owned()
    } else {
        format!("**{failures} gate(s) or check(s) FAIL** — the benchmark exits non-zero.")
    };
    let _ = writeln!(md, "{verdict}\n");

    let _ = writeln!(md, "## Machine and method\n\n| | |\n|---|---|");
    let rows = [
        ("commit", format!("`{}`", meta.get("commit"))),
        ("date (UTC)", meta.get("date").to_owned()),
        ("build profile", meta.get("profile").to_owned()),
        ("kernel", meta.get("kernel").to_owned()),
        ("cores (`nproc`)", meta.get("cores").to_owned()),
        (
            "filesystem of the work directory",
            format!(
                "**{}** on `{}`, mounted at `{}` (`{}`)",
                meta.get("filesystem_type"),
                meta.get("filesystem_source"),
                meta.get("filesystem_mount"),
                meta.get("filesystem_options")
            ),
        ),
        ("work directory", format!("`{}`", meta.get("work_dir"))),
        (
            "load average (1 min) at start → end",
            format!("{} → {}", meta.get("load_start"), meta.get("load_end")),
        ),
        (
            "schedule",
            format!(
                "{} warm-up round(s), then {} timed rounds; the batch cells run in {} of them, evenly spaced; \
                 every round runs its cells in a new random order (seed {})",
                meta.get("warmup"),
                meta.get("runs"),
                meta.get("batch_runs"),
                meta.get("seed")
            ),
        ),
        ("batch cell calls", meta.get("batch_api").to_owned()),
        (
            "wall time of the run",
            format!("{} s", meta.get("duration_s")),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {v} |");
    }
    let _ = writeln!(md);
    if let Some(warning) = load_warning(meta) {
        let _ = writeln!(md, "{warning}\n");
    }

    let _ = writeln!(md, "## Gates\n");
    let _ = writeln!(
        md,
        "Ratios are p50 / p50 of two cells over the same rounds; the interval is a {:.0}% percentile bootstrap \
         that resamples whole rounds. Skip times carry the distribution-free {:.0}% interval of the median. \
         *Marginal* means the interval reaches across the limit, so a re-run could flip the verdict.\n",
        CONFIDENCE * 100.0,
        CONFIDENCE * 100.0
    );
    let _ = writeln!(
        md,
        "| gate | size | measured | {:.0}% CI | limit | verdict |\n|---|---|---:|---|---:|---|",
        CONFIDENCE * 100.0
    );
    for g in &analysis.gates {
        let (measured, ci, limit) = match g.measure {
            Measure::Time { p50, ci } => (
                duration(p50),
                ci.map_or("–".into(), |(lo, hi)| {
                    format!("{} – {}", duration(lo), duration(hi))
                }),
                duration(g.kind.limit()),
            ),
            Measure::Ratio(r) => (
                format!("{:.3}×", r.value),
                r.ci.map_or("–".into(), |(lo, hi)| {
                    format!("{lo:.3} – {hi:.3} ({} rounds)", r.rounds)
                }),
                format!("{:.2}×", g.kind.limit()),
            ),
        };
        let verdict = match (g.kind.is_aim(), g.pass) {
            (true, true) => "aim met".to_owned(),
            (true, false) => "aim missed (not a gate)".to_owned(),
            (false, true) => "**PASS**".to_owned(),
            (false, false) => "**FAIL**".to_owned(),
        };
        let marginal = if g.marginal { ", marginal" } else { "" };
        let _ = writeln!(
            md,
            "| {} | {} | {measured} | {ci} | {limit} | {verdict}{marginal} |",
            g.kind.describe(),
            g.size.human()
        );
    }
    let _ = writeln!(md);
    let _ = writeln!(md, "Checks (a failed check fails the run like a gate):\n");
    for c in &analysis.checks {
        let mark = if c.pass { "ok" } else { "**FAILED**" };
        let _ = writeln!(md, "- {mark}: {}", c.what);
    }
    let _ = writeln!(md);
    let failing: Vec<String> = analysis
        .gates
        .iter()
        .filter(|g| !g.pass && !g.kind.is_aim())
        .map(|g| failure_facts(analysis, g.kind, g.size))
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(md, "### Measured facts about the failures\n");
        for f in failing {
            let _ = writeln!(md, "- {f}");
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "## Cells\n");
    let _ = writeln!(
        md,
        "Wall time of one operation (a batch cell: all 100 files). `p50 / bare` puts each single-file cell \
         next to the hand-written durable write of the same size and round.\n"
    );
    let _ = writeln!(
        md,
        "| size | cell | runs | p50 | {:.0}% CI of p50 | p95 | min | max | syncs/op | p50 / bare |\n\
         |---|---|---:|---:|---|---:|---:|---:|---:|---:|",
        CONFIDENCE * 100.0
    );
    for size in Size::ALL {
        for scenario in Scenario::SINGLE.into_iter().chain(Scenario::BATCH) {
            let Some(c) = analysis.cell(scenario, size) else {
                continue;
            };
            let vs_bare = match (scenario.files(), analysis.cell(Scenario::Bare, size)) {
                (1, Some(bare)) => format!("{:.2}×", c.p50 / bare.p50),
                _ => String::new(),
            };
            let runs = if c.n < MIN_RUNS {
                format!("**{}**", c.n)
            } else {
                c.n.to_string()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {runs} | {} | {} | {} | {} | {} | {} | {vs_bare} |",
                size.human(),
                scenario.id(),
                duration(c.p50),
                c.p50_ci.map_or("–".into(), |(lo, hi)| format!(
                    "{} – {}",
                    duration(lo),
                    duration(hi)
                )),
                duration(c.p95),
                duration(c.min),
                duration(c.max),
                c.syncs
            );
        }
    }
    let _ = writeln!(md);
    if !analysis.info.is_empty() {
        let _ = writeln!(
            md,
            "Other same-run ratios (not gated):\n\n| ratio | size | p50 ratio | {:.0}% CI |\n|---|---|---:|---|",
            CONFIDENCE * 100.0
        );
        for r in &analysis.info {
            let _ = writeln!(
                md,
                "| {} | {} | {:.3}× | {} |",
                r.label,
                r.size.human(),
                r.estimate.value,
                r.estimate
                    .ci
                    .map_or("–".into(), |(lo, hi)| format!("{lo:.3} – {hi:.3}"))
            );
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "## Compared with the previous run\n");
    match previous {
        None => {
            let _ = writeln!(
                md,
                "This is the first run in `history.csv`: nothing to compare with yet.\n"
            );
        }
        Some(prev) => {
            let _ = writeln!(
                md,
                "Previous entry in `history.csv`: commit `{}`, {}. Absolute times move with machine load; \
                 the ratios are the comparable part.\n",
                prev.commit, prev.date
            );
            let _ = writeln!(
                md,
                "| metric | previous | this run | change |\n|---|---:|---:|---:|"
            );
            // Gate ratios first: they are what the gates judge.
            let ordered = current
                .metrics
                .iter()
                .filter(|(m, _)| m.starts_with("ratio:"))
                .chain(
                    current
                        .metrics
                        .iter()
                        .filter(|(m, _)| m.starts_with("p50_us:")),
                );
            for (metric, value) in ordered {
                let Some(before) = prev.get(metric) else {
                    continue;
                };
                let change = if before != 0.0 {
                    format!("{:+.1}%", (value / before - 1.0) * 100.0)
                } else {
                    "–".to_owned()
                };
                let unit = |v: f64| {
                    if metric.starts_with("ratio:") {
                        format!("{v:.3}×")
                    } else {
                        duration(v * 1000.0)
                    }
                };
                let _ = writeln!(
                    md,
                    "| `{metric}` | {} | {} | {change} |",
                    unit(before),
                    unit(*value)
                );
            }
            let _ = writeln!(md);
        }
    }

    let _ = writeln!(md, "## Trend\n");
    let _ = writeln!(
        md,
        "![gate ratios and skip latency over the recorded runs]({chart_file})\n\n\
         [`{chart_file}`]({chart_file}): one line per gate ratio over every run in `history.csv`, \
         with each gate's limit; below it the unchanged-skip p50 against the 20 µs aim and the 2 ms limit.\n"
    );

    let _ = writeln!(md, "## What each cell does\n");
    for scenario in Scenario::SINGLE.into_iter().chain(Scenario::BATCH) {
        let _ = writeln!(md, "- `{}`: {}", scenario.id(), scenario.describe());
    }
    let _ = writeln!(
        md,
        "\nEvery cell has its own directory and starts from an existing, synced file (or 100 of them). \
         Changed content keeps the file's size and differs from the first byte on. The content for the \
         next write is prepared before the timer starts; after a fast or `std::fs::write` run its dirty \
         pages are flushed after the timer stops, so the next durable cell's journal commit does not pay \
         for them. For the batch cell the `Batch` is assembled before the timer starts and only its \
         commit is timed."
    );
    md
}

/// Numbers a reader needs to judge a failed gate, without guessing at a cause.
fn failure_facts(analysis: &Analysis, kind: GateKind, size: Size) -> String {
    let cell = |s: Scenario| analysis.cell(s, size);
    let show = |s: Scenario| {
        cell(s).map_or_else(
            || format!("{} not measured", s.id()),
            |c| {
                format!(
                    "{} p50 {} (p95 {}, {} syncs/op)",
                    s.id(),
                    duration(c.p50),
                    duration(c.p95),
                    c.syncs
                )
            },
        )
    };
    let parts: Vec<String> = match kind {
        GateKind::SkipLimit | GateKind::SkipAim => {
            vec![show(Scenario::Skip), show(Scenario::StdWrite)]
        }
        GateKind::DurableVsBare => vec![
            show(Scenario::Durable),
            show(Scenario::Bare),
            show(Scenario::Fast),
            show(Scenario::BareFast),
        ],
        GateKind::FastVsDurable => vec![show(Scenario::Fast), show(Scenario::Durable)],
        GateKind::BatchVsBestBare => vec![
            show(Scenario::Batch),
            show(Scenario::Singles),
            show(Scenario::BareBatch),
            show(Scenario::BareWritebackBatch),
        ],
    };
    format!(
        "{} at {}: {}.",
        kind.describe(),
        size.human(),
        parts.join("; ")
    )
}

fn load_warning(meta: &Meta) -> Option<String> {
    let cores: f64 = meta.get("cores").parse().ok()?;
    let load: f64 = [meta.get("load_start"), meta.get("load_end")]
        .iter()
        .filter_map(|l| l.parse::<f64>().ok())
        .fold(f64::NAN, f64::max);
    (load >= cores * 0.75).then(|| {
        format!(
            "**The machine was busy** (load average up to {load:.1} on {cores:.0} cores): other processes \
             competed for the CPU and the disk. Absolute times are inflated; the gates are same-run ratios \
             and absorb most of it."
        )
    })
}

/// `12.3 µs`, `4.56 ms`, `1.23 s` from nanoseconds.
pub fn duration(nanos: f64) -> String {
    if !nanos.is_finite() {
        return "–".into();
    }
    if nanos < 1_000_000.0 {
        format!("{:.1} µs", nanos / 1000.0)
    } else if nanos < 1_000_000_000.0 {
        format!("{:.2} ms", nanos / 1_000_000.0)
    } else {
        format!("{:.2} s", nanos / 1_000_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(12_345.0), "12.3 µs");
        assert_eq!(duration(4_560_000.0), "4.56 ms");
        assert_eq!(duration(1_234_000_000.0), "1.23 s");
        assert_eq!(duration(f64::NAN), "–");
    }
}
