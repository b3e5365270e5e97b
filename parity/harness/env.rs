//! The hermetic environment every git invocation runs in: setup scripts, the command under test,
//! state capture and fact collection alike.
//!
//! Nothing from the developer's environment leaks in except `PATH`: no system or global config, a
//! fresh `HOME` per twin, fixed identities, dates, locale and time zone, and a ceiling that keeps
//! repository discovery inside the case directory.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::case::Case;

/// Author date and committer date when a script has not called `tick` yet, and for the command
/// under test (so that anything it writes is reproducible). git's test-lib starts `test_tick` here.
pub const BASE_EPOCH: u64 = 1_112_911_993;
pub const DATE_ZONE: &str = "-0700";

/// `$HOME/.gitconfig`: the only configuration file git reads besides the repository's own.
const GLOBAL_CONFIG: &str = "\
[init]
\tdefaultBranch = main
[protocol \"file\"]
\tallow = always
[gc]
\tauto = 0
[maintenance]
\tauto = false
[pack]
\tthreads = 1
";

/// Which binaries are reachable: the git under test, and the plugins in front of it.
#[derive(Debug)]
pub struct Toolchain {
    /// The git binary every invocation runs, as an absolute path.
    pub git: PathBuf,
    /// `git --version` of that binary.
    pub git_version: String,
    /// Directory holding the built `git-rtk-*` binaries.
    pub plugin_dir: PathBuf,
    /// `PATH` for setup, git runs, state capture and facts.
    git_side_path: OsString,
    /// `PATH` for the plugin run: the plugin directory first.
    plugin_side_path: OsString,
}

/// Which twin an invocation belongs to; only `PATH` differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Git,
    Plugin,
}

impl Toolchain {
    /// `$GIT_RTK_PARITY_GIT` if set (its directory then goes right after the plugins on `PATH`),
    /// else `git` from `PATH`; the plugins from `$GIT_RTK_PARITY_PLUGINS` if set, else this build's.
    pub fn discover() -> Result<Self, String> {
        let plugin_dir = match std::env::var_os("GIT_RTK_PARITY_PLUGINS") {
            // The binaries users install (`scripts/cargo-release build --release`), linked as
            // they are linked, rather than this test build's.
            Some(dir) if !dir.is_empty() => std::path::absolute(&dir)
                .map_err(|err| format!("GIT_RTK_PARITY_PLUGINS={dir:?}: {err}"))?,
            _ => {
                let plugin_binary = Path::new(env!("CARGO_BIN_EXE_git-rtk-status"));
                plugin_binary
                    .parent()
                    .ok_or_else(|| format!("{} has no parent directory", plugin_binary.display()))?
                    .to_path_buf()
            }
        };
        let inherited_path = std::env::var_os("PATH").unwrap_or_default();
        let (git, git_side_path) = match std::env::var_os("GIT_RTK_PARITY_GIT") {
            Some(chosen) if !chosen.is_empty() => {
                let git = std::path::absolute(&chosen)
                    .map_err(|err| format!("GIT_RTK_PARITY_GIT={chosen:?}: {err}"))?;
                let git_dir = git
                    .parent()
                    .ok_or_else(|| format!("GIT_RTK_PARITY_GIT={chosen:?} has no directory"))?;
                (
                    git.clone(),
                    join_path([git_dir.as_os_str(), &inherited_path]),
                )
            }
            _ => {
                let git = find_in_path("git", &inherited_path)
                    .ok_or_else(|| "no `git` on PATH; set GIT_RTK_PARITY_GIT".to_owned())?;
                (git, inherited_path.clone())
            }
        };
        let plugin_side_path = join_path([plugin_dir.as_os_str(), &git_side_path]);
        let output = Command::new(&git)
            .arg("--version")
            .env_clear()
            .env("PATH", &git_side_path)
            .env("LC_ALL", "C")
            .output()
            .map_err(|err| format!("cannot run {}: {err}", git.display()))?;
        let git_version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok(Toolchain {
            git,
            git_version,
            plugin_dir,
            git_side_path,
            plugin_side_path,
        })
    }

    fn path_for(&self, side: Side) -> &OsStr {
        match side {
            Side::Git => &self.git_side_path,
            Side::Plugin => &self.plugin_side_path,
        }
    }
}

/// Where one case lives: `<case_dir>/repo` is the fixture (the fixed path P both twins are built
/// at) and `<case_dir>/home` is `HOME`. Discovery never climbs above `case_dir`.
#[derive(Debug, Clone)]
pub struct CaseEnv {
    pub case_dir: PathBuf,
    pub repo: PathBuf,
    pub home: PathBuf,
    /// The case's own `env` table, `${REPO}` expanded.
    case_vars: Vec<(String, String)>,
}

impl CaseEnv {
    pub fn new(root: &Path, case: &Case) -> Self {
        let case_dir = root.join(format!("{}.{}", case.spec.command, case.name));
        let repo = case_dir.join("repo");
        let home = case_dir.join("home");
        let repo_text = repo.to_string_lossy().into_owned();
        let case_vars = case
            .spec
            .env
            .iter()
            .map(|(key, value)| (key.clone(), value.replace("${REPO}", &repo_text)))
            .collect();
        CaseEnv {
            case_dir,
            repo,
            home,
            case_vars,
        }
    }

    /// Writes the global config into a fresh `HOME`.
    pub fn write_home(&self) -> Result<(), String> {
        std::fs::create_dir_all(&self.home)
            .map_err(|err| format!("cannot create {}: {err}", self.home.display()))?;
        let config = self.home.join(".gitconfig");
        std::fs::write(&config, GLOBAL_CONFIG)
            .map_err(|err| format!("cannot write {}: {err}", config.display()))
    }

    /// A command with the hermetic environment only (what setup scripts get).
    pub fn base_command(&self, toolchain: &Toolchain, program: &OsStr, side: Side) -> Command {
        let mut command = Command::new(program);
        // The shared hermetic environment (`git_rtk::hermetic`), with tracking off: the plugins'
        // own run tracking (a database under $XDG_DATA_HOME) is not a repository side effect; it
        // would otherwise appear in the plugin twin's HOME only.
        git_rtk::hermetic::Hermetic::new(&self.home)
            .path(toolchain.path_for(side))
            .date(format!("{BASE_EPOCH} {DATE_ZONE}"))
            .var("GIT_CEILING_DIRECTORIES", &self.case_dir)
            .apply(&mut command);
        command
    }

    /// A git command in the context the case's command runs in: its working directory, its `env`
    /// table and its global options, followed by `args`.
    pub fn git_in_context<S: AsRef<OsStr>>(
        &self,
        toolchain: &Toolchain,
        case: &Case,
        side: Side,
        args: impl IntoIterator<Item = S>,
    ) -> Command {
        let mut command = self.base_command(toolchain, toolchain.git.as_os_str(), side);
        command.current_dir(self.command_dir(case));
        for (key, value) in &self.case_vars {
            command.env(key, value);
        }
        command.args(&case.spec.git_args);
        command.args(args);
        command
    }

    /// The directory the case's command runs in.
    pub fn command_dir(&self, case: &Case) -> PathBuf {
        match &case.spec.cwd {
            Some(sub) => self.repo.join(sub),
            None => self.repo.clone(),
        }
    }
}

fn join_path<'a>(parts: impl IntoIterator<Item = &'a OsStr>) -> OsString {
    let mut joined = OsString::new();
    for part in parts {
        if part.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(":");
        }
        joined.push(part);
    }
    joined
}

fn find_in_path(program: &str, path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
