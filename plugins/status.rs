//! `git rtk-status`: see `git_rtk::commands::status`.

fn main() {
    std::process::exit(git_rtk::plugin::run(
        "status",
        git_rtk::commands::status::run,
    ));
}
