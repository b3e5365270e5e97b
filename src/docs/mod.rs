//! Man pages and shell completions for every command of the registry, written where `man` and
//! the shells look for a program on `PATH`: for binaries in `<prefix>/bin` (`~/.cargo/bin` after
//! `cargo install`), `<prefix>/share/man/man1/` (man-db maps `<prefix>/bin` to it; `git
//! rtk-status --help` runs `man git-rtk-status`), `<prefix>/share/bash-completion/completions/`
//! (bash-completion looks there for the `git-rtk-status` that git's completion asks it to load),
//! `<prefix>/share/zsh/site-functions/` and `<prefix>/share/fish/vendor_completions.d/`.
//!
//! Each page and completion is rendered from the command's declaration in the registry: its
//! options table (a tool's clap definition), the same source as its `-h` and its parsing.

pub mod completion;
pub mod man;

use std::path::{Path, PathBuf};

use crate::command::{Command, Kind};
use crate::write::{self, WriteOptions};

/// One command's documentation source.
#[derive(Clone)]
pub struct Page {
    pub command: &'static Command,
    /// The command's `-h` text.
    pub help: String,
}

/// The pages of `commands`.
pub fn pages(commands: &[&'static Command]) -> Vec<Page> {
    commands
        .iter()
        .map(|command| Page {
            command,
            help: command.usage(),
        })
        .collect()
}

/// What [`install`] wrote (or removed), for the user.
#[derive(Debug, Default)]
pub struct Installed {
    pub files: Vec<PathBuf>,
}

/// Where bash-completion finds a completion file for commands installed under `prefix`.
pub fn bash_completion_dir(prefix: &Path) -> Option<PathBuf> {
    let share = prefix.join("share");
    let data_dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".to_owned());
    if data_dirs.split(':').any(|d| Path::new(d) == share) {
        return Some(share.join("bash-completion/completions"));
    }
    let user = match std::env::var_os("BASH_COMPLETION_USER_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir).join("bash-completion"),
            None => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?)
                .join(".local/share/bash-completion"),
        },
    };
    Some(user.join("completions"))
}

/// Every file the documentation of `pages` consists of under `prefix` (bash completions in
/// `bash_dir`), with its content.
pub fn files(prefix: &Path, bash_dir: &Path, pages: &[Page]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for page in pages {
        let binary = page.command.binary();
        out.push((
            prefix.join("share/man/man1").join(format!("{binary}.1")),
            man::render(page).into_bytes(),
        ));
        out.push((bash_dir.join(&binary), completion::bash(page).into_bytes()));
        out.push((
            prefix
                .join("share/zsh/site-functions")
                .join(format!("_{binary}")),
            completion::zsh(page).into_bytes(),
        ));
    }
    out.push((
        prefix.join("share/fish/vendor_completions.d/git-rtk.fish"),
        completion::fish(pages).into_bytes(),
    ));
    out
}

/// Writes the documentation for the binaries in `<prefix>/bin` (atomically, unchanged files left
/// alone), or removes it.
pub fn install(
    prefix: &Path,
    remove: bool,
    commands: &[&'static Command],
) -> Result<Installed, write::WriteError> {
    let pages = pages(commands);
    let bash_dir = bash_completion_dir(prefix)
        .unwrap_or_else(|| prefix.join("share/bash-completion/completions"));
    let mut installed = Installed::default();
    for (path, content) in files(prefix, &bash_dir, &pages) {
        if remove {
            match std::fs::remove_file(&path) {
                Ok(()) => installed.files.push(path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(write::WriteError::io(&path, "removing documentation", e)),
            }
            continue;
        }
        write::write_file(&path, &content, &WriteOptions::default())?;
        installed.files.push(path);
    }
    Ok(installed)
}

/// The prefix of the running binary: `<prefix>/bin/git-rtk-init` → `<prefix>`.
pub fn own_prefix() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.to_path_buf())
}

/// The page a plugin's page refers to: git's own for the same command (section 1).
pub fn see_also(command: &Command) -> Option<String> {
    match command.kind {
        Kind::Read | Kind::Mutating => Some(format!("git-{}", command.name)),
        Kind::Tool => None,
    }
}
