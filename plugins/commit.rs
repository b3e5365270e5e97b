//! `git rtk-commit`: see `git_rtk::commands::commit`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::commit::COMMAND));
}
