//! `git rtk-gain [--since <date>] [--format text|json|csv]`: what the tracked runs (see
//! `crate::track`) printed and saved — totals, per command, per project and per day.
//!
//! How savings are computed, as the report states: tokens are bytes / 4, rounded up. A run counts
//! a saving only when git's own output size for it is known: measured (mutating plugins count what
//! git printed) or estimated (read plugins; the parity suite holds every estimate within ±10% of
//! real git's output). An estimate is first lowered to the smallest size that tolerance allows
//! (÷ 1.1), so a counted saving never exceeds the real one. Never negative. Runs without a native
//! size count as printed, saving nothing.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;

use crate::command;
use crate::history::dates;
use crate::track;

pub const COMMAND: command::Command = command::tool(
    "gain",
    "runs and tokens saved, from run tracking",
    main,
    <Cli as clap::CommandFactory>::command,
);

/// Runs and tokens saved by git-rtk's plugins, from run tracking.
#[derive(Debug, clap::Parser)]
struct Cli {
    /// Only runs since this date (git's approxidate: 2026-12-01, "2 weeks ago").
    #[arg(long, value_name = "date")]
    since: Option<String>,
    /// text, json or csv.
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "format")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Csv,
}

const METHOD: &str = "tokens = bytes / 4 (rounded up); a run saves tokens only when git's own output size \
                      for it is known: measured (git's output counted) or estimated (checked against real git \
                      within ±10% by the parity suite, and counted as estimate / 1.1 so a saving is never \
                      overstated); a run whose printed output is larger than git's counts the difference as a cost, \
                      not as a saving of zero; net = saved - cost; other runs save and cost nothing";

/// Where a run's native size came from, as stored in the `native_method` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Measured(u64),
    Estimated(u64),
}

impl Known {
    fn from_row(bytes: Option<i64>, method: Option<&str>) -> Option<Self> {
        let bytes = u64::try_from(bytes?).unwrap_or(0);
        Some(match method {
            Some("estimated") => Known::Estimated(bytes),
            _ => Known::Measured(bytes),
        })
    }

    /// The size a saving is computed from: an estimate lowered by the tolerance parity allows.
    fn counted_bytes(self) -> u64 {
        match self {
            Known::Measured(bytes) => bytes,
            Known::Estimated(bytes) => bytes * 10 / 11,
        }
    }
}

#[derive(Default, Clone)]
struct Tally {
    runs: u64,
    measured_runs: u64,
    estimated_runs: u64,
    output_tokens: u64,
    saved_tokens: u64,
    /// Tokens printed beyond git's own output for the same run.
    cost_tokens: u64,
    elapsed_ms_total: f64,
}

impl Tally {
    fn add(&mut self, output: Option<i64>, native: Option<Known>, elapsed_us: i64) {
        self.runs += 1;
        self.elapsed_ms_total += elapsed_us as f64 / 1000.0;
        let output = output.map(|b| u64::try_from(b).unwrap_or(0));
        self.output_tokens += output.map_or(0, tokens);
        if let (Some(out), Some(native)) = (output, native) {
            match native {
                Known::Measured(_) => self.measured_runs += 1,
                Known::Estimated(_) => self.estimated_runs += 1,
            }
            let (git, printed) = (tokens(native.counted_bytes()), tokens(out));
            self.saved_tokens += git.saturating_sub(printed);
            self.cost_tokens += printed.saturating_sub(git);
        }
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "runs": self.runs,
            "measured_runs": self.measured_runs,
            "estimated_runs": self.estimated_runs,
            "output_tokens": self.output_tokens,
            "saved_tokens": self.saved_tokens,
            "cost_tokens": self.cost_tokens,
            "net_tokens": self.net_tokens(),
            "mean_ms": self.mean_ms(),
        })
    }

    /// Saved minus cost: negative when the plugin printed more than git would have.
    fn net_tokens(&self) -> i64 {
        i64::try_from(self.saved_tokens).unwrap_or(i64::MAX)
            - i64::try_from(self.cost_tokens).unwrap_or(i64::MAX)
    }

    fn mean_ms(&self) -> f64 {
        if self.runs == 0 {
            0.0
        } else {
            self.elapsed_ms_total / self.runs as f64
        }
    }
}

pub(crate) fn tokens(bytes: u64) -> u64 {
    bytes.div_ceil(4)
}

#[derive(Default)]
struct Report {
    total: Tally,
    commands: BTreeMap<String, Tally>,
    projects: BTreeMap<String, Tally>,
    days: BTreeMap<String, Tally>,
}

pub fn main(args: Vec<OsString>, _commands: &[&'static command::Command]) -> i32 {
    let cli: Cli = match crate::command::parse_tool("gain", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let since = match cli
        .since
        .as_deref()
        .map(|v| (v, dates::parse_approxidate(v)))
    {
        None => None,
        Some((_, Some(t))) => Some(t),
        Some((value, None)) => {
            eprintln!("fatal: cannot read the date {value:?}");
            return crate::failure::Exit::Fatal.code();
        }
    };
    let Some(path) = track::database_path() else {
        return crate::help::print("tracking is off (RTK_TRACK=0) or no data directory is known\n");
    };
    // Rows still in the spool belong in the report.
    let spooled = path
        .parent()
        .is_some_and(|dir| dir.join(track::spool::SPOOL_FILE).exists());
    if spooled || path.exists() {
        if let Err(err) = track::ingest(&path) {
            eprintln!(
                "warning: could not move spooled runs into {}: {err:#}",
                path.display()
            );
        }
    }
    let report = if path.exists() {
        match load(&path, since.unwrap_or(i64::MIN)) {
            Ok(report) => report,
            Err(err) => {
                eprintln!("fatal: reading {}: {err}", path.display());
                return crate::failure::Exit::Fatal.code();
            }
        }
    } else {
        Report::default()
    };
    let text = match cli.format {
        Format::Json => json(&report),
        Format::Csv => csv(&report),
        Format::Text => text(&report, &path),
    };
    match crate::finish::write_stdout(text.as_bytes()) {
        Ok(()) => 0,
        Err(err) => err.exit().code(),
    }
}

fn load(path: &std::path::Path, since: i64) -> anyhow::Result<Report> {
    let connection = track::Database::open(path)?;
    let mut statement = connection.prepare(
        "SELECT time, command, project, elapsed_us, output_bytes, native_bytes, native_method
         FROM runs WHERE time >= ?1",
    )?;
    let mut report = Report::default();
    let rows = statement.query_map([since], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<i64>>(4)?,
            Known::from_row(
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<String>>(6)?.as_deref(),
            ),
        ))
    })?;
    for row in rows {
        let (time, command, project, elapsed, output, native) = row?;
        let day = jiff::Timestamp::from_second(time)
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default();
        report.total.add(output, native, elapsed);
        report
            .commands
            .entry(command)
            .or_default()
            .add(output, native, elapsed);
        report
            .projects
            .entry(project)
            .or_default()
            .add(output, native, elapsed);
        report
            .days
            .entry(day)
            .or_default()
            .add(output, native, elapsed);
    }
    Ok(report)
}

fn text(report: &Report, path: &std::path::Path) -> String {
    let t = &report.total;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} runs, {} output tokens, {} tokens saved, {} cost, net {} (git's size: {} runs measured, {} estimated, {} unknown)",
        t.runs,
        t.output_tokens,
        t.saved_tokens,
        t.cost_tokens,
        t.net_tokens(),
        t.measured_runs,
        t.estimated_runs,
        t.runs - t.measured_runs - t.estimated_runs
    );
    for (title, table) in [("command", &report.commands), ("project", &report.projects)] {
        let _ = writeln!(out, "\nper {title}:");
        for (key, tally) in table {
            let _ = writeln!(
                out,
                "  {key}: {} runs, {:.1} ms mean, {} output tokens, {} saved, {} cost, net {}",
                tally.runs,
                tally.mean_ms(),
                tally.output_tokens,
                tally.saved_tokens,
                tally.cost_tokens,
                tally.net_tokens()
            );
        }
    }
    let _ = writeln!(out, "\nper day (runs):");
    let most = report
        .days
        .values()
        .map(|d| d.runs)
        .max()
        .unwrap_or(0)
        .max(1);
    for (day, tally) in &report.days {
        let width = (tally.runs * 30).div_ceil(most) as usize;
        let _ = writeln!(
            out,
            "  {day} {:<30} {} runs, net {} saved",
            "█".repeat(width),
            tally.runs,
            tally.net_tokens()
        );
    }
    let _ = writeln!(out, "\nhow: {METHOD}\ndata: {}", path.display());
    out
}

fn json(report: &Report) -> String {
    let section = |table: &BTreeMap<String, Tally>| -> Vec<serde_json::Value> {
        table
            .iter()
            .map(|(key, t)| serde_json::json!({"key": key, "tally": t.to_json()}))
            .collect()
    };
    let value = serde_json::json!({
        "method": METHOD,
        "total": report.total.to_json(),
        "commands": section(&report.commands),
        "projects": section(&report.projects),
        "days": section(&report.days),
    });
    format!("{value}\n")
}

fn csv(report: &Report) -> String {
    let mut out = String::from(
        "section,key,runs,measured_runs,estimated_runs,output_tokens,saved_tokens,cost_tokens,net_tokens,mean_ms\n",
    );
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut row = |section: &str, key: &str, t: &Tally| {
        let _ = writeln!(
            out,
            "{section},{},{},{},{},{},{},{},{},{:.3}",
            quote(key),
            t.runs,
            t.measured_runs,
            t.estimated_runs,
            t.output_tokens,
            t.saved_tokens,
            t.cost_tokens,
            t.net_tokens(),
            t.mean_ms()
        );
    };
    row("total", "", &report.total);
    for (name, table) in [
        ("command", &report.commands),
        ("project", &report.projects),
        ("day", &report.days),
    ] {
        for (key, t) in table {
            row(name, key, t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings_and_costs_count_only_known_sizes() {
        let mut tally = Tally::default();
        // measured: 100 vs 300 tokens → 200 saved
        tally.add(Some(400), Some(Known::Measured(1200)), 1000);
        // unknown: nothing saved
        tally.add(Some(400), None, 1000);
        // larger than git's: 200 vs 100 tokens → 100 cost, not a saving of zero
        tally.add(Some(800), Some(Known::Measured(400)), 1000);
        // estimated 2200 bytes → counted as 2000 (550 − 100 tokens → 400 saved)
        tally.add(Some(400), Some(Known::Estimated(2200)), 1000);
        assert_eq!(tally.runs, 4);
        assert_eq!(tally.measured_runs, 2);
        assert_eq!(tally.estimated_runs, 1);
        assert_eq!(tally.output_tokens, 500);
        assert_eq!(tally.saved_tokens, 600);
        assert_eq!(tally.cost_tokens, 100);
        assert_eq!(tally.net_tokens(), 500);
    }

    #[test]
    fn rows_from_before_the_method_column_count_as_measured() {
        assert_eq!(Known::from_row(Some(5), None), Some(Known::Measured(5)));
        assert_eq!(
            Known::from_row(Some(5), Some("estimated")),
            Some(Known::Estimated(5))
        );
        assert_eq!(Known::from_row(None, Some("estimated")), None);
    }
}
