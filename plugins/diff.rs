//! `git rtk-diff`: see `git_rtk::commands::diff`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::diff::COMMAND));
}
