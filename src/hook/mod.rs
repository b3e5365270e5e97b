//! Agent hooks: an agent asks before it runs a shell command, the hook answers with the command
//! rewritten (`git status` → `git rtk-status`) or with nothing.
//!
//! - Claude Code (`PreToolUse`, tool `Bash`): answers `hookSpecificOutput.updatedInput`, a copy of
//!   the tool input with only `command` changed. It never grants a permission the user did not:
//!   a command any of the user's `deny`/`ask` rules matches is left as typed (the rule would not
//!   match `git rtk-…`), and `permissionDecision: "allow"` is sent only when the user's own allow
//!   rule matches the command as typed (it would no longer match the rewritten one).
//! - Gemini CLI (`BeforeTool`, tool `run_shell_command`): answers
//!   `hookSpecificOutput.tool_input` with the new command; Gemini's policy checks still run after
//!   the hook, so the hook cannot grant anything.
//!
//! Codex CLI is not supported: its `PreToolUse` accepts `updatedInput` only together with
//! `permissionDecision: "allow"`, so a rewrite would always grant permission. Cursor's
//! `preToolUse` has the same shape of problem.

pub mod install;
pub mod permissions;

use serde_json::{json, Value};

use crate::rewrite::{self, policy::Policy};

/// Agents with a hook protocol that can rewrite without granting permission.
pub const AGENTS: &[&str] = &["claude", "gemini"];

/// The hook's answer for `agent` to the event `input`; `None` prints nothing. The rewrite
/// decisions go to the audit log.
pub fn answer(agent: &str, input: &str, policy: &Policy) -> Option<String> {
    let event: Value = serde_json::from_str(input).ok()?;
    let (answer, considered) = match agent {
        "claude" => claude(&event, policy),
        "gemini" => {
            let (answer, considered) = gemini(&event, policy);
            (Some(answer.unwrap_or_else(|| "{}".to_owned())), considered)
        }
        _ => (None, None),
    };
    if let Some((command, rewritten)) = considered {
        rewrite::record(&command, &rewritten);
    }
    answer
}

/// A hook's answer, and the command it considered with the rewriter's decisions (for the audit).
type Considered = (Option<String>, Option<(String, rewrite::Rewritten)>);

fn claude(event: &Value, policy: &Policy) -> Considered {
    let Some(command) = shell_command(event, "Bash") else {
        return (None, None);
    };
    let project = std::env::var_os("CLAUDE_PROJECT_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| event["cwd"].as_str().map(std::path::PathBuf::from))
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    let rules = permissions::Rules::load(&project);
    claude_answer(event, command, &rules, policy)
}

/// The command of a shell tool event for `tool`, if the event is one.
fn shell_command<'a>(event: &'a Value, tool: &str) -> Option<&'a str> {
    if event["tool_name"].as_str()? != tool {
        return None;
    }
    event["tool_input"]["command"].as_str()
}

/// The Claude answer given the user's rules (separate from file loading for tests).
pub fn claude_answer(
    event: &Value,
    command: &str,
    rules: &permissions::Rules,
    policy: &Policy,
) -> Considered {
    if rules.restricts(command) {
        return (None, None);
    }
    let result = rewrite::rewrite(command, policy);
    let answer = claude_output(event, command, result.command.as_deref(), rules);
    (answer, Some((command.to_owned(), result)))
}

fn claude_output(
    event: &Value,
    command: &str,
    rewritten: Option<&str>,
    rules: &permissions::Rules,
) -> Option<String> {
    let rewritten = rewritten?.to_owned();
    let mut updated = event["tool_input"].clone();
    updated["command"] = Value::String(rewritten.clone());
    let mut output = json!({
        "hookEventName": "PreToolUse",
        "permissionDecisionReason": format!("git-rtk: compact output ({rewritten})"),
        "updatedInput": updated,
    });
    if rules.allows(command) {
        output["permissionDecision"] = Value::String("allow".to_owned());
    }
    Some(json!({ "hookSpecificOutput": output }).to_string())
}

fn gemini(event: &Value, policy: &Policy) -> Considered {
    let Some(command) = shell_command(event, "run_shell_command") else {
        return (None, None);
    };
    let result = rewrite::rewrite(command, policy);
    let answer = result.command.as_ref().map(|rewritten| {
        json!({
            "decision": "allow",
            "hookSpecificOutput": { "tool_input": { "command": rewritten } },
        })
        .to_string()
    });
    (answer, Some((command.to_owned(), result)))
}

#[cfg(test)]
mod tests {
    use super::permissions::Rules;
    use super::*;
    use crate::certificate::Certificate;
    use crate::rewrite::policy::OptIn;

    fn policy() -> Policy {
        Policy {
            opt_in: OptIn::Off,
            certificate: Certificate::default(),
        }
    }

    fn event(command: &str) -> Value {
        json!({
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": { "command": command, "description": "check", "timeout": 120000 },
        })
    }

    #[test]
    fn claude_rewrites_and_keeps_the_rest_of_the_input() {
        let out = claude_answer(
            &event("git status"),
            "git status",
            &Rules::default(),
            &policy(),
        )
        .0
        .expect("rewritten");
        let out: Value = serde_json::from_str(&out).expect("json");
        let specific = &out["hookSpecificOutput"];
        assert_eq!(specific["updatedInput"]["command"], "git rtk-status");
        assert_eq!(specific["updatedInput"]["description"], "check");
        assert_eq!(specific["updatedInput"]["timeout"], 120000);
        assert!(
            specific.get("permissionDecision").is_none(),
            "no permission granted"
        );
    }

    #[test]
    fn claude_leaves_denied_and_asked_commands_alone() {
        let mut rules = Rules::default();
        rules.add_from(r#"{"permissions":{"ask":["Bash(git log:*)"]}}"#);
        assert_eq!(
            claude_answer(&event("git log -n 3"), "git log -n 3", &rules, &policy()).0,
            None
        );
        let mut allowed = Rules::default();
        allowed.add_from(r#"{"permissions":{"allow":["Bash(git status)"]}}"#);
        let out = claude_answer(&event("git status"), "git status", &allowed, &policy())
            .0
            .expect("rewritten");
        assert!(out.contains(r#""permissionDecision":"allow""#));
    }

    #[test]
    fn other_tools_and_unchanged_commands_get_no_answer() {
        let read = json!({"tool_name": "Read", "tool_input": {"file_path": "x"}}).to_string();
        assert_eq!(answer("claude", &read, &policy()), None);
        let unchanged = event("ls -la").to_string();
        assert_eq!(answer("claude", &unchanged, &policy()), None);
        // `gemini` rather than `answer`: the rewrite would be recorded in the user's audit log.
        let gemini_event =
            json!({"tool_name": "run_shell_command", "tool_input": {"command": "git diff"}});
        let out = gemini(&gemini_event, &policy()).0.expect("answer");
        assert!(out.contains("git rtk-diff"));
    }
}
