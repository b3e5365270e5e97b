//! `git rtk-tag`: real `git tag` with the identical argv, then a compact report of what changed
//! (see `git_rtk::mutate`).

fn main() {
    std::process::exit(git_rtk::mutate::run(&git_rtk::mutate::commands::TAG));
}
