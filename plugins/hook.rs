//! `git rtk-hook`: see `git_rtk::commands::hook`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::hook::COMMAND));
}
