//! `git rtk-push`: see `git_rtk::commands::push`.

fn main() {
    std::process::exit(git_rtk::registry::main(&git_rtk::commands::push::COMMAND));
}
