//! What the benchmark binaries share at their edges: where the workspace and the plugins are, and
//! how a run's outcome becomes the process's exit status. Included by `main.rs` and, by path, by the other
//! binaries that need both.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

/// The workspace the benchmark was built from: the bench crate's parent directory.
pub fn workspace_root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("the bench crate has no parent directory")
}

/// The script that builds the binaries users install, linked as they are installed: the plugins
/// are timed as users run them.
pub const CARGO_RELEASE: &str = "scripts/cargo-release";

/// `scripts/cargo-release <args>` run at the workspace root.
pub fn cargo_release(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("bash");
    command
        .arg(root.join(CARGO_RELEASE))
        .args(args)
        .current_dir(root);
    command
}

/// Where `scripts/cargo-release build --release` puts the plugins.
pub fn plugin_dir(root: &Path) -> Result<PathBuf> {
    let output = cargo_release(root, &["--print-dir"])
        .output()
        .with_context(|| format!("running {CARGO_RELEASE} --print-dir"))?;
    if !output.status.success() {
        anyhow::bail!(
            "{CARGO_RELEASE} --print-dir failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let dir = String::from_utf8(output.stdout)
        .with_context(|| format!("{CARGO_RELEASE} --print-dir printed a path that is not UTF-8"))?;
    Ok(PathBuf::from(dir.trim_end()))
}

/// Success, or the error printed as `<program>: error: …` (with its causes) and failure.
pub fn exit_status(program: &str, outcome: Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{program}: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
