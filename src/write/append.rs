//! Appending to a log that many processes write at once: the tracking spool and the rewrite
//! audit log. A record goes in with one `write` on an `O_APPEND` descriptor, holding a shared
//! `flock`, after checking that the file opened is still the one at the path. Whoever moves the
//! log away (an ingest claiming the spool, a rotation) takes an exclusive `flock` on it
//! ([`wait_for_appends`]): that waits for appends still in flight, and a writer that opened the
//! file before the rename finds it renamed and appends to the new one instead.
//!
//! What a crash can leave: a torn last record (power loss, full disk), which readers skip. A
//! record is never lost to a concurrent rename, and never split across two files.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
use std::path::Path;

use super::sys::{lock_exclusive, lock_shared};

/// Appends `record` to the log at `path`, creating it (and its directory) as needed. Returns the
/// log's size before the record.
pub fn append(path: &Path, record: &[u8]) -> io::Result<u64> {
    // A retry covers a rename between our open and our lock. Renames take turns and each is
    // followed by work (an ingest, a rotation), so a few attempts always suffice; the bound only
    // keeps a broken file system from looping forever.
    for _ in 0..16 {
        let mut file = match open_for_append(path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                open_for_append(path)?
            }
            Err(err) => return Err(err),
        };
        lock_shared(&file)?;
        let opened = file.metadata()?;
        let current = match std::fs::metadata(path) {
            Ok(current) => current,
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err),
        };
        if (opened.dev(), opened.ino()) != (current.dev(), current.ino()) {
            continue;
        }
        file.write_all(record)?;
        return Ok(opened.len());
    }
    Err(io::Error::other(format!(
        "{} kept being renamed",
        path.display()
    )))
}

/// Opens the log at `path` (for reading) and takes an exclusive lock on it: returns once the
/// appends in flight on that file are done, or `None` when there is no file.
pub fn wait_for_appends(path: &Path) -> io::Result<Option<File>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    lock_exclusive(&file)?;
    Ok(Some(file))
}

fn open_for_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_follow_a_rename_to_the_new_file() {
        let dir = tempfile::tempdir().expect("temp");
        let log = dir.path().join("sub/log");
        assert_eq!(append(&log, b"one\n").expect("append"), 0);
        assert_eq!(append(&log, b"two\n").expect("append"), 4);
        let moved = dir.path().join("moved");
        std::fs::rename(&log, &moved).expect("rename");
        let held = wait_for_appends(&moved).expect("lock").expect("exists");
        assert_eq!(append(&log, b"three\n").expect("append"), 0);
        drop(held);
        assert_eq!(std::fs::read(&moved).expect("moved"), b"one\ntwo\n");
        assert_eq!(std::fs::read(&log).expect("new"), b"three\n");
    }

    #[test]
    fn concurrent_appends_lose_and_tear_nothing() {
        let dir = tempfile::tempdir().expect("temp");
        let log = dir.path().join("log");
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let log = log.clone();
                std::thread::spawn(move || {
                    for i in 0..200 {
                        let record = format!("{t}-{i}-{}\n", "x".repeat(100));
                        append(&log, record.as_bytes()).expect("append");
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("thread");
        }
        let text = std::fs::read_to_string(&log).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1600);
        assert!(lines.iter().all(|l| l.len() > 100 && l.ends_with('x')));
    }
}
