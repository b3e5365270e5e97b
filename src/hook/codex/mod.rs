//! Codex CLI's `PreToolUse` hook (read from codex-cli 0.171.0 and openai/codex 4e30281a;
//! `codex-rs/hooks/src/engine/output_parser.rs`, `codex-rs/core/src/hook_runtime.rs`,
//! `codex-rs/core/src/tools/registry.rs`).
//!
//! Codex applies `updatedInput` only together with `permissionDecision: "allow"`
//! (`unsupported_pre_tool_use_hook_specific_output` rejects it otherwise), and that allow grants
//! nothing: the runtime returns `Continue { updated_input }`, and the exec policy, the
//! dangerous-command check, the approval policy and the sandbox then judge the rewritten command as
//! if the model had sent it. What can still differ is what those checks key on, so the hook leaves
//! a command as typed when:
//! - a user rule (`prefix_rule` in `rules/*.rules` of `$CODEX_HOME` or the project's `.codex/`)
//!   matches the command as typed or as rewritten: a rule for `git push` would not match
//!   `git rtk-push`, and one for `git rtk-` would match only the rewrite;
//! - it changes the repository: Codex's dangerous-command check (`git reset`, `git branch -D`, …)
//!   keys on the subcommand word, so a rewrite could skip its prompt;
//! - the approval policy in `config.toml` is `untrusted` and the command as typed is on Codex's
//!   known-safe list ([`crate::hook::known_safe`]): it would run without a prompt, its rewrite with
//!   one. (0.171.0 refuses `untrusted`; older versions accept it.)
//!
//! The direct form (`git-rtk-status -s`) is sent wherever the rewriter makes it: every check above
//! keys on the argv, where it is the program `git-rtk-status` with no subcommand. Like
//! `git rtk-status` it is on no known-safe list and in no dangerous-command pattern, and the
//! rules are matched against its own argv (a rule's first token matches the program by basename:
//! `["git"]` matches only the typed and dispatched forms, `["git-rtk-status"]` only the direct one).
//! So where no rule matches either form, Codex decides it as it decides the dispatched form, which
//! is as it decides the command as typed; a rule that matches only the direct form makes the hook
//! fall back to the dispatched one (`crate::hook::respond`).

pub mod rules;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::invocation::Changed;
use super::known_safe::is_known_safe_git;
use crate::rewrite::classify::Class;

/// What the hook knows of the user's Codex configuration.
#[derive(Debug, Default, Clone)]
pub struct Settings {
    pub rules: rules::RuleSet,
    /// `approval_policy = "untrusted"` in a `config.toml` that applies.
    pub untrusted: bool,
}

impl Settings {
    /// The user's (`$CODEX_HOME`, default `~/.codex`) and the project's (`<cwd>/.codex`).
    pub fn load(cwd: &Path) -> Settings {
        let mut homes: Vec<PathBuf> = Vec::new();
        if let Some(home) = std::env::var_os("CODEX_HOME").filter(|h| !h.is_empty()) {
            homes.push(PathBuf::from(home));
        } else if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            homes.push(PathBuf::from(home).join(".codex"));
        }
        homes.push(cwd.join(".codex"));
        let mut settings = Settings::default();
        for home in &homes {
            settings.rules.add_dir(&home.join("rules"));
            if let Ok(text) = std::fs::read_to_string(home.join("config.toml")) {
                settings.untrusted |= approval_is_untrusted(&text);
            }
        }
        settings
    }
}

/// Whether a `config.toml` sets `approval_policy = "untrusted"` at the top or in a profile.
/// Unparsable files count as untrusted (the hook then leaves known-safe commands alone).
fn approval_is_untrusted(text: &str) -> bool {
    let Ok(document) = text.parse::<toml_edit::DocumentMut>() else {
        return true;
    };
    let untrusted =
        |item: Option<&toml_edit::Item>| item.and_then(|i| i.as_str()) == Some("untrusted");
    untrusted(document.get("approval_policy"))
        || document
            .get("profiles")
            .and_then(|p| p.as_table_like())
            .is_some_and(|profiles| {
                profiles
                    .iter()
                    .any(|(_, profile)| untrusted(profile.get("approval_policy")))
            })
}

/// The answer to a Codex event whose command the rewriter changed (`changed`, `rewritten`), or
/// `None` to let the command run as typed.
pub fn output(
    event: &Value,
    rewritten: &str,
    changed: &[Changed],
    settings: &Settings,
) -> Option<String> {
    for invocation in changed {
        if invocation.class != Some(Class::ReadOnly) {
            return None;
        }
        if settings.rules.matches(&invocation.original)
            || settings.rules.matches(&invocation.rewritten)
        {
            return None;
        }
        if settings.untrusted {
            let argv: Vec<&str> = invocation.original.iter().map(String::as_str).collect();
            if is_known_safe_git(&argv) {
                return None;
            }
        }
    }
    let mut updated = event["tool_input"].clone();
    updated["command"] = Value::String(rewritten.to_owned());
    Some(
        json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                // Required with `updatedInput`; grants nothing (see the module docs).
                "permissionDecision": "allow",
                "permissionDecisionReason": format!("git-rtk: compact output ({rewritten})"),
                "updatedInput": updated,
            }
        })
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_is_found_at_the_top_and_in_profiles() {
        assert!(approval_is_untrusted("approval_policy = \"untrusted\"\n"));
        assert!(approval_is_untrusted(
            "[profiles.safe]\napproval_policy = \"untrusted\"\n"
        ));
        assert!(!approval_is_untrusted("approval_policy = \"on-request\"\n"));
        assert!(!approval_is_untrusted("model = \"x\"\n"));
    }
}
