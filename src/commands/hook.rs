//! `git rtk-hook <agent>`: the agent hook (see `crate::hook`). Reads the agent's event JSON on
//! stdin and prints its answer, or nothing. It always exits 0: a hook that fails must never stop
//! the agent's command, which then simply runs as typed.

use std::ffi::OsString;
use std::io::Read as _;

use crate::hook;
use crate::rewrite::policy::Policy;

pub fn main(args: &[OsString]) -> i32 {
    let usage = format!(
        "usage: git rtk-hook <{}>\n\nReads an agent's pre-tool-use event on stdin and prints the answer that rewrites its\ngit command to a plugin, or nothing. Installed by `git rtk-init --agent <agent>`; see\ndocs/agents.md.\n",
        hook::AGENTS.join("|")
    );
    let agent = match args {
        [flag] if flag == "-h" || flag == "--help" => return crate::help::print_usage(&usage),
        [agent] => agent.to_string_lossy().into_owned(),
        _ => {
            eprint!("{usage}");
            return 129;
        }
    };
    if !hook::AGENTS.contains(&agent.as_str()) {
        eprintln!(
            "error: no hook for agent {agent:?} (supported: {})",
            hook::AGENTS.join(", ")
        );
        return 129;
    }
    let mut input = String::new();
    if std::io::stdin().read_to_string(&mut input).is_err() {
        return 0;
    }
    if let Some(mut answer) = hook::answer(&agent, &input, &Policy::from_environment()) {
        answer.push('\n');
        // A closed pipe or a write error leaves the agent without an answer: its command runs
        // as typed, which is what exit 0 with no output means anyway.
        let _ = crate::plugin::write_stdout(answer.as_bytes());
    }
    0
}
