//! The spool: where a plugin run leaves its row, one JSON line appended to `pending.jsonl` beside
//! the database, so that a run costs an append (tens of microseconds) instead of a SQLite
//! transaction (about a millisecond: opening, the write-ahead log and its index, the checkpoint
//! on close). Rows move into SQLite in batches: when the spool passes a size, and before
//! `git rtk-gain` reads.
//!
//! Why no row is lost or counted twice, with any number of processes appending and ingesting:
//! - A writer appends one line through [`crate::write::append`]: one `write` on an `O_APPEND`
//!   descriptor, holding a shared `flock`, after checking that the file it opened is still the one
//!   at the spool's path.
//! - An ingester renames the spool to a batch file of its own (a new spool starts with the next
//!   append), then takes an exclusive `flock` on the batch: that waits for appends still in flight,
//!   and any later writer of the old file finds it renamed and appends to the new spool instead.
//! - Ingesters take turns: only the holder of the open [`Database`] ingests.
//! - The batch's rows and its name go into SQLite in one transaction; the batch file is removed
//!   after the commit. A batch left by a crash is ingested by the next ingester unless its name is
//!   already recorded (then it is only removed).
//! - A torn last line (power loss, full disk) is skipped: it never committed to anything.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rusqlite::params;

use super::{Database, Method, Native, Run};

/// The spool's name in the data directory.
pub const SPOOL_FILE: &str = "pending.jsonl";
/// Batch files are `pending.jsonl.<pid>.<nanoseconds>.batch`.
const BATCH_SUFFIX: &str = ".batch";
/// The spool size that makes the appending run ingest it (about 400 runs).
const DEFAULT_LIMIT: u64 = 64 * 1024;

/// One run as a spool line, short keys keeping the append small:
/// `{"t":<unix s>,"c":<command>,"p":<project>,"x":<exit>,"e":<µs>,"o":<bytes>,"n":<bytes>,"m":"m"|"e"}`
/// `,"f":<text>` (`o`, `n`, `m` only when known; `m` says measured or estimated; `f` is a native-path
/// failure, a bug, after which git served the run).
fn line_of(run: &Run, time: i64) -> serde_json::Value {
    let mut line = serde_json::json!({
        "t": time,
        "c": run.command,
        "p": run.project,
        "x": run.exit_code,
        "e": u64::try_from(run.elapsed.as_micros()).unwrap_or(u64::MAX),
    });
    if let Some(bytes) = run.output_bytes {
        line["o"] = bytes.into();
    }
    if let Some(native) = run.native {
        line["n"] = native.bytes.into();
        line["m"] = match native.method {
            Method::Measured => "m",
            Method::Estimated => "e",
        }
        .into();
    }
    if let Some(failure) = &run.failure {
        line["f"] = failure.as_str().into();
    }
    line
}

/// The run a spool line holds, or `None` for a line that is not one (a torn write).
fn run_of(line: &[u8]) -> Option<(Run, i64)> {
    let value: serde_json::Value = serde_json::from_slice(line).ok()?;
    let native = value["n"].as_u64().map(|bytes| Native {
        bytes,
        method: if value["m"] == "e" {
            Method::Estimated
        } else {
            Method::Measured
        },
    });
    let run = Run {
        command: value["c"].as_str()?.to_owned(),
        project: value["p"].as_str()?.to_owned(),
        exit_code: i32::try_from(value["x"].as_i64()?).ok()?,
        elapsed: std::time::Duration::from_micros(value["e"].as_u64()?),
        output_bytes: value["o"].as_u64(),
        native,
        failure: value["f"].as_str().map(str::to_owned),
    };
    Some((run, value["t"].as_i64()?))
}

/// The spool size past which the appending run ingests (`GIT_RTK_TRACK_SPOOL_LIMIT` bytes).
fn limit() -> u64 {
    std::env::var("GIT_RTK_TRACK_SPOOL_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_LIMIT)
}

/// Appends `run` to the spool in `dir`. Returns whether the spool has grown past its limit.
pub fn append(dir: &Path, run: &Run, time: i64) -> std::io::Result<bool> {
    let mut line = serde_json::to_vec(&line_of(run, time)).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let before = crate::write::append::append(&dir.join(SPOOL_FILE), &line)?;
    Ok(before + line.len() as u64 > limit())
}

/// Moves every spooled row in `dir` into `connection`'s database. Returns the rows ingested.
pub fn ingest(dir: &Path, connection: &mut Database) -> anyhow::Result<usize> {
    // Claim the current spool, if there is one.
    let spool = dir.join(SPOOL_FILE);
    let claimed = dir.join(format!(
        "{SPOOL_FILE}.{}.{}{BATCH_SUFFIX}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    match std::fs::rename(&spool, &claimed) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err).with_context(|| format!("claiming {}", spool.display())),
    }
    let mut ingested = 0;
    for batch in batches(dir).with_context(|| format!("listing {}", dir.display()))? {
        ingested += ingest_batch(&batch, connection)
            .with_context(|| format!("ingesting {}", batch.display()))?;
    }
    Ok(ingested)
}

/// Every batch file in `dir`: the one just claimed and any a crashed ingester left.
fn batches(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(err) => return Err(err),
    };
    for entry in entries {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(SPOOL_FILE) && name.ends_with(BATCH_SUFFIX) {
            found.push(dir.join(&*name));
        }
    }
    found.sort();
    Ok(found)
}

/// Ingests one batch file unless another ingester holds it.
fn ingest_batch(batch: &Path, connection: &mut Database) -> anyhow::Result<usize> {
    // Ingesters take turns (holding `database` is holding the turn); an append in flight when
    // the spool was renamed finishes first.
    let Some(mut file) = crate::write::append::wait_for_appends(batch)? else {
        return Ok(0);
    };
    let name = batch
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut text = Vec::new();
    file.read_to_end(&mut text)?;
    // Immediate: the write lock is taken (waiting up to the busy timeout for an outside reader)
    // before the first read, so the transaction never fails on upgrading.
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let seen = transaction
        .prepare("SELECT 1 FROM ingested_batches WHERE name = ?1")?
        .exists([&name])?;
    let mut rows = 0;
    if !seen {
        for line in text.split(|&b| b == b'\n') {
            let Some((run, time)) = run_of(line) else {
                continue;
            };
            super::insert(&transaction, &run, time)?;
            rows += 1;
        }
        transaction.execute(
            "INSERT INTO ingested_batches (name) VALUES (?1)",
            params![name],
        )?;
    }
    transaction.commit()?;
    match std::fs::remove_file(batch) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
        _ => {}
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::OpenOptions;
    use std::io::Write as _;
    use std::time::Duration;

    #[test]
    fn a_native_failure_survives_the_spool() {
        let mut failed = run("log");
        failed.failure = Some("reading the commit graph: bad magic".into());
        let line = serde_json::to_vec(&line_of(&failed, 7)).expect("json");
        let (back, time) = run_of(&line).expect("a run");
        assert_eq!(time, 7);
        assert_eq!(back.failure, failed.failure);
        let plain = serde_json::to_vec(&line_of(&run("log"), 7)).expect("json");
        assert_eq!(run_of(&plain).expect("a run").0.failure, None);
    }

    fn run(command: &str) -> Run {
        Run {
            command: command.into(),
            project: "/p".into(),
            exit_code: 0,
            elapsed: Duration::from_micros(250),
            output_bytes: Some(40),
            native: Some(Native {
                bytes: 400,
                method: Method::Estimated,
            }),
            failure: None,
        }
    }

    fn count(connection: &rusqlite::Connection) -> i64 {
        connection
            .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))
            .expect("count")
    }

    #[test]
    fn appended_rows_reach_the_database_once() {
        let (dir, path) = crate::track::scratch_database();
        let mut connection = Database::open(&path).expect("open");
        for command in ["status", "log", "diff"] {
            append(dir.path(), &run(command), 1_700_000_000).expect("append");
        }
        assert_eq!(ingest(dir.path(), &mut connection).expect("ingest"), 3);
        assert_eq!(ingest(dir.path(), &mut connection).expect("again"), 0);
        assert_eq!(count(&connection), 3);
        let method: String = connection
            .query_row(
                "SELECT native_method FROM runs WHERE command = 'log'",
                [],
                |r| r.get(0),
            )
            .expect("row");
        assert_eq!(method, "estimated");
        assert!(!dir.path().join(SPOOL_FILE).exists());
    }

    #[test]
    fn a_batch_already_recorded_is_removed_not_counted_twice() {
        let (dir, path) = crate::track::scratch_database();
        let mut connection = Database::open(&path).expect("open");
        append(dir.path(), &run("status"), 1).expect("append");
        let batch = dir.path().join(format!("{SPOOL_FILE}.1.1{BATCH_SUFFIX}"));
        std::fs::rename(dir.path().join(SPOOL_FILE), &batch).expect("claim");
        // A crash after the commit, before the removal: the name is recorded, the file remains.
        let copy = std::fs::read(&batch).expect("read");
        assert_eq!(ingest_batch(&batch, &mut connection).expect("ingest"), 1);
        std::fs::write(&batch, copy).expect("restore");
        assert_eq!(ingest(dir.path(), &mut connection).expect("recover"), 0);
        assert_eq!(count(&connection), 1);
        assert!(!batch.exists());
    }

    #[test]
    fn a_torn_last_line_is_skipped() {
        let (dir, path) = crate::track::scratch_database();
        let mut connection = Database::open(&path).expect("open");
        append(dir.path(), &run("status"), 1).expect("append");
        let mut spool = OpenOptions::new()
            .append(true)
            .open(dir.path().join(SPOOL_FILE))
            .expect("open");
        spool.write_all(b"{\"t\":1,\"c\":\"sta").expect("torn");
        assert_eq!(ingest(dir.path(), &mut connection).expect("ingest"), 1);
    }

    #[test]
    fn the_limit_is_reported_once_the_spool_is_past_it() {
        let dir = tempfile::tempdir().expect("temp");
        let mut past = false;
        for _ in 0..1000 {
            past = append(dir.path(), &run("status"), 1).expect("append");
            if past {
                break;
            }
        }
        assert!(past);
        let size = std::fs::metadata(dir.path().join(SPOOL_FILE))
            .expect("spool")
            .len();
        assert!(size > DEFAULT_LIMIT && size < DEFAULT_LIMIT + 1024);
    }
}
