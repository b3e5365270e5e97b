//! Text a command prints about itself (`-h`, notes), through the broken-pipe-safe writer.

use crate::failure::Exit;

/// Prints `text` (a command's usage) on stdout as git does for `-h`; returns git's exit code 129.
pub fn print_usage(text: &str) -> i32 {
    match crate::finish::write_stdout(text.as_bytes()) {
        Ok(()) => Exit::Usage.code(),
        Err(err) => err.exit().code(),
    }
}

/// Prints `text` on stdout through the broken-pipe-safe writer; returns 0, or the writer's code.
pub fn print(text: &str) -> i32 {
    write_out(text.as_bytes())
}

/// A tool's argv that clap rejected or answered: help goes to stdout with exit 129, as git prints
/// `-h`; anything else is a usage error on stderr, exit 129.
pub fn clap_error(err: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    use std::io::Write as _;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print_usage(&err.render().to_string())
        }
        _ => {
            let _ = std::io::stderr().write_all(err.render().to_string().as_bytes());
            Exit::Usage.code()
        }
    }
}

/// Writes a command's output (bytes) through the broken-pipe-safe writer; returns 0, or the
/// writer's code.
pub fn write_out(bytes: &[u8]) -> i32 {
    match crate::finish::write_stdout(bytes) {
        Ok(()) => Exit::Success.code(),
        Err(err) => err.exit().code(),
    }
}
