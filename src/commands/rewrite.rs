//! `git rtk-rewrite "<shell command>"`: prints the command with every eligible `git <cmd>` turned
//! into `git rtk-<cmd>` and exits 0, or prints nothing and exits 1 when it leaves the command
//! alone (see `crate::rewrite` for the rules). `-` reads the command from stdin. Each git
//! invocation seen is recorded in the audit log (`crate::rewrite::audit`).

use std::ffi::OsString;
use std::io::Read as _;

use crate::command;
use crate::failure::Exit;
use crate::rewrite::{self, policy::Policy};

pub const COMMAND: command::Command = command::tool(
    "rewrite",
    "rewrite a shell command's git invocations to their plugins",
    main,
    <Cli as clap::CommandFactory>::command,
);

/// Prints the command with each eligible `git <cmd>` rewritten to `git rtk-<cmd>` and exits 0;
/// prints nothing and exits 1 when nothing is rewritten.
#[derive(Debug, clap::Parser)]
#[command(
    after_help = "Commands that change the repository are rewritten only when enabled (RTK_REWRITE_MUTATING=1,\n\
or a list such as add,commit; or `git config rtk.rewriteMutating`) and certified by the\n\
parity suite. Decisions are logged to $XDG_STATE_HOME/git-rtk/rewrite-audit.jsonl\n\
(RTK_AUDIT=0 turns that off)."
)]
struct Cli {
    /// The shell command, or `-` to read it from stdin.
    #[arg(value_name = "shell command", allow_hyphen_values = true)]
    command: OsString,
}

/// Runs the command; returns the exit code.
pub fn main(args: Vec<OsString>, _commands: &[&'static command::Command]) -> i32 {
    let cli: Cli = match crate::command::parse_tool("rewrite", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let command = if cli.command == "-" {
        let mut text = String::new();
        if let Err(err) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("fatal: cannot read the command from stdin: {err}");
            return Exit::Fatal.code();
        }
        text
    } else {
        match cli.command.into_string() {
            Ok(text) => text,
            Err(_) => {
                eprintln!("fatal: the command is not valid UTF-8");
                return Exit::Fatal.code();
            }
        }
    };
    let result = rewrite::rewrite_and_audit(&command, &Policy::from_environment());
    match result.command {
        Some(mut rewritten) => {
            rewritten.push('\n');
            crate::help::write_out(rewritten.as_bytes())
        }
        None => Exit::NothingDone.code(),
    }
}
