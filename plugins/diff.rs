//! `git rtk-diff`: see `git_rtk::commands::diff`.

fn main() {
    std::process::exit(git_rtk::plugin::run("diff", git_rtk::commands::diff::run));
}
