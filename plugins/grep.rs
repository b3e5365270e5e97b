//! `git rtk-grep`: see `git_rtk::commands::grep`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::grep::COMMAND));
}
