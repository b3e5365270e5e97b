//! What the benchmark binaries share at their edges: where the workspace is, and how a run's
//! outcome becomes the process's exit status. Included by `main.rs` and, by path, by the other
//! binaries that need both.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

/// The workspace the benchmark was built from: the bench crate's parent directory.
pub fn workspace_root() -> Result<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .context("the bench crate has no parent directory")
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
