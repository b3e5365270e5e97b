//! Run tracking: every plugin run leaves one row — command, project, exit code, elapsed time,
//! bytes printed, and the bytes the native git command would have printed — that ends up in a
//! SQLite database at `$XDG_DATA_HOME/git-rtk/tracking.sqlite` (default `~/.local/share/git-rtk/`),
//! which one git-rtk process at a time has open ([`database`]).
//!
//! A run does not open the database itself: it appends its row to the spool beside it
//! ([`spool`]), and rows move into SQLite in batches, when the spool passes 64 KiB and before
//! `git rtk-gain` reads. Opening SQLite, its write-ahead log and the checkpoint on close cost about
//! a millisecond per run; the append costs tens of microseconds (measured by the benchmark's
//! tracking-overhead section, `bench/results/tracking.csv`).
//!
//! `RTK_TRACK=0` turns tracking off. Recording never changes a plugin's output or exit code: a
//! spool that cannot be written is skipped silently (`GIT_RTK_DEBUG=1` says why). A run whose
//! ingest cannot reach the database (another process has it open, or an error) leaves the rows in
//! the spool, where the next ingest finds them: contention never loses a row.
//!
//! The native size is either measured (mutating plugins capture git's own output) or estimated by
//! a model of git's output format (read plugins, see [`crate::git_size`]); the parity suite
//! checks every estimate against real git's output within ±10%, and the row says which it is.

pub mod database;
pub mod spool;

pub use database::Database;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection};

/// One finished plugin run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// git's subcommand name (`status`, `cherry-pick`).
    pub command: String,
    /// Top of the work tree the command ran in (the current directory outside one).
    pub project: String,
    pub exit_code: i32,
    pub elapsed: Duration,
    /// Bytes the plugin printed (stdout and stderr); `None` when git printed them itself
    /// (pass-through).
    pub output_bytes: Option<u64>,
    /// What the native git command prints (stdout and stderr) for the same run, when known.
    pub native: Option<Native>,
    /// How the native path failed, when it failed as git would not have (a bug; git then served
    /// the run).
    pub failure: Option<String>,
}

/// The size of git's own output for a run, and how it was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Native {
    pub bytes: u64,
    pub method: Method,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// git ran and its output was counted.
    Measured,
    /// Computed from the same data git formats; checked against git by the parity suite.
    Estimated,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Measured => "measured",
            Method::Estimated => "estimated",
        }
    }
}

/// Whether runs are tracked at all (`RTK_TRACK=0` turns tracking off). Work done only for the
/// record, such as estimating git's output size, is skipped when not.
pub fn enabled() -> bool {
    std::env::var_os("RTK_TRACK").is_none_or(|v| v != "0")
}

/// The database file, or `None` when tracking is off or no data directory can be found.
pub fn database_path() -> Option<PathBuf> {
    if !enabled() {
        return None;
    }
    Some(crate::dirs::data_dir()?.join("tracking.sqlite"))
}

/// Appends `run` to `connection`'s database at `time` (Unix seconds).
pub fn insert(connection: &Connection, run: &Run, time: i64) -> rusqlite::Result<()> {
    let to_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    connection.execute(
        "INSERT INTO runs (time, command, project, exit_code, elapsed_us, output_bytes, native_bytes,
                           native_method, native_failure)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            time,
            run.command,
            run.project,
            run.exit_code,
            i64::try_from(run.elapsed.as_micros()).unwrap_or(i64::MAX),
            run.output_bytes.map(to_i64),
            run.native.map(|n| to_i64(n.bytes)),
            run.native.map(|n| n.method.as_str()),
            run.failure,
        ],
    )?;
    Ok(())
}

/// Records the run `describe` builds for the user's database, unless tracking is off (then it is
/// never built): appended to the spool, and the spool ingested when it has grown past its limit.
/// Failures are reported only with `GIT_RTK_DEBUG=1`: tracking must never change what a plugin
/// does.
pub fn record(describe: impl FnOnce() -> Run) {
    let Some(path) = database_path() else {
        return;
    };
    let Some(dir) = path.parent() else {
        return;
    };
    let run = &describe();
    let time = jiff::Timestamp::now().as_second();
    match spool::append(dir, run, time) {
        Ok(false) => {}
        Ok(true) => {
            if let Err(err) = ingest_unless_busy(&path) {
                debug_note(&format!(
                    "git-rtk: spooled runs stay in {} for a later ingest into {}: {err:#}",
                    dir.join(spool::SPOOL_FILE).display(),
                    path.display()
                ));
            }
        }
        Err(err) => debug_note(&format!(
            "git-rtk: run not tracked in {}: {err:#}",
            dir.join(spool::SPOOL_FILE).display()
        )),
    }
}

/// Moves every spooled row into the database at `path` unless another process has it open (that
/// process, or a later run, moves them). `None` when it was busy; rows are never dropped.
pub fn ingest_unless_busy(path: &Path) -> anyhow::Result<Option<usize>> {
    let Some(mut database) = Database::try_open(path)? else {
        return Ok(None);
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    spool::ingest(dir, &mut database).map(Some)
}

/// Moves every spooled row into the database at `path`, waiting for another process that has it
/// open; returns how many rows moved.
pub fn ingest(path: &Path) -> anyhow::Result<usize> {
    let mut database = Database::open(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    spool::ingest(dir, &mut database)
}

fn debug_note(note: &str) {
    if crate::passthrough::debug_enabled() {
        eprintln!("{note}");
    }
}

/// The project a run belongs to: the nearest directory upwards holding `.git`, else `cwd`.
pub fn project_of(cwd: &Path) -> String {
    let mut dir = Some(cwd);
    while let Some(current) = dir {
        if current.join(".git").exists() {
            return current.display().to_string();
        }
        dir = current.parent();
    }
    cwd.display().to_string()
}

/// For the tracking tests: a fresh directory (it goes with the guard) and the path of a database
/// file in it, not yet created; a test's spool, when it has one, is that same directory.
#[cfg(test)]
fn scratch_database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("t.sqlite");
    (dir, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let (_dir, path) = scratch_database();
        let connection = Database::open(&path).expect("open");
        let run = Run {
            command: "status".into(),
            project: "/p".into(),
            exit_code: 0,
            elapsed: Duration::from_micros(1500),
            output_bytes: Some(120),
            native: Some(Native {
                bytes: 400,
                method: Method::Estimated,
            }),
            failure: None,
        };
        insert(&connection, &run, 1_700_000_000).expect("insert");
        let row: (String, i64, Option<i64>, Option<String>) = connection
            .query_row(
                "SELECT command, elapsed_us, native_bytes, native_method FROM runs",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("row");
        assert_eq!(
            row,
            ("status".into(), 1500, Some(400), Some("estimated".into()))
        );
        let mode: String = connection
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
    }

    #[test]
    fn rows_wait_in_the_spool_while_the_database_is_busy() {
        let (dir, path) = scratch_database();
        let run = Run {
            command: "log".into(),
            project: "/p".into(),
            exit_code: 0,
            elapsed: Duration::from_micros(10),
            output_bytes: None,
            native: None,
            failure: None,
        };
        spool::append(dir.path(), &run, 1).expect("append");
        let holder = Database::open(&path).expect("open");
        assert_eq!(ingest_unless_busy(&path).expect("busy is no error"), None);
        assert!(
            dir.path().join(spool::SPOOL_FILE).exists(),
            "row still spooled"
        );
        drop(holder);
        assert_eq!(ingest_unless_busy(&path).expect("ingest"), Some(1));
        let rows: i64 = Database::open(&path)
            .expect("open")
            .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))
            .expect("count");
        assert_eq!(rows, 1);
    }

    #[test]
    fn an_older_table_gains_the_method_column() {
        let (_dir, path) = scratch_database();
        let old = Connection::open(&path).expect("create");
        old.execute_batch(
            "CREATE TABLE runs (id INTEGER PRIMARY KEY, time INTEGER NOT NULL,
                 command TEXT NOT NULL, project TEXT NOT NULL, exit_code INTEGER NOT NULL,
                 elapsed_us INTEGER NOT NULL, output_bytes INTEGER, native_bytes INTEGER);
             INSERT INTO runs VALUES (1, 1, 'commit', '/p', 0, 10, 20, 300);",
        )
        .expect("old schema");
        drop(old);
        let connection = Database::open(&path).expect("upgrade");
        let method: Option<String> = connection
            .query_row("SELECT native_method FROM runs WHERE id = 1", [], |r| {
                r.get(0)
            })
            .expect("row");
        assert_eq!(method.as_deref(), Some("measured"));
    }
}
