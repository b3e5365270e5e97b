//! Running real git for a mutating command: the identical argv, stdin inherited (`commit -F -`
//! reads it), stdout and stderr captured so the plugin can print git's diagnostics verbatim and
//! its own compact report instead of git's prose.

use std::ffi::OsString;
use std::io::Read as _;
use std::process::{Command, Stdio};

/// What git did.
pub struct Finished {
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `git <subcommand> <args>`. git runs its hooks, takes `index.lock`, writes reflogs and
/// config exactly as it would when typed; only its output is held back.
pub fn run_git(subcommand: &str, args: &[OsString]) -> std::io::Result<Finished> {
    let mut child = Command::new("git")
        .arg(subcommand)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Both pipes are drained at once (stderr on a thread) so a chatty git never blocks on a
    // full pipe while we wait on the other.
    let mut stderr_pipe = child.stderr.take();
    let stderr_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(pipe) = stderr_pipe.as_mut() {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    });
    let mut stdout = Vec::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_end(&mut stdout)?;
    }
    let status = child.wait()?;
    let stderr = stderr_reader.join().unwrap_or_default();
    Ok(Finished {
        exit_code: crate::passthrough::exit_code_of(status),
        stdout,
        stderr,
    })
}

/// The lines of git's stderr that carry a verdict (`fatal:`, `error:`, `warning:`), verbatim.
/// On success these are all that is kept: progress, advice and "To <url>" chatter are what the
/// compact report replaces.
pub fn signal_lines(stderr: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in stderr.split_inclusive(|&b| b == b'\n') {
        // Progress lines end in `\r` segments; the last segment is what a terminal shows.
        let shown = line.rsplit(|&b| b == b'\r').next().unwrap_or(line);
        if ["fatal:", "error:", "warning:"]
            .iter()
            .any(|prefix| shown.starts_with(prefix.as_bytes()))
        {
            out.extend_from_slice(shown);
            if !shown.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
    }
    out
}
