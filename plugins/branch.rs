//! `git rtk-branch`: the listing natively (`git_rtk::commands::branch`); creating, deleting,
//! renaming, copying and upstream changes through real git with a compact report
//! (`git_rtk::mutate`).

use git_rtk::mutate;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let words: Option<Vec<String>> = args.iter().map(|a| a.to_str().map(str::to_owned)).collect();
    let code = match words {
        Some(words) if mutate::commands::branch_is_action(&words) => {
            mutate::run_with_args(&mutate::commands::BRANCH, &args)
        }
        _ => git_rtk::plugin::run("branch", git_rtk::commands::branch::run),
    };
    std::process::exit(code);
}
