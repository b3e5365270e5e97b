//! What is timed, and in which order.
//!
//! Every cell owns its own directory under the work directory, so one cell's directory sync never
//! commits another cell's rename. Each round runs every cell once in a freshly shuffled order, so
//! drift in machine load and in the filesystem's journal hits all cells alike. Writes that leave
//! dirty pages behind (fast mode, `std::fs::write`) are flushed after the timer stops: otherwise
//! the next durable cell's journal commit would pay for them.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use git_rtk::write::{write_file, Batch, Durability, FileOutcome, WriteOptions, WriteStats};

use crate::rng::Rng;

/// Files in one batch (and in "one hundred single durable writes").
pub const BATCH_FILES: usize = 100;

/// How the batch cell reaches the core; recorded in the raw CSV and the report.
pub const BATCH_API: &str =
    "`git_rtk::write::Batch::commit` (durable), 100 `Batch::write` entries \
     without expectations, assembled before the timer starts";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Size {
    #[value(name = "1KiB")]
    Small,
    #[value(name = "128KiB")]
    Medium,
    #[value(name = "8MiB")]
    Large,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::Small, Size::Medium, Size::Large];

    pub fn bytes(self) -> usize {
        match self {
            Size::Small => 1024,
            Size::Medium => 128 * 1024,
            Size::Large => 8 * 1024 * 1024,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Size::Small => "1KiB",
            Size::Medium => "128KiB",
            Size::Large => "8MiB",
        }
    }

    /// For prose: `1 KiB`.
    pub fn human(self) -> &'static str {
        match self {
            Size::Small => "1 KiB",
            Size::Medium => "128 KiB",
            Size::Large => "8 MiB",
        }
    }

    pub fn parse(label: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|s| s.label() == label)
    }
}

/// One kind of timed operation. The `id`s are the raw CSV's and the history's vocabulary: keep
/// them stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    /// `write_file` (durable) with the content already on disk.
    Skip,
    /// `write_file` (durable) with changed content.
    Durable,
    /// `write_file` (fast) with changed content.
    Fast,
    /// Hand-written temp → write → fsync → rename → directory fsync: the floor of a durable write.
    Bare,
    /// Hand-written temp → write → rename, no syncs: the floor of a fast write, and with
    /// [`Scenario::Fast`] the core's own per-write cost without fsync noise.
    BareFast,
    /// `std::fs::write`: truncate and write in place, no sync, not atomic.
    StdWrite,
    /// The core's batch transaction over 100 files in one directory (durable).
    Batch,
    /// 100 × `write_file` (durable) into one directory: what the batch must beat.
    Singles,
    /// Hand-written naive batch: each of 100 temps written and fsynced in turn, 100 renames, one
    /// directory fsync.
    BareBatch,
    /// Hand-written batch with early writeback: 100 temps written, writeback started on all of
    /// them (`sync_file_range`), then each fsynced, 100 renames, one directory fsync. The core's
    /// batch uses the same order, so this is its floor.
    BareWritebackBatch,
}

impl Scenario {
    pub const SINGLE: [Scenario; 6] = [
        Scenario::Skip,
        Scenario::Durable,
        Scenario::Fast,
        Scenario::Bare,
        Scenario::BareFast,
        Scenario::StdWrite,
    ];
    pub const BATCH: [Scenario; 4] = [
        Scenario::Batch,
        Scenario::Singles,
        Scenario::BareBatch,
        Scenario::BareWritebackBatch,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Scenario::Skip => "skip",
            Scenario::Durable => "durable",
            Scenario::Fast => "fast",
            Scenario::Bare => "bare",
            Scenario::BareFast => "bare_fast",
            Scenario::StdWrite => "std_write",
            Scenario::Batch => "batch100",
            Scenario::Singles => "singles100",
            Scenario::BareBatch => "bare_batch100",
            Scenario::BareWritebackBatch => "bare_wb_batch100",
        }
    }

    pub fn parse(id: &str) -> Option<Scenario> {
        Scenario::SINGLE
            .into_iter()
            .chain(Scenario::BATCH)
            .find(|s| s.id() == id)
    }

    pub fn files(self) -> usize {
        if Scenario::BATCH.contains(&self) {
            BATCH_FILES
        } else {
            1
        }
    }

    /// What the cell does, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Scenario::Skip => "core `write_file`, durable, content already on disk (idempotent skip)",
            Scenario::Durable => "core `write_file`, durable, changed content",
            Scenario::Fast => "core `write_file`, fast (no syncs), changed content",
            Scenario::Bare => {
                "baseline: hand-written temp → write → fsync → rename → directory fsync"
            }
            Scenario::BareFast => "baseline: hand-written temp → write → rename, no syncs",
            Scenario::StdWrite => "baseline: `std::fs::write` (in place, no sync, not atomic)",
            Scenario::Batch => "core batch of 100 files in one directory, durable",
            Scenario::Singles => "100 × core `write_file`, durable, into one directory",
            Scenario::BareBatch => {
                "baseline: hand-written naive batch: each of 100 temps written + fsynced in turn, 100 renames, one directory fsync"
            }
            Scenario::BareWritebackBatch => {
                "baseline: hand-written batch with early writeback: 100 temps written, `sync_file_range(WRITE)` on all, then each fsynced, 100 renames, one directory fsync"
            }
        }
    }
}

/// One timed operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Timed round, from 0 (warm-up rounds are not recorded).
    pub round: usize,
    /// Position of this cell within its round's shuffled order.
    pub order: usize,
    pub scenario: Scenario,
    pub size: Size,
    pub nanos: u64,
    /// What the operation reported (the core's `WriteStats`; the baselines count their own).
    pub bytes: u64,
    pub syncs: u32,
    pub renames: u32,
    pub skipped: bool,
}

/// Which cells run, how often, and in which order.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub warmup: usize,
    /// Timed rounds of the single-file cells.
    pub runs: usize,
    /// Timed rounds that also run the batch cells, spread evenly over the `runs` rounds.
    pub batch_runs: usize,
    pub sizes: Vec<Size>,
    pub batch_sizes: Vec<Size>,
    pub seed: u64,
}

impl Schedule {
    /// Whether timed round `i` includes the batch cells: exactly `batch_runs` of the `runs`
    /// rounds do, evenly spaced, so batch samples see the whole run's conditions.
    fn batch_round(&self, i: usize) -> bool {
        self.batch_runs >= self.runs
            || (i * self.batch_runs) / self.runs != ((i + 1) * self.batch_runs) / self.runs
    }
}

/// Runs the schedule in `work_dir` (which must exist and be empty) and returns the timed samples.
pub fn run(schedule: &Schedule, work_dir: &Path) -> Result<Vec<Sample>> {
    ensure!(
        schedule.batch_runs <= schedule.runs,
        "--batch-runs ({}) cannot exceed --runs ({})",
        schedule.batch_runs,
        schedule.runs
    );
    let mut single = Vec::new();
    for &size in &schedule.sizes {
        for scenario in Scenario::SINGLE {
            single.push(Cell::create(work_dir, scenario, size)?);
        }
    }
    let mut batch = Vec::new();
    for &size in &schedule.batch_sizes {
        for scenario in Scenario::BATCH {
            batch.push(Cell::create(work_dir, scenario, size)?);
        }
    }

    let mut rng = Rng::new(schedule.seed);
    let mut samples = Vec::new();
    let rounds = schedule.warmup + schedule.runs;
    let started = Instant::now();
    for round in 0..rounds {
        let timed = round.checked_sub(schedule.warmup);
        let with_batch = timed.is_none_or(|i| schedule.batch_round(i));
        let mut order: Vec<(bool, usize)> = (0..single.len()).map(|i| (false, i)).collect();
        if with_batch {
            order.extend((0..batch.len()).map(|i| (true, i)));
        }
        rng.shuffle(&mut order);
        for (position, (is_batch, index)) in order.into_iter().enumerate() {
            let cell = if is_batch {
                &mut batch[index]
            } else {
                &mut single[index]
            };
            let (elapsed, stats) = cell.run_once().with_context(|| {
                format!(
                    "{} {} (round {round})",
                    cell.scenario.id(),
                    cell.size.label()
                )
            })?;
            if let Some(i) = timed {
                samples.push(Sample {
                    round: i,
                    order: position,
                    scenario: cell.scenario,
                    size: cell.size,
                    nanos: u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX),
                    bytes: stats.bytes,
                    syncs: stats.syncs,
                    renames: stats.renames,
                    skipped: stats.skipped,
                });
            }
        }
        if (round + 1) % 10 == 0 || round + 1 == rounds {
            eprintln!(
                "write-bench: round {}/{rounds} ({} warm-up), {:.0} s",
                round + 1,
                schedule.warmup,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(samples)
}

/// One file and the content the cell writes to it next.
struct Target {
    path: PathBuf,
    content: Vec<u8>,
}

/// A scenario at one size, with its own directory and files.
struct Cell {
    scenario: Scenario,
    size: Size,
    dir: PathBuf,
    targets: Vec<Target>,
    /// Stamped into each new content so every changed write differs from what is on disk.
    generation: u64,
}

impl Cell {
    fn create(work_dir: &Path, scenario: Scenario, size: Size) -> Result<Cell> {
        let dir = work_dir.join(format!("{}-{}", scenario.id(), size.label()));
        fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut targets = Vec::new();
        for i in 0..scenario.files() {
            let path = dir.join(format!("file{i:03}.txt"));
            let seed = (scenario as u64) << 32 | (size as u64) << 16 | i as u64;
            let content = text_like(size.bytes(), seed);
            // Every cell starts from an existing, synced file: the scenarios replace files.
            File::create(&path)
                .and_then(|mut f| f.write_all(&content).and_then(|()| f.sync_all()))
                .with_context(|| format!("creating {}", path.display()))?;
            targets.push(Target { path, content });
        }
        sync_dir(&dir)?;
        Ok(Cell {
            scenario,
            size,
            dir,
            targets,
            generation: 0,
        })
    }

    /// Prepares the next content (untimed), times the operation, then flushes whatever it left
    /// dirty (untimed).
    fn run_once(&mut self) -> Result<(Duration, WriteStats)> {
        if self.scenario != Scenario::Skip {
            self.generation += 1;
            for target in &mut self.targets {
                stamp(&mut target.content, self.generation);
            }
        }
        let durable = WriteOptions {
            durability: Durability::Durable,
            ..WriteOptions::default()
        };
        let fast = WriteOptions {
            durability: Durability::Fast,
            ..WriteOptions::default()
        };
        let (elapsed, stats) = match self.scenario {
            Scenario::Skip | Scenario::Durable | Scenario::Fast => {
                let options = if self.scenario == Scenario::Fast {
                    &fast
                } else {
                    &durable
                };
                let target = &self.targets[0];
                let started = Instant::now();
                let stats = write_file(&target.path, &target.content, options)
                    .with_context(|| format!("write_file {}", target.path.display()))?;
                (started.elapsed(), stats)
            }
            Scenario::Bare => {
                let target = &self.targets[0];
                let started = Instant::now();
                let stats = bare_durable_write(&self.dir, target)?;
                (started.elapsed(), stats)
            }
            Scenario::BareFast => {
                let target = &self.targets[0];
                let started = Instant::now();
                let stats = bare_fast_write(&self.dir, target)?;
                (started.elapsed(), stats)
            }
            Scenario::StdWrite => {
                let target = &self.targets[0];
                let started = Instant::now();
                fs::write(&target.path, &target.content)
                    .with_context(|| format!("std::fs::write {}", target.path.display()))?;
                let elapsed = started.elapsed();
                let stats = WriteStats {
                    bytes: target.content.len() as u64,
                    ..WriteStats::default()
                };
                (elapsed, stats)
            }
            Scenario::Batch => core_batch(&self.targets, &durable)?,
            Scenario::Singles => {
                let mut total = WriteStats::default();
                let started = Instant::now();
                for target in &self.targets {
                    let stats = write_file(&target.path, &target.content, &durable)
                        .with_context(|| format!("write_file {}", target.path.display()))?;
                    add(&mut total, &stats);
                }
                (started.elapsed(), total)
            }
            Scenario::BareBatch => {
                let started = Instant::now();
                let stats = bare_batch(&self.dir, &self.targets, false)?;
                (started.elapsed(), stats)
            }
            Scenario::BareWritebackBatch => {
                let started = Instant::now();
                let stats = bare_batch(&self.dir, &self.targets, true)?;
                (started.elapsed(), stats)
            }
        };
        if matches!(
            self.scenario,
            Scenario::Fast | Scenario::BareFast | Scenario::StdWrite
        ) {
            let target = &self.targets[0];
            File::open(&target.path)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("flushing {} after the timer", target.path.display()))?;
            sync_dir(&self.dir)?;
        }
        Ok((elapsed, stats))
    }
}

/// The batch cell. See [`BATCH_API`] for what it calls.
fn core_batch(targets: &[Target], options: &WriteOptions) -> Result<(Duration, WriteStats)> {
    let mut batch = Batch::new();
    for target in targets {
        batch.write(target.path.clone(), target.content.clone(), None);
    }
    let started = Instant::now();
    let stats = batch
        .commit(options)
        .with_context(|| format!("committing a batch of {} files", targets.len()))?;
    let elapsed = started.elapsed();
    let replaced = stats
        .outcomes
        .iter()
        .filter(|o| **o == FileOutcome::Replaced)
        .count();
    ensure!(
        replaced == targets.len(),
        "the batch replaced {replaced} of {} files: {:?}",
        targets.len(),
        stats.outcomes
    );
    Ok((elapsed, stats.total))
}

fn add(total: &mut WriteStats, one: &WriteStats) {
    total.bytes += one.bytes;
    total.syncs += one.syncs;
    total.renames += one.renames;
    total.skipped |= one.skipped;
}

/// The minimum a durable atomic replace costs: nothing the core does beyond this is free.
fn bare_durable_write(dir: &Path, target: &Target) -> Result<WriteStats> {
    let temp = dir.join(".bare.tmp");
    write_synced_temp(&temp, &target.content)?;
    fs::rename(&temp, &target.path)
        .with_context(|| format!("renaming {} into place", temp.display()))?;
    sync_dir(dir)?;
    Ok(WriteStats {
        bytes: target.content.len() as u64,
        syncs: 2,
        renames: 1,
        ..WriteStats::default()
    })
}

/// The minimum a fast atomic replace costs.
fn bare_fast_write(dir: &Path, target: &Target) -> Result<WriteStats> {
    let temp = dir.join(".bare.tmp");
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(&temp)
        .with_context(|| format!("creating {}", temp.display()))?;
    file.write_all(&target.content)
        .with_context(|| format!("writing {}", temp.display()))?;
    drop(file);
    fs::rename(&temp, &target.path)
        .with_context(|| format!("renaming {} into place", temp.display()))?;
    Ok(WriteStats {
        bytes: target.content.len() as u64,
        renames: 1,
        ..WriteStats::default()
    })
}

/// A durable batch by hand: the temps written and synced, then the renames, then one directory
/// sync (no intent record, no locks, no recovery). Naive: each temp is written and synced in
/// turn. With `early_writeback`: every temp is written, writeback is started on all of them, and
/// only then is each synced, so the syncs find their data already on its way.
fn bare_batch(dir: &Path, targets: &[Target], early_writeback: bool) -> Result<WriteStats> {
    let mut stats = WriteStats::default();
    let temps: Vec<PathBuf> = (0..targets.len())
        .map(|i| dir.join(format!(".bare.{i:03}.tmp")))
        .collect();
    if early_writeback {
        let mut files = Vec::with_capacity(targets.len());
        for (temp, target) in temps.iter().zip(targets) {
            files.push(write_temp(temp, &target.content)?);
            stats.bytes += target.content.len() as u64;
        }
        for file in &files {
            start_writeback(file);
        }
        for (file, temp) in files.iter().zip(&temps) {
            file.sync_all()
                .with_context(|| format!("syncing {}", temp.display()))?;
            stats.syncs += 1;
        }
    } else {
        for (temp, target) in temps.iter().zip(targets) {
            let file = write_temp(temp, &target.content)?;
            file.sync_all()
                .with_context(|| format!("syncing {}", temp.display()))?;
            stats.bytes += target.content.len() as u64;
            stats.syncs += 1;
        }
    }
    for (temp, target) in temps.iter().zip(targets) {
        fs::rename(temp, &target.path)
            .with_context(|| format!("renaming {} into place", temp.display()))?;
        stats.renames += 1;
    }
    sync_dir(dir)?;
    stats.syncs += 1;
    Ok(stats)
}

fn write_synced_temp(temp: &Path, content: &[u8]) -> Result<()> {
    write_temp(temp, content)?
        .sync_all()
        .with_context(|| format!("syncing {}", temp.display()))
}

fn write_temp(temp: &Path, content: &[u8]) -> Result<File> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(temp)
        .with_context(|| format!("creating {}", temp.display()))?;
    file.write_all(content)
        .with_context(|| format!("writing {}", temp.display()))?;
    Ok(file)
}

/// Asks the kernel to start writing `file` out without waiting (a hint: errors surface at the
/// fsync that follows).
fn start_writeback(file: &File) {
    use std::os::fd::AsRawFd as _;
    // SAFETY: a valid open descriptor; offset 0 and length 0 mean the whole file.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing directory {}", dir.display()))
}

/// Printable lines, like a config or source file (the content itself does not matter to the
/// filesystem, but a reader of the work directory should not find binary noise).
fn text_like(len: usize, seed: u64) -> Vec<u8> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789=\"";
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let bits = rng.next_u64();
        for k in 0..8 {
            if out.len() == len {
                break;
            }
            let byte = if out.len() % 64 == 63 {
                b'\n'
            } else {
                ALPHABET[(bits >> (k * 8)) as usize % ALPHABET.len()]
            };
            out.push(byte);
        }
    }
    out
}

/// Writes the generation into the first 16 bytes: the new content differs from the file on disk
/// from its first byte, and keeps its size.
fn stamp(content: &mut [u8], generation: u64) {
    let digits = format!("{generation:016x}");
    let n = digits.len().min(content.len());
    content[..n].copy_from_slice(&digits.as_bytes()[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_rounds_are_spread_evenly() {
        let schedule = Schedule {
            warmup: 0,
            runs: 60,
            batch_runs: 30,
            sizes: vec![],
            batch_sizes: vec![],
            seed: 0,
        };
        let picked: Vec<usize> = (0..60).filter(|&i| schedule.batch_round(i)).collect();
        assert_eq!(picked.len(), 30);
        assert!(picked.windows(2).all(|w| w[1] - w[0] == 2));
        let all = Schedule {
            batch_runs: 60,
            ..schedule
        };
        assert_eq!((0..60).filter(|&i| all.batch_round(i)).count(), 60);
    }

    #[test]
    fn ids_round_trip() {
        for s in Scenario::SINGLE.into_iter().chain(Scenario::BATCH) {
            assert_eq!(Scenario::parse(s.id()), Some(s));
        }
        for s in Size::ALL {
            assert_eq!(Size::parse(s.label()), Some(s));
        }
    }

    #[test]
    fn stamped_content_keeps_its_size_and_changes() {
        let mut content = text_like(1024, 1);
        let before = content.clone();
        stamp(&mut content, 1);
        assert_eq!(content.len(), 1024);
        assert_ne!(content, before);
        assert!(content.iter().all(|b| b.is_ascii()));
    }
}
