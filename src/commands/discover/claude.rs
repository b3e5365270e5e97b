//! Claude Code session transcripts: `~/.claude/projects/<project>/<session>.jsonl` (or under
//! `$CLAUDE_CONFIG_DIR/projects`), sub-agents' transcripts in folders below them.
//!
//! Line format (Claude Code 2.1.x, `@anthropic-ai/claude-code` `cli.js`), one JSON object a line
//! with `type`, `timestamp` (ISO-8601), `sessionId`, `cwd`:
//! - `type: "assistant"`: `message.content[]` holds `{"type":"tool_use","name":"Bash","id",
//!   "input":{"command"}}` — the model's command.
//! - `type: "user"`: `message.content[]` holds `{"type":"tool_result","tool_use_id","content",
//!   "is_error"}`, `content` a string or `[{"type":"text","text"}]` — what the model read.
//! - `type: "attachment"` with `attachment.type: "hook_success"`, `hookEvent: "PreToolUse"`,
//!   `toolUseID` and the hook's `stdout`: kept in the transcript when that output is not empty
//!   (`isLoggableMessage`). A hook's rewrite shows only here — the `tool_use` keeps the model's
//!   command — as `hookSpecificOutput.updatedInput.command` in that stdout, which Claude Code
//!   runs instead unless the hook denied the call.
//! - `permissionMode` (on the user's prompt lines) is the mode the session ran in from then on.
//!
//! Read from `@anthropic-ai/claude-code@2.1.112` `cli.js` (the last version shipping it): the
//! transcript writer `insertMessageChain`, the Bash tool's `mapToolResultToToolResultBlockParam`,
//! the PreToolUse hook result (`type:"hook_success",…,stdout,…,command`) and the tool runner's
//! `hookUpdatedInput`. Unknown fields and line types are ignored.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::transcript::{self, Agent, ShellCall};

/// Session transcripts under `projects`.
pub fn files(projects: &Path) -> Vec<std::path::PathBuf> {
    transcript::files_under(projects, &|name| name.ends_with(".jsonl"))
}

/// The Bash commands of one transcript file, in the order the model asked for them.
pub fn read(path: &Path) -> std::io::Result<Vec<ShellCall>> {
    let mut calls: Vec<ShellCall> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut rewritten: HashMap<String, String> = HashMap::new();
    let mut permission_mode: Option<String> = None;
    let needles = [
        "\"tool_use\"",
        "\"tool_result\"",
        "\"permissionMode\"",
        "\"hook_success\"",
    ];
    for value in transcript::json_lines(path, &needles)? {
        let value = value?;
        if let Some(mode) = value["permissionMode"].as_str() {
            permission_mode = Some(mode.to_owned());
        }
        if let Some((id, command)) = hook_rewrite(&value) {
            rewritten.insert(id, command);
            continue;
        }
        let Some(content) = value["message"]["content"].as_array() else {
            continue;
        };
        match value["type"].as_str() {
            Some("assistant") => {
                for block in content {
                    if block["type"] != "tool_use" || block["name"] != "Bash" {
                        continue;
                    }
                    let (Some(id), Some(command)) =
                        (block["id"].as_str(), block["input"]["command"].as_str())
                    else {
                        continue;
                    };
                    by_id.insert(id.to_owned(), calls.len());
                    calls.push(ShellCall {
                        agent: Agent::Claude,
                        id: id.to_owned(),
                        command: command.to_owned(),
                        time: transcript::timestamp(&value),
                        output_bytes: 0,
                        permission_mode: permission_mode.clone(),
                    });
                }
            }
            Some("user") => {
                for block in content {
                    if block["type"] != "tool_result" {
                        continue;
                    }
                    let index = block["tool_use_id"].as_str().and_then(|id| by_id.get(id));
                    if let Some(&index) = index {
                        calls[index].output_bytes = transcript::output_bytes(&block["content"]);
                    }
                }
            }
            _ => {}
        }
    }
    for call in &mut calls {
        if let Some(command) = rewritten.remove(&call.id) {
            call.command = command;
        }
    }
    Ok(calls)
}

/// The tool call id and the command a `PreToolUse` hook replaced the model's with, when `line`
/// records one that ran (the hook did not deny the call).
fn hook_rewrite(line: &Value) -> Option<(String, String)> {
    let attachment = &line["attachment"];
    if line["type"] != "attachment"
        || attachment["type"] != "hook_success"
        || attachment["hookEvent"] != "PreToolUse"
    {
        return None;
    }
    let id = attachment["toolUseID"].as_str()?;
    let answer: Value = serde_json::from_str(attachment["stdout"].as_str()?.trim()).ok()?;
    let specific = &answer["hookSpecificOutput"];
    if specific["permissionDecision"] == "deny" {
        return None;
    }
    let command = specific["updatedInput"]["command"].as_str()?;
    Some((id.to_owned(), command.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(stdout: &str) -> Value {
        serde_json::json!({
            "type": "attachment",
            "attachment": {"type": "hook_success", "hookName": "PreToolUse:Bash",
                           "toolUseID": "toolu_1", "hookEvent": "PreToolUse", "content": "",
                           "stdout": stdout, "stderr": "", "exitCode": 0,
                           "command": "git rtk-hook claude", "durationMs": 5}
        })
    }

    #[test]
    fn a_hook_rewrite_counts_only_when_the_call_ran() {
        let rewrite = r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","updatedInput":{"command":"git rtk-status"}}}"#;
        assert_eq!(
            hook_rewrite(&attachment(rewrite)),
            Some(("toolu_1".into(), "git rtk-status".into()))
        );
        let allowed = rewrite.replace(
            "\"updatedInput\"",
            "\"permissionDecision\":\"allow\",\"updatedInput\"",
        );
        assert!(hook_rewrite(&attachment(&allowed)).is_some());
        let denied = rewrite.replace(
            "\"updatedInput\"",
            "\"permissionDecision\":\"deny\",\"updatedInput\"",
        );
        assert_eq!(hook_rewrite(&attachment(&denied)), None);
        assert_eq!(hook_rewrite(&attachment("not json")), None);
        assert_eq!(hook_rewrite(&attachment("{}")), None);
    }

    #[test]
    fn results_in_blocks_and_the_permission_mode_are_read() {
        let lines = [
            r#"{"type":"user","message":{"role":"user","content":"go"},"permissionMode":"plan","timestamp":"2026-01-01T12:00:00.000Z"}"#,
            r#"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"git log"}}]},"timestamp":"2026-01-01T12:00:01.000Z"}"#,
            r#"{"type":"user","message":{"content":[{"tool_use_id":"toolu_1","type":"tool_result","content":[{"type":"text","text":"abcdef"}],"is_error":false}]},"timestamp":"2026-01-01T12:00:02.000Z"}"#,
            r#"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"toolu_2","name":"Grep","input":{"pattern":"x"}}]}}"#,
        ];
        let (_dir, path) = transcript::scratch_transcript("s.jsonl", lines.join("\n"));
        let calls = read(&path).expect("read");
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].command, "git log");
        assert_eq!(calls[0].output_bytes, 6);
        assert_eq!(calls[0].permission_mode.as_deref(), Some("plan"));
        assert_eq!(
            calls[0].time,
            Some("2026-01-01T12:00:01Z".parse().expect("timestamp"))
        );
    }
}
