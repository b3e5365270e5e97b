//! The rewrite audit log: one JSON line per git invocation the rewriter saw — time, class,
//! action (`rewrite` or `skip:<reason>`), the command as typed and as rewritten — with secrets
//! redacted. It lives in the state directory ([`crate::dirs::state_dir`]) as
//! `rewrite-audit.jsonl`, is rotated at 1 MiB (three old files kept), and `RTK_AUDIT=0` turns it off.
//! Lines are appended through the atomic-write core with compare-and-swap, so concurrent hooks
//! never lose or tear each other's lines.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use super::Decision;
use crate::write::{self, Durability, Expected, WriteError, WriteOptions};

const FILE_NAME: &str = "rewrite-audit.jsonl";
/// Size at which the log is rotated.
const MAX_BYTES: usize = 1 << 20;
/// Rotated files kept: `.1` (newest) … `.3`.
const KEPT: usize = 3;
/// Attempts when another writer appended between our read and our write.
const ATTEMPTS: usize = 20;

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

/// Appends `text` to the log at `path`, rotating first when it would grow past the limit.
pub fn append(path: &Path, text: &str) -> Result<(), WriteError> {
    if text.is_empty() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| WriteError::io(dir, "creating the state directory", e))?;
    }
    for _ in 0..ATTEMPTS {
        let snapshot = write::read_for_update(path)?;
        let mut contents = snapshot.contents.unwrap_or_default();
        let expected = if contents.len() + text.len() > MAX_BYTES && !contents.is_empty() {
            rotate(path)?;
            contents.clear();
            Expected::Absent
        } else {
            snapshot.expected
        };
        contents.extend_from_slice(text.as_bytes());
        let options = WriteOptions {
            durability: Durability::Fast,
            expected: Some(expected),
            ..WriteOptions::default()
        };
        match write::write_file(path, &contents, &options) {
            Ok(_) => return Ok(()),
            // Another hook appended meanwhile: read again and retry.
            Err(WriteError::Changed { .. }) => continue,
            Err(err) => return Err(err),
        }
    }
    Err(WriteError::Changed {
        path: path.to_owned(),
    })
}

/// `log` → `log.1` → `log.2` … (the oldest beyond [`KEPT`] is dropped).
fn rotate(path: &Path) -> Result<(), WriteError> {
    let numbered = |n: usize| {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    };
    for n in (1..KEPT).rev() {
        let from = numbered(n);
        if from.exists() {
            std::fs::rename(&from, numbered(n + 1))
                .map_err(|e| WriteError::io(&from, "rotating the audit log", e))?;
        }
    }
    match std::fs::rename(path, numbered(1)) {
        Ok(()) => Ok(()),
        // Another writer rotated it first.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::io(path, "rotating the audit log", e)),
    }
}

/// Replaces secrets with `[REDACTED]`: values of variables named like tokens, passwords and keys,
/// `Authorization:` header values, credentials in URLs, and well-known token formats.
pub fn redact(text: &str) -> String {
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
        let big = "x".repeat(MAX_BYTES);
        append(&path, &big).expect("append big");
        let rotated = PathBuf::from(format!("{}.1", path.display()));
        assert_eq!(
            std::fs::read_to_string(&rotated).expect("rotated"),
            "one\ntwo\n"
        );
        assert_eq!(std::fs::read(&path).expect("read").len(), MAX_BYTES);
    }
}
