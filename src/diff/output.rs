//! A diff in one of its forms, and — when tracking wants it — the size of git's own output for
//! the same form: each file is read once ([`FileDiff`]) and handed to both consumers, the compact
//! renderer ([`render`]) and git's size ([`crate::git_size::patch`]), which know nothing of
//! each other.

use super::render::{self, Form};
use super::report::FileDiff;
use super::FileChange;
use crate::git_size::patch::{self as git_size, GitDiffSize};
use crate::quote::PathQuoting;

/// Writes `changes` in `form` to `out`, adding git's size for the same form to `git` when given.
/// `None` when the form needs something only git renders (see [`render::needs_git`]).
pub fn write(
    repo: &gix::Repository,
    changes: &[FileChange],
    form: Form,
    out: &mut Vec<u8>,
    mut git: Option<&mut GitDiffSize>,
) -> anyhow::Result<Option<()>> {
    if render::needs_git(changes, form) {
        return Ok(None);
    }
    let quoting = PathQuoting::from_config(repo, false);
    let start = out.len();
    match form {
        Form::Patch { context } => {
            for change in changes {
                let file = FileDiff::read(repo, change)?;
                let line_diff = file.line_diff();
                render::write_patch(&file, line_diff.as_ref(), context, &quoting, out);
                if let Some(git) = git.as_deref_mut() {
                    git.bytes += git_size::file_len(&file, line_diff.as_ref(), &quoting, git);
                }
            }
        }
        Form::Stat | Form::NumStat => {
            let files = changes
                .iter()
                .map(|change| FileDiff::read(repo, change))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let counts: Vec<_> = files.iter().map(FileDiff::counts).collect();
            render::write_stat(&files, &counts, form, &quoting, out);
            if let Some(git) = git {
                git.bytes += match form {
                    Form::Stat => git_size::stat_table_len(&files, &counts, &quoting),
                    // `--numstat` is printed exactly as git prints it.
                    _ => out.len() - start,
                };
            }
        }
        // Printed exactly as git prints them.
        Form::NameOnly | Form::NameStatus => {
            if form == Form::NameOnly {
                render::write_names(changes, &quoting, out);
            } else {
                render::write_name_status(changes, &quoting, out);
            }
            if let Some(git) = git {
                git.bytes += out.len() - start;
            }
        }
    }
    Ok(Some(()))
}
