//! `git rtk-blame`: see `git_rtk::commands::blame`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::blame::COMMAND));
}
