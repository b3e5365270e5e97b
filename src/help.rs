//! `-h` output: git prints a command's usage on stdout and exits 129; the plugins do the same with
//! the flags they serve natively.

use crate::plugin::Outcome;

pub fn usage(text: &str) -> Outcome {
    Outcome::Printed {
        stdout: text.as_bytes().to_vec(),
        exit_code: 129,
        // git's usage text for the same flag is its own, of about the same length.
        native: None,
    }
}
