//! `git rtk-write create <file> [--force]`: a file from stdin, never overwriting by accident.

use std::io::Read as _;
use std::path::PathBuf;

use clap::Args;

use super::failure::{Failure, FailureKind};
use super::files::{self, FileChange};
use super::{shown, Done, Options};
use crate::write::Expected;

/// Create a file with the content read from stdin. An existing file is refused without --force
/// (checked again by the write core right before the rename, so a race cannot overwrite).
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The file to create.
    pub file: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long, short = 'f')]
    pub force: bool,
}

pub fn cmd_create(args: &CreateArgs, options: &Options) -> Result<Done, Failure> {
    let file = shown(&args.file);
    let existing = files::read(&args.file)?;
    if existing.is_some() && !args.force {
        return Err(Failure::new(
            FailureKind::Conflict,
            format!("{file} already exists; nothing was written"),
        )
        .hint("pass --force to overwrite it"));
    }
    // read_to_end grows an empty buffer from 32 bytes, one read call per doubling.
    let mut content = Vec::with_capacity(64 * 1024);
    std::io::stdin()
        .lock()
        .read_to_end(&mut content)
        .map_err(|err| Failure::fatal(format!("cannot read stdin: {err}")))?;
    let old = existing.as_ref().map_or(&[][..], |s| s.content.as_slice());
    let mut json = serde_json::Map::new();
    json.insert("file".to_owned(), file.clone().into());
    json.insert("bytes".to_owned(), content.len().into());
    json.insert("existed".to_owned(), existing.is_some().into());
    if existing.as_ref().is_some_and(|s| s.content == content) {
        json.insert("changed".to_owned(), false.into());
        return Ok(Done {
            summary: format!("no change {file}"),
            json,
            diff: Vec::new(),
        });
    }
    let diff = files::unified_diff(
        existing.is_some().then_some(file.as_str()),
        Some(&file),
        old,
        &content,
    );
    let expected = if args.force {
        None
    } else {
        Some(Expected::Absent)
    };
    files::commit(
        &[FileChange::Write {
            path: args.file.clone(),
            content: content.clone(),
            expected,
        }],
        options,
    )?;
    json.insert("changed".to_owned(), true.into());
    let verb = if existing.is_some() {
        "overwrote"
    } else {
        "created"
    };
    Ok(Done {
        summary: format!("{verb} {file} ({} bytes)", content.len()),
        json,
        diff,
    })
}
