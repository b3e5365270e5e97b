//! Why `git rtk-write` did not do what it was asked, and the exit code each reason gets.

use serde_json::{Map, Value};

use crate::edit::EditError;
use crate::write::WriteError;

/// What kind of failure, in the words `--json` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The text, key or file the command needs is not there (exit 1).
    NoMatch,
    /// The text occurs more than once and nothing said which (exit 1).
    Ambiguous,
    /// The edit does not fit the file as it is (exit 1).
    Conflict,
    /// The file changed between reading and writing (exit 1).
    Changed,
    /// A patch hunk does not match the file (exit 1).
    DoesNotApply,
    /// I/O, a file that does not parse, a corrupt patch (exit 128).
    Fatal,
    /// Bad arguments (exit 129).
    Usage,
}

impl FailureKind {
    pub fn exit_code(self) -> i32 {
        use crate::failure::Exit;
        match self {
            FailureKind::Fatal => Exit::Fatal,
            FailureKind::Usage => Exit::Usage,
            _ => Exit::NothingDone,
        }
        .code()
    }

    pub fn name(self) -> &'static str {
        match self {
            FailureKind::NoMatch => "no_match",
            FailureKind::Ambiguous => "ambiguous",
            FailureKind::Conflict => "conflict",
            FailureKind::Changed => "changed",
            FailureKind::DoesNotApply => "does_not_apply",
            FailureKind::Fatal => "fatal",
            FailureKind::Usage => "usage",
        }
    }
}

/// A failure with its message, hints and, for `--json`, extra facts.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    pub hints: Vec<String>,
    /// Extra facts for `--json` (kept small: a list, not a map, so `Result`s stay cheap).
    pub details: Vec<(&'static str, Value)>,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            hints: Vec::new(),
            details: Vec::new(),
        }
    }

    pub fn fatal(message: impl Into<String>) -> Self {
        Failure::new(FailureKind::Fatal, message)
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(FailureKind::Usage, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn detail(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.details.push((key, value.into()));
        self
    }

    /// A config editor's refusal, about `file`.
    pub fn from_edit(file: &str, err: EditError) -> Self {
        match err {
            EditError::Syntax(msg) => Failure::fatal(format!("{file}: {msg}")),
            EditError::Usage(msg) => Failure::usage(msg),
            EditError::NotApplicable(msg)
                if msg.starts_with("no key") || msg.starts_with("no element") =>
            {
                Failure::new(FailureKind::NoMatch, format!("{file}: {msg}"))
            }
            EditError::NotApplicable(msg) => {
                Failure::new(FailureKind::Conflict, format!("{file}: {msg}"))
            }
        }
    }

    /// The write core's refusal.
    pub fn from_write(err: WriteError) -> Self {
        match err {
            WriteError::Changed { .. } => Failure::new(FailureKind::Changed, err.to_string())
                .hint("read the file again and retry"),
            WriteError::HardLinked { .. } => Failure::new(FailureKind::Conflict, err.to_string())
                .hint("pass --break-hard-links to write a separate copy"),
            other => Failure::fatal(other.to_string()),
        }
    }

    /// git's wording: `fatal: …` for fatal errors, `error: …` otherwise, then `hint: …` lines.
    pub fn stderr_text(&self) -> String {
        let prefix = match self.kind {
            FailureKind::Fatal => "fatal",
            _ => "error",
        };
        let mut text = format!("{prefix}: {}\n", self.message);
        for hint in &self.hints {
            text.push_str(&format!("hint: {hint}\n"));
        }
        text
    }

    /// The `--json` form: `{"ok":false,"command":…,"error":{"kind":…,"message":…,"hints":[…],…}}`.
    pub fn to_json(&self, command: &str) -> Value {
        let mut error = Map::new();
        error.insert("kind".to_owned(), self.kind.name().into());
        error.insert("message".to_owned(), self.message.clone().into());
        error.insert("hints".to_owned(), self.hints.clone().into());
        for (key, value) in &self.details {
            error.insert((*key).to_owned(), value.clone());
        }
        serde_json::json!({ "ok": false, "command": command, "error": error })
    }
}
