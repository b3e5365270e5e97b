//! Running one process to completion with its output captured, and a deadline so that a hung
//! plugin fails its case instead of the whole suite.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Longer than any fixture needs; a process still running then is considered hung.
const DEADLINE: Duration = Duration::from_secs(300);

/// What a finished process left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The exit code, or 128 + the signal number when a signal ended it (as a shell reports it).
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `command` with no stdin; `what` names it in error messages.
pub fn run(command: Command, what: &str) -> Result<Output, String> {
    run_with_stdin(command, what, None)
}

/// Like [`run`], feeding `stdin` (then end of file) when given.
pub fn run_with_stdin(
    mut command: Command,
    what: &str,
    stdin: Option<&[u8]>,
) -> Result<Output, String> {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a hung git and the plugin it started can be ended together.
        .process_group(0);
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start {what}: {err}"))?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let bytes = bytes.to_vec();
        // A writer thread: a command that exits without reading must not block the harness.
        std::thread::spawn(move || {
            use std::io::Write as _;
            let _ = pipe.write_all(&bytes);
        });
    }
    let pid = child.id();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let output = match receiver.recv_timeout(DEADLINE) {
        Ok(result) => result.map_err(|err| format!("cannot wait for {what}: {err}"))?,
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            return Err(format!(
                "{what} did not finish within {}s",
                DEADLINE.as_secs()
            ));
        }
    };
    let exit_code = match (output.status.code(), output.status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 128,
    };
    Ok(Output {
        exit_code,
        stdout: output.stdout,
        stderr: output.stderr,
    })
}

/// Runs `command` and returns its stdout, failing with git's stderr when it exits non-zero.
pub fn stdout_of(command: Command, what: &str) -> Result<Vec<u8>, String> {
    let output = run(command, what)?;
    if output.exit_code != 0 {
        return Err(format!(
            "{what} exited with {}: {}",
            output.exit_code,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(output.stdout)
}
