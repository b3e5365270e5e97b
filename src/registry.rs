//! Every command git-rtk ships, once: its name (the binary is `git-rtk-<name>`), what kind it is
//! and one line saying what it does. The rewriter's list of plugins, the benchmark's and the
//! tests' come from here; a test holds it to the `[[bin]]` entries of Cargo.toml.

/// What a command is to the rewriter and to git.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A plugin for a git command that only reads, served in-process.
    Read,
    /// A plugin for a git command that changes the repository: git does the work.
    Mutating,
    /// One of git-rtk's own tools (no git command of that name).
    Tool,
}

#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    /// `status` for `git rtk-status` / `git-rtk-status`.
    pub name: &'static str,
    pub kind: Kind,
    pub summary: &'static str,
}

impl CommandInfo {
    pub fn binary(&self) -> String {
        format!("git-rtk-{}", self.name)
    }
}

const fn read(name: &'static str, summary: &'static str) -> CommandInfo {
    CommandInfo {
        name,
        kind: Kind::Read,
        summary,
    }
}

const fn mutating(name: &'static str, summary: &'static str) -> CommandInfo {
    CommandInfo {
        name,
        kind: Kind::Mutating,
        summary,
    }
}

const fn tool(name: &'static str, summary: &'static str) -> CommandInfo {
    CommandInfo {
        name,
        kind: Kind::Tool,
        summary,
    }
}

/// Every command, plugins first.
pub const COMMANDS: &[CommandInfo] = &[
    read("status", "the working tree's state, compact"),
    read("log", "commit history, compact"),
    read(
        "diff",
        "changes between commits, the index and the working tree, compact",
    ),
    read("show", "a commit or object, compact"),
    read(
        "branch",
        "branches, compact; creating, deleting and renaming run git",
    ),
    mutating("add", "git add, and what it staged"),
    mutating("commit", "git commit, and the commit it made"),
    mutating("rm", "git rm, and what it removed"),
    mutating("mv", "git mv, and what it moved"),
    mutating("tag", "git tag, and the tag it made or removed"),
    mutating("switch", "git switch, and where HEAD is now"),
    mutating("checkout", "git checkout, and where HEAD is now"),
    mutating("restore", "git restore, and what it restored"),
    mutating("reset", "git reset, and where HEAD is now"),
    mutating("stash", "git stash, and what it stashed or applied"),
    mutating("merge", "git merge, and its result"),
    mutating("rebase", "git rebase, and its result"),
    mutating("cherry-pick", "git cherry-pick, and its result"),
    mutating("push", "git push, and what it updated"),
    mutating("fetch", "git fetch, and what it updated"),
    mutating("pull", "git pull, and what it updated"),
    mutating("worktree", "git worktree, and the worktrees now"),
    tool(
        "write",
        "edit files atomically and durably: set, replace, patch, create",
    ),
    tool(
        "rewrite",
        "rewrite a shell command's git invocations to their plugins",
    ),
    tool("hook", "an agent's pre-tool-use hook"),
    tool("init", "install the hook in an agent's settings"),
    tool("gain", "runs and tokens saved, from run tracking"),
    tool(
        "discover",
        "git commands agents ran without a plugin, from their transcripts",
    ),
];

/// Whether `subcommand` has a plugin (`git-rtk-<subcommand>` serves `git <subcommand>`).
pub fn is_plugin(subcommand: &str) -> bool {
    COMMANDS
        .iter()
        .any(|c| c.name == subcommand && c.kind != Kind::Tool)
}

/// The commands of one kind.
pub fn of_kind(kind: Kind) -> impl Iterator<Item = &'static CommandInfo> {
    COMMANDS.iter().filter(move |c| c.kind == kind)
}
