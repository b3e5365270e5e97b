//! `git rtk-add`: see `git_rtk::commands::add`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::add::COMMAND));
}
