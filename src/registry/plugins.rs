//! The plugins: one per git command git-rtk serves, read and mutating. The rewriter reads only
//! this list, so it never depends on git-rtk's own tools (which use the rewriter).

use crate::command::Command;
use crate::commands;

/// Every plugin, read ones first.
pub const PLUGINS: &[&Command] = &[
    &commands::status::COMMAND,
    &commands::log::COMMAND,
    &commands::diff::COMMAND,
    &commands::show::COMMAND,
    &commands::branch::COMMAND,
    &commands::grep::COMMAND,
    &commands::blame::COMMAND,
    &commands::add::COMMAND,
    &commands::commit::COMMAND,
    &commands::rm::COMMAND,
    &commands::mv::COMMAND,
    &commands::tag::COMMAND,
    &commands::switch::COMMAND,
    &commands::checkout::COMMAND,
    &commands::restore::COMMAND,
    &commands::reset::COMMAND,
    &commands::stash::COMMAND,
    &commands::merge::COMMAND,
    &commands::rebase::COMMAND,
    &commands::cherry_pick::COMMAND,
    &commands::push::COMMAND,
    &commands::fetch::COMMAND,
    &commands::pull::COMMAND,
    &commands::worktree::COMMAND,
];

/// The plugin serving `git <subcommand>`, if there is one.
pub fn plugin(subcommand: &str) -> Option<&'static Command> {
    PLUGINS.iter().copied().find(|c| c.name == subcommand)
}

/// Whether `subcommand` has a plugin (`git-rtk-<subcommand>` serves `git <subcommand>`).
pub fn is_plugin(subcommand: &str) -> bool {
    plugin(subcommand).is_some()
}
