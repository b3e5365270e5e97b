//! Agent hooks: an agent asks before it runs a shell command, the hook answers with the command
//! rewritten (`git status` → `git rtk-status`) or with nothing. A hook changes what the agent
//! reads, never what the user allowed: for every agent and permission mode, the command runs
//! silently, prompts or is denied exactly as it would have as typed. Each agent's module says, from
//! that client's own code, how its answer is applied and when it leaves a command alone:
//! [`claude`], [`codex`], [`gemini`], [`copilot`] (Copilot CLI and VS Code). Cursor has no hook:
//! it applies a rewrite only together with a grant (`docs/agents.md`).

pub mod claude;
pub mod codex;
pub mod copilot;
pub mod gemini;
pub mod install;
pub mod invocation;
pub mod known_safe;

use std::path::PathBuf;

use serde_json::Value;

use crate::rewrite::{self, policy::Policy, Rewritten};

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
    let result = rewrite::rewrite(&command, policy);
    // The user's settings matter only for a command the rewriter changed.
    let answer = if result.command.is_some() {
        let settings = Loaded::read(agent, &cwd_of(&event))?;
        decide(&event, &command, &result, &settings)
    } else {
        None
    };
    // The audit log says what reached the agent: a rewrite the hook held back is a skip.
    if answer.is_none() && result.command.is_some() {
        rewrite::record(&command, &result.kept_as_typed("kept-for-permissions"));
    } else {
        rewrite::record(&command, &result);
    }
    // Gemini CLI reads an empty object as "no change".
    if agent == "gemini" {
        return Some(answer.unwrap_or_else(|| "{}".to_owned()));
    }
    answer
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

/// The answer to `event`, whose command the rewriter turned into `result`, given the user's
/// settings: no file or environment is read here.
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
            claude::output(event, command, rewritten, rules, claude::Mode::of(event))
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
