//! `git rtk-discover` end to end, over transcripts in each agent's real on-disk format
//! (`tests/fixtures/transcripts/`, whose README says where each format comes from: Claude Code
//! 2.1.112 `cli.js`, codex-cli 0.171.0 recorded rollout lines).
//!
//! The expected report is computed here, from the fixture files themselves: each recorded
//! output's bytes, each call's time, and a hand-written table of what every command is (served
//! by a plugin, or missed and why, by the rewriter's documented rules). Nothing is copied from
//! the implementation's output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const HOOK: &str = "hook not installed, or kept for permissions";
const FLAG: &str = "flag handed to git";
const MUTATING: &str = "mutating not enabled";
const SECRET: &str = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

/// What one git invocation in a fixture command is.
#[derive(Clone, Copy)]
enum Expect {
    Served,
    Missed(&'static str, &'static str),
}
use Expect::{Missed, Served};

/// Every shell call in the fixtures, by tool call id, with its git invocations in order.
const CLAUDE: &[(&str, &[Expect])] = &[
    ("toolu_01A1", &[Missed("status", HOOK)]),     // git status
    ("toolu_01A2", &[Missed("log", "pipe")]),      // git log --oneline | grep x
    ("toolu_01A3", &[Served]),                     // git rtk-status
    ("toolu_01A4", &[Served]), // git diff, rewritten to git rtk-diff by the hook
    ("toolu_01A6", &[Missed("status", FLAG)]), // git status --porcelain
    ("toolu_01A7", &[]),       // ls -la src
    ("toolu_01A8", &[Missed("commit", MUTATING)]), // git commit -m x
    ("toolu_01B1", &[Missed("push", MUTATING)]), // GITHUB_TOKEN=… git push
    // cd src && git status && git log -n 3
    ("toolu_01B2", &[Missed("status", HOOK), Missed("log", HOOK)]),
    ("toolu_01C1", &[Missed("show", HOOK)]), // sub-agent: git show HEAD
];
const CODEX: &[(&str, &[Expect])] = &[
    ("call_hX2mQ9aZ1", &[Missed("status", HOOK)]), // git status
    ("call_kP4rT7bW2", &[Served]),                 // git status, executed as git rtk-status
    ("call_mN8vC3dE3", &[]),                       // rg -n TODO src
    ("call_qR5sL2fG4", &[Missed("branch", MUTATING)]), // git branch -D old-feature
    ("call_tY6uJ9hK5", &[Missed("log", "redirect")]), // git log -n 2 > /tmp/log.txt
    ("call_wZ7xB1nM6", &[Missed("blame", HOOK)]),  // git blame src/lib.rs
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/transcripts")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture");
        }
    }
}

fn jsonl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            jsonl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push(path);
        }
    }
}

fn lines(agent: &str) -> Vec<Value> {
    let mut files = Vec::new();
    jsonl_files(&fixtures().join(agent), &mut files);
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .expect("fixture")
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).expect("fixture line is JSON"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A shell call as the fixture records it: when, and how many bytes of output the model read.
struct Recorded {
    time: jiff::Timestamp,
    output_bytes: u64,
}

fn time(line: &Value) -> jiff::Timestamp {
    line["timestamp"]
        .as_str()
        .expect("timestamp")
        .parse()
        .expect("ISO-8601")
}

/// Claude Code: `tool_use` blocks named Bash, and their `tool_result` content (text).
fn claude_calls() -> BTreeMap<String, Recorded> {
    let mut calls = BTreeMap::new();
    let mut outputs = BTreeMap::new();
    for line in lines("claude") {
        for block in line["message"]["content"].as_array().into_iter().flatten() {
            if block["type"] == "tool_use" && block["name"] == "Bash" {
                let id = block["id"].as_str().expect("id").to_owned();
                calls.insert(id, time(&line));
            }
            if block["type"] == "tool_result" {
                let text = block["content"].as_str().expect("Bash results are text");
                let id = block["tool_use_id"].as_str().expect("id").to_owned();
                outputs.insert(id, text.len() as u64);
            }
        }
    }
    recorded(calls, outputs)
}

/// Each call's time joined with the size of its output.
fn recorded(
    calls: BTreeMap<String, jiff::Timestamp>,
    outputs: BTreeMap<String, u64>,
) -> BTreeMap<String, Recorded> {
    calls
        .into_iter()
        .map(|(id, time)| {
            let output_bytes = outputs[&id];
            (id, Recorded { time, output_bytes })
        })
        .collect()
}

/// Codex: `function_call` lines and their `function_call_output` text.
fn codex_calls() -> BTreeMap<String, Recorded> {
    let mut calls = BTreeMap::new();
    let mut outputs = BTreeMap::new();
    for line in lines("codex") {
        let payload = &line["payload"];
        let id = payload["call_id"].as_str().map(str::to_owned);
        match payload["type"].as_str() {
            Some("function_call") => {
                calls.insert(id.expect("call id"), time(&line));
            }
            Some("function_call_output") => {
                let text = payload["output"].as_str().expect("output text");
                outputs.insert(id.expect("call id"), text.len() as u64);
            }
            _ => {}
        }
    }
    recorded(calls, outputs)
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Expected {
    commands: u64,
    git_invocations: u64,
    served: u64,
    missed: u64,
    served_tokens: u64,
    missed_tokens: u64,
    /// (subcommand, reason) → (count, tokens)
    groups: BTreeMap<(String, String), (u64, u64)>,
}

/// The report the fixtures should give: tokens are bytes / 4 rounded up (git rtk-gain's
/// rule), a command's tokens shared equally by its git invocations, the remainder to the first.
fn expected(agents: &[&str], since: Option<jiff::Timestamp>) -> Expected {
    let mut report = Expected::default();
    for agent in agents {
        let (table, recorded) = match *agent {
            "claude" => (CLAUDE, claude_calls()),
            _ => (CODEX, codex_calls()),
        };
        assert_eq!(
            recorded.len(),
            table.len(),
            "every {agent} fixture call is described"
        );
        for (id, invocations) in table {
            let call = &recorded[*id];
            if since.is_some_and(|since| call.time < since) {
                continue;
            }
            report.commands += 1;
            report.git_invocations += invocations.len() as u64;
            let tokens = call.output_bytes.div_ceil(4);
            let n = invocations.len() as u64;
            for (i, invocation) in invocations.iter().enumerate() {
                let share = tokens / n + u64::from((i as u64) < tokens % n);
                match invocation {
                    Served => {
                        report.served += 1;
                        report.served_tokens += share;
                    }
                    Missed(subcommand, reason) => {
                        report.missed += 1;
                        report.missed_tokens += share;
                        let group = report
                            .groups
                            .entry(((*subcommand).to_owned(), (*reason).to_owned()))
                            .or_default();
                        group.0 += 1;
                        group.1 += share;
                    }
                }
            }
        }
    }
    report
}

/// The same facts, read from `--format json` output.
fn reported(json: &Value) -> Expected {
    let totals = &json["totals"];
    let number = |v: &Value| v.as_u64().expect("a count");
    let mut groups = BTreeMap::new();
    for group in json["missed"].as_array().expect("missed array") {
        let key = (
            group["subcommand"].as_str().expect("subcommand").to_owned(),
            group["reason"].as_str().expect("reason").to_owned(),
        );
        let value = (number(&group["count"]), number(&group["tokens"]));
        assert!(groups.insert(key.clone(), value).is_none(), "{key:?} once");
    }
    Expected {
        commands: number(&totals["commands"]),
        git_invocations: number(&totals["git_invocations"]),
        served: number(&totals["served"]),
        missed: number(&totals["missed"]),
        served_tokens: number(&totals["served_tokens"]),
        missed_tokens: number(&totals["missed_tokens"]),
        groups,
    }
}

/// A temporary home holding the fixtures at each agent's default place.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn with_fixtures() -> Home {
        let home = Home::empty();
        copy_tree(&fixtures().join("claude"), &home.dir.path().join(".claude"));
        copy_tree(&fixtures().join("codex"), &home.dir.path().join(".codex"));
        home
    }

    fn empty() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp home"),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        // The shared hermetic environment: no CLAUDE_CONFIG_DIR or CODEX_HOME, so transcripts
        // are looked for under this HOME; the rewriter's policy leaves mutating commands alone
        // whatever the machine says.
        git_rtk::hermetic::Hermetic::new(self.dir.path())
            .global_config("/dev/null")
            .var("RTK_REWRITE_MUTATING", "0")
            .command(
                env!("CARGO_BIN_EXE_git-rtk-discover"),
                self.dir.path(),
                args,
            )
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("git-rtk-discover runs")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_str(&stdout(output)).expect("one JSON document")
}

#[test]
fn every_missed_invocation_is_counted_with_its_reason_and_tokens() {
    let home = Home::with_fixtures();
    let report = json(&home.run(&["--format", "json", "--top", "0"]));
    assert_eq!(reported(&report), expected(&["claude", "codex"], None));
    // Sorted by tokens, most first.
    let tokens: Vec<u64> = report["missed"]
        .as_array()
        .expect("missed")
        .iter()
        .map(|g| g["tokens"].as_u64().expect("tokens"))
        .collect();
    assert!(tokens.windows(2).all(|w| w[0] >= w[1]), "{tokens:?}");
}

#[test]
fn json_report_has_sources_totals_and_groups() {
    let home = Home::with_fixtures();
    let report = json(&home.run(&["--format=json", "--top=2"]));
    let sources = report["sources"].as_array().expect("sources");
    let agents: Vec<&str> = sources
        .iter()
        .map(|s| s["agent"].as_str().expect("agent"))
        .collect();
    assert_eq!(agents, ["claude", "codex"]);
    // The main transcript and the sub-agent's; one rollout.
    assert_eq!(sources[0]["files"], 2);
    assert_eq!(sources[1]["files"], 1);
    assert_eq!(sources[1]["totals"]["commands"], CODEX.len());
    let missed = report["missed"].as_array().expect("missed");
    assert_eq!(missed.len(), 2, "--top 2");
    let all = expected(&["claude", "codex"], None).groups.len();
    assert_eq!(report["groups"], all);
    for group in missed {
        for key in [
            "subcommand",
            "reason",
            "rule",
            "count",
            "tokens",
            "example",
            "agents",
            "permission_modes",
        ] {
            assert!(group.get(key).is_some(), "{key} in {group}");
        }
    }
    assert!(report["method"].as_str().is_some());
    assert_eq!(report["since"], Value::Null);
}

#[test]
fn permission_mode_is_reported_where_the_transcript_records_it() {
    let home = Home::with_fixtures();
    let report = json(&home.run(&["--format", "json", "--top", "0"]));
    let push = report["missed"]
        .as_array()
        .expect("missed")
        .iter()
        .find(|g| g["subcommand"] == "push")
        .expect("the push group");
    assert_eq!(
        push["permission_modes"],
        serde_json::json!({"acceptEdits": 1})
    );
    assert_eq!(push["agents"], serde_json::json!({"claude": 1}));
    assert_eq!(push["rule"], "skip:mutating-not-enabled");
}

#[test]
fn since_keeps_only_commands_run_from_then_on() {
    let home = Home::with_fixtures();
    // A date is midnight in the local time zone (TZ=UTC here).
    let midnight: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("timestamp");
    let report = json(&home.run(&["--since", "2026-12-01", "--format", "json", "--top", "0"]));
    let want = expected(&["claude", "codex"], Some(midnight));
    assert!(want.commands > 0 && want.commands < (CLAUDE.len() + CODEX.len()) as u64);
    assert_eq!(reported(&report), want);
    assert_eq!(report["since"], "2026-12-01T00:00:00Z");

    let instant = "2026-12-02T09:00:06Z";
    let report = json(&home.run(&["--since", instant, "--format", "json", "--top", "0"]));
    let want = expected(&["claude", "codex"], Some(instant.parse().expect("ts")));
    assert_eq!(reported(&report), want);
    // The session file starts on 2026-11-21: calls are filtered by their own time.
    assert_eq!(report["sources"][1]["totals"]["commands"], 3);
}

#[test]
fn agent_restricts_the_transcripts_read() {
    let home = Home::with_fixtures();
    for agent in ["claude", "codex"] {
        let report = json(&home.run(&["--agent", agent, "--format", "json", "--top", "0"]));
        assert_eq!(reported(&report), expected(&[agent], None), "{agent}");
        assert_eq!(report["sources"].as_array().expect("sources").len(), 1);
    }
}

#[test]
fn text_report_is_compact_and_ordered_by_tokens() {
    let home = Home::with_fixtures();
    let output = home.run(&["--top", "3"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    let want = expected(&["claude", "codex"], None);
    let first = text.lines().next().expect("a first line");
    assert_eq!(
        first,
        format!(
            "{} commands, {} git invocations: {} served by plugins, {} missed ({} tokens of output)",
            want.commands, want.git_invocations, want.served, want.missed, want.missed_tokens
        )
    );
    assert!(
        text.contains(&format!("(top 3 of {}):", want.groups.len())),
        "{text}"
    );
    // The three largest groups, in order.
    // Most tokens first, then most invocations; ties keep (subcommand, reason) order.
    let mut by_tokens: Vec<_> = want
        .groups
        .iter()
        .map(|((subcommand, reason), (count, tokens))| (subcommand, reason, *count, *tokens))
        .collect();
    by_tokens.sort_by(|a, b| b.3.cmp(&a.3).then(b.2.cmp(&a.2)));
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("tokens"))
        .skip(1)
        .take(3)
        .collect();
    for (row, (subcommand, reason, count, tokens)) in rows.iter().zip(&by_tokens) {
        let words: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(words[0], tokens.to_string(), "{row}");
        assert_eq!(words[1], count.to_string(), "{row}");
        assert_eq!(words[2], subcommand.as_str(), "{row}");
        assert!(row.contains(reason.as_str()), "{row}");
    }
    assert!(text.lines().count() < 16, "compact: {text}");
}

#[test]
fn secrets_in_transcripts_never_reach_stdout() {
    let home = Home::with_fixtures();
    for args in [
        &["--top", "0"][..],
        &["--top", "0", "--format", "json"],
        &["--agent", "claude", "--since", "2026-12-02"],
    ] {
        let output = home.run(args);
        let text = stdout(&output);
        assert!(!text.contains(SECRET), "{args:?}: {text}");
        assert!(!text.contains("ghp_"), "{args:?}: {text}");
        assert!(
            text.contains("GITHUB_TOKEN=[REDACTED] git push"),
            "{args:?}: {text}"
        );
        assert!(!String::from_utf8_lossy(&output.stderr).contains(SECRET));
    }
}

#[test]
fn usage_and_bad_flags_exit_129_like_git() {
    let home = Home::with_fixtures();
    let help = home.run(&["-h"]);
    assert_eq!(help.status.code(), Some(129));
    assert!(stdout(&help).starts_with("usage: git rtk-discover"));
    for args in [
        &["--bogus"][..],
        &["--top", "many"],
        &["--format", "csv"],
        &["--agent", "cursor"],
        &["--since", "someday"],
        &["--since"],
        &["extra"],
    ] {
        let output = home.run(args);
        assert_eq!(output.status.code(), Some(129), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}

#[test]
fn no_transcripts_is_a_message_not_an_error() {
    let home = Home::empty();
    let output = home.run(&[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        stdout(&output).starts_with("no agent transcripts found in "),
        "{output:?}"
    );
    let report = json(&home.run(&["--format", "json"]));
    assert_eq!(report["totals"]["commands"], 0);
}

#[test]
fn config_dir_variables_replace_the_home_defaults() {
    let home = Home::empty();
    let elsewhere = tempfile::tempdir().expect("temp");
    let claude = elsewhere.path().join("claude-config");
    let codex = elsewhere.path().join("codex-home");
    copy_tree(&fixtures().join("claude"), &claude);
    copy_tree(&fixtures().join("codex"), &codex);
    let output = home
        .command(&["--format", "json", "--top", "0"])
        .env("CLAUDE_CONFIG_DIR", &claude)
        .env("CODEX_HOME", &codex)
        .output()
        .expect("runs");
    assert_eq!(
        reported(&json(&output)),
        expected(&["claude", "codex"], None)
    );
}
