//! `git rtk-branch`: see `git_rtk::commands::branch`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::branch::COMMAND));
}
