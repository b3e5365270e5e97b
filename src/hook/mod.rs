//! Agent hooks: an agent asks before it runs a shell command, the hook answers with the command
//! rewritten or with nothing. A hook changes what the agent reads, never what the user allowed:
//! for every agent and permission mode, the command runs silently, prompts or is denied exactly as
//! it would have as typed. Each agent's module says, from that client's own code, how its answer
//! is applied and when it leaves a command alone: [`claude`], [`codex`], [`gemini`], [`copilot`]
//! (Copilot CLI and VS Code). Cursor has no hook: it applies a rewrite only together with a grant
//! (`docs/agents.md`).
//!
//! The rewrite comes in two forms ([`crate::rewrite::Form`]): direct, `git status -s` →
//! `git-rtk-status -s`, one git start-up fewer, where git would run the same plugin file
//! ([`crate::rewrite::direct`]); and dispatched, `git status -s` → `git rtk-status -s`. The
//! agents' checks see different programs in them (`git-rtk-status` with no subcommand, or `git`
//! with the subcommand `rtk-status`), so [`respond`] offers an agent's module the direct form
//! first and the dispatched form next, and each module answers only for a form its client decides
//! the same as the command as typed.

pub mod claude;
pub mod codex;
pub mod copilot;
pub mod gemini;
pub mod install;
pub mod invocation;
pub mod known_safe;

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::rewrite::direct::OnPath;
use crate::rewrite::{self, policy::Policy, Direct, Form, Forms, Rewritten};

/// Agents with a hook, as `git rtk-hook <agent>` and `git rtk-init --agent <agent>` name them.
pub const AGENTS: &[&str] = &["claude", "codex", "gemini", "copilot"];

/// The hook's answer for `agent` to the event `input`; `None` prints nothing. The rewrite
/// decisions go to the audit log.
pub fn answer(agent: &str, input: &str, policy: &Policy) -> Option<String> {
    let event: Value = serde_json::from_str(input).ok()?;
    let command = match agent {
        "claude" | "codex" => shell_command(&event, "Bash")?,
        "gemini" => shell_command(&event, "run_shell_command")?,
        "copilot" => copilot::shell_command(&event)?.1,
        _ => return None,
    };
    let forms = rewrite::rewrite_forms(&command, policy, &plugins_for(agent));
    // The user's settings matter only for a command the rewriter changed.
    let (answer, used) = if forms.dispatched.command.is_some() {
        let settings = Loaded::read(agent, &cwd_of(&event))?;
        respond(&event, &command, &forms, &settings)
    } else {
        (None, &forms.dispatched)
    };
    // The audit log says what reached the agent: a rewrite the hook held back is a skip.
    if answer.is_none() && used.command.is_some() {
        rewrite::record(&command, &used.kept_as_typed("kept-for-permissions"));
    } else {
        rewrite::record(&command, used);
    }
    // Gemini CLI reads an empty object as "no change".
    if agent == "gemini" {
        return Some(answer.unwrap_or_else(|| "{}".to_owned()));
    }
    answer
}

/// Which plugins `agent`'s hook may start directly: those the shell finds on `PATH` as the file
/// git would run. None for Copilot: its check names a command by program and subcommand, and
/// `git-rtk-status` is never `git status` to it ([`copilot`]), so the lookups would be wasted.
fn plugins_for(agent: &str) -> Direct {
    match agent {
        "copilot" => Direct::Never,
        _ => Direct::OnPath(OnPath::from_environment()),
    }
}

/// The answer to `event` for its `command` rewritten into `forms`, and the rewrite the answer
/// carries: the direct form when the agent's module answers for it, else the dispatched form when
/// it answers for that, else nothing. Each module answers only for a form its client decides the
/// same as the command as typed, so offering the faster form first never grants more.
pub fn respond<'a>(
    event: &Value,
    command: &str,
    forms: &'a Forms,
    settings: &Loaded,
) -> (Option<String>, &'a Rewritten) {
    if forms.direct.command != forms.dispatched.command {
        if let Some(answer) = decide(event, command, &forms.direct, settings) {
            return (Some(answer), &forms.direct);
        }
    }
    (
        decide(event, command, &forms.dispatched, settings),
        &forms.dispatched,
    )
}

/// The command Claude Code runs for `typed` with the hook installed, in `default` permission mode
/// with no permission rules, the plugins first on `PATH` and none in git's exec-path (the
/// benchmark's setup): the hook's rewrite, or `None` when the hook prints nothing and the command
/// runs as typed.
pub fn claude_default_rewrite(typed: &str, policy: &Policy) -> Option<String> {
    let event = json!({
        "hook_event_name": "PreToolUse",
        "permission_mode": "default",
        "tool_name": "Bash",
        "tool_input": { "command": typed },
    });
    let forms = rewrite::rewrite_forms(typed, policy, &Direct::Always);
    let settings = Loaded::Claude(claude::rules::Rules::default());
    let (answer, used) = respond(&event, typed, &forms, &settings);
    answer.and(used.command.clone())
}

/// The user's settings for one agent, loaded.
#[derive(Debug, Clone)]
pub enum Loaded {
    Claude(claude::rules::Rules),
    Codex(codex::Settings),
    Gemini(gemini::Settings),
    Copilot,
}

impl Loaded {
    /// `agent`'s settings for a command run in `cwd`, from the files the agent reads.
    fn read(agent: &str, cwd: &std::path::Path) -> Option<Loaded> {
        Some(match agent {
            "claude" => {
                let project = std::env::var_os("CLAUDE_PROJECT_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| cwd.to_owned());
                Loaded::Claude(claude::rules::Rules::load(&project))
            }
            "codex" => Loaded::Codex(codex::Settings::load(cwd)),
            "gemini" => Loaded::Gemini(gemini::Settings::load(cwd)),
            "copilot" => Loaded::Copilot,
            _ => return None,
        })
    }
}

/// The answer to `event`, whose command the rewriter turned into `result` (one form: see
/// [`respond`]), given the user's settings: no file or environment is read here.
pub fn decide(
    event: &Value,
    command: &str,
    result: &Rewritten,
    settings: &Loaded,
) -> Option<String> {
    let rewritten = result.command.as_deref()?;
    let changed = invocation::changed(result)?;
    match settings {
        Loaded::Claude(rules) => {
            let direct = changed.iter().any(|c| c.form == Form::Direct);
            claude::output(
                event,
                command,
                rewritten,
                direct,
                rules,
                claude::Mode::of(event),
            )
        }
        Loaded::Codex(settings) => codex::output(event, rewritten, &changed, settings),
        Loaded::Gemini(settings) => gemini::output(event, command, rewritten, &changed, settings),
        Loaded::Copilot => {
            let (client, _) = copilot::shell_command(event)?;
            copilot::output(event, client, rewritten, &changed)
        }
    }
}

/// The command of a shell tool event for `tool`, if the event is one.
fn shell_command(event: &Value, tool: &str) -> Option<String> {
    if event["tool_name"].as_str()? != tool {
        return None;
    }
    event["tool_input"]["command"].as_str().map(str::to_owned)
}

/// The directory the agent runs the command in: the event's `cwd`, else the current directory.
fn cwd_of(event: &Value) -> PathBuf {
    event["cwd"]
        .as_str()
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::Certificate;
    use crate::rewrite::policy::OptIn;

    fn policy() -> Policy {
        Policy {
            opt_in: OptIn::Off,
            certificate: Certificate::default(),
        }
    }

    /// The command Claude gets in `mode` under `settings` (a settings.json text), and the decision.
    fn claude(command: &str, mode: &str, settings: &str) -> Option<(String, Option<String>)> {
        let mut rules = claude::rules::Rules::default();
        rules.add_from(settings);
        let event = json!({
            "hook_event_name": "PreToolUse", "permission_mode": mode, "tool_name": "Bash",
            "tool_input": { "command": command },
        });
        let forms = rewrite::rewrite_forms(command, &policy(), &Direct::Always);
        let (answer, _) = respond(&event, command, &forms, &Loaded::Claude(rules));
        let answer: Value = serde_json::from_str(&answer?).expect("json");
        let specific = &answer["hookSpecificOutput"];
        Some((
            specific["updatedInput"]["command"].as_str()?.to_owned(),
            specific["permissionDecision"].as_str().map(str::to_owned),
        ))
    }

    fn command_of(answer: Option<(String, Option<String>)>) -> Option<String> {
        answer.map(|(command, _)| command)
    }

    #[test]
    fn claude_gets_the_direct_form_but_in_auto_and_bypass_with_cd() {
        assert_eq!(
            claude("git status -s", "default", "{}"),
            Some(("git-rtk-status -s".into(), Some("allow".into())))
        );
        for mode in ["acceptEdits", "plan", "dontAsk", "bypassPermissions"] {
            assert_eq!(
                command_of(claude("git log -n 5", mode, "{}")).as_deref(),
                Some("git-rtk-log -n 5"),
                "{mode}"
            );
        }
        assert_eq!(
            command_of(claude("git log -n 5", "auto", "{}")).as_deref(),
            Some("git rtk-log -n 5")
        );
        assert_eq!(
            command_of(claude("cd sub && git status", "bypassPermissions", "{}")).as_deref(),
            Some("cd sub && git rtk-status")
        );
        assert_eq!(
            command_of(claude("git -C sub status", "default", "{}")).as_deref(),
            Some("git -C sub rtk-status"),
            "a global option keeps git's dispatch"
        );
    }

    #[test]
    fn a_claude_rule_for_one_form_falls_back_to_the_other() {
        // `Bash(git rtk-status:*)` matches the dispatched rewrite of a part, not the direct one:
        // the direct rewrite of a command that prompts as typed (the push) still prompts.
        let allow_dispatched = r#"{"permissions":{"allow":["Bash(git rtk-status:*)"]}}"#;
        assert_eq!(
            claude("git status && git push", "default", allow_dispatched),
            Some(("git-rtk-status && git push".into(), None))
        );
        // A rule for the direct form only: the dispatched form is the one the rules leave alone.
        let ask_direct = r#"{"permissions":{"ask":["Bash(git-rtk-status:*)"]}}"#;
        assert_eq!(
            claude("git status", "default", ask_direct),
            Some(("git rtk-status".into(), Some("allow".into())))
        );
        let both = r#"{"permissions":{"deny":["Bash(git-rtk-*)","Bash(git rtk-*)"]}}"#;
        assert_eq!(claude("git status", "default", both), None);
    }

    #[test]
    fn the_benchmark_command_is_claudes_in_default_mode() {
        for (typed, expected) in [
            ("git status", Some("git-rtk-status")),
            ("git log -n 20", Some("git-rtk-log -n 20")),
            ("git grep -n main", Some("git-rtk-grep -n main")),
            (
                "git -c core.quotePath=false log",
                Some("git -c core.quotePath=false rtk-log"),
            ),
            // Claude's read-only list is reproduced for git only: the hook prints nothing.
            ("git log | head -5", None),
            ("git add -A", None),
        ] {
            assert_eq!(
                claude_default_rewrite(typed, &policy()).as_deref(),
                expected,
                "{typed}"
            );
        }
    }

    #[test]
    fn copilot_and_gemini_get_the_direct_form_only_where_their_checks_agree() {
        let args = json!({ "command": "git -C sub status" }).to_string();
        let event = json!({ "toolName": "bash", "toolArgs": args });
        let forms =
            rewrite::rewrite_forms("git -C sub status && git log", &policy(), &Direct::Always);
        let (answer, used) = respond(
            &event,
            "git -C sub status && git log",
            &forms,
            &Loaded::Copilot,
        );
        assert_eq!(
            (answer, used.command.as_deref()),
            (None, Some("git -C sub rtk-status && git rtk-log"))
        );

        let event =
            json!({ "tool_name": "run_shell_command", "tool_input": { "command": "git blame a" } });
        let forms = rewrite::rewrite_forms("git blame a", &policy(), &Direct::Always);
        let mut settings = gemini::Settings::default();
        let (_, used) = respond(
            &event,
            "git blame a",
            &forms,
            &Loaded::Gemini(settings.clone()),
        );
        assert_eq!(used.command.as_deref(), Some("git-rtk-blame a"));
        settings.add_settings(r#"{"tools": {"allowed": ["run_shell_command(git)"]}}"#);
        let (answer, used) = respond(&event, "git blame a", &forms, &Loaded::Gemini(settings));
        assert!(answer.is_some());
        assert_eq!(used.command.as_deref(), Some("git rtk-blame a"));
    }
}
