//! `git rtk-discover`: see `git_rtk::commands::discover`.

fn main() {
    std::process::exit(git_rtk::registry::main(
        &git_rtk::commands::discover::COMMAND,
    ));
}
