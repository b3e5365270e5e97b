//! The write core's promises, one test each: what is replaced (symlinks, hard links), what is
//! kept (modes, owners, untouched unchanged files), what is refused (changed files, held locks),
//! what a dry run does (nothing), how batches apply, and how leftovers are swept.

mod write_support;

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::os::unix::io::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime};

use git_rtk::write::{
    read_for_update, recover, write_file, Batch, ContentHash, DirectoryLock, Durability, Expected,
    FileIdentity, FileOutcome, WriteError, WriteOptions, WriteStats,
};
use write_support::{
    child_scenario, dirs_a_and_b, leftovers, names, options, run_child, tempdir, Scratch,
};

fn durable() -> WriteOptions {
    options()
}

fn with_expected(expected: Expected) -> WriteOptions {
    WriteOptions {
        expected: Some(expected),
        ..options()
    }
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A scratch directory holding each `(name, content)` of `files`.
fn seeded_files<C: AsRef<[u8]>>(files: &[(&str, C)]) -> Scratch {
    let dir = tempdir();
    for (name, content) in files {
        fs::write(dir.path().join(name), content).expect("seed");
    }
    dir
}

/// A scratch directory holding `name` with `content`, and the file's path.
fn seeded(name: &str, content: impl AsRef<[u8]>) -> (Scratch, PathBuf) {
    let dir = seeded_files(&[(name, content)]);
    let path = dir.path().join(name);
    (dir, path)
}

/// A scratch directory in which `name` (its directories too) was just created durably with
/// `content`, checked to read back; the file's path and the write's stats with it.
fn created(name: &str, content: &[u8]) -> (Scratch, PathBuf, WriteStats) {
    let dir = tempdir();
    let path = dir.path().join(name);
    let stats = write_file(&path, content, &durable()).expect("write");
    assert_eq!(read(&path), content);
    (dir, path, stats)
}

/// A scratch directory holding `a` and `b`, two names of one file that says `shared`.
fn hard_linked_pair() -> (Scratch, PathBuf, PathBuf) {
    let (dir, path) = seeded("a", b"shared");
    let other = dir.path().join("b");
    fs::hard_link(&path, &other).expect("link");
    (dir, path, other)
}

fn is_symlink(path: &Path) -> bool {
    let meta =
        fs::symlink_metadata(path).unwrap_or_else(|e| panic!("lstat {}: {e}", path.display()));
    meta.file_type().is_symlink()
}

fn set_modified(path: &Path, time: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .unwrap_or_else(|e| panic!("set mtime of {}: {e}", path.display()));
}

/// Scenario runner for tests that need their own process (umask is process-wide).
#[test]
#[ignore = "runs only as a child process of another test"]
fn child_process() {
    let Some(scenario) = child_scenario() else {
        return;
    };
    let mut parts = scenario.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("umask"), Some(mask), Some(dir)) => {
            let mask = u32::from_str_radix(mask, 8).expect("octal umask");
            // SAFETY: umask only swaps the process's file-creation mask; this process runs this
            // one scenario on one thread.
            unsafe {
                libc::umask(mask as libc::mode_t);
            }
            let dir = Path::new(dir);
            let ours = dir.join("ours");
            write_file(&ours, b"x", &durable()).expect("write new file");
            // What a plain open(O_CREAT) with the default 0666 gives under the same umask.
            let plain = dir.join("plain");
            File::create(&plain).expect("plain create");
            let mode = |p: &Path| fs::metadata(p).expect("stat").mode() & 0o7777;
            println!("modes {:o} {:o}", mode(&ours), mode(&plain));
        }
        other => panic!("unknown scenario {other:?}"),
    }
}

#[test]
fn new_file_is_written_with_one_file_sync_and_one_directory_sync() {
    let (dir, _, stats) = created("new.txt", b"hello\n");
    assert_eq!((stats.bytes, stats.syncs, stats.renames), (6, 2, 1));
    assert!(!stats.skipped);
    assert_eq!(names(dir.path()), ["new.txt"], "no temp or lock file left");
}

#[test]
fn fast_mode_replaces_atomically_without_syncing() {
    let (dir, path) = seeded("cache.bin", b"old");
    let options = WriteOptions {
        durability: Durability::Fast,
        ..options()
    };
    let stats = write_file(&path, b"new content", &options).expect("write");
    assert_eq!(read(&path), b"new content");
    assert_eq!((stats.syncs, stats.renames), (0, 1));
    assert_eq!(names(dir.path()), ["cache.bin"]);
}

#[test]
fn unchanged_content_leaves_the_file_untouched() {
    let contents = b"[package]\nname = \"x\"\n".repeat(1000);
    let (dir, path) = seeded("same.toml", &contents);
    // An old mtime, so "untouched" cannot pass by timestamp granularity.
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    set_modified(&path, past);
    let before = fs::metadata(&path).expect("stat");

    let stats = write_file(&path, &contents, &durable()).expect("write");

    let after = fs::metadata(&path).expect("stat");
    assert!(stats.skipped);
    assert_eq!((stats.syncs, stats.renames), (0, 0));
    assert_eq!(after.modified().expect("mtime"), past);
    assert_eq!(
        (after.ino(), after.ctime(), after.ctime_nsec()),
        (before.ino(), before.ctime(), before.ctime_nsec())
    );
    assert_eq!(names(dir.path()), ["same.toml"]);
}

#[test]
fn same_size_different_last_byte_is_a_change() {
    let mut contents = vec![b'x'; 200_000];
    let (_dir, path) = seeded("f", &contents);
    *contents.last_mut().expect("non-empty") = b'y';
    let stats = write_file(&path, &contents, &durable()).expect("write");
    assert!(!stats.skipped);
    assert_eq!(read(&path), contents);
}

#[test]
fn symlink_chain_is_written_through_and_links_stay() {
    let dir = tempdir();
    let real_dir = dir.path().join("real");
    fs::create_dir(&real_dir).expect("mkdir");
    let real = real_dir.join("config.json");
    fs::write(&real, b"{}").expect("seed");
    // first -> second -> real/config.json, both relative.
    let second = dir.path().join("second");
    let first = dir.path().join("first");
    std::os::unix::fs::symlink("real/config.json", &second).expect("symlink");
    std::os::unix::fs::symlink("second", &first).expect("symlink");

    write_file(&first, b"{\"a\": 1}", &durable()).expect("write");

    assert_eq!(read(&real), b"{\"a\": 1}");
    assert!(is_symlink(&first));
    assert_eq!(
        fs::read_link(&first).expect("readlink"),
        Path::new("second")
    );
    assert_eq!(
        fs::read_link(&second).expect("readlink"),
        Path::new("real/config.json")
    );
    assert_eq!(
        names(&real_dir),
        ["config.json"],
        "temp went beside the real file and is gone"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn relative_symlink_resolves_against_the_links_directory_not_the_working_directory() {
    let dir = tempdir();
    fs::create_dir_all(dir.path().join("links")).expect("mkdir");
    fs::create_dir_all(dir.path().join("data")).expect("mkdir");
    let data = dir.path().join("data/file");
    fs::write(&data, b"old").expect("seed");
    let link = dir.path().join("links/file");
    std::os::unix::fs::symlink("../data/file", &link).expect("symlink");

    write_file(&link, b"new", &durable()).expect("write");

    assert_eq!(read(&data), b"new");
    assert!(is_symlink(&link));
}

#[test]
fn dangling_symlink_creates_its_target_and_stays_a_link() {
    let dir = tempdir();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink("target.txt", &link).expect("symlink");
    write_file(&link, b"created", &durable()).expect("write");
    assert_eq!(read(&dir.path().join("target.txt")), b"created");
    assert!(is_symlink(&link));
}

#[test]
fn hard_linked_file_is_refused_and_left_alone() {
    let (dir, path, _) = hard_linked_pair();

    let err = write_file(&path, b"mine", &durable()).expect_err("must refuse");

    assert!(
        matches!(err, WriteError::HardLinked { links: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("hard links"), "{err}");
    assert_eq!(read(&path), b"shared");
    assert_eq!(fs::metadata(&path).expect("stat").nlink(), 2);
    assert_eq!(names(dir.path()), ["a", "b"]);
}

#[test]
fn hard_link_is_broken_when_allowed_and_the_other_name_keeps_the_old_content() {
    let (_dir, path, other) = hard_linked_pair();
    let options = WriteOptions {
        allow_breaking_hard_links: true,
        ..options()
    };
    write_file(&path, b"mine", &options).expect("write");
    assert_eq!(read(&path), b"mine");
    assert_eq!(read(&other), b"shared");
    assert_eq!(fs::metadata(&path).expect("stat").nlink(), 1);
}

fn modes_under_umask(mask: &str) -> (String, String) {
    let dir = tempdir();
    let out = run_child(&format!("umask:{mask}:{}", dir.path().display()), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("modes "))
        .unwrap_or_else(|| panic!("no modes line in {stdout}"));
    let (ours, plain) = line.split_once(' ').expect("two modes");
    (ours.to_owned(), plain.to_owned())
}

#[test]
fn new_file_gets_what_a_plain_open_gives_under_the_umask() {
    // Run in child processes: the umask is process-wide and tests run on threads.
    assert_eq!(
        modes_under_umask("027"),
        ("640".to_owned(), "640".to_owned())
    );
    assert_eq!(
        modes_under_umask("002"),
        ("664".to_owned(), "664".to_owned())
    );
    assert_eq!(
        modes_under_umask("077"),
        ("600".to_owned(), "600".to_owned())
    );
}

#[test]
fn existing_mode_is_kept() {
    let (_dir, path) = seeded("script.sh", b"#!/bin/sh\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o751)).expect("chmod");
    write_file(&path, b"#!/bin/sh\necho hi\n", &durable()).expect("write");
    assert_eq!(fs::metadata(&path).expect("stat").mode() & 0o7777, 0o751);
}

#[test]
fn existing_owner_group_and_setuid_bit_are_kept_where_permitted() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: giving a file away needs root");
        return;
    }
    let (_dir, path) = seeded("tool", b"v1");
    std::os::unix::fs::chown(&path, Some(4242), Some(4343)).expect("chown");
    // After chown: chown clears set-id bits, which is exactly what the write must not do to us.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o4751)).expect("chmod");
    write_file(&path, b"v2", &durable()).expect("write");
    let meta = fs::metadata(&path).expect("stat");
    assert_eq!(
        (meta.uid(), meta.gid(), meta.mode() & 0o7777),
        (4242, 4343, 0o4751)
    );
}

#[test]
fn changed_content_since_read_is_a_conflict_and_nothing_is_written() {
    let (dir, path) = seeded("Cargo.toml", b"version = 1\n");
    let snapshot = read_for_update(&path).expect("read");
    assert_eq!(snapshot.contents.as_deref(), Some(&b"version = 1\n"[..]));
    fs::write(&path, b"version = 2\n").expect("someone else writes");

    let err = write_file(&path, b"version = 3\n", &with_expected(snapshot.expected))
        .expect_err("conflict");

    assert!(matches!(err, WriteError::Changed { .. }), "{err:?}");
    assert!(
        err.to_string().contains("changed since it was read"),
        "{err}"
    );
    assert_eq!(read(&path), b"version = 2\n");
    assert_eq!(names(dir.path()), ["Cargo.toml"]);
}

#[test]
fn content_hash_alone_detects_a_change() {
    let (_dir, path) = seeded("f", b"aaaa");
    let stale = Expected::Present {
        content_hash: Some(ContentHash::of(b"bbbb")),
        identity: None,
    };
    assert!(matches!(
        write_file(&path, b"c", &with_expected(stale)),
        Err(WriteError::Changed { .. })
    ));
    let current = Expected::Present {
        content_hash: Some(ContentHash::of_file(&path).expect("hash")),
        identity: None,
    };
    write_file(&path, b"c", &with_expected(current)).expect("matching hash writes");
    assert_eq!(read(&path), b"c");
}

#[test]
fn identity_alone_detects_a_replaced_file_with_the_same_content() {
    let (dir, path) = seeded("f", b"same");
    let identity = FileIdentity::of(&path).expect("identity");
    // Same bytes, new inode: a content hash would not see it, the identity does.
    let other = dir.path().join("g");
    fs::write(&other, b"same").expect("seed");
    fs::rename(&other, &path).expect("replace");
    let expected = Expected::Present {
        content_hash: None,
        identity: Some(identity),
    };
    let err = write_file(&path, b"new", &with_expected(expected)).expect_err("conflict");
    assert!(matches!(err, WriteError::Changed { .. }), "{err:?}");
    assert_eq!(read(&path), b"same");
}

#[test]
fn expected_absent_refuses_an_existing_file() {
    let (_dir, path) = seeded("f", b"there");
    let err = write_file(&path, b"mine", &with_expected(Expected::Absent)).expect_err("conflict");
    assert!(matches!(err, WriteError::Changed { .. }), "{err:?}");
    assert_eq!(read(&path), b"there");
}

#[test]
fn racing_creators_with_expected_absent_produce_exactly_one_winner() {
    let dir = tempdir();
    let path = Arc::new(dir.path().join("once"));
    let writers = 8;
    let barrier = Arc::new(Barrier::new(writers));
    let handles: Vec<_> = (0..writers)
        .map(|i| {
            let (path, barrier) = (Arc::clone(&path), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let contents = format!("writer {i}\n").repeat(10_000);
                barrier.wait();
                let options = WriteOptions {
                    expected: Some(Expected::Absent),
                    durability: Durability::Fast,
                    ..options()
                };
                (write_file(&path, contents.as_bytes(), &options), contents)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for handle in handles {
        let (result, contents) = handle.join().expect("writer thread");
        match result {
            Ok(_) => winners.push(contents),
            Err(WriteError::Changed { .. }) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one creator wins");
    assert_eq!(read(&path), winners[0].as_bytes());
    assert_eq!(names(dir.path()), ["once"]);
}

#[test]
fn lock_held_by_another_writer_times_out_with_a_clear_error_and_changes_nothing() {
    let (dir, path) = seeded("f", b"old");
    let held = DirectoryLock::acquire(dir.path(), Duration::ZERO).expect("lock");
    let options = WriteOptions {
        lock_timeout: Duration::from_millis(300),
        ..options()
    };
    let path_for_thread = path.clone();
    let started = Instant::now();
    // Another thread: flock conflicts between separate opens even within one process.
    let result = std::thread::spawn(move || write_file(&path_for_thread, b"new", &options))
        .join()
        .expect("writer thread");
    let waited = started.elapsed();

    let err = result.expect_err("must time out");
    assert!(matches!(err, WriteError::LockTimeout { .. }), "{err:?}");
    assert!(
        err.to_string().contains("another writer holds the lock"),
        "{err}"
    );
    assert!(
        waited >= Duration::from_millis(300),
        "gave up after {waited:?}"
    );
    assert_eq!(read(&path), b"old");
    assert_eq!(names(dir.path()), ["f"], "temp removed, no lock file");

    drop(held);
    write_file(&path, b"new", &durable()).expect("write once the lock is free");
    assert_eq!(read(&path), b"new");
    assert_eq!(names(dir.path()), ["f"]);
}

#[test]
fn dry_run_creates_nothing_and_takes_no_lock() {
    let (dir, existing) = seeded("e.txt", b"old");
    let nested = dir.path().join("a/b/c.txt");
    // Held lock: a dry run that tried to lock would time out.
    let _held = DirectoryLock::acquire(dir.path(), Duration::ZERO).expect("lock");
    let options = WriteOptions {
        dry_run: true,
        lock_timeout: Duration::ZERO,
        ..options()
    };

    let created = write_file(&nested, b"x", &options).expect("dry run of a new file");
    let changed = write_file(&existing, b"new", &options).expect("dry run of a change");
    let same = write_file(&existing, b"old", &options).expect("dry run of no change");

    assert!(!created.skipped && !changed.skipped && same.skipped);
    assert_eq!((changed.syncs, changed.renames), (0, 0));
    assert_eq!(
        names(dir.path()),
        ["e.txt"],
        "no directory, temp or lock file"
    );
    assert_eq!(read(&existing), b"old");
}

#[test]
fn dry_run_still_reports_conflicts_and_hard_links() {
    let (dir, path) = seeded("f", b"old");
    let options = WriteOptions {
        dry_run: true,
        expected: Some(Expected::Absent),
        ..options()
    };
    assert!(matches!(
        write_file(&path, b"x", &options),
        Err(WriteError::Changed { .. })
    ));
    fs::hard_link(&path, dir.path().join("g")).expect("link");
    let options = WriteOptions {
        dry_run: true,
        ..write_support::options()
    };
    assert!(matches!(
        write_file(&path, b"x", &options),
        Err(WriteError::HardLinked { .. })
    ));
}

#[test]
fn missing_parent_directories_are_created_and_their_parents_synced() {
    let (_dir, _, stats) = created("x/y/z.txt", b"deep");
    // file + its directory + the parents of the two new directories (dir, x).
    assert_eq!(stats.syncs, 4);
}

#[test]
fn longest_file_name_still_fits_its_temporary_name() {
    let dir = tempdir();
    // NAME_MAX: a temporary name built from the whole name would not fit.
    let path = dir.path().join("n".repeat(255));
    write_file(&path, b"v1", &durable()).expect("create");
    write_file(&path, b"v2", &durable()).expect("replace");
    assert_eq!(read(&path), b"v2");
    assert_eq!(names(dir.path()).len(), 1);
}

#[test]
fn not_a_regular_file_is_refused() {
    let dir = tempdir();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    let err = write_file(&sub, b"x", &durable()).expect_err("a directory");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(sub.is_dir());
}

fn flock(file: &File) {
    // SAFETY: a valid descriptor owned by `file`.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(rc, 0, "flock");
}

fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("spawn true");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

#[test]
fn crashed_writers_temps_are_swept_and_live_ones_kept() {
    let dir = tempdir();
    let d = dir.path();
    let me = std::process::id();
    let dead = dead_pid();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let make = |name: &str| {
        let path = d.join(name);
        fs::write(&path, b"partial").expect("leftover");
        path
    };
    // Swept: the writer is gone.
    make(&format!(".f.rtk-tmp.{dead}.1a2b"));
    make(&format!(".f.7.rtk-batch.{dead}.99"));
    // Swept: unlocked and old, though the pid (ours) lives: a recycled pid.
    let old = make(&format!(".f.rtk-tmp.{me}.77"));
    set_modified(&old, hour_ago);
    // Kept: a live writer holds its lock, even though old.
    let live = make(&format!(".g.rtk-tmp.{me}.88"));
    let live_file = OpenOptions::new().read(true).open(&live).expect("open");
    set_modified(&live, hour_ago);
    flock(&live_file);
    // Kept: fresh and its writer (pid 1) is alive; it may be between create and lock.
    make(".h.rtk-tmp.1.5");
    // Kept: not our naming.
    make(".f.rtk-tmp.notapid.1");
    make("f.rtk-tmp.nodot");

    write_file(&d.join("f"), b"content", &durable()).expect("write");

    assert_eq!(
        names(d),
        [
            ".f.rtk-tmp.notapid.1".to_owned(),
            format!(".g.rtk-tmp.{me}.88"),
            ".h.rtk-tmp.1.5".to_owned(),
            "f".to_owned(),
            "f.rtk-tmp.nodot".to_owned(),
        ]
    );
    drop(live_file);
    let explicit = recover(d).expect("recover");
    assert_eq!(explicit.temps_removed, 1, "the old one, once unlocked");
}

#[test]
fn batch_applies_writes_creates_and_deletes_across_directories() {
    let dir = tempdir();
    let seed = [
        ("a/one", "1"),
        ("b/two", "2"),
        ("b/gone", "x"),
        ("a/same", "s"),
    ];
    let (a, b) = dirs_a_and_b(dir.path(), &seed);

    let mut batch = Batch::new();
    batch
        .write(a.join("one"), b"one".to_vec(), None)
        .write(
            b.join("two"),
            b"two".to_vec(),
            Some(Expected::of_file(&b.join("two")).expect("expect")),
        )
        .write(
            b.join("new/three"),
            b"three".to_vec(),
            Some(Expected::Absent),
        )
        .delete(b.join("gone"), None)
        .write(a.join("same"), b"s".to_vec(), None);
    let stats = batch.commit(&dir.options()).expect("commit");

    assert_eq!(
        stats.outcomes,
        [
            FileOutcome::Replaced,
            FileOutcome::Replaced,
            FileOutcome::Created,
            FileOutcome::Deleted,
            FileOutcome::Unchanged
        ]
    );
    assert_eq!(read(&a.join("one")), b"one");
    assert_eq!(read(&b.join("two")), b"two");
    assert_eq!(read(&b.join("new/three")), b"three");
    assert!(!b.join("gone").exists());
    assert_eq!(stats.total.renames, 3);
    // 3 temps + 3 intent copies + 3 directories before and after the renames + parent of new/.
    assert_eq!(stats.total.syncs, 3 + 3 + 3 + 3 + 1);
    for d in [&a, &b, &b.join("new")] {
        assert_eq!(leftovers(d), Vec::<String>::new(), "in {}", d.display());
    }
    // This test's own registry: any pointer there is this batch's, and it must be gone.
    assert_eq!(dir.pending_pointers(), Vec::<String>::new());
}

#[test]
fn batch_conflict_on_any_file_changes_nothing() {
    let dir = seeded_files(&[("one", "1"), ("two", "2")]);
    let d = dir.path();
    let stale = Expected::Present {
        content_hash: Some(ContentHash::of(b"not 2")),
        identity: None,
    };
    let mut batch = Batch::new();
    batch
        .write(d.join("one"), b"one".to_vec(), None)
        .write(d.join("sub/new"), b"n".to_vec(), None)
        .write(d.join("two"), b"two".to_vec(), Some(stale));
    let err = batch.commit(&durable()).expect_err("conflict");
    assert!(
        matches!(err, WriteError::Changed { ref path } if path.ends_with("two")),
        "{err:?}"
    );
    assert_eq!(read(&d.join("one")), b"1");
    assert_eq!(read(&d.join("two")), b"2");
    assert_eq!(
        names(d),
        ["one", "two"],
        "no temp, no intent, no new directory"
    );
}

#[test]
fn batch_conflict_found_under_the_lock_changes_nothing() {
    // The change lands after the batch planned (its first check passed) but before it locks:
    // another writer holds the lock meanwhile and changes a file.
    let dir = seeded_files(&[("one", "1"), ("two", "2")]);
    let d = dir.path().to_owned();
    let expected = Expected::of_file(&d.join("two")).expect("expect");
    let held = DirectoryLock::acquire(&d, Duration::ZERO).expect("lock");
    let worker_dir = d.clone();
    let worker = std::thread::spawn(move || {
        let mut batch = Batch::new();
        batch
            .write(worker_dir.join("one"), vec![b'o'; 300_000], None)
            .write(worker_dir.join("two"), b"two".to_vec(), Some(expected));
        batch.commit(&durable())
    });
    // Wait until the batch has written its temps and is waiting for the lock.
    let deadline = Instant::now() + Duration::from_secs(10);
    while leftovers(&d).len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(leftovers(&d).len(), 2, "batch temps written before locking");
    fs::write(d.join("two"), b"changed").expect("concurrent change");
    drop(held);
    let err = worker.join().expect("batch thread").expect_err("conflict");
    assert!(matches!(err, WriteError::Changed { .. }), "{err:?}");
    assert_eq!(read(&d.join("one")), b"1");
    assert_eq!(read(&d.join("two")), b"changed");
    assert_eq!(names(&d), ["one", "two"]);
}

#[test]
fn batch_refuses_the_same_file_twice() {
    let dir = seeded_files(&[("f", "1")]);
    let d = dir.path();
    std::os::unix::fs::symlink("f", d.join("link")).expect("symlink");
    let mut batch = Batch::new();
    batch
        .write(d.join("f"), b"a".to_vec(), None)
        .write(d.join("link"), b"b".to_vec(), None);
    let err = batch.commit(&durable()).expect_err("duplicate");
    assert!(err.to_string().contains("the same file as"), "{err}");
    assert_eq!(read(&d.join("f")), b"1");
    assert_eq!(names(d), ["f", "link"]);
}

#[test]
fn batch_dry_run_creates_nothing() {
    let dir = seeded_files(&[("f", "1")]);
    let d = dir.path();
    let mut batch = Batch::new();
    batch
        .write(d.join("f"), b"2".to_vec(), None)
        .write(d.join("new/dir/g"), b"g".to_vec(), None)
        .delete(d.join("f2"), None);
    let err = batch.commit(&WriteOptions {
        dry_run: true,
        ..options()
    });
    assert!(
        err.is_err(),
        "deleting a missing file is an error even in a dry run"
    );

    let mut batch = Batch::new();
    batch
        .write(d.join("f"), b"2".to_vec(), None)
        .write(d.join("new/dir/g"), b"g".to_vec(), None);
    let stats = batch
        .commit(&WriteOptions {
            dry_run: true,
            ..options()
        })
        .expect("dry run");
    assert_eq!(
        stats.outcomes,
        [FileOutcome::Replaced, FileOutcome::Created]
    );
    assert_eq!(names(d), ["f"]);
    assert_eq!(read(&d.join("f")), b"1");
}

#[test]
fn batch_of_unchanged_files_is_skipped() {
    let dir = seeded_files(&[("f", "1"), ("g", "2")]);
    let d = dir.path();
    let before = fs::metadata(d.join("f")).expect("stat");
    let mut batch = Batch::new();
    batch
        .write(d.join("f"), b"1".to_vec(), None)
        .write(d.join("g"), b"2".to_vec(), None);
    let stats = batch.commit(&durable()).expect("commit");
    assert!(stats.total.skipped);
    assert_eq!((stats.total.syncs, stats.total.renames), (0, 0));
    let after = fs::metadata(d.join("f")).expect("stat");
    assert_eq!(
        (after.ino(), after.ctime_nsec(), after.mtime_nsec()),
        (before.ino(), before.ctime_nsec(), before.mtime_nsec())
    );
}

#[test]
fn single_file_batch_needs_no_intent_record() {
    let dir = seeded_files(&[("f", "1")]);
    let d = dir.path();
    let mut batch = Batch::new();
    batch.write(d.join("f"), b"2".to_vec(), None);
    let stats = batch.commit(&durable()).expect("commit");
    assert_eq!((stats.total.syncs, stats.total.renames), (2, 1));
    assert_eq!(read(&d.join("f")), b"2");
}

#[test]
fn a_running_batch_registers_in_the_registry_its_options_name() {
    // Guards the other tests too: a pointer must land where the options say, never in the user's
    // state directory. The batch is held at the directory lock while the registry is looked at.
    let dir = tempdir();
    let d = dir.path().to_owned();
    let held = DirectoryLock::acquire(&d, Duration::ZERO).expect("lock");
    let options = dir.options();
    let worker_dir = d.clone();
    let worker = std::thread::spawn(move || {
        let mut batch = Batch::new();
        batch
            .write(worker_dir.join("one"), b"1".to_vec(), None)
            .write(worker_dir.join("two"), b"2".to_vec(), None);
        batch.commit(&options)
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while dir.pending_pointers().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(dir.pending_pointers().len(), 1, "one pointer while it runs");
    drop(held);
    worker.join().expect("batch thread").expect("commit");
    assert_eq!(dir.pending_pointers(), Vec::<String>::new());
    assert_eq!(read(&d.join("two")), b"2");
}
