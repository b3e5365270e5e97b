//! `git rtk-reset`: see `git_rtk::commands::reset`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::reset::COMMAND));
}
