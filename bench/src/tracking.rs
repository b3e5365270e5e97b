//! Tracking overhead: the same plugin run directly with run tracking on (the default: the
//! native-size estimate and a line appended to the tracking spool) and off (`RTK_TRACK=0`), alternating in one
//! loop. The overhead is the median over rounds of tracked − untracked wall time; the target is
//! at most 1 ms at p50.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use crate::hermetic::HermeticEnv;
use crate::measure::{self, Stats, Variant};

/// The p50 overhead a run may add.
pub const TARGET_MS: f64 = 1.0;

/// Plugins measured, with their arguments.
const COMMANDS: &[(&str, &[&str])] = &[
    ("git-rtk-status", &[]),
    ("git-rtk-log", &["-n", "50"]),
    ("git-rtk-diff", &[]),
];

/// One plugin's overhead.
pub struct Overhead {
    pub command: String,
    pub tracked: Stats,
    pub untracked: Stats,
    /// Median and 90th percentile over rounds of tracked − untracked, in ms.
    pub p50_ms: f64,
    pub p90_ms: f64,
}

impl Overhead {
    pub fn pass(&self) -> bool {
        self.p50_ms <= TARGET_MS
    }

    /// The measured cells the CSV and the report share, times with `decimals` places: command,
    /// rounds, median tracked and untracked, overhead p50 and p90.
    fn cells(&self, decimals: usize) -> [String; 6] {
        let ms = |value: f64| format!("{value:.decimals$}");
        [
            self.command.clone(),
            self.tracked.runs.to_string(),
            ms(self.tracked.median),
            ms(self.untracked.median),
            ms(self.p50_ms),
            ms(self.p90_ms),
        ]
    }
}

/// Measures every command in `dir` with `rounds` alternating pairs after `warmup` pairs.
pub fn measure(
    env: &HermeticEnv,
    plugin_dir: &Path,
    dir: &Path,
    warmup: usize,
    rounds: usize,
) -> Result<Vec<Overhead>> {
    let mut results = Vec::new();
    for (name, args) in COMMANDS {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let program = plugin_dir.join(name);
        let measured = measure::alternate(
            env,
            dir,
            &[
                Variant::Direct(program.clone(), args.clone()),
                Variant::DirectWithEnv(program, args.clone(), vec![("RTK_TRACK", "0")]),
            ],
            warmup,
            rounds,
        )?;
        let differences: Vec<f64> = measured[0]
            .wall_ms
            .iter()
            .zip(&measured[1].wall_ms)
            .map(|(tracked, untracked)| tracked - untracked)
            .collect();
        let spread = Stats::of(&differences);
        results.push(Overhead {
            command: [*name]
                .into_iter()
                .chain(args.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" "),
            tracked: measured[0].stats(),
            untracked: measured[1].stats(),
            p50_ms: spread.median,
            p90_ms: spread.p90,
        });
    }
    Ok(results)
}

pub fn write_csv(path: &Path, overheads: &[Overhead]) -> Result<()> {
    let mut out = String::from(
        "command,rounds,tracked_median_ms,untracked_median_ms,overhead_p50_ms,overhead_p90_ms,target_ms,pass\n",
    );
    for o in overheads {
        let cells = o.cells(3).join(",");
        writeln!(out, "{cells},{TARGET_MS:.1},{}", o.pass())?;
    }
    std::fs::write(path, out)?;
    Ok(())
}

/// The report section.
pub fn markdown(overheads: &[Overhead]) -> Result<String> {
    let mut md = String::new();
    writeln!(md, "## Tracking overhead\n")?;
    writeln!(
        md,
        "Each plugin run directly (no git dispatch) on the medium repository, alternating tracking on \
         (the default: the native-size estimate and one line appended to the tracking spool) and off (`RTK_TRACK=0`). Overhead \
         = median over rounds of on − off. Target: ≤ {TARGET_MS:.0} ms at p50.\n"
    )?;
    writeln!(
        md,
        "| command | rounds | on, median ms | off, median ms | overhead p50 ms | overhead p90 ms | target |\n|---|---:|---:|---:|---:|---:|---|"
    )?;
    for o in overheads {
        let [command, measured @ ..] = o.cells(2);
        let verdict = if o.pass() { "PASS" } else { "FAIL" };
        writeln!(md, "| `{command}` | {} | {verdict} |", measured.join(" | "))?;
    }
    writeln!(md)?;
    Ok(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(median: f64) -> Stats {
        Stats {
            runs: 30,
            median,
            p10: 0.0,
            p90: 0.0,
            min: 0.0,
            max: 0.0,
        }
    }

    /// The CSV and the report show the same cells, each with its own precision.
    #[test]
    fn csv_and_report_rows() -> Result<()> {
        let overhead = Overhead {
            command: "git-rtk-log -n 50".to_owned(),
            tracked: stats(12.34567),
            untracked: stats(11.5),
            p50_ms: 0.84567,
            p90_ms: 1.2,
        };
        let dir = tempfile::tempdir()?;
        let csv = dir.path().join("tracking.csv");
        write_csv(&csv, std::slice::from_ref(&overhead))?;
        let csv = std::fs::read_to_string(csv)?;
        assert_eq!(
            csv.lines().nth(1),
            Some("git-rtk-log -n 50,30,12.346,11.500,0.846,1.200,1.0,true")
        );
        let md = markdown(&[overhead])?;
        assert!(
            md.contains("\n| `git-rtk-log -n 50` | 30 | 12.35 | 11.50 | 0.85 | 1.20 | PASS |\n"),
            "{md}"
        );
        Ok(())
    }
}
