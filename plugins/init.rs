//! `git rtk-init`: see `git_rtk::commands::init`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::init::COMMAND));
}
