//! stderr signals: the lines an agent (or a script) reacts to.
//!
//! Every `fatal:`, `error:`, `warning:` and `usage:` line git printed must appear verbatim on the
//! plugin's stderr, and the plugin must not print such a line git did not. When git printed nothing
//! on stderr, the plugin must print nothing either. A case counts as checked only when one of those
//! comparisons had something to compare.

use std::collections::BTreeMap;

use super::text;

const SIGNAL_PREFIXES: [&[u8]; 4] = [b"fatal:", b"error:", b"warning:", b"usage:"];

#[derive(Debug, Clone, Default)]
pub struct SignalCheck {
    /// Whether anything was compared.
    pub checked: bool,
    /// What did not match; empty when the signals agree.
    pub problems: Vec<String>,
}

impl SignalCheck {
    pub fn matched(&self) -> bool {
        self.problems.is_empty()
    }
}

pub fn compare(git_stderr: &[u8], plugin_stderr: &[u8]) -> SignalCheck {
    let git_signals = signal_lines(git_stderr);
    let plugin_signals = signal_lines(plugin_stderr);
    let mut check = SignalCheck::default();

    if git_stderr.is_empty() {
        check.checked = true;
        if !plugin_stderr.is_empty() {
            check.problems.push(format!(
                "git printed nothing on stderr, the plugin printed: {:?}",
                text::excerpt(plugin_stderr, 400)
            ));
        }
    }
    if !git_signals.is_empty() || !plugin_signals.is_empty() {
        check.checked = true;
    }
    for (line, &count) in &git_signals {
        let found = plugin_signals.get(line).copied().unwrap_or(0);
        if found < count {
            check.problems.push(format!(
                "git's stderr line {:?} is missing from the plugin's stderr",
                text::show(line)
            ));
        }
    }
    for (line, &count) in &plugin_signals {
        let expected = git_signals.get(line).copied().unwrap_or(0);
        if count > expected {
            check.problems.push(format!(
                "the plugin printed {:?} on stderr, which git did not",
                text::show(line)
            ));
        }
    }
    check
}

fn signal_lines(stderr: &[u8]) -> BTreeMap<&[u8], usize> {
    let mut counted = BTreeMap::new();
    for line in text::lines(stderr) {
        if SIGNAL_PREFIXES
            .iter()
            .any(|prefix| line.starts_with(prefix))
        {
            *counted.entry(line).or_insert(0) += 1;
        }
    }
    counted
}
