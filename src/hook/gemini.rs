//! Gemini CLI's `BeforeTool` hook (read from google-gemini/gemini-cli v0.36.0 to 0.61.0:
//! `packages/core/src/scheduler/scheduler.ts` `_processToolCall`,
//! `packages/core/src/scheduler/hook-utils.ts` `evaluateBeforeToolHook`,
//! `packages/core/src/policy/policy-engine.ts`).
//!
//! From v0.36.0 the hook runs before the policy check, and `hookSpecificOutput.tool_input`
//! *replaces* the tool's arguments (`tool.build(modifiedInput)`): the answer carries every
//! argument of the event (`dir_path`, `description`, `is_background`, …) with only `command`
//! changed. Before v0.36.0 it runs after approval and merges; a whole input is right there too.
//! A hook cannot grant (`decision: "allow"` does nothing), so none is sent.
//!
//! What a rewrite can change is the policy's verdict on the new command. The built-in known-safe
//! check ([`super::known_safe`]) allows `git status`, `git log`, … without asking, never
//! `git rtk-…`; so a known-safe command is left as typed (its rewrite would prompt, or be denied
//! headless), unless a `tools.allowed` entry allows both forms alike (`run_shell_command(git)`).
//! Other commands ask either way, unless the user's `tools.allowed` / `tools.exclude` (settings
//! files) tell the two apart: `run_shell_command(git status)` matches only the command as typed.
//! User policy files (`~/.gemini/policies/`) are not read; when one exists the hook rewrites
//! nothing.
//!
//! The direct form (`git-rtk-status -s`) is judged like any program that is not git: not
//! known-safe (the check is `git`'s alone), and matched by a `run_shell_command(<prefix>)` entry
//! only when the prefix is `git-rtk-…` (Gemini wants a blank, a quote or the end after a prefix, so
//! `run_shell_command(git)` matches `git rtk-status` but not `git-rtk-status`). The checks below run
//! on the rewrite offered, so the direct form is sent where no entry tells it from the command as
//! typed, the dispatched form where only that one is alike (`run_shell_command(git)` allowed:
//! `crate::hook::respond`), and nothing otherwise.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::invocation::Changed;
use super::known_safe::is_known_safe_git;

/// The user's shell rules from Gemini's settings files.
#[derive(Debug, Default, Clone)]
pub struct Settings {
    /// `tools.allowed`, `tools.exclude` and `tools.core` entries for the shell tool:
    /// `run_shell_command(<prefix>)`, or the bare tool name (every command).
    pub prefixes: Vec<String>,
    /// The `tools.allowed` ones among them.
    pub allowed: Vec<String>,
    /// Something the hook does not read could decide (policy files): rewrite nothing.
    pub unknown: bool,
}

impl Settings {
    /// `~/.gemini/settings.json` and `<cwd>/.gemini/settings.json`, and whether user policies exist.
    pub fn load(cwd: &Path) -> Settings {
        let mut settings = Settings::default();
        let mut dirs: Vec<PathBuf> = vec![cwd.join(".gemini")];
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            dirs.push(PathBuf::from(home).join(".gemini"));
        }
        for dir in dirs {
            if let Ok(text) = std::fs::read_to_string(dir.join("settings.json")) {
                settings.add_settings(&text);
            }
            if std::fs::read_dir(dir.join("policies")).is_ok_and(|mut e| e.next().is_some()) {
                settings.unknown = true;
            }
        }
        settings
    }

    pub fn add_settings(&mut self, text: &str) {
        use jsonc_parser::JsonValue;
        let Ok(value) = jsonc_parser::parse_to_value(text, &Default::default()) else {
            self.unknown = true;
            return;
        };
        let Some(JsonValue::Object(root)) = value else {
            return;
        };
        let Some(tools) = root.get_object("tools") else {
            return;
        };
        for key in ["allowed", "exclude", "core"] {
            let Some(list) = tools.get_array(key) else {
                continue;
            };
            for entry in list.iter() {
                let JsonValue::String(entry) = entry else {
                    continue;
                };
                let entry: &str = entry.as_ref();
                let prefix = if entry == "run_shell_command" || entry == "ShellTool" {
                    Some("")
                } else {
                    entry
                        .strip_prefix("run_shell_command(")
                        .or_else(|| entry.strip_prefix("ShellTool("))
                        .and_then(|e| e.strip_suffix(')'))
                };
                if let Some(prefix) = prefix {
                    self.prefixes.push(prefix.to_owned());
                    if key == "allowed" {
                        self.allowed.push(prefix.to_owned());
                    }
                }
            }
        }
    }

    /// Whether an allowed prefix matches both commands: the policy allows both alike, known-safe
    /// or not.
    fn allows_both(&self, original: &str, rewritten: &str) -> bool {
        self.allowed
            .iter()
            .any(|p| prefix_matches(p, original) && prefix_matches(p, rewritten))
    }

    /// Whether some rule matches one of the two commands and not the other.
    fn tells_apart(&self, original: &str, rewritten: &str) -> bool {
        self.prefixes
            .iter()
            .any(|p| prefix_matches(p, original) != prefix_matches(p, rewritten))
    }
}

/// `commandPrefix` as Gemini builds it from `run_shell_command(<prefix>)`: the prefix followed by
/// the end, a blank or a quote.
fn prefix_matches(prefix: &str, command: &str) -> bool {
    command.strip_prefix(prefix).is_some_and(|rest| {
        rest.is_empty() || rest.starts_with([' ', '\t', '"']) || prefix.is_empty()
    })
}

/// The answer to a Gemini event whose command the rewriter changed, or `None` (`{}` is printed).
pub fn output(
    event: &Value,
    command: &str,
    rewritten: &str,
    changed: &[Changed],
    settings: &Settings,
) -> Option<String> {
    if settings.unknown || settings.tells_apart(command, rewritten) {
        return None;
    }
    let allowed_alike = settings.allows_both(command, rewritten);
    for invocation in changed {
        let (original, new) = (invocation.original_text(), invocation.rewritten_text());
        let argv: Vec<&str> = invocation.original.iter().map(String::as_str).collect();
        let known_safe_only = is_known_safe_git(&argv) && !allowed_alike;
        if known_safe_only || settings.tells_apart(&original, &new) {
            return None;
        }
    }
    let mut input = event["tool_input"].clone();
    input["command"] = Value::String(rewritten.to_owned());
    Some(json!({ "hookSpecificOutput": { "tool_input": input } }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_rules_are_read_from_settings() {
        let mut settings = Settings::default();
        settings.add_settings(
            r#"{ // comment
              "tools": { "allowed": ["run_shell_command(git status)", "read_file"],
                         "exclude": ["run_shell_command(git push)"] } }"#,
        );
        assert_eq!(settings.prefixes, ["git status", "git push"]);
        assert!(settings.tells_apart("git status -s", "git rtk-status -s"));
        assert!(!settings.tells_apart("git -C x status", "git -C x rtk-status"));
    }
}
