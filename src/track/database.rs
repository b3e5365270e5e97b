//! The tracking database: one SQLite file that one git-rtk process at a time has open.
//!
//! Every connection is made while holding an exclusive `flock` on `tracking.lock` beside the
//! database, and the lock is held for as long as the connection lives. SQLite's own locking lets
//! processes share a file, but some of its waits never reach the busy handler and fail at once
//! with "database is locked": switching the journal mode while another connection creates the
//! file, recovering the write-ahead log after a crash, a read transaction upgrading to a write.
//! With one git-rtk process at a time none of them can happen between our processes; the busy
//! timeout stays for readers from outside (a user's `sqlite3`).
//!
//! Plugin runs only try the lock ([`Database::try_open`]): when another process holds it, their
//! ingest is left to a later run and the rows stay in the spool. `git rtk-gain` waits for it
//! ([`Database::open`]), for a bounded time.
//!
//! The schema is created once, by the first opener, and stamped with `PRAGMA user_version`; later
//! opens only read the stamp. Databases from before the stamp are brought up to date on their
//! first open.

use std::fs::{File, OpenOptions};
use std::ops::{Deref, DerefMut};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::write::sys::try_lock_exclusive;

/// The lock file's name, beside the database.
pub const LOCK_FILE: &str = "tracking.lock";

/// The schema this code writes; `PRAGMA user_version` of an up-to-date database.
const SCHEMA_VERSION: i64 = 3;

/// How long [`Database::open`] waits for another process's ingest (a batch of a few hundred rows
/// takes milliseconds).
const WAIT: Duration = Duration::from_secs(10);

/// An open tracking database, usable as a [`Connection`]; no other git-rtk process opens it until
/// this is dropped.
pub struct Database {
    // Declared first: the connection closes (and checkpoints) before the lock is released.
    connection: Connection,
    _lock: File,
}

impl Deref for Database {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.connection
    }
}

impl DerefMut for Database {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }
}

impl Database {
    /// Opens the database at `path`, creating it (directory, schema) as needed, waiting up to ten
    /// seconds for another git-rtk process that has it open.
    pub fn open(path: &Path) -> anyhow::Result<Database> {
        let lock = open_lock(path)?;
        let deadline = Instant::now() + WAIT;
        let mut pause = Duration::from_micros(500);
        while !try_lock_exclusive(&lock).with_context(|| lock_context(path))? {
            if Instant::now() >= deadline {
                bail!(
                    "another git-rtk process has held {} for {} s",
                    path.display(),
                    WAIT.as_secs()
                );
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
        Database::connect(path, lock)
    }

    /// Like [`Database::open`], but `None` at once when another git-rtk process has it open.
    pub fn try_open(path: &Path) -> anyhow::Result<Option<Database>> {
        let lock = open_lock(path)?;
        if !try_lock_exclusive(&lock).with_context(|| lock_context(path))? {
            return Ok(None);
        }
        Database::connect(path, lock).map(Some)
    }

    fn connect(path: &Path, lock: File) -> anyhow::Result<Database> {
        let mut connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("opening {}", path.display()))?;
        connection.busy_timeout(WAIT)?;
        // Rows are statistics, not user data: an ingest costs no fsync. A process crash still
        // loses nothing; a power loss may lose the latest rows.
        connection.pragma_update(None, "synchronous", "OFF")?;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .with_context(|| format!("reading the schema version of {}", path.display()))?;
        if version != SCHEMA_VERSION {
            bring_up_to_date(&mut connection, version)
                .with_context(|| format!("creating the tables of {}", path.display()))?;
        }
        Ok(Database {
            connection,
            _lock: lock,
        })
    }
}

fn open_lock(database: &Path) -> anyhow::Result<File> {
    let dir = database.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(LOCK_FILE);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o644)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))
}

fn lock_context(database: &Path) -> String {
    format!("locking {}", database.with_file_name(LOCK_FILE).display())
}

/// Creates the tables, or adds what an older version lacks, and stamps the schema version.
fn bring_up_to_date(connection: &mut Connection, version: i64) -> rusqlite::Result<()> {
    if version > SCHEMA_VERSION {
        // Written by a newer git-rtk: its tables are a superset of ours; leave them alone.
        return Ok(());
    }
    // WAL lets outside readers read while a batch is ingested; the mode is stored in the file.
    connection.pragma_update(None, "journal_mode", "WAL")?;
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute_batch(
        "CREATE TABLE IF NOT EXISTS runs (
             id INTEGER PRIMARY KEY,
             time INTEGER NOT NULL,
             command TEXT NOT NULL,
             project TEXT NOT NULL,
             exit_code INTEGER NOT NULL,
             elapsed_us INTEGER NOT NULL,
             output_bytes INTEGER,
             native_bytes INTEGER,
             native_method TEXT,
             native_failure TEXT
         );
         CREATE INDEX IF NOT EXISTS runs_time ON runs(time);
         -- Spool batches already moved into `runs` (see `spool`): never ingested twice.
         CREATE TABLE IF NOT EXISTS ingested_batches (name TEXT PRIMARY KEY) WITHOUT ROWID;",
    )?;
    // Databases written before the method was recorded: their native sizes were all measured.
    let has_method = transaction
        .prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'native_method'")?
        .exists([])?;
    if !has_method {
        transaction.execute_batch(
            "ALTER TABLE runs ADD COLUMN native_method TEXT;
             UPDATE runs SET native_method = 'measured' WHERE native_bytes IS NOT NULL;",
        )?;
    }
    // Version 3 records a native path's failure (a bug after which git served the run).
    let has_failure = transaction
        .prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'native_failure'")?
        .exists([])?;
    if !has_failure {
        transaction.execute_batch("ALTER TABLE runs ADD COLUMN native_failure TEXT;")?;
    }
    transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    transaction.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_opener_is_turned_away_while_the_first_has_it_open() {
        let (_dir, path) = crate::track::scratch_database();
        let first = Database::open(&path).expect("open");
        assert!(Database::try_open(&path).expect("try").is_none());
        drop(first);
        assert!(Database::try_open(&path).expect("try again").is_some());
    }

    #[test]
    fn the_schema_is_stamped_once_and_later_opens_find_it() {
        let (_dir, path) = crate::track::scratch_database();
        drop(Database::open(&path).expect("create"));
        let database = Database::open(&path).expect("reopen");
        let version: i64 = database
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, SCHEMA_VERSION);
        let mode: String = database
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
    }
}
