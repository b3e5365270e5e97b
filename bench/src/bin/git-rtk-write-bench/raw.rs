//! `results_raw.csv`: every timed sample, preceded by `# key: value` lines that describe the run
//! (commit, date, filesystem, schedule). The analyzer reads only this file, so a report can be
//! regenerated from it without measuring again.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::workload::{Sample, Scenario, Size};

const HEADER: &str = "round,order,scenario,size,files,nanos,bytes,syncs,renames,skipped";

/// Facts about the run, in the order they were recorded.
#[derive(Debug, Clone, Default)]
pub struct Meta(pub Vec<(String, String)>);

impl Meta {
    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        self.0.push((key.to_owned(), value.into()));
    }

    /// The value, or `unknown` when an older file lacks it.
    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("unknown", |(_, v)| v.as_str())
    }
}

pub struct RawRun {
    pub meta: Meta,
    pub samples: Vec<Sample>,
}

pub fn write(path: &Path, meta: &Meta, samples: &[Sample]) -> Result<()> {
    let mut out = String::new();
    for (key, value) in &meta.0 {
        // One line per entry: a newline in a value would end the comment early.
        writeln!(out, "# {key}: {}", value.replace('\n', " "))?;
    }
    out.push_str(HEADER);
    out.push('\n');
    for s in samples {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            s.round,
            s.order,
            s.scenario.id(),
            s.size.label(),
            s.scenario.files(),
            s.nanos,
            s.bytes,
            s.syncs,
            s.renames,
            u8::from(s.skipped)
        )?;
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

pub fn read(path: &Path) -> Result<RawRun> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut meta = Meta::default();
    let mut samples = Vec::new();
    let mut header_seen = false;
    for (number, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", path.display(), number + 1);
        if let Some(comment) = line.strip_prefix("# ") {
            if let Some((key, value)) = comment.split_once(": ") {
                meta.push(key, value);
            }
            continue;
        }
        if !header_seen {
            if line != HEADER {
                bail!("{}: expected the header `{HEADER}`", at());
            }
            header_seen = true;
            continue;
        }
        if line.is_empty() {
            continue;
        }
        samples.push(parse_sample(line).with_context(at)?);
    }
    if !header_seen {
        bail!("{}: no header line, not a raw results file", path.display());
    }
    Ok(RawRun { meta, samples })
}

fn parse_sample(line: &str) -> Result<Sample> {
    let fields: Vec<&str> = line.split(',').collect();
    let [round, order, scenario, size, _files, nanos, bytes, syncs, renames, skipped] = fields[..]
    else {
        bail!("expected 10 fields, found {}", fields.len());
    };
    Ok(Sample {
        round: round.parse().context("round")?,
        order: order.parse().context("order")?,
        scenario: Scenario::parse(scenario)
            .with_context(|| format!("unknown scenario `{scenario}`"))?,
        size: Size::parse(size).with_context(|| format!("unknown size `{size}`"))?,
        nanos: nanos.parse().context("nanos")?,
        bytes: bytes.parse().context("bytes")?,
        syncs: syncs.parse().context("syncs")?,
        renames: renames.parse().context("renames")?,
        skipped: match skipped {
            "0" => false,
            "1" => true,
            other => bail!("skipped must be 0 or 1, found `{other}`"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_samples_and_meta() {
        let (_dir, path) = crate::scratch::file("raw.csv");
        let mut meta = Meta::default();
        meta.push("commit", "abc123");
        meta.push("filesystem", "ext4 on /dev/vda");
        let samples = vec![Sample {
            round: 3,
            order: 7,
            scenario: Scenario::BareBatch,
            size: Size::Medium,
            nanos: 123_456,
            bytes: 13_107_200,
            syncs: 101,
            renames: 100,
            skipped: false,
        }];
        write(&path, &meta, &samples).expect("write");
        let back = read(&path).expect("read");
        assert_eq!(back.samples, samples);
        assert_eq!(back.meta.get("filesystem"), "ext4 on /dev/vda");
        assert_eq!(back.meta.get("missing"), "unknown");
    }
}
