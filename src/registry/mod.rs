//! Every command git-rtk ships, once: the list of the declarations in `crate::commands` (see
//! [`crate::command::Command`]), plugins ([`plugins`], all the rewriter needs) and tools. The binaries, the man pages and completions, the rewriter's
//! classification and the benchmark all read this list; a test holds it to the `[[bin]]` entries
//! of Cargo.toml.

use std::ffi::OsString;

use crate::command::{Command, Entry, Kind};
use crate::commands;

pub mod plugins;

pub use plugins::{is_plugin, plugin};

/// git-rtk's own tools, after the plugins ([`plugins::PLUGINS`]).
pub const TOOLS: &[&Command] = &[
    &commands::write::COMMAND,
    &commands::rewrite::COMMAND,
    &commands::hook::COMMAND,
    &commands::init::COMMAND,
    &commands::gain::COMMAND,
    &commands::discover::COMMAND,
];

/// Every command, plugins first.
pub fn all() -> Vec<&'static Command> {
    plugins::PLUGINS.iter().chain(TOOLS).copied().collect()
}

/// The commands of one kind.
pub fn of_kind(kind: Kind) -> impl Iterator<Item = &'static Command> {
    all().into_iter().filter(move |c| c.kind == kind)
}

/// The `main` of every binary: runs `command` over the process's argv and returns the exit code.
pub fn main(command: &'static Command) -> i32 {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match command.entry {
        Entry::Tool { main, .. } => main(args, &all()),
        Entry::Git(git) => crate::mutate::run(command, git, &args),
        Entry::Native(_) | Entry::Split { .. } => match crate::plugin::route(command, &args) {
            crate::plugin::Route::Mutating(git) => crate::mutate::run(command, git, &args),
            route => crate::plugin::run(command, route, &args),
        },
    }
}
