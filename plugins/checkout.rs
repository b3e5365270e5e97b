//! `git rtk-checkout`: see `git_rtk::commands::checkout`.

fn main() {
    std::process::exit(git_rtk::registry::main(
        &git_rtk::commands::checkout::COMMAND,
    ));
}
