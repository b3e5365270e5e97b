//! `git rtk-write`: see `git_rtk::commands::write`.

fn main() {
    std::process::exit(git_rtk::commands::write::run(
        std::env::args_os().skip(1).collect(),
    ));
}
