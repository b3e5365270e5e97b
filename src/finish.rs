//! How a plugin run ends, read or mutating: its output written (a closed pipe ends it quietly,
//! as git's death by SIGPIPE does) and its tracking row recorded.

use std::io::Write;

use crate::failure::CommandError;

/// How a run ended, for the exit code and the tracking row.
pub struct Printed {
    pub exit_code: i32,
    /// Bytes the plugin printed on stdout and stderr; `None` when git printed them itself.
    pub output_bytes: Option<u64>,
    pub native: Option<crate::track::Native>,
    /// A bug on the native path (git then served the run), for the tracking row.
    pub failure: Option<String>,
}

impl Printed {
    /// Nothing to compare: git printed everything itself, or the run never got that far.
    pub fn without_sizes(exit_code: i32) -> Self {
        Printed {
            exit_code,
            output_bytes: None,
            native: None,
            failure: None,
        }
    }
}

/// Records a finished run (see [`crate::track`]).
pub fn track(subcommand: &str, started: std::time::Instant, printed: &Printed) {
    let elapsed = started.elapsed();
    // Built only when tracking is on: the project lookup walks up the directory tree.
    crate::track::record(|| crate::track::Run {
        command: subcommand.to_owned(),
        project: crate::track::project_of(&std::env::current_dir().unwrap_or_default()),
        exit_code: printed.exit_code,
        elapsed,
        output_bytes: printed.output_bytes,
        native: printed.native,
        failure: printed.failure.clone(),
    });
}

/// Writes all of `bytes`; a closed pipe ends the process quietly, as git's death by SIGPIPE does
/// (the error's exit is [`Exit::BrokenPipe`]); any other failure says so on stderr.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CommandError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Err(CommandError::Output(err)),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "fatal: unable to write to stdout: {err}");
            Err(CommandError::Output(err))
        }
    }
}
