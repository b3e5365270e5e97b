//! `git rtk-branch`: see `git_rtk::commands::branch`.

fn main() {
    std::process::exit(git_rtk::plugin::run(
        "branch",
        git_rtk::commands::branch::run,
    ));
}
