//! `git rtk-merge`: see `git_rtk::commands::merge`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::merge::COMMAND));
}
