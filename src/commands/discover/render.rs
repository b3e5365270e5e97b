//! The discover report as text (compact, for a person) or JSON (for a program). Only what the
//! [`Report`] holds is printed: counts, tokens, reasons and redacted examples.

use std::fmt::Write as _;

use super::report::{Group, Report, Totals};
use super::Source;

/// How the numbers are counted, as both formats state it.
pub const METHOD: &str = "tokens = bytes / 4 (rounded up) of the output each command's transcript \
                          records, as git rtk-gain counts; a command line's output is shared equally \
                          by its git invocations; a reason is what the rewriter decides today \
                          (git rtk-rewrite) for the command as it ran";

/// What is printed besides the report itself.
pub struct Context<'a> {
    pub sources: &'a [Source],
    pub since: Option<jiff::Timestamp>,
    /// Groups shown; `None` shows all.
    pub top: Option<usize>,
}

pub fn text(report: &Report, context: &Context) -> String {
    let mut out = String::new();
    let t = &report.totals;
    let _ = write!(
        out,
        "{} commands, {} git invocations: {} served by plugins, {} missed ({} tokens of output)",
        t.commands, t.git_invocations, t.served, t.missed, t.missed_tokens
    );
    match context.since {
        Some(since) => {
            let _ = writeln!(out, " since {since}");
        }
        None => out.push('\n'),
    }
    for source in context.sources {
        let files = report.files.get(&source.agent).copied().unwrap_or(0);
        let a = report
            .per_agent
            .get(&source.agent)
            .cloned()
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<6} {} commands, {} git, {} served, {} missed, {} tokens ({} {}, {})",
            source.agent.as_str(),
            a.commands,
            a.git_invocations,
            a.served,
            a.missed,
            a.missed_tokens,
            files,
            if files == 1 { "file" } else { "files" },
            source.root.display()
        );
    }
    let groups = report.groups();
    let shown = shown(&groups, context.top);
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "\nmissed, by tokens (top {} of {}):",
            shown.len(),
            groups.len()
        );
        let width = shown
            .iter()
            .map(|g| subcommand(g).len())
            .max()
            .unwrap_or(0)
            .max("subcommand".len());
        let reason_width = shown
            .iter()
            .map(|g| reason(g).chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "  {:>7} {:>6}  {:<width$}  {:<reason_width$}  example",
            "tokens", "count", "subcommand", "reason"
        );
        for group in shown {
            let _ = writeln!(
                out,
                "  {:>7} {:>6}  {:<width$}  {:<reason_width$}  {}",
                group.tokens,
                group.count,
                subcommand(group),
                reason(group),
                group.example
            );
        }
        let mut modes = std::collections::BTreeMap::<&str, u64>::new();
        for group in &groups {
            for (mode, count) in &group.permission_modes {
                *modes.entry(mode).or_default() += count;
            }
        }
        if !modes.is_empty() {
            let list: Vec<String> = modes.iter().map(|(m, n)| format!("{m} {n}")).collect();
            let _ = writeln!(
                out,
                "permission mode at missed invocations: {}",
                list.join(", ")
            );
        }
    }
    let _ = writeln!(out, "\nhow: {METHOD}");
    out
}

pub fn json(report: &Report, context: &Context) -> String {
    let groups = report.groups();
    let shown = shown(&groups, context.top);
    let totals = |t: &Totals| {
        serde_json::json!({
            "commands": t.commands,
            "git_invocations": t.git_invocations,
            "served": t.served,
            "missed": t.missed,
            "served_tokens": t.served_tokens,
            "missed_tokens": t.missed_tokens,
        })
    };
    let sources: Vec<serde_json::Value> = context
        .sources
        .iter()
        .map(|s| {
            serde_json::json!({
                "agent": s.agent.as_str(),
                "root": s.root.display().to_string(),
                "files": report.files.get(&s.agent).copied().unwrap_or(0),
                "totals": totals(&report.per_agent.get(&s.agent).cloned().unwrap_or_default()),
            })
        })
        .collect();
    let missed: Vec<serde_json::Value> = shown
        .iter()
        .map(|g| {
            let agents: serde_json::Map<String, serde_json::Value> = g
                .agents
                .iter()
                .map(|(agent, n)| (agent.as_str().to_owned(), (*n).into()))
                .collect();
            serde_json::json!({
                "subcommand": g.subcommand,
                "reason": g.reason,
                "rule": g.rule,
                "count": g.count,
                "tokens": g.tokens,
                "example": g.example,
                "agents": agents,
                "permission_modes": g.permission_modes,
            })
        })
        .collect();
    let value = serde_json::json!({
        "since": context.since.map(|t| t.to_string()),
        "method": METHOD,
        "totals": totals(&report.totals),
        "sources": sources,
        "groups": groups.len(),
        "missed": missed,
    });
    format!("{value}\n")
}

fn shown<'a>(groups: &[&'a Group], top: Option<usize>) -> Vec<&'a Group> {
    let n = top.unwrap_or(groups.len()).min(groups.len());
    groups[..n].to_vec()
}

fn subcommand(group: &Group) -> &str {
    group.subcommand.as_deref().unwrap_or("-")
}

/// The reason, with the rewriter's own name for it when that says more (`help` for a flag).
fn reason(group: &Group) -> String {
    let rule = group.rule.strip_prefix("skip:").unwrap_or(&group.rule);
    if rule == "rewrite" || rule == group.reason || rule.replace('-', " ") == group.reason {
        group.reason.to_owned()
    } else {
        format!("{} ({rule})", group.reason)
    }
}
