//! The rewrite audit log: one JSON line per git invocation the rewriter saw — time, class,
//! action (`rewrite` or `skip:<reason>`), the command as typed and as rewritten — with secrets
//! redacted. It lives in the state directory ([`crate::dirs::state_dir`]) as
//! `rewrite-audit.jsonl`, is rotated at 1 MiB (three old files kept), and `RTK_AUDIT=0` turns it off.
//! Lines are appended through [`crate::write::append`] (one `write` on an `O_APPEND` descriptor
//! under a shared lock), so concurrent hooks never lose or tear each other's lines, and a hook pays
//! for its own lines only, not for rewriting the log.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use super::Decision;
use std::os::unix::fs::MetadataExt as _;

use crate::write::{self, WriteError};

const FILE_NAME: &str = "rewrite-audit.jsonl";
/// Size at which the log is rotated.
const MAX_BYTES: usize = 1 << 20;
/// Rotated files kept: `.1` (newest) … `.3`.
const KEPT: usize = 3;

/// Where the log goes, or `None` when auditing is off or no state directory can be found.
pub fn log_path() -> Option<PathBuf> {
    if std::env::var_os("RTK_AUDIT").is_some_and(|v| v == "0") {
        return None;
    }
    crate::dirs::state_dir().map(|dir| dir.join(FILE_NAME))
}

/// The JSON lines for `decisions` of `original` rewritten into `rewritten`.
pub fn lines(decisions: &[Decision], original: &str, rewritten: Option<&str>) -> String {
    let time = jiff::Timestamp::now().to_string();
    let mut out = String::new();
    for decision in decisions {
        let line = serde_json::json!({
            "time": time,
            "class": decision.class.map(|c| c.as_str()),
            "subcommand": decision.subcommand,
            "action": decision.action.label(),
            "segment": redact(&decision.segment),
            "original": redact(original),
            "rewritten": rewritten.map(redact),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Appends `text` to the log at `path`, then rotates the log when it has grown past the limit.
pub fn append(path: &Path, text: &str) -> Result<(), WriteError> {
    if text.is_empty() {
        return Ok(());
    }
    let before = write::append::append(path, text.as_bytes())
        .map_err(|e| WriteError::io(path, "appending to the audit log", e))?;
    if before + text.len() as u64 > MAX_BYTES as u64 && before > 0 {
        rotate(path).map_err(|e| WriteError::io(path, "rotating the audit log", e))?;
    }
    Ok(())
}

/// `log.2` → `log.3`, `log.1` → `log.2`, `log` → `log.1` (the oldest beyond [`KEPT`] is
/// dropped). The renames happen under an exclusive lock on the current log, which concurrent
/// rotators take in turn: the second finds the log already renamed and leaves it.
fn rotate(path: &Path) -> std::io::Result<()> {
    let numbered = |n: usize| {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    };
    let Some(current) = write::append::wait_for_appends(path)? else {
        return Ok(());
    };
    // Another rotator renamed it while we waited for the lock.
    let still_there = std::fs::metadata(path).is_ok_and(|m| {
        current
            .metadata()
            .is_ok_and(|c| (c.dev(), c.ino()) == (m.dev(), m.ino()))
    });
    if !still_there {
        return Ok(());
    }
    for n in (1..KEPT).rev() {
        match std::fs::rename(numbered(n), numbered(n + 1)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    std::fs::rename(path, numbered(1))
}

/// Replaces secrets with `[REDACTED]`: values of variables named like tokens, passwords and keys,
/// `Authorization:` header values, credentials in URLs, and well-known token formats.
pub fn redact(text: &str) -> String {
    if !might_hold_a_secret(text) {
        return text.to_owned();
    }
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        let rule = |pattern: &str, replacement: &'static str| {
            (
                Regex::new(pattern).unwrap_or_else(|e| panic!("redaction pattern {pattern}: {e}")),
                replacement,
            )
        };
        // ASCII classes only: the regex build has no Unicode Perl classes (`\s`, `\b`).
        vec![
            rule(
                r#"(?i)(^|[^A-Za-z0-9_])([A-Za-z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Za-z0-9_]*)=('[^']*'|"[^"]*"|[^ \t\n;&|]+)"#,
                "${1}${2}=[REDACTED]",
            ),
            rule(
                r#"(?i)(authorization:[ \t]*)(?:(?:bearer|basic|token)[ \t]+)?[^ \t\n'"]+"#,
                "${1}[REDACTED]",
            ),
            rule(r#"(?i)([a-z][a-z0-9+.-]*://)[^ \t\n/@'"]+@"#, "${1}[REDACTED]@"),
            rule(r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}", "[REDACTED]"),
            rule(r"(?:sk|xox[abpr])-[A-Za-z0-9-]{16,}", "[REDACTED]"),
        ]
    });
    let mut text = text.to_owned();
    for (pattern, replacement) in rules {
        text = pattern.replace_all(&text, *replacement).into_owned();
    }
    text
}

/// A cheap test that lets most commands skip compiling the redaction patterns: each pattern needs
/// one of these substrings (ASCII, any case) to match.
fn might_hold_a_secret(text: &str) -> bool {
    const TRIGGERS: &[&str] = &[
        "token",
        "secret",
        "passw",
        "key",
        "credential",
        "authorization",
        "://",
        "gh",
        "github_pat",
        "sk-",
        "xox",
    ];
    let lower = text.to_ascii_lowercase();
    TRIGGERS.iter().any(|t| lower.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact("GITHUB_TOKEN=abc123 git push"),
            "GITHUB_TOKEN=[REDACTED] git push"
        );
        assert_eq!(
            redact("MY_API_KEY='a b' git fetch"),
            "MY_API_KEY=[REDACTED] git fetch"
        );
        assert_eq!(
            redact("git -c http.extraHeader='Authorization: Bearer xyz' fetch"),
            "git -c http.extraHeader='Authorization: [REDACTED]' fetch"
        );
        assert_eq!(
            redact("git push https://user:hunter2@example.com/r.git"),
            "git push https://[REDACTED]@example.com/r.git"
        );
        assert_eq!(
            redact("echo ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "echo [REDACTED]"
        );
        assert_eq!(redact("git status"), "git status");
    }

    #[test]
    fn appends_and_rotates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(FILE_NAME);
        append(&path, "one\n").expect("append");
        append(&path, "two\n").expect("append");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\ntwo\n");
        // The append that crosses the limit lands, then the log is rotated.
        let big = "x".repeat(MAX_BYTES);
        append(&path, &big).expect("append big");
        let rotated = PathBuf::from(format!("{}.1", path.display()));
        let old = std::fs::read_to_string(&rotated).expect("rotated");
        assert!(old.starts_with("one\ntwo\nxxx") && old.len() == 8 + MAX_BYTES);
        assert!(!path.exists(), "the next line starts a new log");
        append(&path, "three\n").expect("append");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "three\n");
    }
}
