//! `git rtk-rewrite`: see `git_rtk::commands::rewrite`.

fn main() {
    std::process::exit(git_rtk::registry::main(
        &git_rtk::commands::rewrite::COMMAND,
    ));
}
