//! GitHub Copilot CLI's and VS Code's `preToolUse` hooks, one command for both (both read
//! `.github/hooks/*.json`; read from `@github/copilot` 1.0.63 `app.js` and its native
//! `runtime.node`, and from VS Code's Copilot Chat hooks service).
//!
//! Copilot CLI sends `{"toolName": "bash", "toolArgs": "<JSON string>"}`; an answer's
//! `modifiedArgs` replaces every argument, and with no `permissionDecision` the normal permission
//! check runs on the new command (`"allow"` would skip it, deny rules included; `"ask"` drops the
//! rewrite). So the answer carries all arguments and no decision. The check keys on an identifier:
//! the program and, for git, its first-level subcommand (`git status`, read-only, runs without a
//! prompt; `git rtk-status` is not read-only and prompts), and `shell(git status)` rules match the
//! identifier exactly. A rewrite keeps the outcome only where the identifier stays the same: a
//! global option before the subcommand makes it `git -C` / `git -c` for both forms (measured with
//! the native classifier). Every other command is left as typed.
//!
//! So Copilot CLI never gets the direct form (`git-rtk-status`): its identifier is the program
//! `git-rtk-status`, which no read-only entry and no `shell(git …)` rule names, and the rewriter
//! uses it only where no global option precedes the subcommand, exactly where the identifiers of
//! `git status` and `git rtk-status` differ anyway.
//!
//! VS Code sends `{"tool_name": "run_in_terminal", "tool_input": {...}}`; `updatedInput` with no
//! decision keeps its confirmation and terminal auto-approve rules, which then judge the new
//! command. Those rules (`chat.tools.terminal.autoApprove`, with built-in defaults for read-only
//! git) are not read here, so the hook answers VS Code with nothing.

use serde_json::{json, Value};

use super::invocation::Changed;
use crate::rewrite::Form;

/// Which client sent the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    CopilotCli,
    VsCode,
}

/// The client and the shell command of a `preToolUse` event, if it is one for the shell tool.
pub fn shell_command(event: &Value) -> Option<(Client, String)> {
    if event["toolName"].as_str() == Some("bash") {
        let args: Value = match &event["toolArgs"] {
            Value::String(text) => serde_json::from_str(text).ok()?,
            other => other.clone(),
        };
        return Some((Client::CopilotCli, args["command"].as_str()?.to_owned()));
    }
    if event["tool_name"].as_str() == Some("run_in_terminal") {
        return Some((
            Client::VsCode,
            event["tool_input"]["command"].as_str()?.to_owned(),
        ));
    }
    None
}

/// Whether Copilot CLI's classifier gives the command as typed and as rewritten one identifier:
/// the dispatched form, with `-C…` or `-c…` the first word after `git`.
fn same_identifier(invocation: &Changed) -> bool {
    invocation.form == Form::Dispatched
        && invocation
            .original
            .get(1)
            .is_some_and(|w| w.starts_with("-C") || (w.starts_with("-c") && !w.starts_with("--")))
}

/// The answer to a Copilot CLI or VS Code event whose command the rewriter changed, or `None`.
pub fn output(
    event: &Value,
    client: Client,
    rewritten: &str,
    changed: &[Changed],
) -> Option<String> {
    if client == Client::VsCode || !changed.iter().all(same_identifier) {
        return None;
    }
    let mut args: Value = match &event["toolArgs"] {
        Value::String(text) => serde_json::from_str(text).ok()?,
        other => other.clone(),
    };
    args["command"] = Value::String(rewritten.to_owned());
    Some(json!({ "modifiedArgs": args }).to_string())
}
