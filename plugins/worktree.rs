//! `git rtk-worktree`: see `git_rtk::commands::worktree`.

fn main() {
    std::process::exit(git_rtk::registry::main(
        &git_rtk::commands::worktree::COMMAND,
    ));
}
