//! Codex's user exec-policy rules: `prefix_rule(pattern = [...], decision = ...)` calls in
//! Starlark files `rules/*.rules` (`codex-rs/execpolicy`, openai/codex 4e30281a). A pattern is a
//! list of tokens, each a string or a list of alternatives, matched against the start of a
//! command's argv; the first token also matches by basename. Whatever the decision, a rule that
//! matches the command as typed or as rewritten means the rewrite could change what Codex decides.
//!
//! Only the `pattern` argument is read. A file with a `prefix_rule` whose pattern this reader
//! cannot follow makes every command count as matched: the hook then rewrites nothing for Codex.

use std::path::Path;

/// One rule's pattern: per position, the accepted tokens.
pub type Pattern = Vec<Vec<String>>;

#[derive(Debug, Default, Clone)]
pub struct RuleSet {
    pub patterns: Vec<Pattern>,
    /// A rule could not be read: treat every command as matched.
    pub unreadable: bool,
}

impl RuleSet {
    /// Adds every `*.rules` file in `dir` (a missing directory adds nothing).
    pub fn add_dir(&mut self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rules") {
                match std::fs::read_to_string(&path) {
                    Ok(text) => self.add_text(&text),
                    Err(_) => self.unreadable = true,
                }
            }
        }
    }

    pub fn add_text(&mut self, text: &str) {
        let mut rest = text;
        while let Some(at) = rest.find("prefix_rule") {
            rest = &rest[at + "prefix_rule".len()..];
            match pattern_of(rest) {
                Some(pattern) if !pattern.is_empty() => self.patterns.push(pattern),
                _ => self.unreadable = true,
            }
        }
    }

    /// Whether some rule's pattern is a prefix of `argv`.
    pub fn matches(&self, argv: &[String]) -> bool {
        self.unreadable
            || self.patterns.iter().any(|pattern| {
                pattern.len() <= argv.len()
                    && pattern
                        .iter()
                        .zip(argv)
                        .enumerate()
                        .all(|(i, (options, word))| {
                            options.iter().any(|o| {
                                o == word || (i == 0 && word.rsplit('/').next() == Some(o.as_str()))
                            })
                        })
            })
    }
}

/// The `pattern = [...]` argument of the call whose text starts at `call` (just after the name).
fn pattern_of(call: &str) -> Option<Pattern> {
    let open = call.trim_start().strip_prefix('(')?;
    let at = open.find("pattern")?;
    let after = open[at + "pattern".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let mut tokens = Tokens {
        text: after.trim_start(),
    };
    let list = tokens.list()?;
    list.into_iter()
        .map(|item| match item {
            Item::Str(s) => Some(vec![s]),
            Item::List(alternatives) => Some(alternatives),
        })
        .collect()
}

enum Item {
    Str(String),
    List(Vec<String>),
}

struct Tokens<'a> {
    text: &'a str,
}

impl Tokens<'_> {
    fn skip_blanks(&mut self) {
        self.text = self.text.trim_start();
        while self.text.starts_with('#') {
            let end = self.text.find('\n').unwrap_or(self.text.len());
            self.text = self.text[end..].trim_start();
        }
    }

    /// `[item, item, …]` where an item is a string or a list of strings.
    fn list(&mut self) -> Option<Vec<Item>> {
        self.skip_blanks();
        self.text = self.text.strip_prefix('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_blanks();
            if let Some(rest) = self.text.strip_prefix(']') {
                self.text = rest;
                return Some(items);
            }
            if self.text.starts_with('[') {
                let inner = self.list()?;
                let strings = inner
                    .into_iter()
                    .map(|i| match i {
                        Item::Str(s) => Some(s),
                        Item::List(_) => None,
                    })
                    .collect::<Option<Vec<String>>>()?;
                items.push(Item::List(strings));
            } else {
                items.push(Item::Str(self.string()?));
            }
            self.skip_blanks();
            if let Some(rest) = self.text.strip_prefix(',') {
                self.text = rest;
            } else if !self.text.starts_with(']') {
                return None;
            }
        }
    }

    /// A plain Starlark string literal (no escapes: anything else is unreadable).
    fn string(&mut self) -> Option<String> {
        let quote = self
            .text
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')?;
        let body = &self.text[1..];
        let end = body.find(quote)?;
        let value = &body[..end];
        if value.contains('\\') {
            return None;
        }
        self.text = &body[end + 1..];
        Some(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(command: &str) -> Vec<String> {
        command.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn patterns_with_alternatives_match_argv_prefixes() {
        let mut rules = RuleSet::default();
        rules.add_text(
            r#"
# the user's rules
prefix_rule(
    pattern = ["git", ["push", "fetch"]],
    decision = "prompt",
)
prefix_rule(pattern = ['/usr/bin/ls'], decision = "allow")
"#,
        );
        assert!(!rules.unreadable);
        assert!(rules.matches(&argv("git push origin")));
        assert!(rules.matches(&argv("/usr/local/bin/git fetch")));
        assert!(!rules.matches(&argv("git rtk-push origin")));
        assert!(!rules.matches(&argv("git status")));
    }

    #[test]
    fn a_rule_that_cannot_be_read_matches_everything() {
        let mut rules = RuleSet::default();
        rules.add_text("prefix_rule(pattern = PATTERNS, decision = \"allow\")");
        assert!(rules.unreadable);
        assert!(rules.matches(&argv("git status")));
    }
}
