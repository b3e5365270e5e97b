//! `git rtk-hook <agent>`: the agent hook (see `crate::hook`). Reads the agent's event JSON on
//! stdin and prints its answer, or nothing. It always exits 0: a hook that fails must never stop
//! the agent's command, which then simply runs as typed.

use std::ffi::OsString;
use std::io::Read as _;

use crate::command;
use crate::hook;
use crate::rewrite::policy::Policy;

pub const COMMAND: command::Command = command::tool(
    "hook",
    "an agent's pre-tool-use hook",
    main,
    <Cli as clap::CommandFactory>::command,
);

/// Reads an agent's pre-tool-use event on stdin and prints the answer that rewrites its git
/// command to a plugin, or nothing. Installed by `git rtk-init --agent <agent>`; see
/// docs/agents.md.
#[derive(Debug, clap::Parser)]
struct Cli {
    /// The agent whose event format stdin holds.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(hook::AGENTS))]
    agent: String,
}

pub fn main(args: Vec<OsString>, _commands: &[&'static command::Command]) -> i32 {
    let cli: Cli = match crate::command::parse_tool("hook", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let agent = cli.agent;
    let mut input = String::new();
    if std::io::stdin().read_to_string(&mut input).is_err() {
        return 0;
    }
    if let Some(mut answer) = hook::answer(&agent, &input, &Policy::from_environment()) {
        answer.push('\n');
        // A closed pipe or a write error leaves the agent without an answer: its command runs
        // as typed, which is what exit 0 with no output means anyway.
        let _ = crate::finish::write_stdout(answer.as_bytes());
    }
    0
}
