//! Timing: each case's variants run alternately in one loop (git, plugin, baseline, git, …) after a
//! warm-up, so drift in machine load or page cache hits every variant alike.
//!
//! A run's wall time covers spawning the process, waiting for it and reading all of its stdout
//! into memory, and for the baseline also filtering that output: exactly what an agent's tool pays.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::baseline::Baseline;
use crate::hermetic::HermeticEnv;

/// One side of a comparison.
#[derive(Debug, Clone)]
pub enum Variant {
    /// `git <args>`: the git command itself, or a plugin dispatched by git (`rtk-status …`).
    Git(Vec<String>),
    /// Spawn git with a machine-readable flag and filter its output in this process.
    SpawnAndFilter(Baseline),
    /// `git-rtk-<cmd> <args>` run directly, without git's dispatch: the plugin's own cost.
    Direct(PathBuf, Vec<String>),
    /// Like `Direct`, with extra environment variables (`RTK_TRACK=0`).
    DirectWithEnv(PathBuf, Vec<String>, Vec<(&'static str, &'static str)>),
}

/// What one run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub wall: Duration,
    pub stdout: Vec<u8>,
    pub exit_code: i32,
    pub stderr: Vec<u8>,
}

impl Variant {
    pub fn run(&self, env: &HermeticEnv, dir: &Path) -> Result<RunOutput> {
        let args = match self {
            Variant::Git(args) | Variant::Direct(_, args) | Variant::DirectWithEnv(_, args, _) => {
                args
            }
            Variant::SpawnAndFilter(baseline) => &baseline.git_args,
        };
        let start = Instant::now();
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut command = match self {
            Variant::Direct(program, _) => env.program(program, dir, &argv),
            Variant::DirectWithEnv(program, _, vars) => {
                let mut command = env.program(program, dir, &argv);
                command.envs(vars.iter().copied());
                command
            }
            _ => env.git(dir, &argv),
        };
        let output = command
            .output()
            .with_context(|| format!("running git {}", args.join(" ")))?;
        let stdout = match self {
            Variant::Git(_) | Variant::Direct(..) | Variant::DirectWithEnv(..) => output.stdout,
            Variant::SpawnAndFilter(baseline) => {
                (baseline.filter)(&String::from_utf8_lossy(&output.stdout)).into_bytes()
            }
        };
        let wall = start.elapsed();
        Ok(RunOutput {
            wall,
            stdout,
            exit_code: output.status.code().unwrap_or(-1),
            stderr: output.stderr,
        })
    }
}

/// Summary of the wall times of one variant, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub runs: usize,
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    pub min: f64,
    pub max: f64,
}

impl Stats {
    pub fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Stats {
            runs: sorted.len(),
            median: median_sorted(&sorted),
            p10: percentile_sorted(&sorted, 0.10),
            p90: percentile_sorted(&sorted, 0.90),
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
        }
    }
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    median_sorted(&sorted)
}

fn median_sorted(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile.
fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// All runs of one variant.
#[derive(Debug, Clone)]
pub struct Measured {
    pub wall_ms: Vec<f64>,
    /// Output of the last run (all runs of a read-only command print the same).
    pub last: RunOutput,
}

impl Measured {
    pub fn stats(&self) -> Stats {
        Stats::of(&self.wall_ms)
    }
}

/// Runs every variant `warmup` times, then `runs` times, alternating in the given order each round.
pub fn alternate(
    env: &HermeticEnv,
    dir: &Path,
    variants: &[Variant],
    warmup: usize,
    runs: usize,
) -> Result<Vec<Measured>> {
    for _ in 0..warmup {
        for variant in variants {
            variant.run(env, dir)?;
        }
    }
    let mut measured: Vec<Option<Measured>> = vec![None; variants.len()];
    for _ in 0..runs {
        for (variant, slot) in variants.iter().zip(measured.iter_mut()) {
            let out = variant.run(env, dir)?;
            let ms = out.wall.as_secs_f64() * 1000.0;
            match slot {
                Some(m) => {
                    m.wall_ms.push(ms);
                    m.last = out;
                }
                None => {
                    *slot = Some(Measured {
                        wall_ms: vec![ms],
                        last: out,
                    })
                }
            }
        }
    }
    measured
        .into_iter()
        .map(|m| m.context("no timed runs (--runs must be at least 1)"))
        .collect()
}

/// Median over rounds of `a[i] / b[i]`: the paired ratio is robust to load that changes between
/// rounds, because both sides of a round ran back to back.
pub fn paired_ratio(a: &Measured, b: &Measured) -> f64 {
    let ratios: Vec<f64> = a
        .wall_ms
        .iter()
        .zip(&b.wall_ms)
        .filter(|(_, b)| **b > 0.0)
        .map(|(a, b)| a / b)
        .collect();
    median(&ratios)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_known_samples() {
        let s = Stats::of(&[5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
        assert_eq!(s.median, 5.5);
        assert_eq!(s.p10, 1.0);
        assert_eq!(s.p90, 9.0);
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 10.0);
    }
}
