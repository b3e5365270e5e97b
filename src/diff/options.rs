//! Output options that `git diff` and `git show` share: the form and the context size.

use super::render::Form;
use crate::args;

/// The diff output the user asked for; starts as a patch with no context lines.
#[derive(Debug, Clone, Copy)]
pub struct OutputOptions {
    form: Form,
    context: u32,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            form: Form::Patch { context: 0 },
            context: 0,
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
                        return true;
                    }
                    None => return false,
                }
            }
        };
        true
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
