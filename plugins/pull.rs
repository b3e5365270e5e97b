//! `git rtk-pull`: see `git_rtk::commands::pull`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::pull::COMMAND));
}
