//! Claude Code's `PreToolUse` hook for its Bash tool (read from `@anthropic-ai/claude-code`
//! 2.1.112 `cli.js`, its permission code run on real events; see `docs/agents.md`).
//!
//! Since 2.1.2 Claude applies `updatedInput` with or without a decision. With
//! `permissionDecision: "allow"` only the user's deny and ask rules are then checked, on the
//! rewritten command; with no decision the whole normal check runs on it: rules, the built-in
//! read-only list ([`read_only`]), then the permission mode. `git rtk-status` matches no read-only
//! entry and no rule written for `git status`, so the answer depends on what the command as typed
//! would meet:
//! - a deny or ask rule matches it (or any part of it), or one matches the rewrite: no answer;
//! - `bypassPermissions` (and `auto`): the rewrite with no decision (the mode decides, as before);
//! - every part runs without asking as typed (a user allow rule, or the read-only list with only
//!   its listed flags): the rewrite with `"allow"`;
//! - some part would be asked about as typed, in `default` or `acceptEdits` mode: the rewrite with
//!   no decision (a prompt either way), unless an allow rule matches the rewrite;
//! - anything else (`plan`, `dontAsk`, or a part whose verdict this code cannot reproduce): no
//!   answer.
//!
//! `"ask"` is never sent: it forces a prompt even in `bypassPermissions` mode.

pub mod read_only;
pub mod rules;

use serde_json::{json, Value};

use self::read_only::Verdict;
use self::rules::Rules;
use crate::rewrite::shell;

/// Claude Code's permission modes, from the event's `permission_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Default,
    AcceptEdits,
    Plan,
    DontAsk,
    BypassPermissions,
    Auto,
    /// A mode this code does not know: treated like `plan` (no answer unless allowed as typed).
    Other,
}

impl Mode {
    pub fn of(event: &Value) -> Mode {
        match event["permission_mode"].as_str() {
            None | Some("default") => Mode::Default,
            Some("acceptEdits") => Mode::AcceptEdits,
            Some("plan") => Mode::Plan,
            Some("dontAsk") => Mode::DontAsk,
            Some("bypassPermissions") => Mode::BypassPermissions,
            Some("auto") => Mode::Auto,
            Some(_) => Mode::Other,
        }
    }
}

/// How Claude would treat the command as typed, before any mode applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsTyped {
    /// Every part is allowed by a rule or read-only: it runs without asking.
    Silent,
    /// Some part is neither: it is asked about (or denied in `dontAsk` mode).
    Asked,
    /// This code cannot tell.
    Unknown,
}

/// The answer to a Claude event whose command the rewriter changed into `rewritten`.
pub fn output(
    event: &Value,
    command: &str,
    rewritten: &str,
    rules: &Rules,
    mode: Mode,
) -> Option<String> {
    if rules.restricts(command) || rules.restricts(rewritten) {
        return None;
    }
    let decision = match mode {
        Mode::BypassPermissions | Mode::Auto => None,
        _ => match as_typed(command, rules) {
            AsTyped::Silent => Some("allow"),
            AsTyped::Asked
                if matches!(mode, Mode::Default | Mode::AcceptEdits)
                    && !rules.allows_any_part(rewritten) =>
            {
                None
            }
            _ => return None,
        },
    };
    let mut updated = event["tool_input"].clone();
    updated["command"] = Value::String(rewritten.to_owned());
    let mut specific = json!({
        "hookEventName": "PreToolUse",
        "updatedInput": updated,
    });
    if let Some(decision) = decision {
        specific["permissionDecision"] = Value::String(decision.to_owned());
        specific["permissionDecisionReason"] =
            Value::String(format!("git-rtk: compact output ({rewritten})"));
    }
    Some(json!({ "hookSpecificOutput": specific }).to_string())
}

/// Redirections Claude's read-only path accepts (stderr only).
const HARMLESS_REDIRECTIONS: &[&str] = &["2>&1", "2>/dev/null", "2> /dev/null"];

/// Whether Claude runs `command` without asking, part by part: a user allow rule matching the
/// part, or the read-only list. Only simple commands of literal words joined by `&&`, `||`, `;`,
/// `|` and newlines are judged; any other shell construct is [`AsTyped::Unknown`].
pub fn as_typed(command: &str, rules: &Rules) -> AsTyped {
    let mut plain = command.to_owned();
    for redirection in HARMLESS_REDIRECTIONS {
        plain = plain.replace(redirection, " ");
    }
    if plain.contains([
        '(', ')', '$', '`', '<', '>', '{', '}', '#', '\\', '*', '?', '[',
    ]) {
        return AsTyped::Unknown;
    }
    let Ok(parts) = shell::parse(command) else {
        return AsTyped::Unknown;
    };
    let mut verdict = AsTyped::Silent;
    for part in &parts {
        let (Some(first), Some(last)) = (part.words.first(), part.words.last()) else {
            return AsTyped::Unknown;
        };
        if !part.assignments.is_empty() {
            return AsTyped::Unknown;
        }
        let text = &command[first.start..last.end];
        let words: Option<Vec<String>> = part.words.iter().map(|w| w.literal.clone()).collect();
        let Some(words) = words else {
            return AsTyped::Unknown;
        };
        if words[0] == "cd" {
            // `cd` with git in one command is asked about unless it names the current
            // directory; not reproduced.
            return AsTyped::Unknown;
        }
        if rules.allows(text) {
            continue;
        }
        if words[0] != "git" {
            // Claude's read-only list covers many other programs (`ls`, `echo`, `head -n`);
            // only its git part is reproduced.
            return AsTyped::Unknown;
        }
        match read_only::judge(&words) {
            Verdict::ReadOnly => {}
            Verdict::NotReadOnly => verdict = AsTyped::Asked,
            Verdict::Unknown => return AsTyped::Unknown,
        }
    }
    verdict
}
