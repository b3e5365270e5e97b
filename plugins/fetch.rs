//! `git rtk-fetch`: see `git_rtk::commands::fetch`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::fetch::COMMAND));
}
