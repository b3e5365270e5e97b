//! `git rtk-mv`: git mv, and what it moved. git runs with the identical argv (see `crate::mutate`);
//! the table holds the options the plugin reads to decide whether git keeps the terminal.

use crate::command::mutating::{declare, COMMON, REPORTED};
use crate::command::Command;
use crate::options::{flag, Flag};

pub const COMMAND: Command = declare(
    "mv",
    "git mv, and what it moved",
    "Runs git mv with the same arguments, then prints what it moved.",
    &[OPTIONS, COMMON],
    REPORTED,
);

const OPTIONS: &[Flag] =
    &[flag(Some('n'), "dry-run", "shows what would be moved: runs git").to_git()];
