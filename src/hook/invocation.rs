//! The git invocations a rewrite changed, as argv: what the user's rules and the agents' own
//! lists are matched against, for the command as typed and as rewritten.

use crate::rewrite::classify::{self, Class};
use crate::rewrite::{shell, Action, Form, Rewritten};

/// One git invocation the rewriter changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Its words as typed (`git`, global options, subcommand, arguments); a word whose value only
    /// the shell knows (after `--`) is empty.
    pub original: Vec<String>,
    /// The words as rewritten: `rtk-` before the subcommand (`git -C b rtk-log`), or in the
    /// direct form the plugin's name for `git` and its subcommand (`git-rtk-log --oneline`).
    pub rewritten: Vec<String>,
    pub class: Option<Class>,
    pub form: Form,
}

impl Changed {
    pub fn original_text(&self) -> String {
        self.original.join(" ")
    }

    pub fn rewritten_text(&self) -> String {
        self.rewritten.join(" ")
    }
}

/// Every invocation `result` rewrote; `None` when one cannot be read back into words (then the
/// hooks leave the command alone).
pub fn changed(result: &Rewritten) -> Option<Vec<Changed>> {
    let mut out = Vec::new();
    for decision in &result.decisions {
        if decision.action != Action::Rewrite {
            continue;
        }
        let parsed = shell::parse(&decision.segment).ok()?;
        let simple = parsed.first()?;
        let original: Vec<String> = simple
            .words
            .iter()
            .map(|w| w.literal.clone().unwrap_or_default())
            .collect();
        let args: Vec<Option<&str>> = original[1..].iter().map(|w| Some(w.as_str())).collect();
        let index = 1 + classify::subcommand_index(&args).ok()?;
        let form = decision.form?;
        let mut rewritten = original.clone();
        match form {
            Form::Dispatched => rewritten[index] = format!("rtk-{}", original[index]),
            // The rewriter uses the direct form only with the subcommand right after `git`.
            Form::Direct if index == 1 => {
                rewritten.splice(0..2, [format!("git-rtk-{}", original[1])]);
            }
            Form::Direct => return None,
        }
        out.push(Changed {
            original,
            rewritten,
            class: decision.class,
            form,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::Certificate;
    use crate::rewrite::policy::{OptIn, Policy};

    #[test]
    fn each_rewritten_invocation_in_words() {
        let policy = Policy {
            opt_in: OptIn::Off,
            certificate: Certificate::default(),
        };
        let result = crate::rewrite::rewrite(
            "cd a && FOO=1 git -C b log --oneline | head -3; git push",
            &policy,
        );
        let changed = changed(&result).expect("words");
        assert_eq!(changed.len(), 1, "the push is not rewritten");
        assert_eq!(changed[0].original_text(), "git -C b log --oneline");
        assert_eq!(changed[0].rewritten_text(), "git -C b rtk-log --oneline");
        let direct = crate::rewrite::rewrite_with(
            "FOO=1 git log --oneline && git -C b diff",
            &policy,
            &crate::rewrite::Direct::Always,
        );
        let both = super::changed(&direct).expect("words");
        assert_eq!(both[0].rewritten, ["git-rtk-log", "--oneline"]);
        assert_eq!(both[0].form, Form::Direct);
        assert_eq!(both[1].rewritten_text(), "git -C b rtk-diff");
        assert_eq!(both[1].form, Form::Dispatched);
    }
}
