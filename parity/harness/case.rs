//! Case files: one scenario per `parity/cases/<command>/<name>.toml`.
//!
//! A case is data only: how to build the fixture and what to run in it. It never says what the
//! output should be; expected values come from git at test time.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The git command a case exercises, and the plugin that replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitCommand {
    Status,
    Log,
    Diff,
    Show,
    Branch,
    Grep,
    Blame,
    Add,
    Commit,
    Rm,
    Mv,
    Tag,
    Switch,
    Checkout,
    Restore,
    Reset,
    Stash,
    Merge,
    Rebase,
    CherryPick,
    Push,
    Fetch,
    Pull,
    Worktree,
}

impl GitCommand {
    pub const ALL: [GitCommand; 24] = [
        GitCommand::Status,
        GitCommand::Log,
        GitCommand::Diff,
        GitCommand::Show,
        GitCommand::Branch,
        GitCommand::Grep,
        GitCommand::Blame,
        GitCommand::Add,
        GitCommand::Commit,
        GitCommand::Rm,
        GitCommand::Mv,
        GitCommand::Tag,
        GitCommand::Switch,
        GitCommand::Checkout,
        GitCommand::Restore,
        GitCommand::Reset,
        GitCommand::Stash,
        GitCommand::Merge,
        GitCommand::Rebase,
        GitCommand::CherryPick,
        GitCommand::Push,
        GitCommand::Fetch,
        GitCommand::Pull,
        GitCommand::Worktree,
    ];

    /// The subcommand name git knows (`status`, `cherry-pick`).
    pub fn name(self) -> &'static str {
        match self {
            GitCommand::Status => "status",
            GitCommand::Log => "log",
            GitCommand::Diff => "diff",
            GitCommand::Show => "show",
            GitCommand::Branch => "branch",
            GitCommand::Grep => "grep",
            GitCommand::Blame => "blame",
            GitCommand::Add => "add",
            GitCommand::Commit => "commit",
            GitCommand::Rm => "rm",
            GitCommand::Mv => "mv",
            GitCommand::Tag => "tag",
            GitCommand::Switch => "switch",
            GitCommand::Checkout => "checkout",
            GitCommand::Restore => "restore",
            GitCommand::Reset => "reset",
            GitCommand::Stash => "stash",
            GitCommand::Merge => "merge",
            GitCommand::Rebase => "rebase",
            GitCommand::CherryPick => "cherry-pick",
            GitCommand::Push => "push",
            GitCommand::Fetch => "fetch",
            GitCommand::Pull => "pull",
            GitCommand::Worktree => "worktree",
        }
    }

    /// Commands whose plugin runs git and reports what changed (`src/mutate/`); their facts are
    /// checked on failure too (conflicted paths, say).
    pub fn is_mutating(self) -> bool {
        !matches!(
            self,
            GitCommand::Status
                | GitCommand::Log
                | GitCommand::Diff
                | GitCommand::Show
                | GitCommand::Branch
                | GitCommand::Grep
                | GitCommand::Blame
        )
    }

    /// The external subcommand git dispatches to the plugin (`rtk-status`).
    pub fn plugin_subcommand(self) -> String {
        format!("rtk-{}", self.name())
    }
}

impl fmt::Display for GitCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The contents of one case file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSpec {
    /// What the scenario is and why it matters.
    pub description: String,
    /// Bash script run in the (empty) fixture directory, after the prelude of helpers.
    pub setup: String,
    pub command: GitCommand,
    /// How the plugin serves the case: `native` (in-process, or git's work reported by the
    /// plugin) or `git` (handed to git unchanged). Checked against the run's tracking row, so a
    /// native path that stops being used fails its cases.
    pub served: super::native_size::Served,
    /// Arguments after the subcommand name.
    #[serde(default)]
    pub args: Vec<String>,
    /// Subdirectory of the fixture to run the command in.
    #[serde(default)]
    pub cwd: Option<String>,
    /// Extra environment for the command (and for everything that inspects the repository after
    /// it). `${REPO}` in a value stands for the fixture directory.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Global git options placed before the subcommand: `git <git_args> status`.
    #[serde(default)]
    pub git_args: Vec<String>,
    /// Fed to the command's stdin (`commit -F -`); without it stdin is empty.
    #[serde(default)]
    pub stdin: Option<String>,
}

/// A loaded case.
#[derive(Debug, Clone)]
pub struct Case {
    /// File stem, unique within its command.
    pub name: String,
    pub file: PathBuf,
    pub spec: CaseSpec,
}

impl Case {
    /// The trial name: `<command>::<case>`.
    pub fn id(&self) -> String {
        format!("{}::{}", self.spec.command, self.name)
    }
}

/// A case file that could not be loaded; it becomes a failing trial rather than vanishing.
#[derive(Debug, Clone)]
pub struct BrokenCase {
    pub id: String,
    pub error: String,
}

/// Loads every `<dir>/<command>/<name>.toml`, sorted by command then name.
pub fn load_all(dir: &Path) -> Vec<Result<Case, BrokenCase>> {
    let mut loaded = Vec::new();
    for command in GitCommand::ALL {
        let command_dir = dir.join(command.name());
        let entries = match std::fs::read_dir(&command_dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => {
                loaded.push(Err(BrokenCase {
                    id: format!("{command}::<cases>"),
                    error: format!("cannot list {}: {err}", command_dir.display()),
                }));
                continue;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        files.sort();
        for file in files {
            loaded.push(load_one(command, &file));
        }
    }
    loaded
}

fn load_one(command: GitCommand, file: &Path) -> Result<Case, BrokenCase> {
    let name = file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let broken = |error: String| BrokenCase {
        id: format!("{command}::{name}"),
        error: format!("{}: {error}", file.display()),
    };
    let text =
        std::fs::read_to_string(file).map_err(|err| broken(format!("cannot read: {err}")))?;
    let spec: CaseSpec =
        toml::from_str(&text).map_err(|err| broken(format!("invalid case: {err}")))?;
    if spec.command != command {
        return Err(broken(format!(
            "`command = \"{}\"` but the file lives under cases/{command}/",
            spec.command
        )));
    }
    if spec.description.trim().is_empty() {
        return Err(broken("`description` is empty".into()));
    }
    Ok(Case {
        name,
        file: file.to_path_buf(),
        spec,
    })
}
