//! `git rtk-discover [--since <date>] [--top N] [--agent claude|codex] [--format text|json]`:
//! which git commands AI agents ran as plain git rather than through a plugin, why, how often,
//! and what their output cost in tokens — read from the agents' own session transcripts.
//!
//! It only reads transcripts; it never writes anything and never prints command text
//! unredacted. [`scan`] takes explicit transcript roots ([`Source`]), so callers and tests choose
//! where to look; only [`main`] reads `HOME`, `CLAUDE_CONFIG_DIR` and `CODEX_HOME`.

pub mod claude;
pub mod codex;
pub mod render;
pub mod report;
pub mod transcript;
pub mod verdict;

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::PathBuf;

use crate::command;
use crate::rewrite::policy::Policy;
use report::Report;
use transcript::{Agent, ShellCall};

pub const COMMAND: command::Command = command::tool(
    "discover",
    "git commands agents ran without a plugin, from their transcripts",
    main,
    <Cli as clap::CommandFactory>::command,
);

/// Reads AI agents' session transcripts and reports the git commands that ran as plain git
/// instead of `git rtk-<cmd>`: why they were not rewritten, how often, and the tokens of their
/// recorded output.
#[derive(Debug, clap::Parser)]
#[command(
    after_help = "Transcripts: $CLAUDE_CONFIG_DIR/projects (default ~/.claude/projects) and\n\
$CODEX_HOME/sessions (default ~/.codex/sessions)."
)]
struct Cli {
    /// Only commands run since then: YYYY-MM-DD (local midnight) or an ISO-8601 time
    /// (2026-12-01T15:04:29Z; without an offset, local time).
    #[arg(long, value_name = "date", value_parser = parse_since_arg)]
    since: Option<jiff::Timestamp>,
    /// Groups shown (0 shows all).
    #[arg(long, value_name = "n", default_value_t = DEFAULT_TOP)]
    top: usize,
    /// Only this agent's transcripts.
    #[arg(long, value_name = "agent", value_parser = ["claude", "codex"])]
    agent: Option<String>,
    /// text or json.
    #[arg(long, value_name = "format", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

impl From<Cli> for Options {
    fn from(cli: Cli) -> Self {
        Options {
            since: cli.since,
            top: (cli.top != 0).then_some(cli.top),
            agent: cli.agent.as_deref().and_then(Agent::parse),
            json: cli.format == "json",
        }
    }
}

fn parse_since_arg(value: &str) -> Result<jiff::Timestamp, String> {
    parse_since(value)
        .ok_or_else(|| format!("cannot read the date `{value}' (YYYY-MM-DD or ISO-8601)"))
}

/// Groups shown when `--top` is not given.
const DEFAULT_TOP: usize = 10;

/// Where one agent keeps its transcripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub agent: Agent,
    pub root: PathBuf,
}

impl Source {
    /// Claude Code's `projects` folder under `$CLAUDE_CONFIG_DIR`, else `~/.claude`; Codex's
    /// `sessions` under `$CODEX_HOME`, else `~/.codex`. An agent whose folder cannot be named
    /// (no `HOME`) is left out.
    pub fn from_environment() -> Vec<Source> {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        let base = |variable: &str, under_home: &str| {
            std::env::var_os(variable)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(under_home)))
        };
        let mut sources = Vec::new();
        if let Some(dir) = base("CLAUDE_CONFIG_DIR", ".claude") {
            sources.push(Source {
                agent: Agent::Claude,
                root: dir.join("projects"),
            });
        }
        if let Some(dir) = base("CODEX_HOME", ".codex") {
            sources.push(Source {
                agent: Agent::Codex,
                root: dir.join("sessions"),
            });
        }
        sources
    }

    /// The transcript files under this source's root.
    pub fn files(&self) -> Vec<PathBuf> {
        match self.agent {
            Agent::Claude => claude::files(&self.root),
            Agent::Codex => codex::files(&self.root),
        }
    }

    fn read(&self, path: &std::path::Path) -> std::io::Result<Vec<ShellCall>> {
        match self.agent {
            Agent::Claude => claude::read(path),
            Agent::Codex => codex::read(path),
        }
    }
}

/// Reads every transcript of `sources` and judges each shell command run at or after `since`
/// (commands without a recorded time are left out when `since` is given). A call copied into
/// several files (resumed or forked sessions) counts once. Unreadable files are reported on
/// stderr and skipped.
pub fn scan(sources: &[Source], since: Option<jiff::Timestamp>, policy: &Policy) -> Report {
    let mut report = Report::default();
    let mut seen: HashSet<(Agent, String)> = HashSet::new();
    for source in sources {
        let files = source.files();
        *report.files.entry(source.agent).or_default() += files.len() as u64;
        for path in files {
            let calls = match source.read(&path) {
                Ok(calls) => calls,
                Err(err) => {
                    eprintln!("warning: cannot read {}: {err}", path.display());
                    continue;
                }
            };
            for call in calls {
                let in_range = match (since, call.time) {
                    (None, _) => true,
                    (Some(since), Some(time)) => time >= since,
                    (Some(_), None) => false,
                };
                if !in_range || !seen.insert((call.agent, call.id.clone())) {
                    continue;
                }
                let invocations = verdict::judge(&call.command, policy);
                report.add(&call, &invocations);
            }
        }
    }
    report
}

#[derive(Debug)]
struct Options {
    since: Option<jiff::Timestamp>,
    top: Option<usize>,
    agent: Option<Agent>,
    json: bool,
}

/// `2026-12-01` (midnight, local time), `2026-12-01T15:04:29Z` / `+01:00` (that instant), or
/// `2026-12-01T15:04:29` / `2026-12-01 15:04` (local time).
fn parse_since(value: &str) -> Option<jiff::Timestamp> {
    let value = value.trim();
    if let Ok(timestamp) = value.parse::<jiff::Timestamp>() {
        return Some(timestamp);
    }
    let local = jiff::tz::TimeZone::system();
    if let Ok(datetime) = value.parse::<jiff::civil::DateTime>() {
        return datetime.to_zoned(local).ok().map(|z| z.timestamp());
    }
    let date = value.parse::<jiff::civil::Date>().ok()?;
    date.to_zoned(local).ok().map(|z| z.timestamp())
}

/// Runs the command; returns the exit code.
pub fn main(args: Vec<OsString>, _commands: &[&'static command::Command]) -> i32 {
    let cli: Cli = match crate::command::parse_tool("discover", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let options = Options::from(cli);
    let sources: Vec<Source> = Source::from_environment()
        .into_iter()
        .filter(|s| options.agent.is_none_or(|agent| agent == s.agent))
        .collect();
    let report = scan(&sources, options.since, &Policy::from_environment());
    let found: u64 = report.files.values().sum();
    let context = render::Context {
        sources: &sources,
        since: options.since,
        top: options.top,
    };
    let text = if options.json {
        if found == 0 {
            eprintln!("{}", nothing_found(&sources));
        }
        render::json(&report, &context)
    } else if found == 0 {
        format!("{}\n", nothing_found(&sources))
    } else {
        render::text(&report, &context)
    };
    crate::help::write_out(text.as_bytes())
}

fn nothing_found(sources: &[Source]) -> String {
    if sources.is_empty() {
        return "no agent transcripts found: HOME is not set (nor CLAUDE_CONFIG_DIR, CODEX_HOME)"
            .to_owned();
    }
    let places: Vec<String> = sources
        .iter()
        .map(|s| format!("{} ({})", s.root.display(), s.agent.as_str()))
        .collect();
    format!("no agent transcripts found in {}", places.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_and_timestamps() {
        assert_eq!(
            parse_since("2026-12-01T15:04:29Z"),
            Some("2026-12-01T15:04:29Z".parse().expect("timestamp"))
        );
        assert_eq!(
            parse_since("2026-12-01T16:04:29+01:00"),
            Some("2026-12-01T15:04:29Z".parse().expect("timestamp"))
        );
        assert!(parse_since("2026-12-01").is_some());
        assert!(parse_since("2026-12-01T10:00:00").is_some());
        assert_eq!(parse_since("yesterday"), None);
        assert_eq!(parse_since("2026-13-01"), None);
    }

    fn parse_args(words: &[&str]) -> Result<Options, clap::error::ErrorKind> {
        let argv = std::iter::once("git rtk-discover").chain(words.iter().copied());
        <Cli as clap::Parser>::try_parse_from(argv)
            .map(Options::from)
            .map_err(|err| err.kind())
    }

    #[test]
    fn flags_take_inline_or_separate_values() {
        let options =
            parse_args(&["--top=3", "--agent", "codex", "--format=json"]).expect("parses");
        assert_eq!(options.top, Some(3));
        assert_eq!(options.agent, Some(Agent::Codex));
        assert!(options.json);
        assert_eq!(parse_args(&["--top", "0"]).expect("parses").top, None);
        for bad in [
            &["--top", "x"][..],
            &["--agent", "gemini"],
            &["--format", "csv"],
            &["--since"],
            &["--since", "yesterday"],
            &["--bogus"],
            &["status"],
        ] {
            let kind = parse_args(bad).err();
            assert!(
                kind.is_some_and(|k| k != clap::error::ErrorKind::DisplayHelp),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_args(&["-h"]).err(),
            Some(clap::error::ErrorKind::DisplayHelp)
        );
    }
}
