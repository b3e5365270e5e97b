//! `git rtk-init`: see `git_rtk::commands::init`.

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::process::exit(git_rtk::commands::init::main(&args));
}
