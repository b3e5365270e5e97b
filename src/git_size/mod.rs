//! How many bytes git itself would print for an invocation a read plugin served natively.
//!
//! `git rtk-gain` counts a saving as git's output size minus the plugin's. Read plugins never run
//! git, so they estimate that size from the same data git formats: the commits `git log` prints
//! in its default format, the sections of `git status`'s long format, the headers and hunks of a
//! patch, the columns of `git branch`. Each model mirrors git's output rules closely enough that
//! the parity suite holds it within ±10% of real git's output on every case it serves; a form with
//! no model records no size, and saves nothing.
//!
//! Each read command reads what it reports once into a typed report (`StatusReport`, `LogReport`,
//! `Listing`, `diff::report::FileDiff`); its compact renderer and these models both read that
//! report, and neither knows about the other. Estimating costs a little work on top of rendering,
//! so it runs only when the run is tracked ([`crate::track::enabled`]).

pub mod branch;
pub mod log;
pub mod patch;
pub mod status;

/// Whether a run should estimate git's output size at all.
pub fn wanted() -> bool {
    crate::track::enabled()
}

/// Bytes of `line` once git expands its tabs to 8-column stops counted from the line's own start
/// (as `git log` does for messages, before indenting them), counting each byte as one column.
pub fn tab_expanded_len(line: &[u8]) -> usize {
    line.iter().fold(0, |column, &byte| {
        if byte == b'\t' {
            (column / 8 + 1) * 8
        } else {
            column + 1
        }
    })
}

/// Number of decimal digits in `n`.
pub fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_expand_to_the_next_multiple_of_eight() {
        assert_eq!(tab_expanded_len(b"\tx"), 9);
        assert_eq!(tab_expanded_len(b"ab\tc"), 9);
        assert_eq!(tab_expanded_len(b"plain"), 5);
    }

    #[test]
    fn digit_counts() {
        assert_eq!(
            (digits(0), digits(9), digits(10), digits(12345)),
            (1, 1, 2, 5)
        );
    }
}
