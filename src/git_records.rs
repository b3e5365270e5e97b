//! Running git for its machine-readable output (`status --porcelain=v2 -z`, `diff --raw -z`),
//! where git is the faster reader (see [`crate::git_acceleration`]).
//!
//! git runs in this process's directory and environment, so `-C`, `-c`, `GIT_DIR` and friends
//! carry over as for a pass-through. Its stderr is passed on when it succeeds (warnings such as an
//! unreadable directory, which the command the user typed prints too); when it fails, the run is
//! declined, and the pass-through lets git say why, once.

use std::process::{Child, Command, Stdio};

use crate::failure::Decline;

/// A git command started; it runs while this process does other work.
pub struct Started {
    child: Child,
    what: String,
}

impl Started {
    pub fn spawn(args: &[String]) -> anyhow::Result<Started> {
        let child = Command::new("git")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| Decline::new(format!("cannot run git: {err}")))?;
        Ok(Started {
            child,
            what: args.join(" "),
        })
    }

    /// Waits for git and returns its stdout.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        let output = self.child.wait_with_output()?;
        if !output.status.success() {
            return Err(Decline::new(format!("git {} failed", self.what)).into());
        }
        if !output.stderr.is_empty() {
            use std::io::Write as _;
            let _ = std::io::stderr().write_all(&output.stderr);
        }
        Ok(output.stdout)
    }
}

/// Runs git to the end and returns its stdout.
pub fn output(args: &[String]) -> anyhow::Result<Vec<u8>> {
    Started::spawn(args)?.finish()
}
