//! Output options that `git diff` and `git show` share: the form and the context size.

use super::render::Form;
use crate::options::{flag, short_only, valued, Flag, Given, Value};

/// The diff output options `git rtk-diff` and `git rtk-show` serve.
pub const OUTPUT_OPTIONS: &[Flag] = &[
    valued(
        None,
        "unified",
        Value::Optional("n"),
        "show <n> lines of context (also -U<n>)",
    ),
    short_only('U', Value::Optional("n"), ""),
    flag(
        None,
        "stat",
        "`path +added -removed` per file and git's summary line",
    ),
    flag(None, "numstat", "exactly as git prints it"),
    flag(None, "name-only", "exactly as git prints it"),
    flag(None, "name-status", "exactly as git prints it"),
    flag(Some('p'), "patch", "accepted (the default)"),
    short_only('u', Value::None, ""),
];

/// The diff output the user asked for; starts as a patch with no context lines.
#[derive(Debug, Clone, Copy)]
pub struct OutputOptions {
    form: Form,
    context: u32,
    /// Whether `-U<n>` was given (git's own output then uses it too).
    context_given: bool,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            form: Form::Patch { context: None },
            context: 0,
            context_given: false,
        }
    }
}

impl OutputOptions {
    /// Takes `given` if it is one of [`OUTPUT_OPTIONS`] with a value served natively; `false`
    /// leaves it to the caller.
    pub fn accept(&mut self, given: &Given) -> bool {
        self.form = match given.flag.name().as_str() {
            "stat" => Form::Stat,
            "numstat" => Form::NumStat,
            "name-only" => Form::NameOnly,
            "name-status" => Form::NameStatus,
            "patch" | "u" => self.form,
            "unified" | "U" => match given.value.as_deref().and_then(|v| v.parse::<u32>().ok()) {
                Some(n) => {
                    self.context = n;
                    self.context_given = true;
                    return true;
                }
                None => return false,
            },
            _ => return false,
        };
        true
    }

    /// The context size the user asked for, if any.
    pub fn context_given(&self) -> Option<u32> {
        self.context_given.then_some(self.context)
    }

    /// The form to render, with the context size applied to a patch.
    pub fn form(&self) -> Form {
        match self.form {
            Form::Patch { .. } => Form::Patch {
                context: self.context_given(),
            },
            other => other,
        }
    }
}
