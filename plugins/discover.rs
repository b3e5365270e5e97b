//! `git rtk-discover`: see `git_rtk::commands::discover`.

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::process::exit(git_rtk::commands::discover::main(&args));
}
