//! `git rtk-log`: see `git_rtk::commands::log`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::log::COMMAND));
}
