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

use crate::rewrite::policy::Policy;
use report::Report;
use transcript::{Agent, ShellCall};

const USAGE: &str = "\
usage: git rtk-discover [--since <date>] [--top <n>] [--agent claude|codex] [--format text|json]

Reads AI agents' session transcripts and reports the git commands that ran as plain git
instead of `git rtk-<cmd>`: why they were not rewritten, how often, and the tokens of their
recorded output.

    --since <date>     only commands run since then: YYYY-MM-DD (local midnight) or an
                       ISO-8601 time (2026-12-01T15:04:29Z; without an offset, local time)
    --top <n>          groups shown (default 10; 0 shows all)
    --agent <name>     only this agent's transcripts: claude or codex
    --format <f>       text (default) or json

Transcripts: $CLAUDE_CONFIG_DIR/projects (default ~/.claude/projects) and
$CODEX_HOME/sessions (default ~/.codex/sessions).
";

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

/// Why the arguments were not accepted: usage asked for, or an error line.
enum Refusal {
    Help,
    Error(String),
}

fn parse_args(args: &[OsString]) -> Result<Options, Refusal> {
    let mut options = Options {
        since: None,
        top: Some(DEFAULT_TOP),
        agent: None,
        json: false,
    };
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let Some(word) = word.to_str() else {
            return Err(Refusal::Error(format!(
                "argument is not valid UTF-8: {word:?}"
            )));
        };
        if word == "-h" || word == "--help" {
            return Err(Refusal::Help);
        }
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (word, None),
        };
        if !matches!(name, "--since" | "--top" | "--agent" | "--format") {
            return Err(Refusal::Error(if word.starts_with('-') {
                format!("unknown option `{word}'")
            } else {
                format!("unexpected argument `{word}'")
            }));
        }
        let value = match inline {
            Some(value) => value,
            None => match words.next().and_then(|v| v.to_str()) {
                Some(value) => value.to_owned(),
                None => return Err(Refusal::Error(format!("{name} needs a value"))),
            },
        };
        match name {
            "--since" => {
                let since = parse_since(&value).ok_or_else(|| {
                    Refusal::Error(format!(
                        "--since: cannot read the date `{value}' (YYYY-MM-DD or ISO-8601)"
                    ))
                })?;
                options.since = Some(since);
            }
            "--top" => {
                let n: usize = value
                    .parse()
                    .map_err(|_| Refusal::Error(format!("--top needs a number, not `{value}'")))?;
                options.top = (n != 0).then_some(n);
            }
            "--agent" => {
                options.agent = Some(Agent::parse(&value).ok_or_else(|| {
                    Refusal::Error(format!("--agent must be claude or codex, not `{value}'"))
                })?);
            }
            _ => {
                options.json = match value.as_str() {
                    "text" => false,
                    "json" => true,
                    _ => {
                        return Err(Refusal::Error(format!(
                            "--format must be text or json, not `{value}'"
                        )))
                    }
                };
            }
        }
    }
    Ok(options)
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
pub fn main(args: &[OsString]) -> i32 {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(Refusal::Help) => {
            // git's convention: `-h` prints the usage on stdout and exits 129.
            return match crate::plugin::write_stdout(USAGE.as_bytes()) {
                Ok(()) => 129,
                Err(code) => code,
            };
        }
        Err(Refusal::Error(message)) => {
            eprint!("error: {message}\n{USAGE}");
            return 129;
        }
    };
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
    match crate::plugin::write_stdout(text.as_bytes()) {
        Ok(()) => 0,
        Err(code) => code,
    }
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

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

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

    #[test]
    fn flags_take_inline_or_separate_values() {
        let options = parse_args(&args(&["--top=3", "--agent", "codex", "--format=json"]))
            .ok()
            .expect("parses");
        assert_eq!(options.top, Some(3));
        assert_eq!(options.agent, Some(Agent::Codex));
        assert!(options.json);
        assert_eq!(
            parse_args(&args(&["--top", "0"])).ok().expect("parses").top,
            None
        );
        for bad in [
            &["--top", "x"][..],
            &["--agent", "gemini"],
            &["--format", "csv"],
            &["--since"],
            &["--bogus"],
            &["status"],
        ] {
            assert!(
                matches!(parse_args(&args(bad)), Err(Refusal::Error(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(parse_args(&args(&["-h"])), Err(Refusal::Help)));
    }
}
