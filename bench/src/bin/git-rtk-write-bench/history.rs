//! `history.csv`: one block of rows per run (`date,commit,metric,value`), appended, never
//! rewritten. Long format so that adding a cell later does not invalidate older rows.
//!
//! Metrics: `p50_us:<scenario>:<size>` for every cell, `ratio:<gate>:<size>` for every gate ratio,
//! `info:<ratio>:<size>` for the ungated ratios, and `failures` (gates and checks that failed).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::analyze::{Analysis, Measure};

const HEADER: &str = "date,commit,metric,value";

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub date: String,
    pub commit: String,
    pub metrics: Vec<(String, f64)>,
}

impl Entry {
    pub fn from_analysis(date: &str, commit: &str, analysis: &Analysis) -> Entry {
        let mut metrics = Vec::new();
        for c in &analysis.cells {
            metrics.push((
                format!("p50_us:{}:{}", c.scenario.id(), c.size.label()),
                c.p50 / 1000.0,
            ));
        }
        for g in &analysis.gates {
            if let Measure::Ratio(r) = g.measure {
                metrics.push((format!("ratio:{}:{}", g.kind.id(), g.size.label()), r.value));
            }
        }
        for r in &analysis.info {
            metrics.push((
                format!("info:{}:{}", r.id, r.size.label()),
                r.estimate.value,
            ));
        }
        metrics.push(("failures".to_owned(), analysis.failures() as f64));
        Entry {
            date: date.to_owned(),
            commit: commit.to_owned(),
            metrics,
        }
    }

    pub fn get(&self, metric: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(m, _)| m == metric)
            .map(|(_, v)| *v)
    }

    fn same_run(&self, other: &Entry) -> bool {
        self.date == other.date && self.commit == other.commit
    }
}

/// Every run in the file, oldest first. A missing file is an empty history.
pub fn read(path: &Path) -> Result<Vec<Entry>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let mut entries: Vec<Entry> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if number == 0 {
            if line != HEADER {
                bail!("{}:1: expected the header `{HEADER}`", path.display());
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), number + 1);
        let fields: Vec<&str> = line.split(',').collect();
        let [date, commit, metric, value] = fields[..] else {
            bail!("{}: expected 4 fields", at());
        };
        let value: f64 = value
            .parse()
            .with_context(|| format!("{}: value `{value}`", at()))?;
        match entries.last_mut() {
            Some(last) if last.date == date && last.commit == commit => {
                last.metrics.push((metric.to_owned(), value));
            }
            _ => entries.push(Entry {
                date: date.to_owned(),
                commit: commit.to_owned(),
                metrics: vec![(metric.to_owned(), value)],
            }),
        }
    }
    Ok(entries)
}

/// Appends `entry` unless the same run (date and commit) is already recorded, so analysing one
/// raw file twice adds it once. Returns whether it appended.
pub fn append(path: &Path, entry: &Entry) -> Result<bool> {
    let existing = read(path)?;
    if existing.iter().any(|e| e.same_run(entry)) {
        return Ok(false);
    }
    let mut out = String::new();
    if existing.is_empty() && !path.exists() {
        out.push_str(HEADER);
        out.push('\n');
    }
    for (metric, value) in &entry.metrics {
        writeln!(out, "{},{},{metric},{value:.4}", entry.date, entry.commit)?;
    }
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.write_all(out.as_bytes())
        .with_context(|| format!("appending to {}", path.display()))?;
    Ok(true)
}

/// The run recorded before `current` (the latest entry that is not `current` itself).
pub fn previous<'a>(entries: &'a [Entry], current: &Entry) -> Option<&'a Entry> {
    let end = entries
        .iter()
        .position(|e| e.same_run(current))
        .unwrap_or(entries.len());
    entries[..end].last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_once_and_finds_the_previous_run() {
        let (_dir, path) = crate::scratch::file("history.csv");
        let first = Entry {
            date: "2026-01-01T00:00:00Z".into(),
            commit: "aaa".into(),
            metrics: vec![("ratio:durable_vs_bare:1KiB".into(), 1.05)],
        };
        let second = Entry {
            date: "2026-01-02T00:00:00Z".into(),
            commit: "bbb".into(),
            metrics: vec![
                ("ratio:durable_vs_bare:1KiB".into(), 1.02),
                ("failures".into(), 0.0),
            ],
        };
        assert!(append(&path, &first).expect("append"));
        assert!(append(&path, &second).expect("append"));
        assert!(!append(&path, &second).expect("append again"));
        let entries = read(&path).expect("read");
        assert_eq!(entries, vec![first.clone(), second.clone()]);
        assert_eq!(previous(&entries, &second), Some(&first));
        assert_eq!(previous(&entries, &first), None);
    }
}
