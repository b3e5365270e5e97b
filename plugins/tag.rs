//! `git rtk-tag`: see `git_rtk::commands::tag`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::tag::COMMAND));
}
