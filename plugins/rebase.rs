//! `git rtk-rebase`: see `git_rtk::commands::rebase`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::rebase::COMMAND));
}
