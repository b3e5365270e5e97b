//! What the transcript readers hand to the report: one [`ShellCall`] per shell command an agent
//! ran, and where each agent keeps its transcripts. Readers own their agent's line format
//! ([`super::claude`], [`super::codex`]); this module owns nothing format-specific.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};

use bstr::ByteSlice as _;

/// An agent whose transcripts are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Agent {
    Claude,
    Codex,
}

impl Agent {
    pub const ALL: [Agent; 2] = [Agent::Claude, Agent::Codex];

    /// The name `--agent` takes and the reports print (also `git rtk-init --agent`'s).
    pub fn as_str(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Codex => "codex",
        }
    }

    pub fn parse(name: &str) -> Option<Agent> {
        Agent::ALL.into_iter().find(|agent| agent.as_str() == name)
    }
}

/// One shell command an agent ran, as its transcript recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellCall {
    pub agent: Agent,
    /// The tool call's id (Claude `tool_use.id`, Codex `call_id`): the same call copied into a
    /// resumed or forked session's file is counted once.
    pub id: String,
    /// The command line that ran: a hook's rewrite when the transcript records it, else the
    /// model's command.
    pub command: String,
    /// When the model asked for it.
    pub time: Option<jiff::Timestamp>,
    /// Bytes of the output the model was given, as recorded; 0 when no result was recorded.
    pub output_bytes: u64,
    /// The agent's permission mode at the time, when the transcript records one.
    pub permission_mode: Option<String>,
}

/// Every file under `root` (recursively, not following directory symlinks) whose name passes
/// `keep`, sorted. A missing root has none; unreadable directories are skipped with a warning.
pub fn files_under(root: &Path, keep: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && dir == root => continue,
            Err(err) => {
                eprintln!("warning: cannot list {}: {err}", dir.display());
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if entry.file_name().to_str().is_some_and(keep) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The JSON lines of the transcript at `path` that mention any of `needles`, parsed one at a
/// time; other lines (most of a transcript: text, reasoning, other tools) are skipped before
/// parsing. A line that is not JSON — the torn last line of a session still being written — is
/// skipped too. Lines are read as bytes, so a torn UTF-8 character costs one line, not the file.
pub fn json_lines<'a>(path: &Path, needles: &'a [&'a str]) -> std::io::Result<JsonLines<'a>> {
    Ok(JsonLines {
        reader: std::io::BufReader::new(std::fs::File::open(path)?),
        needles,
        line: Vec::new(),
    })
}

pub struct JsonLines<'a> {
    reader: std::io::BufReader<std::fs::File>,
    needles: &'a [&'a str],
    line: Vec<u8>,
}

impl Iterator for JsonLines<'_> {
    type Item = std::io::Result<serde_json::Value>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.line.clear();
            match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(err) => return Some(Err(err)),
            }
            if !self.needles.iter().any(|n| self.line.contains_str(n)) {
                continue;
            }
            if let Ok(value) = serde_json::from_slice(&self.line) {
                return Some(Ok(value));
            }
        }
    }
}

/// The recorded output's size: a string, or the `text` of each item of an array of content
/// blocks (`{"type":"text","text":…}` in Claude Code, `input_text`/`output_text` in Codex), summed.
/// Blocks without text (images) count nothing.
pub fn output_bytes(content: &serde_json::Value) -> u64 {
    match content {
        serde_json::Value::String(text) => text.len() as u64,
        serde_json::Value::Array(blocks) => blocks
            .iter()
            .filter_map(|block| block.get("text").and_then(serde_json::Value::as_str))
            .map(|text| text.len() as u64)
            .sum(),
        _ => 0,
    }
}

/// A transcript line's `timestamp` (ISO-8601, e.g. `2026-12-01T15:04:29.415Z`).
pub fn timestamp(line: &serde_json::Value) -> Option<jiff::Timestamp> {
    line.get("timestamp")?.as_str()?.parse().ok()
}

/// For the readers' tests: a transcript file `name` holding `content`, in a fresh directory that
/// goes with the guard.
#[cfg(test)]
pub(super) fn scratch_transcript(
    name: &str,
    content: impl AsRef<[u8]>,
) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write");
    (dir, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_size_counts_text_blocks_only() {
        let blocks = serde_json::json!([
            {"type": "text", "text": "abc"},
            {"type": "image", "source": {"data": "xxxxxxxx"}},
            {"type": "text", "text": "de"}
        ]);
        assert_eq!(output_bytes(&blocks), 5);
        assert_eq!(output_bytes(&serde_json::json!("héllo")), 6);
        assert_eq!(output_bytes(&serde_json::Value::Null), 0);
    }
}
