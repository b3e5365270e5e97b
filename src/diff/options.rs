//! Output options that `git diff` and `git show` share: the form and the context size.

use super::render::Form;
use crate::args;

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
            form: Form::Patch { context: 0 },
            context: 0,
            context_given: false,
        }
    }
}

impl OutputOptions {
    /// Takes `option` if it is a diff output option; `false` leaves it to the caller.
    pub fn accept(&mut self, option: &str) -> bool {
        self.form = match option {
            "--stat" => Form::Stat,
            "--numstat" => Form::NumStat,
            "--name-only" => Form::NameOnly,
            "--name-status" => Form::NameStatus,
            "-p" | "--patch" | "-u" => self.form,
            other => {
                let value = other
                    .strip_prefix("-U")
                    .or_else(|| args::long_value(other, "--unified"));
                match value.and_then(|v| v.parse::<u32>().ok()) {
                    Some(n) => {
                        self.context = n;
                        self.context_given = true;
                        return true;
                    }
                    None => return false,
                }
            }
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
                context: self.context,
            },
            other => other,
        }
    }
}
