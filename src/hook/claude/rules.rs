//! Claude Code's own permission rules for the Bash tool (`permissions.allow|ask|deny` in its
//! settings files), read so the hook never rewrites a command the user denies or wants to be asked
//! about: `git rtk-push` would no longer match a rule written for `git push`.

use std::path::{Path, PathBuf};

/// The Bash rules from every settings file that applies, by kind.
#[derive(Debug, Default, Clone)]
pub struct Rules {
    pub allow: Vec<String>,
    pub ask: Vec<String>,
    pub deny: Vec<String>,
}

impl Rules {
    /// User, project, local and managed settings of a session whose project is `project_dir`.
    pub fn load(project_dir: &Path) -> Rules {
        let mut files: Vec<PathBuf> = Vec::new();
        if let Some(home) = std::env::var_os("HOME") {
            files.push(PathBuf::from(home).join(".claude/settings.json"));
        }
        files.push(project_dir.join(".claude/settings.json"));
        files.push(project_dir.join(".claude/settings.local.json"));
        files.push(PathBuf::from("/etc/claude-code/managed-settings.json"));
        let mut rules = Rules::default();
        for file in files {
            if let Ok(text) = std::fs::read_to_string(&file) {
                rules.add_from(&text);
            }
        }
        rules
    }

    /// Adds the rules of one settings document (unparsable documents add nothing).
    pub fn add_from(&mut self, text: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return;
        };
        let permissions = &value["permissions"];
        for (kind, target) in [
            ("allow", &mut self.allow),
            ("ask", &mut self.ask),
            ("deny", &mut self.deny),
        ] {
            if let Some(list) = permissions[kind].as_array() {
                target.extend(
                    list.iter()
                        .filter_map(|rule| rule.as_str())
                        .filter(|rule| *rule == "Bash" || rule.starts_with("Bash("))
                        .map(str::to_owned),
                );
            }
        }
    }

    /// Some deny or ask rule matches the command or one of its parts. Claude matches deny and ask
    /// rules with leading `NAME=value` assignments removed too (an allow rule it does not).
    pub fn restricts(&self, command: &str) -> bool {
        let parts = parts(command);
        self.deny.iter().chain(&self.ask).any(|rule| {
            matches(rule, command.trim())
                || parts
                    .iter()
                    .any(|part| matches(rule, part) || matches(rule, without_assignments(part)))
        })
    }

    /// An allow rule matches the whole command as typed.
    pub fn allows(&self, command: &str) -> bool {
        self.allow.iter().any(|rule| matches(rule, command.trim()))
    }

    /// An allow rule matches the command or one of its parts.
    pub fn allows_any_part(&self, command: &str) -> bool {
        let parts = parts(command);
        self.allow.iter().any(|rule| {
            matches(rule, command.trim()) || parts.iter().any(|part| matches(rule, part))
        })
    }
}

/// The command split at `&&`, `||`, `;`, `|` and newlines (roughly, as rules are matched per
/// part), each part also without its redirections: Claude matches a rule against a part's
/// command words (`git diff --stat 2>&1` meets a rule for `git diff --stat`).
fn parts(command: &str) -> Vec<String> {
    // `2>&1` and `>&2` are redirections, not the `&` that separates commands.
    let command = command.replace(">&", ">");
    let mut out = Vec::new();
    for part in command.split(['\n', ';', '|', '&']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        out.push(part.to_owned());
        let words = without_redirections(part);
        if words != part {
            out.push(words);
        }
    }
    out
}

/// `part`'s words with redirections (`2>1`, `>/dev/null`, `> out.txt`, `<in`) left out.
fn without_redirections(part: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut words = part.split_whitespace();
    while let Some(word) = words.next() {
        let operator = word.trim_start_matches(|c: char| c.is_ascii_digit());
        if let Some(target) = operator
            .strip_prefix(">>")
            .or_else(|| operator.strip_prefix('>'))
            .or_else(|| operator.strip_prefix('<'))
        {
            if target.is_empty() {
                words.next();
            }
            continue;
        }
        kept.push(word);
    }
    kept.join(" ")
}

/// `part` without its leading `NAME=value` words.
fn without_assignments(part: &str) -> &str {
    let mut rest = part.trim_start();
    while let Some((word, after)) = rest.split_once(' ') {
        let is_assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !is_assignment {
            break;
        }
        rest = after.trim_start();
    }
    rest
}

/// Whether one `Bash(...)` rule matches `command`: `Bash` alone matches everything, `prefix:*` a
/// prefix at a word boundary, `*` any run of characters, anything else the exact command.
pub fn matches(rule: &str, command: &str) -> bool {
    if rule == "Bash" {
        return true;
    }
    let Some(pattern) = rule.strip_prefix("Bash(").and_then(|r| r.strip_suffix(')')) else {
        return false;
    };
    if let Some(prefix) = pattern.strip_suffix(":*") {
        return command == prefix
            || command
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(char::is_whitespace));
    }
    if pattern.contains('*') {
        return glob(pattern, command);
    }
    pattern == command
}

fn glob(pattern: &str, text: &str) -> bool {
    let pieces: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = pieces.split_first().unwrap_or((&"", &[]));
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    for (i, piece) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        if last {
            return remaining.ends_with(piece);
        }
        match remaining.find(piece) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_forms() {
        assert!(matches("Bash", "anything"));
        assert!(matches("Bash(git push:*)", "git push origin main"));
        assert!(!matches("Bash(git push:*)", "git pushy"));
        assert!(matches("Bash(git status)", "git status"));
        assert!(!matches("Bash(git status)", "git status -s"));
        assert!(matches("Bash(git * main)", "git push origin main"));
        assert!(!matches("Read(./x)", "git status"));
    }

    #[test]
    fn rules_meet_a_part_without_its_redirections() {
        let mut rules = Rules::default();
        rules.add_from(r#"{"permissions":{"ask":["Bash(git diff --stat)"]}}"#);
        assert!(rules.restricts("git status && git diff --stat 2>&1"));
        assert!(rules.restricts("git diff --stat > out.txt"));
        assert!(!rules.restricts("git diff --cached 2>/dev/null"));
    }

    #[test]
    fn deny_and_ask_restrict_any_part() {
        let mut rules = Rules::default();
        rules.add_from(r#"{"permissions":{"deny":["Bash(git push:*)"],"ask":["Bash(git reset:*)"],"allow":["Bash(git status)"]}}"#);
        assert!(rules.restricts("cd x && git push"));
        assert!(rules.restricts("git reset --hard"));
        assert!(!rules.restricts("git status"));
        assert!(rules.allows("git status"));
        assert!(!rules.allows("git status && git log"));
    }
}
