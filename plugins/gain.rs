//! `git rtk-gain`: see `git_rtk::commands::gain`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::gain::COMMAND));
}
