//! Where git-rtk keeps its own per-user files, following the XDG base directories.

use std::path::PathBuf;

/// `$GIT_RTK_STATE_DIR`, else `$XDG_STATE_HOME/git-rtk`, else `~/.local/state/git-rtk`: pending
/// batch records, the rewrite audit log. `None` without any of them.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GIT_RTK_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    base("XDG_STATE_HOME", ".local/state")
}

/// `$XDG_DATA_HOME/git-rtk`, else `~/.local/share/git-rtk`: the run-tracking database.
pub fn data_dir() -> Option<PathBuf> {
    base("XDG_DATA_HOME", ".local/share")
}

fn base(variable: &str, under_home: &str) -> Option<PathBuf> {
    let root = match std::env::var_os(variable).filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|d| !d.is_empty())?).join(under_home),
    };
    Some(root.join("git-rtk"))
}
