//! `git rtk-switch`: see `git_rtk::commands::switch`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::switch::COMMAND));
}
