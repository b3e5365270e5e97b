//! `git rtk-gain`: see `git_rtk::commands::gain`.

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::process::exit(git_rtk::commands::gain::main(&args));
}
