//! Codex CLI session transcripts ("rollouts"): `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`.
//!
//! Line format as written by codex-cli 0.171.0 (real lines in
//! `tests/fixtures/transcripts/codex/`, from a recorded run; see `/work/research/codex/REPORT.md`
//! §5), every line `{"timestamp", "type", "payload", …}`:
//! - `response_item` / `payload.type == "function_call"`: `name` is `exec_command` (arguments, a
//!   JSON *string*, hold `{"cmd": "<script>"}`), or `shell_command` (`{"command": "<script>"}`) or
//!   the older `shell` (`{"command": ["bash", "-lc", "<script>"]}`); `call_id` links the rest.
//! - `response_item` / `function_call_output`: `call_id`, `output` (the text the model read).
//! - `event_msg` / `item_completed` with `item.type == "CommandExecution"`: `item.id` (the call
//!   id) and `item.command`, the argv that actually ran. A `PreToolUse` hook's rewrite shows only
//!   here — the `function_call` keeps the model's command — so this one decides what ran.
//!
//! Unknown fields and line types are ignored; the format has grown fields between versions.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::transcript::{self, Agent, ShellCall};

/// Rollout files under `sessions`.
pub fn files(sessions: &Path) -> Vec<std::path::PathBuf> {
    transcript::files_under(sessions, &|name| {
        name.starts_with("rollout-") && name.ends_with(".jsonl")
    })
}

/// The shell commands of one rollout file, in the order the model asked for them.
pub fn read(path: &Path) -> std::io::Result<Vec<ShellCall>> {
    let mut calls: Vec<ShellCall> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut executed: HashMap<String, String> = HashMap::new();
    for value in transcript::json_lines(path, &["function_call", "CommandExecution"])? {
        let value = value?;
        let payload = &value["payload"];
        match (value["type"].as_str(), payload["type"].as_str()) {
            (Some("response_item"), Some("function_call")) => {
                let Some(command) = model_command(payload) else {
                    continue;
                };
                let Some(id) = payload["call_id"].as_str() else {
                    continue;
                };
                by_id.insert(id.to_owned(), calls.len());
                calls.push(ShellCall {
                    agent: Agent::Codex,
                    id: id.to_owned(),
                    command,
                    time: transcript::timestamp(&value),
                    output_bytes: 0,
                    permission_mode: None,
                });
            }
            (Some("response_item"), Some("function_call_output")) => {
                let index = payload["call_id"].as_str().and_then(|id| by_id.get(id));
                if let Some(&index) = index {
                    calls[index].output_bytes = output_bytes(&payload["output"]);
                }
            }
            (Some("event_msg"), Some("item_completed")) => {
                let item = &payload["item"];
                if item["type"] != "CommandExecution" {
                    continue;
                }
                if let (Some(id), Some(argv)) = (item["id"].as_str(), item["command"].as_array()) {
                    let argv: Option<Vec<&str>> = argv.iter().map(Value::as_str).collect();
                    if let Some(argv) = argv {
                        executed.insert(id.to_owned(), script_of(&argv));
                    }
                }
            }
            _ => {}
        }
    }
    for call in &mut calls {
        if let Some(command) = executed.remove(&call.id) {
            call.command = command;
        }
    }
    Ok(calls)
}

/// The script a shell tool call asked for, from its JSON-string arguments.
fn model_command(payload: &Value) -> Option<String> {
    let name = payload["name"].as_str()?;
    if !matches!(name, "exec_command" | "shell_command" | "shell") {
        return None;
    }
    let arguments: Value = serde_json::from_str(payload["arguments"].as_str()?).ok()?;
    let command = match name {
        "exec_command" => &arguments["cmd"],
        _ => &arguments["command"],
    };
    match command {
        Value::String(script) => Some(script.clone()),
        Value::Array(argv) => {
            let argv: Option<Vec<&str>> = argv.iter().map(Value::as_str).collect();
            Some(script_of(&argv?))
        }
        _ => None,
    }
}

/// `output` is the text itself in 0.171.0; an object with `content` (text or content items) is
/// read too, as older payloads carried it.
fn output_bytes(output: &Value) -> u64 {
    match output {
        Value::Object(fields) => fields.get("content").map_or(0, transcript::output_bytes),
        other => transcript::output_bytes(other),
    }
}

/// The shell script of an argv: `bash -lc '<script>'` (what Codex runs) gives the script, any
/// other argv is joined back into a command line, quoting words the shell would split.
fn script_of(argv: &[&str]) -> String {
    if let [shell, flag, script] = argv {
        let name = shell.rsplit('/').next().unwrap_or(shell);
        if matches!(name, "bash" | "sh" | "zsh") && matches!(*flag, "-lc" | "-c") {
            return (*script).to_owned();
        }
    }
    let quoted: Vec<String> = argv.iter().map(|word| quote(word)).collect();
    quoted.join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_executed_argv_wins_over_the_model_command() {
        // Lines in codex-cli 0.171.0's shape, trimmed to the fields read.
        let lines = [
            r#"{"timestamp":"2026-12-01T15:04:29.984Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\": \"git status\"}","call_id":"call_1"}}"#,
            r#"{"timestamp":"2026-12-01T15:04:30.320Z","type":"event_msg","payload":{"type":"item_completed","item":{"type":"CommandExecution","id":"call_1","command":["/bin/bash","-lc","git rtk-status"]}}}"#,
            r#"{"timestamp":"2026-12-01T15:04:30.325Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"12345"}}"#,
            r#"{"timestamp":"2026-12-01T15:04:31.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"git\",\"log\",\"a b\"]}","call_id":"call_2"}}"#,
            r#"{"timestamp":"#,
        ];
        // A line cut inside a UTF-8 character costs that line only.
        let mut bytes = lines.join("\n").into_bytes();
        bytes.extend_from_slice(b"\n{\"type\":\"response_item\",\"function_call\":\"\xe2\x82");
        let (_dir, path) = transcript::scratch_transcript("rollout-x.jsonl", bytes);
        let calls = read(&path).expect("read");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].command, "git rtk-status");
        assert_eq!(calls[0].output_bytes, 5);
        assert_eq!(calls[1].command, "git log 'a b'");
        assert_eq!(calls[1].output_bytes, 0);
    }
}
