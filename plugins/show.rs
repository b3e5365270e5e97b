//! `git rtk-show`: see `git_rtk::commands::show`.

fn main() {
    std::process::exit(git_rtk::plugin::run("show", git_rtk::commands::show::run));
}
