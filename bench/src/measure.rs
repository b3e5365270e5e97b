//! Timing: each case's variants run alternately in one loop (git, plugin, baseline, git, …) after a
//! warm-up, so drift in machine load or page cache hits every variant alike.
//!
//! A run's wall time covers spawning the process, waiting for it and reading all of its stdout
//! into memory, and for the baseline also filtering that output: exactly what an agent's tool pays.
//! Its CPU time is the user and system time of the child and of every process it waited for
//! (`git rtk-status` counts git and the plugin it runs), from `wait4`'s resource usage; for the
//! baseline, plus this thread's CPU time filtering the output.

use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::baseline::Baseline;
use crate::hermetic::HermeticEnv;

/// The shell an agent's tool runs a command line with.
pub const SHELL: &str = "/bin/sh";

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
    /// `/bin/sh -c '<command line>'`: a command as an agent's shell tool runs it.
    Shell(String),
}

/// What one run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub wall: Duration,
    /// User + system time of the child and its waited-for descendants (and of the filter, for
    /// the baseline).
    pub cpu: Duration,
    pub stdout: Vec<u8>,
    pub exit_code: i32,
    pub stderr: Vec<u8>,
}

impl Variant {
    pub fn run(&self, env: &HermeticEnv, dir: &Path) -> Result<RunOutput> {
        let shell_args;
        let args = match self {
            Variant::Git(args) | Variant::Direct(_, args) | Variant::DirectWithEnv(_, args, _) => {
                args
            }
            Variant::SpawnAndFilter(baseline) => &baseline.git_args,
            Variant::Shell(line) => {
                shell_args = ["-c".to_owned(), line.clone()];
                &shell_args[..]
            }
        };
        let start = Instant::now();
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let command = match self {
            Variant::Direct(program, _) => env.program(program, dir, &argv),
            Variant::DirectWithEnv(program, _, vars) => {
                let mut command = env.program(program, dir, &argv);
                command.envs(vars.iter().copied());
                command
            }
            Variant::Shell(_) => env.program(Path::new(SHELL), dir, &argv),
            Variant::Git(_) | Variant::SpawnAndFilter(_) => env.git(dir, &argv),
        };
        let output =
            run_child(command).with_context(|| format!("running {}", self.command_line()))?;
        let (stdout, filter_cpu) = match self {
            Variant::Git(_)
            | Variant::Direct(..)
            | Variant::DirectWithEnv(..)
            | Variant::Shell(_) => (output.stdout, Duration::ZERO),
            Variant::SpawnAndFilter(baseline) => {
                let before = thread_cpu();
                let filtered =
                    (baseline.filter)(&String::from_utf8_lossy(&output.stdout)).into_bytes();
                (filtered, thread_cpu().saturating_sub(before))
            }
        };
        let wall = start.elapsed();
        Ok(RunOutput {
            wall,
            cpu: output.cpu + filter_cpu,
            stdout,
            exit_code: output.status.code().unwrap_or(-1),
            stderr: output.stderr,
        })
    }
}

impl Variant {
    /// The command this variant runs, for a message.
    fn command_line(&self) -> String {
        match self {
            Variant::Direct(program, args) | Variant::DirectWithEnv(program, args, _) => {
                let mut line = program.display().to_string();
                for arg in args {
                    line.push(' ');
                    line.push_str(arg);
                }
                line
            }
            Variant::Shell(line) => format!("{SHELL} -c '{line}'"),
            Variant::Git(args) => format!("git {}", args.join(" ")),
            Variant::SpawnAndFilter(baseline) => format!("git {}", baseline.git_args.join(" ")),
        }
    }
}

/// A child's output, exit status and CPU time.
struct ChildOutput {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: ExitStatus,
    cpu: Duration,
}

/// Runs `command` with empty stdin, reads all of its stdout and stderr, and reaps it with
/// `wait4` for its resource usage (what `Command::output` does, plus the CPU time).
fn run_child(mut command: Command) -> io::Result<ChildOutput> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let read = match (child.stdout.take(), child.stderr.take()) {
        (Some(out), Some(err)) => read_both(out, err),
        _ => Err(io::Error::other("child without stdout or stderr pipe")),
    };
    // Reap the child even when reading failed.
    let waited = wait_with_rusage(&child);
    let (stdout, stderr) = read?;
    let (status, cpu) = waited?;
    Ok(ChildOutput {
        stdout,
        stderr,
        status,
        cpu,
    })
}

/// Reads both pipes to their end, whichever has data first (a child filling one pipe while we
/// block on the other would deadlock).
fn read_both(
    mut out: impl Read + AsRawFd,
    mut err: impl Read + AsRawFd,
) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut open = [true, true];
    let mut buf = vec![0u8; 64 * 1024];
    while open[0] || open[1] {
        let fd = |i: usize, raw: i32| if open[i] { raw } else { -1 };
        let mut fds = [
            libc::pollfd {
                fd: fd(0, out.as_raw_fd()),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: fd(1, err.as_raw_fd()),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: `fds` is a valid array of two pollfd for the duration of the call.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if ready < 0 {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        for (i, pollfd) in fds.iter().enumerate() {
            if !open[i] || pollfd.revents == 0 {
                continue;
            }
            // Readable or hung up: one read returns what is there, or 0 at the end.
            let (reader, sink): (&mut dyn Read, &mut Vec<u8>) = if i == 0 {
                (&mut out, &mut stdout)
            } else {
                (&mut err, &mut stderr)
            };
            match reader.read(&mut buf) {
                Ok(0) => open[i] = false,
                Ok(n) => sink.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok((stdout, stderr))
}

/// Reaps `child` with `wait4`: its exit status and the user + system time of it and of the
/// descendants it waited for.
fn wait_with_rusage(child: &Child) -> io::Result<(ExitStatus, Duration)> {
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut status = 0;
    // SAFETY: rusage is plain data; all zeros is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes; `pid` is our unreaped child.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if reaped < 0 && error.kind() == io::ErrorKind::Interrupted {
            continue;
        }
        return Err(error);
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    Ok((
        ExitStatus::from_raw(status),
        time(usage.ru_utime) + time(usage.ru_stime),
    ))
}

/// CPU time this thread has used so far.
fn thread_cpu() -> Duration {
    // SAFETY: timespec is plain data; all zeros is a valid value.
    let mut now: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: `now` is valid for writes.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        now.tv_sec.max(0) as u64,
        now.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

/// Summary of the wall (or CPU) times of one variant, in milliseconds.
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
    pub cpu_ms: Vec<f64>,
    /// Output of the last run (all runs of a read-only command print the same).
    pub last: RunOutput,
}

impl Measured {
    pub fn stats(&self) -> Stats {
        Stats::of(&self.wall_ms)
    }

    pub fn cpu_stats(&self) -> Stats {
        Stats::of(&self.cpu_ms)
    }
}

/// Runs every variant `warmup` times, then `runs` times, alternating in the given order each round.
/// Exit codes are not checked: a plugin exiting otherwise than git is a finding the report states.
pub fn alternate(
    env: &HermeticEnv,
    dir: &Path,
    variants: &[Variant],
    warmup: usize,
    runs: usize,
) -> Result<Vec<Measured>> {
    alternate_checked(env, dir, variants, (warmup, runs), |_, _| Ok(()))
}

/// Like [`alternate`], but every run, warm-up included, must exit with its variant's code in
/// `exit_codes` (129 for a usage printed by `-h`): a time is only what it claims to be when the
/// process did what it was run for.
pub fn alternate_expecting(
    env: &HermeticEnv,
    dir: &Path,
    variants: &[Variant],
    exit_codes: &[i32],
    (warmup, runs): (usize, usize),
) -> Result<Vec<Measured>> {
    if exit_codes.len() != variants.len() {
        anyhow::bail!(
            "{} exit codes for {} variants",
            exit_codes.len(),
            variants.len()
        );
    }
    alternate_checked(env, dir, variants, (warmup, runs), |i, out| {
        if out.exit_code == exit_codes[i] {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        anyhow::bail!(
            "`{}` exited {} where {} was expected: {}",
            variants[i].command_line(),
            out.exit_code,
            exit_codes[i],
            stderr.lines().next().unwrap_or("(nothing on stderr)")
        )
    })
}

/// [`alternate`] with `check` called on every run's output with its variant's index.
fn alternate_checked(
    env: &HermeticEnv,
    dir: &Path,
    variants: &[Variant],
    (warmup, runs): (usize, usize),
    check: impl Fn(usize, &RunOutput) -> Result<()>,
) -> Result<Vec<Measured>> {
    for _ in 0..warmup {
        for (i, variant) in variants.iter().enumerate() {
            check(i, &variant.run(env, dir)?)?;
        }
    }
    let mut measured: Vec<Option<Measured>> = vec![None; variants.len()];
    for _ in 0..runs {
        for (i, (variant, slot)) in variants.iter().zip(measured.iter_mut()).enumerate() {
            let out = variant.run(env, dir)?;
            check(i, &out)?;
            let ms = out.wall.as_secs_f64() * 1000.0;
            let cpu_ms = out.cpu.as_secs_f64() * 1000.0;
            match slot {
                Some(m) => {
                    m.wall_ms.push(ms);
                    m.cpu_ms.push(cpu_ms);
                    m.last = out;
                }
                None => {
                    *slot = Some(Measured {
                        wall_ms: vec![ms],
                        cpu_ms: vec![cpu_ms],
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
    paired(&a.wall_ms, &b.wall_ms)
}

/// [`paired_ratio`] of the CPU times.
pub fn paired_cpu_ratio(a: &Measured, b: &Measured) -> f64 {
    paired(&a.cpu_ms, &b.cpu_ms)
}

fn paired(a: &[f64], b: &[f64]) -> f64 {
    let ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(_, b)| **b > 0.0)
        .map(|(a, b)| a / b)
        .collect();
    median(&ratios)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_output_status_and_cpu() -> Result<()> {
        // Both pipes well past their buffer size, so a reader stuck on one would deadlock; the
        // loop burns CPU in the shell itself.
        let mut command = Command::new("/bin/sh");
        command.args([
            "-c",
            "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; \
             i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 3",
        ]);
        let out = run_child(command)?;
        assert_eq!(out.stdout.len(), 300_000);
        assert_eq!(out.stderr.len(), 200_000);
        assert_eq!(out.status.code(), Some(3));
        assert!(out.cpu > Duration::ZERO);
        Ok(())
    }

    #[test]
    fn runs_must_exit_as_expected_where_asked() -> Result<()> {
        let home = tempfile::tempdir()?;
        let env = HermeticEnv::new(&[], home.path())?;
        let truth = env.which("true")?;
        let variants = [
            Variant::Git(vec!["log".into(), "-h".into()]),
            Variant::Direct(truth.clone(), Vec::new()),
        ];
        let measured = alternate_expecting(&env, home.path(), &variants, &[129, 0], (1, 2))?;
        assert_eq!(measured[0].wall_ms.len(), 2);
        assert!(String::from_utf8_lossy(&measured[0].last.stdout).starts_with("usage: git log"));
        let err = alternate_expecting(&env, home.path(), &variants, &[129, 129], (0, 1))
            .expect_err("`true` exits 0");
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` exited 0 where 129 was expected: (nothing on stderr)",
                truth.display()
            )
        );
        Ok(())
    }

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
