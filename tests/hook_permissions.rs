//! Permission equivalence of the agent hooks, as a property: for generated command lines, modes
//! and user rule sets, a model of each client's own permission decision gives the same outcome
//! (runs silently, prompts, denied) for the command as typed and for what the client does with the
//! hook's answer; and never a more permissive one.
//!
//! The models are written here from the clients' code, independently of the hooks' code:
//! - Claude Code 2.1.112 `cli.js` (hook result handling; Bash permission check: deny/ask rules on
//!   every part, then allow rules or the read-only list per part, then the mode), with outcomes
//!   checked against its own functions on recorded events;
//! - Codex (openai/codex 4e30281a `exec_policy.rs` `render_decision_for_unmatched_command`,
//!   `execpolicy` prefix rules; codex-cli 0.171.0 `output_parser.rs`);
//! - Gemini CLI v0.36.0 and 0.61.0 (`policy-engine.ts` with the default TOML policies,
//!   `applyShellHeuristics`, `commandSafety.ts`);
//! - Copilot CLI 1.0.63 (`permissionsCommandsRequiringApproval` on the native classifier's
//!   identifiers).
//!
//! The only thing shared with the hooks is Claude's extracted read-only list (data from the
//! client). Where that list cannot decide (an extra check in JavaScript), the model is run both
//! ways: the hook must be right whichever way the client decides.
//!
//! The hooks rewrite to the direct form (`git-rtk-status -s`) where the plugin is found on PATH,
//! and to the dispatched form (`git rtk-status -s`) otherwise; which plugins are found is generated
//! too. Every model judges the direct form as its client does: the program `git-rtk-status`, not
//! `git`, with no subcommand, on no read-only or known-safe list, matched by a rule only as that
//! program (`Bash(git:*)`, `["git"]`, `run_shell_command(git)` and `git:*` do not match it).

mod support;

use git_rtk::hook::claude::read_only::{self, Verdict};
use git_rtk::hook::claude::rules::Rules as ClaudeRules;
use git_rtk::hook::codex::rules::RuleSet;
use git_rtk::hook::{codex, gemini, respond, Loaded};
use git_rtk::rewrite::policy::Policy;
use git_rtk::rewrite::{self, Direct, Rewritten};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Ordered from most to least permissive.
    Silent,
    Prompt,
    Deny,
}

/// A command that needs the user's approval: prompted for, or denied in a headless run, where no
/// one is there to answer.
fn needs_approval(headless: bool) -> Outcome {
    if headless {
        Outcome::Deny
    } else {
        Outcome::Prompt
    }
}

const CASES: u32 = 10_000;

fn policy() -> Policy {
    support::policy::every_command_opted_in(&["commit", "push"])
}

/// The plugins of the generated subcommands.
const PLUGINS: &[&str] = &["status", "log", "diff", "show", "branch", "commit", "push"];

/// The plugins the hook finds on PATH (as the file git would run): usually all of them, as
/// installed; sometimes only some, which leaves the others in the dispatched form.
fn plugins_found() -> impl Strategy<Value = Vec<String>> {
    let all = || PLUGINS.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
    prop_oneof![
        3 => Just(all()),
        1 => prop::sample::subsequence(all(), 0..=PLUGINS.len()),
    ]
}

/// `len` entries drawn from `pool` (repeats allowed): a user's rule or pattern list.
fn picks(pool: &[&'static str], len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::sample::select(pool.to_vec()), len)
        .prop_map(|picked| picked.into_iter().map(str::to_owned).collect())
}

// ---------------------------------------------------------------------------------------------
// Generated command lines.

fn git_part() -> impl Strategy<Value = String> {
    let sub_and_args = prop_oneof![
        (
            Just("status"),
            prop::sample::select(vec![
                "",
                "-s",
                "--short",
                "-sb",
                "-uno",
                "-u no",
                "--untracked-files=no"
            ])
        ),
        (
            Just("log"),
            prop::sample::select(vec![
                "",
                "--oneline",
                "--oneline -5",
                "-n 5",
                "-n5",
                "--output=x",
                "--stat",
                "HEAD~2",
                "--graph",
                "-p"
            ])
        ),
        (
            Just("diff"),
            prop::sample::select(vec![
                "",
                "--stat",
                "--cached",
                "HEAD~1 -- src",
                "--output=x",
                "--name-only",
                "--ext-diff"
            ])
        ),
        (
            Just("show"),
            prop::sample::select(vec!["", "HEAD", "--stat", "HEAD~1", "--output=x"])
        ),
        (
            Just("branch"),
            prop::sample::select(vec!["", "-a", "-vv", "-D x", "topic", "--show-current"])
        ),
        (Just("commit"), prop::sample::select(vec!["-m x"])),
        (Just("push"), prop::sample::select(vec!["", "--force"])),
    ];
    let global = prop::sample::select(vec!["", "", "", "-C sub ", "-c x=y ", "--no-pager "]);
    let env = prop::sample::select(vec!["", "", "", "", "FOO=1 ", "NO_COLOR=1 "]);
    (env, global, sub_and_args).prop_map(|(env, global, (sub, args))| {
        format!("{env}git {global}{sub} {args}")
            .trim_end()
            .to_owned()
    })
}

fn other_part() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "echo done",
        "ls",
        "npm test",
        "cd sub",
        "true",
        "git rtk-status",
        "git-rtk-status",
        "git-rtk-log -n 5",
    ])
    .prop_map(str::to_owned)
}

fn command_line() -> impl Strategy<Value = String> {
    let part = prop_oneof![4 => git_part(), 1 => other_part()];
    let separator = prop::sample::select(vec![" && ", "; ", " || "]);
    let tail = prop::sample::select(vec!["", "", "", " | head -n 5", " | less", " 2>&1"]);
    (
        part.clone(),
        prop::collection::vec((separator, part), 0..3),
        tail,
    )
        .prop_map(|(first, rest, tail)| {
            let mut line = first;
            for (sep, part) in rest {
                line.push_str(sep);
                line.push_str(&part);
            }
            line.push_str(tail);
            line
        })
}

/// The parts a client judges one by one: split at `&&`, `||`, `;`, `|`.
fn parts(command: &str) -> Vec<String> {
    command
        .replace("&&", ";")
        .replace("||", ";")
        .split([';', '|'])
        .map(|p| p.replace("2>&1", "").trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn words(part: &str) -> Vec<String> {
    part.split_whitespace().map(str::to_owned).collect()
}

/// `part` without leading `NAME=value` words.
fn strip_env(part: &str) -> String {
    let words = words(part);
    let start = words
        .iter()
        .position(|w| !w.contains('=') || w.starts_with('-'))
        .unwrap_or(words.len());
    words[start..].join(" ")
}

// ---------------------------------------------------------------------------------------------
// Claude Code 2.1.112.

const CLAUDE_MODES: &[&str] = &[
    "default",
    "acceptEdits",
    "plan",
    "dontAsk",
    "bypassPermissions",
];

const CLAUDE_RULE_POOL: &[&str] = &[
    "Bash(git status)",
    "Bash(git status:*)",
    "Bash(git log:*)",
    "Bash(git *)",
    "Bash(git rtk-status:*)",
    "Bash(git rtk-*)",
    "Bash(npm test)",
    "Bash(cd:*)",
    "Bash",
    "Bash(git diff --stat)",
    "Bash(git push:*)",
    "Bash(git:*)",
    "Bash(git-rtk-status:*)",
    "Bash(git-rtk-*)",
];

fn claude_rules() -> impl Strategy<Value = ClaudeRules> {
    let subset = || picks(CLAUDE_RULE_POOL, 0..3);
    // Most rule sets are empty or allow-only, as users write them.
    (
        subset(),
        prop::bool::weighted(0.3),
        subset(),
        prop::bool::weighted(0.3),
        subset(),
    )
        .prop_map(|(allow, with_ask, ask, with_deny, deny)| ClaudeRules {
            allow,
            ask: if with_ask { ask } else { Vec::new() },
            deny: if with_deny { deny } else { Vec::new() },
        })
}

/// `Bash(...)` rule matching as Claude does it: `Bash` matches all, `x:*` is `x` or `x `+more,
/// `*` is any run of characters (and a trailing ` *` may match nothing), else exact.
fn claude_rule_matches(rule: &str, command: &str) -> bool {
    if rule == "Bash" {
        return true;
    }
    let Some(body) = rule.strip_prefix("Bash(").and_then(|r| r.strip_suffix(')')) else {
        return false;
    };
    if let Some(prefix) = body.strip_suffix(":*") {
        return command == prefix || command.starts_with(&format!("{prefix} "));
    }
    if let Some(stem) = body.strip_suffix(" *") {
        if command == stem {
            return true;
        }
    }
    if body.contains('*') {
        let pattern = format!(
            "^{}$",
            body.split('*')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(".*")
        );
        return regex::Regex::new(&pattern).is_ok_and(|re| re.is_match(command));
    }
    body == command
}

/// Claude's read-only verdict on one part, as the client computes it. `unknown_as` decides the
/// cases the extracted list leaves to code it does not carry.
fn claude_read_only(part: &str, unknown_as: bool) -> bool {
    let w = words(part);
    match w.first().map(String::as_str) {
        Some("git") => match read_only::judge(&w) {
            Verdict::ReadOnly => true,
            Verdict::NotReadOnly => false,
            Verdict::Unknown => unknown_as,
        },
        Some("NO_COLOR=1") => claude_read_only(&w[1..].join(" "), unknown_as),
        Some("echo" | "ls" | "true") => true,
        Some("head") => part == "head -n 5",
        _ => false,
    }
}

/// The outcome of Claude's permission check of `command` with no hook.
fn claude_check(command: &str, mode: &str, rules: &ClaudeRules, unknown_as: bool) -> Outcome {
    let parts = parts(command);
    let any = |list: &[String]| {
        list.iter().any(|rule| {
            claude_rule_matches(rule, command)
                || parts.iter().any(|p| {
                    claude_rule_matches(rule, p) || claude_rule_matches(rule, &strip_env(p))
                })
        })
    };
    if any(&rules.deny) {
        return Outcome::Deny;
    }
    if any(&rules.ask) {
        return Outcome::Prompt;
    }
    if mode == "bypassPermissions" {
        return Outcome::Silent;
    }
    let cd_with_git = parts.iter().any(|p| p.starts_with("cd "))
        && parts.iter().any(|p| strip_env(p).starts_with("git "));
    let every_part_ok = !cd_with_git
        && parts.iter().all(|p| {
            rules.allow.iter().any(|rule| claude_rule_matches(rule, p))
                || claude_read_only(p, unknown_as)
        });
    if every_part_ok {
        Outcome::Silent
    } else if mode == "dontAsk" {
        Outcome::Deny
    } else {
        Outcome::Prompt
    }
}

/// What Claude does with the hook's answer (`None`: no output).
fn claude_with_hook(
    command: &str,
    mode: &str,
    rules: &ClaudeRules,
    answer: Option<&str>,
    unknown_as: bool,
) -> Outcome {
    let Some(answer) = answer else {
        return claude_check(command, mode, rules, unknown_as);
    };
    let answer: Value = serde_json::from_str(answer).expect("the hook prints JSON");
    let specific = &answer["hookSpecificOutput"];
    let input = specific["updatedInput"]["command"]
        .as_str()
        .unwrap_or(command)
        .to_owned();
    match specific["permissionDecision"].as_str() {
        // Only deny and ask rules, on the command as rewritten.
        Some("allow") => {
            let parts = parts(&input);
            let any = |list: &[String]| {
                list.iter().any(|rule| {
                    claude_rule_matches(rule, &input)
                        || parts.iter().any(|p| {
                            claude_rule_matches(rule, p) || claude_rule_matches(rule, &strip_env(p))
                        })
                })
            };
            if any(&rules.deny) {
                Outcome::Deny
            } else if any(&rules.ask) {
                Outcome::Prompt
            } else {
                Outcome::Silent
            }
        }
        Some("ask") => Outcome::Prompt,
        Some("deny") => Outcome::Deny,
        _ => claude_check(&input, mode, rules, unknown_as),
    }
}

fn claude_event(command: &str, mode: &str) -> Value {
    json!({
        "session_id": "s", "cwd": "/p", "hook_event_name": "PreToolUse",
        "permission_mode": mode, "tool_name": "Bash",
        "tool_input": { "command": command, "description": "d", "timeout": 1000 },
    })
}

/// The hook's answer as `git rtk-hook` makes it, with the plugins of `found` on PATH, and the
/// rewrite it carries (or the one it held back).
fn hook_answer(
    event: &Value,
    command: &str,
    settings: &Loaded,
    found: &[String],
) -> (Option<String>, Rewritten) {
    let forms = rewrite::rewrite_forms(command, &policy(), &Direct::Only(found.to_vec()));
    let (answer, used) = respond(event, command, &forms, settings);
    (answer, used.clone())
}

/// Every plugin found, as installed.
fn all_plugins() -> Vec<String> {
    PLUGINS.iter().map(|p| (*p).to_owned()).collect()
}

/// The command a client runs after the hook's `answer`: what `read` takes from the answer (where
/// it also checks the answer's other fields), or the command as typed when the hook printed none.
fn command_after(answer: Option<&str>, typed: &str, read: impl FnOnce(&Value) -> String) -> String {
    answer.map_or_else(
        || typed.to_owned(),
        |answer| read(&serde_json::from_str(answer).expect("json")),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn claude_outcomes_are_the_same_with_the_hook(
        command in command_line(),
        mode in prop::sample::select(CLAUDE_MODES.to_vec()),
        rules in claude_rules(),
        found in plugins_found(),
    ) {
        let event = claude_event(&command, mode);
        let (answer, _) = hook_answer(&event, &command, &Loaded::Claude(rules.clone()), &found);
        if let Some(answer) = &answer {
            prop_assert!(!answer.contains(r#""ask""#), "never ask: {}", answer);
        }
        for unknown_as in [true, false] {
            let without = claude_check(&command, mode, &rules, unknown_as);
            let with = claude_with_hook(&command, mode, &rules, answer.as_deref(), unknown_as);
            prop_assert_eq!(with, without, "{} in {} with {:?}: {:?}", command, mode, rules, answer);
        }
    }
}

#[test]
fn claude_default_mode_allows_the_everyday_reads_and_nothing_that_writes() {
    let rules = ClaudeRules::default();
    let answer_in_default_mode = |command: &str| {
        let event = claude_event(command, "default");
        hook_answer(
            &event,
            command,
            &Loaded::Claude(rules.clone()),
            &all_plugins(),
        )
        .0
    };
    for command in ["git status", "git log --oneline -5", "git diff --stat"] {
        let answer = answer_in_default_mode(command).expect("rewritten");
        let answer: Value = serde_json::from_str(&answer).expect("json");
        assert_eq!(
            answer["hookSpecificOutput"]["permissionDecision"], "allow",
            "{command}"
        );
        assert_eq!(
            answer["hookSpecificOutput"]["updatedInput"]["command"],
            command.replacen("git ", "git-rtk-", 1),
            "the direct form"
        );
        assert_eq!(
            answer["hookSpecificOutput"]["updatedInput"]["description"], "d",
            "the rest of the input is kept"
        );
    }
    for command in [
        "git diff --output=x",
        "git branch -D x",
        "git log --output=x",
    ] {
        assert!(
            !answer_in_default_mode(command)
                .unwrap_or_default()
                .contains(r#""allow""#),
            "{command} never gets allow"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Codex.

#[derive(Debug, Clone)]
struct CodexRule {
    pattern: Vec<String>,
    decision: Outcome,
}

const CODEX_RULE_POOL: &[(&[&str], Outcome)] = &[
    (&["git", "push"], Outcome::Deny),
    (&["git", "status"], Outcome::Prompt),
    (&["git", "status"], Outcome::Silent),
    (&["git", "rtk-status"], Outcome::Prompt),
    (&["git"], Outcome::Prompt),
    (&["npm", "test"], Outcome::Silent),
    (&["git-rtk-status"], Outcome::Prompt),
    (&["git-rtk-log"], Outcome::Silent),
    (&["git-rtk-diff"], Outcome::Deny),
];

fn codex_rules() -> impl Strategy<Value = Vec<CodexRule>> {
    prop::collection::vec(prop::sample::select(CODEX_RULE_POOL.to_vec()), 0..2).prop_map(|v| {
        v.into_iter()
            .map(|(pattern, decision)| CodexRule {
                pattern: pattern.iter().map(|s| (*s).to_owned()).collect(),
                decision,
            })
            .collect()
    })
}

/// Programs other than git that Codex, Gemini and Copilot all count as read-only.
const READ_ONLY_PROGRAMS: [&str; 4] = ["echo", "ls", "true", "head"];

/// For a part that does not run git: whether Codex's and Gemini's lists hold its program; `None`
/// for git, which each client checks its own way.
fn other_program_is_safe(argv: &[String]) -> Option<bool> {
    match argv.first().map(String::as_str) {
        Some("git") => None,
        program => Some(program.is_some_and(|p| READ_ONLY_PROGRAMS.contains(&p))),
    }
}

/// `is_safe_git_command` at 4e30281a, for the model.
fn codex_known_safe(argv: &[String]) -> bool {
    if let Some(safe) = other_program_is_safe(argv) {
        return safe;
    }
    let args = &argv[1..];
    if args
        .iter()
        .any(|a| a == "-c" || a.starts_with("-c") && !a.starts_with("--") && a.len() > 2)
    {
        return false;
    }
    let mut i = 0;
    while i < args.len() {
        if ["-C", "-c", "--git-dir", "--work-tree"].contains(&args[i].as_str()) {
            i += 2;
        } else if args[i].starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let Some(sub) = args.get(i) else { return false };
    let rest = &args[i + 1..];
    let read_only = !rest.iter().any(|a| {
        [
            "--output",
            "--ext-diff",
            "--textconv",
            "--exec",
            "--paginate",
        ]
        .contains(&a.as_str())
            || a.starts_with("--output=")
            || a.starts_with("--exec=")
    });
    match sub.as_str() {
        "status" | "log" | "diff" | "show" => read_only,
        "branch" => {
            read_only
                && rest.iter().all(|a| {
                    [
                        "-a",
                        "-vv",
                        "-v",
                        "--show-current",
                        "-l",
                        "--list",
                        "-r",
                        "--all",
                    ]
                    .contains(&a.as_str())
                })
        }
        _ => false,
    }
}

/// `command_might_be_dangerous` for the generated commands: `git push --force`, `git branch -D`.
fn codex_dangerous(argv: &[String]) -> bool {
    let text = argv.join(" ");
    text.starts_with("git push --force") || text.contains("branch -D")
}

/// Codex's decision on `command` under `policy` ("untrusted", "on-request", "never").
fn codex_check(command: &str, policy: &str, rules: &[CodexRule]) -> Outcome {
    let mut worst = Outcome::Silent;
    for part in parts(command) {
        let argv = words(&strip_env(&part));
        let matched = rules
            .iter()
            .filter(|r| r.pattern.len() <= argv.len() && r.pattern[..] == argv[..r.pattern.len()])
            .map(|r| r.decision)
            .max();
        let outcome = match matched {
            Some(decision) => decision,
            None if codex_dangerous(&argv) => {
                if policy == "never" {
                    Outcome::Deny
                } else {
                    Outcome::Prompt
                }
            }
            None if codex_known_safe(&argv) => Outcome::Silent,
            None if policy == "untrusted" => Outcome::Prompt,
            None => Outcome::Silent,
        };
        worst = worst.max(outcome);
    }
    worst
}

/// What Codex does with the answer: `updatedInput` only with `allow`, which grants nothing.
fn codex_with_hook(
    command: &str,
    policy: &str,
    rules: &[CodexRule],
    answer: Option<&str>,
) -> Outcome {
    let input = answer
        .and_then(|a| serde_json::from_str::<Value>(a).ok())
        .filter(|a| a["hookSpecificOutput"]["permissionDecision"] == "allow")
        .and_then(|a| {
            a["hookSpecificOutput"]["updatedInput"]["command"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| command.to_owned());
    codex_check(&input, policy, rules)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn codex_outcomes_are_the_same_with_the_hook(
        command in command_line(),
        approval in prop::sample::select(vec!["untrusted", "on-request", "never"]),
        rules in codex_rules(),
        found in plugins_found(),
    ) {
        // The event does not carry the policy; the hook reads it from config.toml (a policy given
        // on the command line is not visible to it: docs/agents.md).
        let mut rule_set = RuleSet::default();
        for rule in &rules {
            let pattern: Vec<String> = rule.pattern.iter().map(|t| format!("{t:?}")).collect();
            rule_set.add_text(&format!("prefix_rule(pattern = [{}], decision = \"x\")", pattern.join(", ")));
        }
        let settings = codex::Settings { rules: rule_set, untrusted: approval == "untrusted" };
        let event = json!({
            "hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": "/p",
            "permission_mode": if approval == "never" { "bypassPermissions" } else { "default" },
            "tool_input": { "command": command },
        });
        let (answer, _) = hook_answer(&event, &command, &Loaded::Codex(settings), &found);
        let without = codex_check(&command, approval, &rules);
        let with = codex_with_hook(&command, approval, &rules, answer.as_deref());
        prop_assert_eq!(with, without, "{} under {} with {:?}: {:?}", command, approval, rules, answer);
    }
}

// ---------------------------------------------------------------------------------------------
// Gemini CLI.

/// `isSafeToCallWithExec` for git (v0.36.0, 0.61.0): only `-c`/`--config-env` among globals.
fn gemini_known_safe(argv: &[String]) -> bool {
    if let Some(safe) = other_program_is_safe(argv) {
        return safe;
    }
    let args = &argv[1..];
    if args.iter().any(|a| a == "-c" || a == "--config-env") {
        return false;
    }
    codex_known_safe(argv)
}

/// Gemini's decision. `allowed`/`excluded`: `run_shell_command(<prefix>)` entries.
fn gemini_check(
    command: &str,
    mode: &str,
    headless: bool,
    newest: bool,
    allowed: &[String],
    excluded: &[String],
) -> Outcome {
    if mode == "plan" {
        return Outcome::Deny;
    }
    let prefix = |p: &String, c: &str| c == p || c.starts_with(&format!("{p} "));
    if excluded
        .iter()
        .any(|p| parts(command).iter().any(|part| prefix(p, part)))
    {
        return Outcome::Deny;
    }
    if mode == "yolo" {
        return Outcome::Silent;
    }
    if !allowed.is_empty() {
        if allowed.iter().any(|p| prefix(p, command)) {
            return Outcome::Silent;
        }
        if newest {
            // "Settings (Tools Allowed) (Narrowing Enforcement)", v0.40.0 and later.
            return Outcome::Deny;
        }
    }
    let safe = parts(command).iter().all(|p| gemini_known_safe(&words(p)));
    if safe && !(headless && newest) {
        return Outcome::Silent;
    }
    needs_approval(headless)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn gemini_outcomes_are_the_same_with_the_hook(
        command in command_line(),
        mode in prop::sample::select(vec!["default", "autoEdit", "yolo", "plan"]),
        headless in any::<bool>(),
        newest in any::<bool>(),
        allowed in picks(&["git", "git status", "git log", "git rtk-status", "git-rtk-status"], 0..2),
        excluded in picks(&["git push", "git status", "git rtk-", "git-rtk-status", "git"], 0..2),
        found in plugins_found(),
    ) {
        let mut settings = gemini::Settings::default();
        let entries = |list: &[String]| {
            list.iter().map(|p| format!("\"run_shell_command({p})\"")).collect::<Vec<_>>().join(",")
        };
        settings.add_settings(&format!(
            "{{\"tools\": {{\"allowed\": [{}], \"exclude\": [{}]}}}}",
            entries(&allowed),
            entries(&excluded)
        ));
        let event = json!({
            "hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "cwd": "/p",
            "tool_input": { "command": command, "dir_path": "sub", "description": "d", "is_background": false },
        });
        let (answer, _) = hook_answer(&event, &command, &Loaded::Gemini(settings), &found);
        let input = command_after(answer.as_deref(), &command, |a| {
            let input = &a["hookSpecificOutput"]["tool_input"];
            // Every argument kept, only the command changed.
            assert_eq!(input["dir_path"], "sub");
            assert_eq!(input["description"], "d");
            assert_eq!(input["is_background"], false);
            input["command"].as_str().expect("command").to_owned()
        });
        let without = gemini_check(&command, mode, headless, newest, &allowed, &excluded);
        let with = gemini_check(&input, mode, headless, newest, &allowed, &excluded);
        prop_assert_eq!(with, without, "{} in {}: {:?}", command, mode, answer);
    }
}

// ---------------------------------------------------------------------------------------------
// Copilot CLI.

/// The native classifier's identifier and read-only flag of one part (1.0.63).
fn copilot_identifier(part: &str) -> (String, bool) {
    let w = words(&strip_env(part));
    match w.first().map(String::as_str) {
        Some("git") => {
            let mut i = 1;
            while w.get(i).map(String::as_str) == Some("--no-pager") {
                i += 1;
            }
            match w.get(i) {
                Some(word) if word.starts_with('-') => (format!("git {word}"), false),
                Some(sub) => {
                    let ro = ["status", "log", "diff", "show"].contains(&sub.as_str())
                        || (sub == "branch" && w.len() == i + 1);
                    (format!("git {sub}"), ro)
                }
                None => ("git".to_owned(), false),
            }
        }
        Some(program) => (program.to_owned(), READ_ONLY_PROGRAMS.contains(&program)),
        None => (String::new(), true),
    }
}

fn copilot_check(command: &str, headless: bool, allow: &[String], deny: &[String]) -> Outcome {
    let rule_matches = |rule: &String, identifier: &str| match rule.strip_suffix(":*") {
        Some(stem) => identifier == stem || identifier.starts_with(&format!("{stem} ")),
        None => rule == identifier,
    };
    let identifiers: Vec<(String, bool)> = parts(command)
        .iter()
        .map(|p| copilot_identifier(p))
        .collect();
    if identifiers
        .iter()
        .any(|(id, _)| deny.iter().any(|r| rule_matches(r, id)))
    {
        return Outcome::Deny;
    }
    if identifiers
        .iter()
        .all(|(id, ro)| *ro || allow.iter().any(|r| rule_matches(r, id)))
    {
        Outcome::Silent
    } else {
        needs_approval(headless)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn copilot_outcomes_are_the_same_with_the_hook(
        command in command_line(),
        headless in any::<bool>(),
        allow in picks(&["git status", "git:*", "git rtk-status", "git -C", "git-rtk-status"], 0..2),
        deny in picks(&["git status", "git push", "git:*", "git -C", "git-rtk-status"], 0..2),
        found in plugins_found(),
    ) {
        let args = json!({ "command": command, "description": "d" }).to_string();
        let event = json!({ "sessionId": "s", "timestamp": 1, "cwd": "/p", "toolName": "bash", "toolArgs": args });
        let (answer, _) = hook_answer(&event, &command, &Loaded::Copilot, &found);
        let input = command_after(answer.as_deref(), &command, |a| {
            assert!(a.get("permissionDecision").is_none(), "no decision");
            assert_eq!(a["modifiedArgs"]["description"], "d");
            a["modifiedArgs"]["command"].as_str().expect("command").to_owned()
        });
        prop_assert_eq!(
            copilot_check(&input, headless, &allow, &deny),
            copilot_check(&command, headless, &allow, &deny),
            "{}: {:?}", command, answer
        );
    }
}

#[test]
fn gemini_answer_keeps_every_argument_but_the_command() {
    // With `run_shell_command(git)` allowed, both forms are allowed alike: the hook rewrites.
    let mut settings = gemini::Settings::default();
    settings.add_settings(r#"{"tools": {"allowed": ["run_shell_command(git)"]}}"#);
    let event = json!({
        "hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "cwd": "/p",
        "tool_input": {
            "command": "git log --oneline -5", "dir_path": "sub/dir", "description": "recent",
            "is_background": false, "delay_ms": 0,
        },
    });
    // The direct form would not be allowed by it (`git-rtk-log` is not `git`): dispatched.
    let (answer, _) = hook_answer(
        &event,
        "git log --oneline -5",
        &Loaded::Gemini(settings),
        &all_plugins(),
    );
    let answer: Value = serde_json::from_str(&answer.expect("rewritten")).expect("json");
    let mut expected = event["tool_input"].clone();
    expected["command"] = json!("git rtk-log --oneline -5");
    assert_eq!(answer["hookSpecificOutput"]["tool_input"], expected);
    assert!(
        answer.get("decision").is_none(),
        "a hook cannot grant: none sent"
    );
    // Without that rule the command is known-safe to Gemini: left as typed.
    let (answer, _) = hook_answer(
        &event,
        "git log --oneline -5",
        &Loaded::Gemini(gemini::Settings::default()),
        &all_plugins(),
    );
    assert_eq!(answer, None);
}

#[test]
fn the_models_judge_the_direct_form_as_a_program_of_its_own() {
    let argv = |text: &str| words(text);
    // Claude: not read-only, matched only by rules that name it.
    assert!(!claude_read_only("git-rtk-status -s", true));
    for rule in [
        "Bash(git:*)",
        "Bash(git *)",
        "Bash(git status:*)",
        "Bash(git rtk-*)",
    ] {
        assert!(!claude_rule_matches(rule, "git-rtk-status -s"), "{rule}");
        assert!(
            claude_rule_matches(rule, "git status -s") || rule.contains("rtk"),
            "{rule}"
        );
    }
    assert!(claude_rule_matches("Bash(git:*)", "git rtk-status -s"));
    assert!(claude_rule_matches(
        "Bash(git-rtk-status:*)",
        "git-rtk-status -s"
    ));
    assert!(claude_rule_matches("Bash(git-rtk-*)", "git-rtk-status -s"));
    let allow_git = ClaudeRules {
        allow: vec!["Bash(git:*)".into()],
        ..ClaudeRules::default()
    };
    assert_eq!(
        claude_check("git-rtk-status", "default", &allow_git, true),
        Outcome::Prompt
    );
    assert_eq!(
        claude_check("git status", "default", &allow_git, true),
        Outcome::Silent
    );
    // Codex and Gemini: not known-safe, not dangerous.
    assert!(!codex_known_safe(&argv("git-rtk-status")));
    assert!(!gemini_known_safe(&argv("git-rtk-log --oneline")));
    assert!(codex_known_safe(&argv("git status")));
    let git_rule = [CodexRule {
        pattern: vec!["git".into()],
        decision: Outcome::Deny,
    }];
    assert_eq!(
        codex_check("git-rtk-status", "on-request", &git_rule),
        Outcome::Silent
    );
    assert_eq!(
        gemini_check(
            "git-rtk-status",
            "default",
            false,
            true,
            &["git".into()],
            &[]
        ),
        Outcome::Deny,
        "run_shell_command(git) does not allow it; with narrowing, anything else is denied"
    );
    // Copilot: the program is the identifier, with no subcommand.
    assert_eq!(
        copilot_identifier("git-rtk-status -s"),
        ("git-rtk-status".to_owned(), false)
    );
    assert_eq!(
        copilot_check("git-rtk-status", false, &["git:*".into()], &[]),
        Outcome::Prompt
    );
}

#[test]
fn each_agent_gets_the_direct_form_where_its_check_cannot_tell() {
    let found = all_plugins();
    let command_in = |answer: Option<String>, pointer: &str| -> Option<String> {
        let answer: Value = serde_json::from_str(&answer?).expect("json");
        answer.pointer(pointer)?.as_str().map(str::to_owned)
    };
    // Claude and Codex: direct; a global option keeps git's dispatch.
    let event = claude_event("git log -n 5", "default");
    let (answer, _) = hook_answer(
        &event,
        "git log -n 5",
        &Loaded::Claude(ClaudeRules::default()),
        &found,
    );
    assert_eq!(
        command_in(answer, "/hookSpecificOutput/updatedInput/command").as_deref(),
        Some("git-rtk-log -n 5")
    );
    let codex_event = |command: &str| {
        json!({
            "hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": "/p",
            "permission_mode": "default", "tool_input": { "command": command },
        })
    };
    for (typed, expected) in [
        ("git log -n 5", "git-rtk-log -n 5"),
        ("git -C sub log -n 5", "git -C sub rtk-log -n 5"),
    ] {
        let (answer, _) = hook_answer(
            &codex_event(typed),
            typed,
            &Loaded::Codex(codex::Settings::default()),
            &found,
        );
        assert_eq!(
            command_in(answer, "/hookSpecificOutput/updatedInput/command").as_deref(),
            Some(expected)
        );
    }
    // Not on PATH: dispatched.
    let (answer, _) = hook_answer(
        &codex_event("git log -n 5"),
        "git log -n 5",
        &Loaded::Codex(codex::Settings::default()),
        &["status".to_owned()],
    );
    assert_eq!(
        command_in(answer, "/hookSpecificOutput/updatedInput/command").as_deref(),
        Some("git rtk-log -n 5")
    );
    // Copilot: only the dispatched form, only after a global option.
    let args = json!({ "command": "git -C sub status" }).to_string();
    let event = json!({ "toolName": "bash", "toolArgs": args });
    let (answer, _) = hook_answer(&event, "git -C sub status", &Loaded::Copilot, &found);
    assert_eq!(
        command_in(answer, "/modifiedArgs/command").as_deref(),
        Some("git -C sub rtk-status")
    );
}
