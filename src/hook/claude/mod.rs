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
//!
//! **The form of the rewrite.** Claude matches rules on the command string: `Bash(git:*)` and
//! `Bash(git *)` match `git rtk-status` but not `git-rtk-status`, `Bash(git-rtk-status:*)` only
//! the direct form. Every rule check above runs on the rewrite actually sent, so either form is
//! judged as Claude judges it, and neither is on the read-only list. With `"allow"` Claude checks
//! nothing else, and an answer with no decision in `default`/`acceptEdits` mode prompts either
//! way. So the direct form (`git-rtk-status -s`, one git start-up fewer) is sent in every mode
//! except where Claude's own checks, not the rules, decide on a rewrite that carries no decision
//! and could tell `git` from another program ([`direct_form_keeps_decisions`]):
//! - `auto`: its classifier reads the command text, and no model here reproduces it;
//! - `bypassPermissions` with a `cd` in the command: Claude's "cd and git" check (a bare
//!   repository attack guard that no allow rule lifts) keys on the program `git`.
//!
//! There the dispatched form (`git rtk-status`) is sent, as before: still `git` to those checks.

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

/// The answer to a Claude event whose command the rewriter changed into `rewritten`; `direct`:
/// the rewrite starts some plugin directly (`git-rtk-status`).
pub fn output(
    event: &Value,
    command: &str,
    rewritten: &str,
    direct: bool,
    rules: &Rules,
    mode: Mode,
) -> Option<String> {
    if direct && !direct_form_keeps_decisions(command, mode) {
        return None;
    }
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

/// Whether Claude decides a direct rewrite of `command` as it decides the dispatched one in `mode`
/// (see the module docs): not in `auto`, nor in `bypassPermissions` when a part is a `cd`.
pub fn direct_form_keeps_decisions(command: &str, mode: Mode) -> bool {
    match mode {
        Mode::Auto => false,
        Mode::BypassPermissions => shell::parse(command).is_ok_and(|parts| {
            !parts.iter().any(|part| {
                part.words
                    .first()
                    .is_some_and(|w| matches!(w.literal.as_deref(), Some("cd" | "pushd")))
            })
        }),
        // The other modes answer only with `"allow"` (deny and ask rules alone are checked then,
        // on the rewrite sent) or, in `default` and `acceptEdits`, with no decision for a command
        // that prompts as typed; Claude's own checks can add a prompt there, never remove one.
        _ => true,
    }
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
