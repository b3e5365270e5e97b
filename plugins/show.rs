//! `git rtk-show`: see `git_rtk::commands::show`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::show::COMMAND));
}
