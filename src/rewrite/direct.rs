//! The direct form of a rewrite: `git status -s` → `git-rtk-status -s`, the plugin binary started by
//! the shell instead of through git's dispatch (`git rtk-status -s`). The dispatch costs a whole
//! extra git start-up (about as much as `git log -n 50` itself), so the direct form is the fast one.
//! It keeps the meaning only where git would have run the same file with the same arguments and
//! environment; the rewriter ([`super::rewrite_forms`]) checks the command line's side:
//! - no global option before the subcommand (`git -C dir status`, `git -c k=v status`,
//!   `--git-dir=…`, `--no-pager` …): git applies those itself before it runs the plugin, so they
//!   keep the dispatched form;
//! - no leading assignment of `PATH` or `GIT_EXEC_PATH` (they choose which file runs) or
//!   `GIT_TRACE…` (git's trace of its own dispatch);
//!
//! and [`Direct`] the machine's side: the shell must find `git-rtk-<cmd>` on `PATH`, and it must be
//! the file git would run, since git looks in its exec-path before `PATH` ([`OnPath`]). Whether an
//! agent gets the direct form at all is its hook's decision (`crate::hook`): it must not change
//! what the agent's permission checks decide.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

/// Which plugins a rewrite may run directly.
#[derive(Debug)]
pub enum Direct {
    /// None: every rewrite keeps git's dispatch (`git rtk-status`), as [`super::rewrite`] does.
    Never,
    /// Every plugin, for a caller that puts the plugins first on `PATH` and none in git's
    /// exec-path (the benchmark does both).
    Always,
    /// The plugins of these subcommands (`status`, `log`): tests.
    Only(Vec<String>),
    /// The plugins the shell finds on `PATH` as the file git would run.
    OnPath(OnPath),
}

impl Direct {
    /// Whether `git-rtk-<subcommand>` may run directly.
    pub fn runs(&self, subcommand: &str) -> bool {
        match self {
            Direct::Never => false,
            Direct::Always => true,
            Direct::Only(list) => list.iter().any(|s| s == subcommand),
            Direct::OnPath(on_path) => on_path.runs(subcommand),
        }
    }
}

/// The plugins a shell would start by name as the same file git's dispatch runs. Each plugin is
/// looked up once (a stat per `PATH` directory until it is found, and one in the exec-path), when
/// a rewrite first asks for it.
#[derive(Debug)]
pub struct OnPath {
    /// The directories the agent's shell searches, in order.
    path: Vec<PathBuf>,
    /// git's exec-path, which git searches before `PATH`; `None` when not known.
    exec_path: Option<PathBuf>,
    found: RefCell<HashMap<String, bool>>,
}

impl OnPath {
    /// From a hook's environment. The hooks are installed as `git rtk-hook <agent>`, so git ran
    /// this process: it set `GIT_EXEC_PATH` to its exec-path and put that directory first on
    /// `PATH` (git's `setup_path`), where the agent's shell does not have it. Without
    /// `GIT_EXEC_PATH` the exec-path is not known (asking `git --exec-path` would cost the start-up
    /// the direct form saves), and no plugin runs directly.
    pub fn from_environment() -> OnPath {
        OnPath::new(
            std::env::var_os("PATH").as_deref(),
            std::env::var_os("GIT_EXEC_PATH").as_deref(),
        )
    }

    /// `path` as the process sees it and git's `exec_path`; a `path` that starts with the
    /// exec-path loses that first entry (see [`OnPath::from_environment`]).
    pub fn new(path: Option<&OsStr>, exec_path: Option<&OsStr>) -> OnPath {
        let exec_path = exec_path
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute());
        let mut dirs: Vec<PathBuf> =
            path.map_or_else(Vec::new, |p| std::env::split_paths(p).collect());
        if exec_path.is_some() && dirs.first() == exec_path.as_ref() {
            // Taking out a directory the shell does search only makes the check stricter: a
            // plugin there is the exec-path's, which git runs anyway.
            dirs.remove(0);
        }
        OnPath {
            path: dirs,
            exec_path,
            found: RefCell::new(HashMap::new()),
        }
    }

    /// Whether the shell finds `git-rtk-<subcommand>` on `PATH` and git would run that same file.
    pub fn runs(&self, subcommand: &str) -> bool {
        if let Some(known) = self.found.borrow().get(subcommand) {
            return *known;
        }
        let runs = self.look_up(&format!("git-rtk-{subcommand}"));
        self.found.borrow_mut().insert(subcommand.to_owned(), runs);
        runs
    }

    fn look_up(&self, name: &str) -> bool {
        let Some(exec_path) = &self.exec_path else {
            return false;
        };
        let mut on_path = None;
        for dir in &self.path {
            // An empty or relative entry is searched from the current directory, which a `cd`
            // earlier in the command line changes: the shell's choice is not known here.
            if !dir.is_absolute() {
                return false;
            }
            if let Some(file) = executable(&dir.join(name)) {
                on_path = Some(file);
                break;
            }
        }
        let Some(on_path) = on_path else {
            return false;
        };
        // git runs the exec-path's copy when there is one, whatever PATH holds.
        match executable(&exec_path.join(name)) {
            Some(in_exec_path) => in_exec_path == on_path,
            None => true,
        }
    }
}

/// The file's identity (device, inode) when `path` is an executable regular file, symlinks
/// followed, as a shell's and git's `PATH` searches take it.
fn executable(path: &Path) -> Option<(u64, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    (metadata.is_file() && metadata.mode() & 0o111 != 0).then(|| (metadata.dev(), metadata.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn plugin(dir: &Path, name: &str) -> PathBuf {
        std::fs::create_dir_all(dir).expect("dir");
        let path = dir.join(name);
        std::fs::write(&path, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    fn join(dirs: &[&Path]) -> std::ffi::OsString {
        std::env::join_paths(dirs).expect("joins")
    }

    #[test]
    fn a_plugin_on_path_runs_directly_unless_the_exec_path_has_another() {
        let root = tempfile::tempdir().expect("temp dir");
        let (bin, other, exec) = (
            root.path().join("bin"),
            root.path().join("other"),
            root.path().join("git-core"),
        );
        plugin(&bin, "git-rtk-status");
        plugin(&bin, "git-rtk-log");
        plugin(&exec, "git-rtk-log");
        std::fs::create_dir_all(&other).expect("dir");
        let path = join(&[&other, &bin]);
        let on_path = OnPath::new(Some(&path), Some(exec.as_os_str()));
        assert!(on_path.runs("status"));
        assert!(!on_path.runs("log"), "git would run the exec-path's copy");
        assert!(!on_path.runs("diff"), "not on PATH");
        // The same file reached through the exec-path (a symlink) is the same program.
        std::fs::remove_file(exec.join("git-rtk-log")).expect("rm");
        std::os::unix::fs::symlink(bin.join("git-rtk-log"), exec.join("git-rtk-log"))
            .expect("symlink");
        assert!(OnPath::new(Some(&path), Some(exec.as_os_str())).runs("log"));
    }

    #[test]
    fn without_the_exec_path_or_behind_a_relative_entry_nothing_runs_directly() {
        let root = tempfile::tempdir().expect("temp dir");
        let bin = root.path().join("bin");
        plugin(&bin, "git-rtk-status");
        let path = join(&[&bin]);
        assert!(!OnPath::new(Some(&path), None).runs("status"));
        let exec = root.path().join("git-core");
        let relative = join(&[Path::new("tools"), &bin]);
        assert!(!OnPath::new(Some(&relative), Some(exec.as_os_str())).runs("status"));
        let empty = std::ffi::OsString::from(format!(":{}", bin.display()));
        assert!(!OnPath::new(Some(&empty), Some(exec.as_os_str())).runs("status"));
        // Not executable: the shell passes over it.
        let plain = root.path().join("plain");
        plugin(&plain, "git-rtk-status");
        std::fs::set_permissions(
            plain.join("git-rtk-status"),
            std::fs::Permissions::from_mode(0o644),
        )
        .expect("chmod");
        let path = join(&[&plain]);
        assert!(!OnPath::new(Some(&path), Some(exec.as_os_str())).runs("status"));
    }

    #[test]
    fn the_exec_path_git_put_first_on_path_is_not_the_shells() {
        // git ran the hook with its exec-path first on PATH; the exec-path's copy is what git
        // would run, and the shell, without that entry, finds another one.
        let root = tempfile::tempdir().expect("temp dir");
        let (bin, exec) = (root.path().join("bin"), root.path().join("git-core"));
        plugin(&bin, "git-rtk-status");
        plugin(&exec, "git-rtk-status");
        plugin(&exec, "git-rtk-log");
        let path = join(&[&exec, &bin]);
        let on_path = OnPath::new(Some(&path), Some(exec.as_os_str()));
        assert!(!on_path.runs("status"));
        assert!(
            !on_path.runs("log"),
            "only in the exec-path: the shell would not find it"
        );
    }
}
