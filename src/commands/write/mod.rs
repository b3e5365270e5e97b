//! `git rtk-write`: edit files safely — set a config key, replace exact text, apply a patch,
//! create a file. Every write goes through [`crate::write`] (atomic, durable, compare-and-swap).
//!
//! Output is one compact line per run (`--json`: one JSON object); `--dry-run` prints the unified
//! diff instead of writing. Exit codes follow git: 0 done or nothing to do, 1 no match,
//! ambiguous, conflict or does not apply, 128 fatal, 129 usage. This command is our own (git has
//! no `write`), so it never passes through to git.

mod create;
mod failure;
mod files;
mod patch;
mod replace;
mod set;

use std::ffi::OsString;
use std::io::Write as _;

use clap::{Parser, Subcommand};
use serde_json::{Map, Value};

pub use failure::{Failure, FailureKind};

use crate::command;
use crate::command::GIT_HELP;

pub const COMMAND: command::Command = command::tool(
    "write",
    "edit files atomically and durably: set, replace, patch, create",
    |args, _commands| run(args),
    <Cli as clap::CommandFactory>::command,
);

/// Edit files atomically and durably, with compact output for agents.
#[derive(Debug, Parser)]
#[command(
    disable_help_subcommand = true,
    after_help = "Exit status: 0 done or no change, 1 no match / ambiguous / conflict / does not apply, 128 fatal, 129 usage."
)]
struct Cli {
    /// Print one JSON object instead of the one-line summary.
    #[arg(long, global = true)]
    json: bool,
    /// Print the unified diff that would be applied; change nothing.
    #[arg(long, global = true)]
    dry_run: bool,
    /// Write a file that has other hard links (they keep the old content).
    #[arg(long, global = true)]
    break_hard_links: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(help_template = GIT_HELP)]
    Set(set::SetArgs),
    #[command(help_template = GIT_HELP)]
    Replace(replace::ReplaceArgs),
    #[command(help_template = GIT_HELP)]
    Patch(patch::PatchArgs),
    #[command(help_template = GIT_HELP)]
    Create(create::CreateArgs),
}

/// The flags every subcommand shares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub json: bool,
    pub dry_run: bool,
    pub break_hard_links: bool,
}

/// What a subcommand did.
#[derive(Debug, Clone)]
pub struct Done {
    /// The one-line summary (no newline).
    pub summary: String,
    /// Facts for `--json` (beside `ok`, `command`, `dry_run` and `diff`).
    pub json: Map<String, Value>,
    /// The unified diff of the change (printed with `--dry-run`).
    pub diff: Vec<u8>,
}

/// Runs `git rtk-write` with `args` (after the program name); returns the exit code.
pub fn run(args: Vec<OsString>) -> i32 {
    let cli: Cli = match crate::command::parse_tool("write", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let options = Options {
        json: cli.json,
        dry_run: cli.dry_run,
        break_hard_links: cli.break_hard_links,
    };
    let (name, result) = match &cli.command {
        Command::Set(args) => ("set", set::cmd_set(args, &options)),
        Command::Replace(args) => ("replace", replace::cmd_replace(args, &options)),
        Command::Patch(args) => ("patch", patch::cmd_patch(args, &options)),
        Command::Create(args) => ("create", create::cmd_create(args, &options)),
    };
    match result {
        Ok(done) => print_done(name, &done, &options),
        Err(failure) => print_failure(name, &failure, &options),
    }
}

fn print_done(command: &str, done: &Done, options: &Options) -> i32 {
    let mut out = Vec::new();
    if options.json {
        let mut object = Map::new();
        object.insert("ok".to_owned(), true.into());
        object.insert("command".to_owned(), command.into());
        object.insert("dry_run".to_owned(), options.dry_run.into());
        for (key, value) in &done.json {
            object.insert(key.clone(), value.clone());
        }
        if options.dry_run {
            let diff = String::from_utf8_lossy(&done.diff).into_owned();
            object.insert("diff".to_owned(), diff.into());
        }
        out.extend_from_slice(Value::Object(object).to_string().as_bytes());
        out.push(b'\n');
    } else {
        out.extend_from_slice(done.summary.as_bytes());
        if options.dry_run {
            out.extend_from_slice(b" (dry run)");
        }
        out.push(b'\n');
        if options.dry_run {
            out.extend_from_slice(&done.diff);
        }
    }
    crate::help::write_out(&out)
}

fn print_failure(command: &str, failure: &Failure, options: &Options) -> i32 {
    let _ = std::io::stderr().write_all(failure.stderr_text().as_bytes());
    if options.json && failure.kind != FailureKind::Usage {
        let mut line = failure.to_json(command).to_string().into_bytes();
        line.push(b'\n');
        if let Err(err) = crate::finish::write_stdout(&line) {
            return err.exit().code();
        }
    }
    failure.kind.exit_code()
}

/// A value or text for a one-line summary: whitespace runs (line breaks included) become one
/// space, and long text is cut with `…`.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > max_chars {
        let cut: String = collapsed
            .chars()
            .take(max_chars.saturating_sub(1))
            .collect();
        format!("{cut}…")
    } else {
        collapsed
    }
}

/// A path for messages, as the user gave it.
pub(crate) fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}
