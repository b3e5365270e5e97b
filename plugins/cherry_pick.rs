//! `git rtk-cherry-pick`: see `git_rtk::commands::cherry_pick`.

fn main() {
    std::process::exit(git_rtk::registry::main(
        &git_rtk::commands::cherry_pick::COMMAND,
    ));
}
