//! `git rtk-log`: see `git_rtk::commands::log`.

fn main() {
    std::process::exit(git_rtk::plugin::run("log", git_rtk::commands::log::run));
}
