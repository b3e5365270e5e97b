//! `git rtk-write`: see `git_rtk::commands::write`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::write::COMMAND));
}
