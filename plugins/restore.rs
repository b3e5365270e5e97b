//! `git rtk-restore`: see `git_rtk::commands::restore`.

fn main() {
    std::process::exit(git_rtk::registry::main(
        &git_rtk::commands::restore::COMMAND,
    ));
}
