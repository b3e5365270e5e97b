//! Crash suite for the write core.
//!
//! - **SIGKILL stress** (always runs): child processes write a multi-MiB file (and, separately,
//!   three-file batches across two directories) in a loop and are killed at random moments.
//!   After each kill the file must equal one complete version (a batch: every file the same
//!   version, once recovered), and the next write must leave no temporary file or intent behind.
//!   A third run kills the real `git rtk-write create --force` at random moments of its life.
//!   `GIT_RTK_CRASH_KILLS` sets the kills per stress test (default 100, so 300 in all);
//!   the long run (15,000 kills, about 12 minutes) is
//!   `GIT_RTK_CRASH_KILLS=5000 cargo test --features failpoints --test write_crash -- --nocapture`.
//! - **Failpoints** (with `--features failpoints`): a crash (SIGKILL) at every window of a single
//!   write and of a batch, each checked for complete old or complete new content, no leftovers
//!   after the next write, and batches rolled forward or back as a whole; plus injected errors at
//!   the same windows.

mod write_support;

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use git_rtk::write::{recover, recover_pending_with, write_file, Batch, Durability, WriteOptions};
use write_support::{
    child_command, child_scenario, dirs_a_and_b, leftovers, options, pending_pointers, tempdir,
    version,
};

/// Tests in this binary run one at a time: failpoints are process-wide, so an injected failure
/// meant for one test must not hit another test's write.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn fast() -> WriteOptions {
    WriteOptions {
        durability: Durability::Fast,
        ..options()
    }
}

/// Which stress version a file holds, if it holds one completely.
fn complete_version(bytes: &[u8], base_size: usize) -> Option<usize> {
    let header = bytes.get(..64)?;
    let line = header.split(|&b| b == b'\n').next()?;
    let k: usize = std::str::from_utf8(line)
        .ok()?
        .strip_prefix("git-rtk stress version ")?
        .parse()
        .ok()?;
    (version(k, base_size) == bytes).then_some(k)
}

/// A seedable xorshift: random kill moments without a dependency, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn seed() -> u64 {
    std::env::var("GIT_RTK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        })
}

fn kills() -> usize {
    std::env::var("GIT_RTK_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100)
}

const STRESS_SIZE: usize = 4 << 20;
const BATCH_SIZES: [usize; 3] = [1 << 20, 512 << 10, 256 << 10];

/// Scenario runner for the parent tests (crashes must take a whole process down).
#[test]
#[ignore = "runs only as a child process of another test"]
fn child_process() {
    let Some(scenario) = child_scenario() else {
        return;
    };
    #[cfg(feature = "failpoints")]
    if let (Ok(name), Ok(action)) = (
        std::env::var("FAILPOINT"),
        std::env::var("FAILPOINT_ACTION"),
    ) {
        git_rtk::write::failpoints::set(&name, &action).expect("configure failpoint");
    }
    let arg =
        |key: &str| PathBuf::from(std::env::var_os(key).unwrap_or_else(|| panic!("{key} not set")));
    match scenario.as_str() {
        "stress-single" => {
            let path = arg("TARGET");
            write_versions_until_killed(|k, options| {
                write_file(&path, &version(k, STRESS_SIZE), options).expect("stress write");
            })
        }
        "stress-batch" => {
            let files = batch_files(&arg("DIR_A"), &arg("DIR_B"));
            write_versions_until_killed(|k, options| {
                let mut batch = Batch::new();
                for (path, size) in files.iter().zip(BATCH_SIZES) {
                    batch.write(path, version(k, size), None);
                }
                batch.commit(options).expect("stress batch");
            })
        }
        "write" => {
            write_file(&arg("TARGET"), &version(2, 1 << 20), &options()).expect("write");
            println!("survived");
        }
        "batch" => {
            scripted_batch(&arg("DIR_A"), &arg("DIR_B"))
                .commit(&options())
                .expect("batch");
            println!("survived");
        }
        "recover" => {
            recover(&arg("DIR_A")).expect("recover");
            println!("survived");
        }
        other => panic!("unknown scenario {other}"),
    }
}

/// A stress child's life: says `ready`, then writes version after version from `FIRST_VERSION`
/// on, durable and fast in turn, until the parent kills it.
fn write_versions_until_killed(mut write: impl FnMut(usize, &WriteOptions)) -> ! {
    let first = std::env::var("FIRST_VERSION").expect("FIRST_VERSION");
    let mut k: usize = first.parse().expect("number");
    println!("ready");
    loop {
        let options = if k.is_multiple_of(2) {
            options()
        } else {
            fast()
        };
        write(k, &options);
        k += 1;
    }
}

fn batch_files(a: &Path, b: &Path) -> [PathBuf; 3] {
    [a.join("one.bin"), a.join("two.bin"), b.join("three.bin")]
}

impl StressReport {
    /// After round `round`'s kill: `path` must hold one whole version; a temporary file beside it
    /// means the kill landed mid-write. Then the next write, whose version no child writes (a real
    /// change: an unchanged write touches nothing, sweeping included), sweeps what the killed
    /// writer left; anything still there is an orphan.
    fn check_after_kill(&mut self, round: usize, path: &Path) {
        let dir = path.parent().expect("the file's directory");
        let bytes = fs::read(path).expect("read after kill");
        if complete_version(&bytes, STRESS_SIZE).is_none() {
            self.torn += 1;
            eprintln!("round {round}: torn file ({} bytes)", bytes.len());
        }
        if !leftovers(dir).is_empty() {
            self.mid_write += 1;
        }
        write_file(
            path,
            &version(round * 1_000_000 + 999_999, STRESS_SIZE),
            &fast(),
        )
        .expect("next write");
        let left = leftovers(dir);
        for name in &left {
            let meta = fs::metadata(dir.join(name));
            eprintln!(
                "round {round}: orphan {name}: {:?}",
                meta.map(|m| (m.len(), m.modified()))
            );
        }
        self.orphan_temps += left.len();
    }
}

/// Result of one stress run.
#[derive(Debug, Default)]
struct StressReport {
    kills: usize,
    /// Kills that hit while a temporary file existed, i.e. mid-write: evidence the kills land
    /// where it matters, not only between writes.
    mid_write: usize,
    /// Batch kills that left files at different versions until recovery ran.
    half_applied: usize,
    torn: usize,
    orphan_temps: usize,
}

/// One stress run: the seed its kill moments come from, their generator, when it started and
/// what it found.
struct StressRun {
    seed: u64,
    rng: Rng,
    started: Instant,
    report: StressReport,
}

impl StressRun {
    /// A run seeded from `GIT_RTK_CRASH_SEED` (else the clock) xor `salt`, so that the suite's
    /// runs kill at different moments.
    fn start(salt: u64) -> StressRun {
        let seed = seed() ^ salt;
        StressRun {
            seed,
            rng: Rng(seed),
            started: Instant::now(),
            report: StressReport::default(),
        }
    }

    /// Spawns a stress child writing versions from round `round`'s own first one on, waits for it
    /// to start writing, lets it run for a random moment and kills it.
    fn kill_child(&mut self, scenario: &str, round: usize, envs: &[(&str, &str)]) {
        let first = ((round + 1) * 1_000_000).to_string();
        let mut envs = envs.to_vec();
        envs.push(("FIRST_VERSION", &first));
        let mut child = child_command(scenario, &envs)
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn stress child");
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line == "ready" => break,
                Some(Ok(_)) => continue,
                _ => panic!("stress child ended before it was ready: {:?}", child.wait()),
            }
        }
        // Up to ~25 ms: several whole writes of a 4 MiB file, so kills land in every phase.
        std::thread::sleep(Duration::from_micros(self.rng.next() % 25_000));
        if let Ok(Some(status)) = child.try_wait() {
            panic!("stress child died on its own: {status}");
        }
        child.kill().expect("SIGKILL the child");
        child.wait().expect("reap the child");
        self.report.kills += 1;
    }

    /// Prints what the run `title` found, then asserts that no file was torn or orphaned and that
    /// some kill landed `mid` (mid-write, mid-batch); `more` adds the run's own counts.
    fn finish(&self, title: &str, mid: &str, more: &str) {
        let (report, seed) = (&self.report, self.seed);
        println!(
            "write stress ({title}): {} kills, {more}{} {mid}, {} torn, {} orphan temps, seed {seed}, {:.1?}",
            report.kills,
            report.mid_write,
            report.torn,
            report.orphan_temps,
            self.started.elapsed()
        );
        assert_eq!(
            (report.torn, report.orphan_temps),
            (0, 0),
            "{report:?} (seed {seed})"
        );
        assert!(report.mid_write > 0, "no kill landed {mid}: {report:?}");
    }
}

#[test]
fn sigkill_stress_single_file_is_never_torn() {
    let _serial = serial();
    let dir = tempdir();
    let path = dir.path().join("data.bin");
    write_file(&path, &version(0, STRESS_SIZE), &fast()).expect("seed");
    let mut run = StressRun::start(0);
    for round in 0..kills() {
        let target = path.to_str().expect("utf-8 path");
        run.kill_child("stress-single", round, &[("TARGET", target)]);
        run.report.check_after_kill(round, &path);
    }
    let title = format!("single {} MiB file", STRESS_SIZE >> 20);
    run.finish(&title, "mid-write", "");
}

#[test]
fn sigkill_stress_batches_are_all_or_nothing() {
    let _serial = serial();
    let dir = tempdir();
    let (a, b) = dirs_a_and_b(dir.path(), &[]);
    let files = batch_files(&a, &b);
    for (path, size) in files.iter().zip(BATCH_SIZES) {
        fs::write(path, version(0, size)).expect("seed");
    }
    let mut run = StressRun::start(0x5eed);
    let versions = |report: &mut StressReport| -> Vec<Option<usize>> {
        let found: Vec<Option<usize>> = files
            .iter()
            .zip(BATCH_SIZES)
            .map(|(path, size)| complete_version(&fs::read(path).expect("read"), size))
            .collect();
        report.torn += found.iter().filter(|v| v.is_none()).count();
        found
    };
    for round in 0..kills() {
        let dirs = [("DIR_A", &a), ("DIR_B", &b)]
            .map(|(key, dir)| (key, dir.to_str().expect("utf-8 path")));
        run.kill_child("stress-batch", round, &dirs);
        let report = &mut run.report;
        let before = versions(report);
        if before.windows(2).any(|w| w[0] != w[1]) {
            report.half_applied += 1;
        }
        if !leftovers(&a).is_empty() || !leftovers(&b).is_empty() {
            report.mid_write += 1;
        }
        // The next run, three ways: a write into each directory, the pending list, another batch.
        match round % 3 {
            0 => {
                write_file(&b.join("other"), round.to_string().as_bytes(), &fast())
                    .expect("next write");
                write_file(&a.join("other"), round.to_string().as_bytes(), &fast())
                    .expect("next write");
            }
            1 => drop(recover_pending_with(&options()).expect("recover pending")),
            _ => {
                let mut batch = Batch::new();
                batch.write(a.join("other"), round.to_string(), None).write(
                    b.join("other"),
                    round.to_string(),
                    None,
                );
                batch.commit(&fast()).expect("next batch");
            }
        }
        let after = versions(report);
        if after.windows(2).any(|w| w[0] != w[1]) {
            report.torn += 1;
            eprintln!("round {round}: batch not all-or-nothing after recovery: {after:?}");
        }
        // Pointers in the pending list are not in the user's tree; only a run that reads the
        // list (1, 2) is expected to clear them.
        let pointers = if round % 3 == 0 {
            Vec::new()
        } else {
            pending_pointers()
        };
        let left: Vec<String> = leftovers(&a)
            .into_iter()
            .chain(leftovers(&b))
            .chain(pointers)
            .collect();
        if !left.is_empty() {
            eprintln!("round {round} (next run {}): left {left:?}", round % 3);
        }
        report.orphan_temps += left.len();
    }
    recover_pending_with(&options()).expect("recover pending");
    run.report.orphan_temps += pending_pointers().len();
    let half_applied = run.report.half_applied;
    run.finish(
        "batch of 3 files in 2 dirs",
        "mid-batch",
        &format!("{half_applied} half-applied before recovery, "),
    );
}

/// The issue's own stress: `git rtk-write create --force` run again and again on a multi-MiB
/// file, each run killed at a random moment of its life (start-up, reading stdin, reading the old
/// file, writing, renaming).
#[test]
fn sigkill_stress_git_rtk_write_create_force_is_never_torn() {
    let _serial = serial();
    let exe = env!("CARGO_BIN_EXE_git-rtk-write");
    let dir = tempdir();
    let path = dir.path().join("data.bin");
    write_file(&path, &version(0, STRESS_SIZE), &fast()).expect("seed");
    let run = |k: usize, kill_after: Option<Duration>| {
        let started = Instant::now();
        let mut child = std::process::Command::new(exe)
            .args(["create", "--force", "data.bin"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn git-rtk-write");
        let mut stdin = child.stdin.take().expect("stdin");
        let feeder = std::thread::spawn(move || {
            // A killed child closes the pipe: the write fails, which is expected.
            let _ = std::io::Write::write_all(&mut stdin, &version(k, STRESS_SIZE));
        });
        if let Some(delay) = kill_after {
            std::thread::sleep(delay);
            child.kill().expect("SIGKILL git-rtk-write");
        }
        let status = child.wait().expect("reap git-rtk-write");
        feeder.join().expect("stdin feeder");
        (status, started.elapsed())
    };
    // How long an undisturbed run takes, so kills spread over a whole run's life.
    let mut undisturbed: Vec<Duration> = (1..=3)
        .map(|k| {
            let (status, took) = run(k, None);
            assert!(
                status.success(),
                "git-rtk-write create --force failed: {status}"
            );
            assert_eq!(
                complete_version(&fs::read(&path).expect("read"), STRESS_SIZE),
                Some(k)
            );
            took
        })
        .collect();
    undisturbed.sort();
    let window = undisturbed[1].as_micros() as u64 * 6 / 5 + 1;

    let mut stress = StressRun::start(0xc11);
    let mut finished_first = 0;
    // A kill must land while the temporary file exists (mid-write) for the run to prove
    // anything; that window is a small share of a run on a fast disk, so rounds go on past
    // `kills()` until one has landed there (at most four times as many).
    let mut round = 0;
    while round < kills() || (stress.report.mid_write == 0 && round < 4 * kills()) {
        // Half the kills anywhere in a run's life, half in its last 40 %, where the write is.
        let delay = if round % 2 == 0 {
            stress.rng.next() % window
        } else {
            window * 3 / 5 + stress.rng.next() % (window * 2 / 5 + 1)
        };
        let (status, _) = run(round + 10, Some(Duration::from_micros(delay)));
        if std::os::unix::process::ExitStatusExt::signal(&status) == Some(libc::SIGKILL) {
            stress.report.kills += 1;
        } else {
            finished_first += 1;
        }
        stress.report.check_after_kill(round, &path);
        round += 1;
    }
    stress.finish(
        &format!("git rtk-write create --force, {} MiB", STRESS_SIZE >> 20),
        "mid-write",
        &format!("{finished_first} runs finished first, "),
    );
}

/// The batch the failpoint tests crash: two replacements and a deletion in `a`, a creation in a
/// new subdirectory of `b`, and a replacement in `b`.
fn scripted_batch(a: &Path, b: &Path) -> Batch {
    let mut batch = Batch::new();
    batch
        .write(a.join("one"), b"one v2".to_vec(), None)
        .write(a.join("two"), b"two v2".to_vec(), None)
        .delete(a.join("gone"), None)
        .write(b.join("new/three"), b"three v2".to_vec(), None)
        .write(b.join("four"), b"four v2".to_vec(), None);
    batch
}

#[cfg(feature = "failpoints")]
mod failpoints {
    use std::os::unix::process::ExitStatusExt as _;

    use git_rtk::write::{failpoints, ContentHash, Expected, WriteError};

    use super::*;

    fn seed_batch_dirs(root: &Path) -> (PathBuf, PathBuf) {
        let seed = [
            ("a/one", "one v1"),
            ("a/two", "two v1"),
            ("a/gone", "gone v1"),
            ("b/four", "four v1"),
        ];
        dirs_a_and_b(root, &seed)
    }

    /// Which state the scripted batch's files are in: all old, all new, or a mix.
    #[derive(Debug, PartialEq, Eq)]
    enum BatchState {
        Old,
        New,
        Mixed(Vec<String>),
    }

    fn batch_state(a: &Path, b: &Path) -> BatchState {
        let read = |p: PathBuf| fs::read_to_string(p).unwrap_or_else(|_| "absent".to_owned());
        let now = vec![
            read(a.join("one")),
            read(a.join("two")),
            read(a.join("gone")),
            read(b.join("new/three")),
            read(b.join("four")),
        ];
        let old = ["one v1", "two v1", "gone v1", "absent", "four v1"];
        let new = ["one v2", "two v2", "absent", "three v2", "four v2"];
        if now == old {
            BatchState::Old
        } else if now == new {
            BatchState::New
        } else {
            BatchState::Mixed(now)
        }
    }

    fn all_leftovers(a: &Path, b: &Path) -> Vec<String> {
        let mut found = leftovers(a);
        found.extend(leftovers(b));
        if b.join("new").exists() {
            found.extend(leftovers(&b.join("new")));
        }
        found.extend(pending_pointers());
        found
    }

    /// Clears a failpoint when dropped, even if the test panics.
    struct Armed(&'static str);

    impl Armed {
        fn new(name: &'static str, action: &str) -> Armed {
            failpoints::set(name, action).expect("configure failpoint");
            Armed(name)
        }
    }

    impl Drop for Armed {
        fn drop(&mut self) {
            failpoints::clear(self.0);
        }
    }

    /// Runs `scenario` in a child with `failpoint` set to crash; asserts the crash happened.
    fn crash_child(scenario: &str, failpoint: &str, action: &str, envs: &[(&str, &Path)]) {
        let mut all: Vec<(&str, &str)> =
            vec![("FAILPOINT", failpoint), ("FAILPOINT_ACTION", action)];
        all.extend(
            envs.iter()
                .map(|(k, v)| (*k, v.to_str().expect("utf-8 path"))),
        );
        let out = write_support::run_child(scenario, &all);
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGKILL),
            "{failpoint} did not crash the writer: {}\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// For each of `failpoints` in turn, in a fresh scratch directory: `seed` it, arm the failpoint
    /// to return an error, and `check` what the write under test does then (given the failpoint,
    /// the directory and what `seed` returned).
    fn each_injected_error<Seeded>(
        failpoints: &[&'static str],
        seed: impl Fn(&Path) -> Seeded,
        check: impl Fn(&'static str, &Path, Seeded),
    ) {
        let _serial = serial();
        for &failpoint in failpoints {
            let dir = tempdir();
            let seeded = seed(dir.path());
            let _armed = Armed::new(failpoint, "return");
            check(failpoint, dir.path(), seeded);
        }
    }

    /// Failpoint action: crash (SIGKILL) the first time the window is reached.
    const CRASH: &str = "return(crash)";

    const OLD_SIZE: usize = 3 << 20;

    /// One single-write crash: the target holds the complete old or new content, as the window
    /// dictates; the crashed writer's temporary file is swept by the next write.
    fn single_write_crash(failpoint: &'static str, target_exists: bool) {
        let _serial = serial();
        let dir = tempdir();
        let path = dir.path().join("target.bin");
        let old = version(1, OLD_SIZE);
        let new = version(2, 1 << 20);
        if target_exists {
            fs::write(&path, &old).expect("seed");
        }

        crash_child("write", failpoint, CRASH, &[("TARGET", &path)]);

        let renamed = failpoint == "write::after_rename";
        let now = fs::read(&path).ok();
        let expected = if renamed {
            Some(new.clone())
        } else {
            target_exists.then(|| old.clone())
        };
        assert!(
            now == expected,
            "{failpoint}: target is neither the complete old nor new content"
        );
        let temps = leftovers(dir.path());
        if renamed {
            assert!(temps.is_empty(), "{failpoint}: {temps:?}");
        } else {
            // Exactly the crashed writer's temporary file, as far as the window got.
            assert_eq!(temps.len(), 1, "{failpoint}: {temps:?}");
            let size = fs::metadata(dir.path().join(&temps[0]))
                .expect("stat temp")
                .len() as usize;
            let written = match failpoint {
                "write::after_temp_create" => 0,
                "write::mid_write" => new.len() / 2,
                _ => new.len(),
            };
            assert_eq!(size, written, "{failpoint}: temp size");
        }

        write_file(&dir.path().join("other"), b"next write", &options()).expect("next write");
        assert_eq!(
            leftovers(dir.path()),
            Vec::<String>::new(),
            "{failpoint}: temp survived the next write"
        );
        assert!(
            fs::read(&path).ok() == expected,
            "{failpoint}: the sweep changed the target"
        );
    }

    macro_rules! single_write_crash_tests {
        ($($name:ident: $failpoint:literal,)*) => {
            mod single_write_crash {
                $(
                    mod $name {
                        #[test]
                        fn over_an_existing_file() {
                            super::super::single_write_crash($failpoint, true);
                        }

                        #[test]
                        fn creating_a_new_file() {
                            super::super::single_write_crash($failpoint, false);
                        }
                    }
                )*
            }
        };
    }

    single_write_crash_tests! {
        after_temp_create: "write::after_temp_create",
        mid_write: "write::mid_write",
        before_sync: "write::before_sync",
        before_rename: "write::before_rename",
        after_rename: "write::after_rename",
    }

    /// How the next run finds a crashed batch.
    #[derive(Clone, Copy, Debug)]
    enum NextRun {
        WriteIntoFirstDir,
        WriteIntoSecondDir,
        PendingList,
        AnotherBatch,
    }

    /// Runs the next run; returns the directories it settles for certain.
    fn next_run(how: NextRun, a: &Path, b: &Path) -> Vec<PathBuf> {
        match how {
            NextRun::WriteIntoFirstDir => {
                write_file(&a.join("x"), b"x", &options()).expect("write");
                vec![a.to_owned()]
            }
            NextRun::WriteIntoSecondDir => {
                write_file(&b.join("x"), b"x", &options()).expect("write");
                vec![b.to_owned()]
            }
            NextRun::PendingList => {
                recover_pending_with(&options()).expect("recover pending");
                vec![a.to_owned(), b.to_owned(), b.join("new")]
            }
            NextRun::AnotherBatch => {
                let mut batch = Batch::new();
                batch.write(a.join("x"), b"x".to_vec(), None).write(
                    b.join("x"),
                    b"x".to_vec(),
                    None,
                );
                batch.commit(&options()).expect("batch");
                vec![a.to_owned(), b.to_owned(), b.join("new")]
            }
        }
    }

    /// One batch crash: before recovery the state is what the window allows; after the next run
    /// it is all old or all new, the directories that run wrote into hold no temporary file or
    /// intent record, and after the pending list is processed no directory does, nor the list.
    fn batch_crash(failpoint: &'static str, action: &str, how: NextRun, after: BatchState) {
        let _serial = serial();
        let dir = tempdir();
        let (a, b) = seed_batch_dirs(dir.path());

        crash_child("batch", failpoint, action, &[("DIR_A", &a), ("DIR_B", &b)]);

        let before = batch_state(&a, &b);
        if failpoint == "batch::between_renames" {
            assert!(
                matches!(before, BatchState::Mixed(_)),
                "{failpoint}: expected a half-applied batch, got {before:?}"
            );
        }
        assert!(
            !all_leftovers(&a, &b).is_empty(),
            "{failpoint}: the crash left nothing to recover"
        );
        let settled = next_run(how, &a, &b);
        assert_eq!(
            batch_state(&a, &b),
            after,
            "{failpoint} recovered by {how:?}"
        );
        for dir in settled.iter().filter(|d| d.exists()) {
            assert_eq!(
                leftovers(dir),
                Vec::<String>::new(),
                "{failpoint} recovered by {how:?}: {}",
                dir.display()
            );
        }
        recover_pending_with(&options()).expect("recover pending");
        assert_eq!(
            all_leftovers(&a, &b),
            Vec::<String>::new(),
            "{failpoint} recovered by {how:?}"
        );
    }

    /// Rows `name: failpoint => state, [(action, next run), …];`: a test crashing the scripted
    /// batch at `failpoint` once per pair, each crash recovered by its next run into `state`.
    macro_rules! batch_crash_tests {
        ($(
            $(#[$doc:meta])*
            $name:ident: $failpoint:literal => $after:ident, [$(($action:expr, $how:ident)),+];
        )*) => {
            $(
                $(#[$doc])*
                #[test]
                fn $name() {
                    for (action, how) in [$(($action, NextRun::$how)),+] {
                        batch_crash($failpoint, action, how, BatchState::$after);
                    }
                }
            )*
        };
    }

    batch_crash_tests! {
        batch_crash_after_temps_rolls_back:
            "batch::after_temps" => Old, [(CRASH, WriteIntoFirstDir)];
        batch_crash_between_intent_records_rolls_back_from_either_directory:
            "batch::between_intents" => Old, [(CRASH, WriteIntoFirstDir), (CRASH, WriteIntoSecondDir)];
        batch_crash_before_renames_rolls_forward:
            "batch::before_renames" => New, [(CRASH, WriteIntoSecondDir)];
        batch_crash_between_renames_rolls_forward_whichever_run_comes_next:
            "batch::between_renames" => New, [
                (CRASH, WriteIntoFirstDir),
                (CRASH, WriteIntoSecondDir),
                (CRASH, PendingList),
                (CRASH, AnotherBatch)
            ];
        /// Third and fourth steps: the first two renames are done.
        batch_crash_late_in_the_rename_phase_rolls_forward:
            "batch::between_renames" => New, [
                ("2*off->return(crash)", WriteIntoSecondDir),
                ("3*off->return(crash)", PendingList)
            ];
        batch_crash_before_intent_removal_keeps_the_new_state:
            "batch::before_intent_removal" => New, [(CRASH, WriteIntoFirstDir)];
    }

    #[test]
    fn crash_during_recovery_is_recovered_by_the_next_run() {
        let _serial = serial();
        let dir = tempdir();
        let (a, b) = seed_batch_dirs(dir.path());
        crash_child(
            "batch",
            "batch::between_renames",
            CRASH,
            &[("DIR_A", &a), ("DIR_B", &b)],
        );
        crash_child(
            "recover",
            "recover::between_renames",
            CRASH,
            &[("DIR_A", &a), ("DIR_B", &b)],
        );
        assert!(matches!(batch_state(&a, &b), BatchState::Mixed(_)));
        next_run(NextRun::WriteIntoSecondDir, &a, &b);
        assert_eq!(batch_state(&a, &b), BatchState::New);
        recover_pending_with(&options()).expect("recover pending");
        assert_eq!(all_leftovers(&a, &b), Vec::<String>::new());
    }

    #[test]
    fn injected_errors_before_the_rename_leave_the_target_and_no_temp() {
        each_injected_error(
            &[
                "write::after_temp_create",
                "write::mid_write",
                "write::before_sync",
                "write::before_rename",
            ],
            |dir| {
                let path = dir.join("f");
                fs::write(&path, b"old").expect("seed");
                path
            },
            |failpoint, dir, path| {
                let err = write_file(&path, b"new", &options()).expect_err("injected");
                assert!(
                    matches!(err, WriteError::Io { operation, .. } if operation == failpoint),
                    "{err:?}"
                );
                assert_eq!(fs::read(&path).expect("read"), b"old", "{failpoint}");
                assert_eq!(write_support::names(dir), ["f"], "{failpoint}");
            },
        );
    }

    #[test]
    fn failed_write_removes_the_directories_it_created() {
        let _serial = serial();
        let dir = tempdir();
        let path = dir.path().join("x/y/f");
        let _armed = Armed::new("write::before_rename", "return");
        write_file(&path, b"new", &options()).expect_err("injected");
        assert_eq!(write_support::names(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn injected_batch_errors_before_the_renames_change_nothing() {
        each_injected_error(
            &[
                "batch::after_temps",
                "batch::between_intents",
                "batch::before_renames",
                "write::mid_write",
            ],
            seed_batch_dirs,
            |failpoint, _, (a, b)| {
                scripted_batch(&a, &b)
                    .commit(&options())
                    .expect_err("injected");
                assert_eq!(batch_state(&a, &b), BatchState::Old, "{failpoint}");
                assert_eq!(all_leftovers(&a, &b), Vec::<String>::new(), "{failpoint}");
                assert!(
                    !b.join("new").exists(),
                    "{failpoint}: created directory left behind"
                );
            },
        );
    }

    #[test]
    fn injected_error_mid_rename_phase_is_finished_by_the_next_write_in_the_same_process() {
        let _serial = serial();
        let dir = tempdir();
        let (a, b) = seed_batch_dirs(dir.path());
        {
            let _armed = Armed::new("batch::between_renames", "return");
            scripted_batch(&a, &b)
                .commit(&options())
                .expect_err("injected");
        }
        assert!(matches!(batch_state(&a, &b), BatchState::Mixed(_)));
        // Our own pid is alive, but the batch was given up: no 60-second wait.
        next_run(NextRun::WriteIntoFirstDir, &a, &b);
        assert_eq!(batch_state(&a, &b), BatchState::New);
        assert_eq!(
            all_leftovers(&a, &b),
            Vec::<String>::new(),
            "the complete intent settles every directory"
        );
    }

    #[test]
    fn change_during_the_write_is_caught_by_the_check_under_the_lock() {
        let _serial = serial();
        let dir = tempdir();
        let path = dir.path().join("f");
        fs::write(&path, b"read by the caller").expect("seed");
        let expected = Expected::of_file(&path).expect("expected");
        // The first check (before the temp) passes; the intruder writes while the temp is filled.
        let intruder_path = path.clone();
        failpoints::set_callback("write::before_sync", move || {
            fs::write(&intruder_path, b"intruder").expect("intrude");
        })
        .expect("callback");
        let _armed = Armed("write::before_sync");
        let options = WriteOptions {
            expected: Some(expected),
            ..options()
        };
        let err = write_file(&path, b"ours", &options).expect_err("conflict");
        assert!(matches!(err, WriteError::Changed { .. }), "{err:?}");
        assert_eq!(fs::read(&path).expect("read"), b"intruder");
        assert_eq!(write_support::names(dir.path()), ["f"]);
        assert_ne!(
            ContentHash::of_file(&path).expect("hash"),
            ContentHash::of(b"ours")
        );
    }

    #[test]
    fn every_failpoint_is_exercised_by_this_suite() {
        let source = include_str!("write_crash.rs");
        for name in failpoints::ALL {
            assert!(
                source.contains(&format!("\"{name}\"")),
                "{name} has no test"
            );
        }
    }
}
