//! `git rtk-stash`: see `git_rtk::commands::stash`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::stash::COMMAND));
}
