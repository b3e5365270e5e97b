//! The native-size check: a plugin records in its tracking row how many bytes git itself prints
//! for the same invocation (measured by mutating plugins, estimated by read plugins). The plugin
//! twin runs with tracking on, into a database of its own; the recorded size must be within ±10%
//! of what git printed (stdout and stderr) in the git twin.

use std::path::{Path, PathBuf};

use super::env::CaseEnv;

/// The allowed difference, as a fraction of git's size.
pub const TOLERANCE: f64 = 0.10;

/// A recorded native size next to what git printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeCheck {
    pub recorded: u64,
    pub actual: u64,
    pub estimated: bool,
}

impl NativeCheck {
    /// Signed relative difference: (recorded − actual) / actual; 0 when both are 0.
    pub fn deviation(self) -> f64 {
        if self.actual == 0 {
            return if self.recorded == 0 {
                0.0
            } else {
                f64::INFINITY
            };
        }
        (self.recorded as f64 - self.actual as f64) / self.actual as f64
    }

    pub fn holds(self) -> bool {
        self.deviation().abs() <= TOLERANCE
    }

    pub fn describe(self) -> String {
        format!(
            "native size {} {} bytes, git printed {} ({:+.1}%, allowed ±{:.0}%)",
            if self.estimated {
                "estimated"
            } else {
                "measured"
            },
            self.recorded,
            self.actual,
            100.0 * self.deviation(),
            100.0 * TOLERANCE
        )
    }
}

/// `XDG_DATA_HOME` for the plugin twin: next to the case directory, not in it, because the state
/// comparison covers the whole case directory and tracking is no repository side effect.
pub fn data_home(env: &CaseEnv) -> PathBuf {
    let mut name = env.case_dir.file_name().unwrap_or_default().to_owned();
    name.push(".tracking");
    env.case_dir.with_file_name(name)
}

/// What the plugin run's tracking row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The plugin printed its own output (`output_bytes` set); git's own run leaves it empty.
    pub served: Served,
    /// git's output size and whether it was estimated, when one was recorded.
    pub native: Option<(u64, bool)>,
    /// The native path's failure, when it failed where git does not (a bug).
    pub failure: Option<String>,
}

/// How a case's plugin run was served: in-process (or git's work reported by the plugin), or
/// handed to git unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Served {
    Native,
    Git,
}

impl Served {
    pub fn as_str(self) -> &'static str {
        match self {
            Served::Native => "native",
            Served::Git => "git",
        }
    }
}

/// The plugin run's tracking row, if it left one; the database is removed after.
pub fn take_recorded(env: &CaseEnv) -> Result<Option<Recorded>, String> {
    let home = data_home(env);
    let dir = home.join("git-rtk");
    if !dir.exists() {
        return Ok(None);
    }
    // The run left its row in the spool; move it into the database as `git rtk-gain` would.
    let path = dir.join("tracking.sqlite");
    git_rtk::track::ingest(&path)
        .map_err(|err| format!("ingesting into {}: {err:#}", path.display()))?;
    let recorded = read(&path).map_err(|err| format!("reading {}: {err}", path.display()))?;
    std::fs::remove_dir_all(&home)
        .map_err(|err| format!("cannot remove {}: {err}", home.display()))?;
    Ok(recorded)
}

fn read(path: &Path) -> anyhow::Result<Option<Recorded>> {
    use rusqlite::OptionalExtension as _;
    let connection = git_rtk::track::Database::open(path)?;
    type Row = (Option<i64>, Option<i64>, Option<String>, Option<String>);
    let row: Option<Row> = connection
        .query_row(
            "SELECT output_bytes, native_bytes, native_method, native_failure
             FROM runs ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(row.map(|(output, bytes, method, failure)| Recorded {
        served: if output.is_some() {
            Served::Native
        } else {
            Served::Git
        },
        native: bytes.map(|bytes| {
            (
                u64::try_from(bytes).unwrap_or(0),
                method.as_deref() == Some("estimated"),
            )
        }),
        failure,
    }))
}
