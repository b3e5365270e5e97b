//! `git rtk-rewrite "<shell command>"`: prints the command with every eligible `git <cmd>` turned
//! into `git rtk-<cmd>` and exits 0, or prints nothing and exits 1 when it leaves the command
//! alone (see `crate::rewrite` for the rules). `-` reads the command from stdin. Each git
//! invocation seen is recorded in the audit log (`crate::rewrite::audit`).

use std::ffi::OsString;
use std::io::Read as _;

use crate::rewrite::{self, policy::Policy};

const USAGE: &str = "\
usage: git rtk-rewrite <shell command>
   or: git rtk-rewrite -          (the command on stdin)

Prints the command with each eligible `git <cmd>` rewritten to `git rtk-<cmd>` and exits 0;
prints nothing and exits 1 when nothing is rewritten.

Commands that change the repository are rewritten only when enabled (RTK_REWRITE_MUTATING=1,
or a list such as add,commit; or `git config rtk.rewriteMutating`) and certified by the
parity suite. Decisions are logged to $XDG_STATE_HOME/git-rtk/rewrite-audit.jsonl
(RTK_AUDIT=0 turns that off).
";

/// Runs the command; returns the exit code.
pub fn main(args: &[OsString]) -> i32 {
    let command = match args {
        [only] if only == "-h" || only == "--help" => return crate::help::print_usage(USAGE),
        [only] if only == "-" => {
            let mut text = String::new();
            if let Err(err) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("fatal: cannot read the command from stdin: {err}");
                return 128;
            }
            text
        }
        [only] => match only.to_str() {
            Some(text) => text.to_owned(),
            None => {
                eprintln!("fatal: the command is not valid UTF-8");
                return 128;
            }
        },
        _ => {
            eprint!("{USAGE}");
            return 129;
        }
    };
    let result = rewrite::rewrite_and_audit(&command, &Policy::from_environment());
    match result.command {
        Some(mut rewritten) => {
            rewritten.push('\n');
            match crate::plugin::write_stdout(rewritten.as_bytes()) {
                Ok(()) => 0,
                Err(code) => code,
            }
        }
        None => 1,
    }
}
