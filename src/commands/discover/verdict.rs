//! Whether each git invocation in an agent's command line went through a plugin, and if not,
//! why — decided by the rewriter itself ([`crate::rewrite::rewrite`]), so the reasons are the
//! rewriter's own and never a second opinion.

use crate::rewrite::{self, policy::Policy, Action};

/// One `git …` invocation found in a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The git subcommand (`status`; `status` too for `git rtk-status`), when one was read.
    pub subcommand: Option<String>,
    /// The invocation's text as typed (never printed unredacted).
    pub segment: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It ran as `git rtk-<cmd>`.
    Served,
    /// It ran as plain git.
    Missed(Miss),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// Why, in the report's words.
    pub reason: &'static str,
    /// The rewriter's decision today, as its audit log writes it: `rewrite` or `skip:<reason>`.
    pub rule: String,
}

/// The reason for a plain invocation the rewriter would rewrite now: it reached the shell as
/// typed, so no hook rewrote it. Either none ran, or the hook left it as typed because the agent
/// would have judged the rewrite differently (docs/agents.md).
pub const HOOK_NOT_ACTIVE: &str = "hook not installed, or kept for permissions";

/// Every git invocation in `command`, judged under `policy` (today's policy: a command the user
/// has since opted in to counts as one the hook would rewrite).
pub fn judge(command: &str, policy: &Policy) -> Vec<Invocation> {
    rewrite::rewrite(command, policy)
        .decisions
        .into_iter()
        .map(|decision| {
            let served = decision.action == Action::Skip("already-rewritten");
            let subcommand = match (&decision.subcommand, served) {
                (Some(word), true) => Some(word.strip_prefix("rtk-").unwrap_or(word).to_owned()),
                (word, _) => word.clone(),
            };
            let verdict = if served {
                Verdict::Served
            } else {
                Verdict::Missed(Miss {
                    reason: reason(&decision.action),
                    rule: decision.action.label(),
                })
            };
            Invocation {
                subcommand,
                segment: decision.segment,
                verdict,
            }
        })
        .collect()
}

/// The report's words for a rewriter decision on a plain git invocation. Only the rewriter's
/// own reasons are renamed (src/rewrite/mod.rs `decide`, src/rewrite/policy.rs); any other
/// reason is shown as the rewriter names it (`redirect`, `captured`, `not-certified`, …).
fn reason(action: &Action) -> &'static str {
    match action {
        Action::Rewrite => HOOK_NOT_ACTIVE,
        Action::Skip("mutating-not-enabled") => "mutating not enabled",
        Action::Skip("machine-readable" | "help") => "flag handed to git",
        Action::Skip("no-plugin") => "no plugin",
        Action::Skip(other) => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::Certificate;
    use crate::rewrite::policy::OptIn;

    fn policy() -> Policy {
        Policy {
            opt_in: OptIn::Off,
            certificate: Certificate::parse("").expect("parses"),
        }
    }

    fn verdicts(command: &str) -> Vec<(Option<String>, Option<&'static str>)> {
        judge(command, &policy())
            .into_iter()
            .map(|i| {
                let reason = match i.verdict {
                    Verdict::Served => None,
                    Verdict::Missed(miss) => Some(miss.reason),
                };
                (i.subcommand, reason)
            })
            .collect()
    }

    fn one(
        subcommand: &str,
        reason: Option<&'static str>,
    ) -> Vec<(Option<String>, Option<&'static str>)> {
        vec![(Some(subcommand.to_owned()), reason)]
    }

    #[test]
    fn each_rewriter_decision_has_its_reason() {
        assert_eq!(verdicts("git status"), one("status", Some(HOOK_NOT_ACTIVE)));
        assert_eq!(verdicts("git rtk-status -s"), one("status", None));
        assert_eq!(
            verdicts("git log --oneline | grep x"),
            one("log", Some("pipe"))
        );
        assert_eq!(
            verdicts("git commit -m x"),
            one("commit", Some("mutating not enabled"))
        );
        assert_eq!(
            verdicts("git status --porcelain"),
            one("status", Some("flag handed to git"))
        );
        assert_eq!(verdicts("git ls-files"), one("ls-files", Some("no plugin")));
        assert_eq!(verdicts("git blame f"), one("blame", Some(HOOK_NOT_ACTIVE)));
        assert_eq!(verdicts("git status > f"), one("status", Some("redirect")));
        assert_eq!(verdicts("ls -la"), vec![]);
    }
}
