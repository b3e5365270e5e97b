//! The facts of a discover report: totals, and the missed git invocations grouped by
//! (subcommand, reason) with their count and the tokens of their recorded output. Built from
//! [`ShellCall`]s and their [`verdict`](super::verdict)s; rendering lives in
//! [`super::render`]. Command text enters a report only redacted ([`crate::rewrite::audit::redact`]).

use std::collections::BTreeMap;

use super::transcript::{Agent, ShellCall};
use super::verdict::{Invocation, Verdict};
use crate::commands::gain::tokens;

/// Longest example command kept per group, in characters (after redaction).
const EXAMPLE_CHARS: usize = 72;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Shell commands the agents ran (with or without git).
    pub commands: u64,
    pub git_invocations: u64,
    pub served: u64,
    pub missed: u64,
    /// Tokens of the recorded output, as `git rtk-gain` counts them, shared by the invocations.
    pub served_tokens: u64,
    pub missed_tokens: u64,
}

/// Missed invocations of one subcommand for one reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub subcommand: Option<String>,
    pub reason: &'static str,
    /// The rewriter's decision (`rewrite`, `skip:pipe`, …).
    pub rule: String,
    pub count: u64,
    pub tokens: u64,
    /// The first invocation seen, redacted, whitespace collapsed, shortened.
    pub example: String,
    pub agents: BTreeMap<Agent, u64>,
    /// The agent's permission mode at each invocation, where the transcript records it.
    pub permission_modes: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub totals: Totals,
    pub per_agent: BTreeMap<Agent, Totals>,
    /// Transcript files read, per agent.
    pub files: BTreeMap<Agent, u64>,
    groups: BTreeMap<(Option<String>, &'static str, String), Group>,
}

impl Report {
    /// Counts one shell command and its git invocations. The command's output tokens are shared
    /// equally by its git invocations (the remainder to the first ones), since one recorded
    /// output cannot be told apart by invocation; a command without git adds no tokens.
    pub fn add(&mut self, call: &ShellCall, invocations: &[Invocation]) {
        let mut agent_totals = self.per_agent.remove(&call.agent).unwrap_or_default();
        let output_tokens = tokens(call.output_bytes);
        let n = invocations.len() as u64;
        for totals in [&mut self.totals, &mut agent_totals] {
            totals.commands += 1;
            totals.git_invocations += n;
        }
        for (i, invocation) in invocations.iter().enumerate() {
            let share = output_tokens / n + u64::from((i as u64) < output_tokens % n);
            match &invocation.verdict {
                Verdict::Served => {
                    for totals in [&mut self.totals, &mut agent_totals] {
                        totals.served += 1;
                        totals.served_tokens += share;
                    }
                }
                Verdict::Missed(miss) => {
                    for totals in [&mut self.totals, &mut agent_totals] {
                        totals.missed += 1;
                        totals.missed_tokens += share;
                    }
                    let subcommand = invocation.subcommand.as_deref().map(redact);
                    let key = (subcommand.clone(), miss.reason, miss.rule.clone());
                    let group = self.groups.entry(key).or_insert_with(|| Group {
                        subcommand,
                        reason: miss.reason,
                        rule: miss.rule.clone(),
                        count: 0,
                        tokens: 0,
                        example: example(&invocation.segment),
                        agents: BTreeMap::new(),
                        permission_modes: BTreeMap::new(),
                    });
                    group.count += 1;
                    group.tokens += share;
                    *group.agents.entry(call.agent).or_default() += 1;
                    if let Some(mode) = &call.permission_mode {
                        *group.permission_modes.entry(mode.clone()).or_default() += 1;
                    }
                }
            }
        }
        self.per_agent.insert(call.agent, agent_totals);
    }

    /// Groups by tokens, then count, most first; ties by subcommand and reason.
    pub fn groups(&self) -> Vec<&Group> {
        let mut groups: Vec<&Group> = self.groups.values().collect();
        groups.sort_by(|a, b| {
            b.tokens
                .cmp(&a.tokens)
                .then(b.count.cmp(&a.count))
                .then_with(|| a.subcommand.cmp(&b.subcommand))
                .then_with(|| a.reason.cmp(b.reason))
        });
        groups
    }
}

fn redact(text: &str) -> String {
    crate::rewrite::audit::redact(text)
}

/// `segment` redacted first (so shortening never cuts a secret out of the redactor's sight),
/// then on one line and shortened.
fn example(segment: &str) -> String {
    let redacted = redact(segment);
    let one_line = redacted.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= EXAMPLE_CHARS {
        return one_line;
    }
    let mut short: String = one_line.chars().take(EXAMPLE_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::super::verdict::Miss;
    use super::*;

    fn call(output_bytes: u64) -> ShellCall {
        ShellCall {
            agent: Agent::Claude,
            id: "toolu_1".into(),
            command: String::new(),
            time: None,
            output_bytes,
            permission_mode: Some("default".into()),
        }
    }

    fn missed(subcommand: &str, segment: &str) -> Invocation {
        Invocation {
            subcommand: Some(subcommand.into()),
            segment: segment.into(),
            verdict: Verdict::Missed(Miss {
                reason: "pipe",
                rule: "skip:pipe".into(),
            }),
        }
    }

    #[test]
    fn a_shared_output_is_split_without_losing_a_token() {
        let mut report = Report::default();
        let served = Invocation {
            subcommand: Some("status".into()),
            segment: "git rtk-status".into(),
            verdict: Verdict::Served,
        };
        // 41 bytes → 11 tokens over three invocations: 4, 4, 3.
        report.add(
            &call(41),
            &[missed("log", "git log"), served, missed("log", "git log")],
        );
        report.add(&call(8), &[]);
        assert_eq!(
            report.totals,
            Totals {
                commands: 2,
                git_invocations: 3,
                served: 1,
                missed: 2,
                served_tokens: 4,
                missed_tokens: 7,
            }
        );
        let groups = report.groups();
        assert_eq!(groups.len(), 1);
        assert_eq!((groups[0].count, groups[0].tokens), (2, 7));
        assert_eq!(groups[0].permission_modes.get("default"), Some(&2));
    }

    #[test]
    fn examples_are_redacted_before_they_are_shortened() {
        let secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let segment = format!("{}GITHUB_TOKEN={secret} git push", " ".repeat(3));
        let mut report = Report::default();
        report.add(&call(0), &[missed("push", &segment)]);
        let example = &report.groups()[0].example;
        assert_eq!(example, "GITHUB_TOKEN=[REDACTED] git push");
        let long = format!("git log {}", "x".repeat(200));
        assert_eq!(super::example(&long).chars().count(), EXAMPLE_CHARS);
    }
}
