//! `git rtk-rewrite`: see `git_rtk::commands::rewrite`.

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::process::exit(git_rtk::commands::rewrite::main(&args));
}
