//! `-h` output: git prints a command's usage on stdout and exits 129; the plugins do the same with
//! the flags they serve natively.

use crate::plugin::Outcome;

/// Prints `text` (a command's usage) on stdout as git does for `-h`; returns git's exit code 129.
pub fn print_usage(text: &str) -> i32 {
    match crate::plugin::write_stdout(text.as_bytes()) {
        Ok(()) => 129,
        Err(code) => code,
    }
}

/// Prints `text` on stdout through the broken-pipe-safe writer; returns 0, or the writer's code.
pub fn print(text: &str) -> i32 {
    match crate::plugin::write_stdout(text.as_bytes()) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

pub fn usage(text: &str) -> Outcome {
    Outcome::Printed {
        stdout: text.as_bytes().to_vec(),
        exit_code: 129,
        // git's usage text for the same flag is its own, of about the same length.
        native: None,
    }
}
