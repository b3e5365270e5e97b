//! `git rtk-mv`: see `git_rtk::commands::mv`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::mv::COMMAND));
}
