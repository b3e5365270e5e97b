//! `git rtk-rm`: see `git_rtk::commands::rm`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::rm::COMMAND));
}
