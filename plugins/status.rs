//! `git rtk-status`: see `git_rtk::commands::status`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::status::COMMAND));
}
