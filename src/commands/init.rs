//! `git rtk-init --agent <name> [--global] [--uninstall] [--dry-run]`: installs (or removes) the
//! git-rtk hook in an agent's settings file, the project's by default (at the top of the work
//! tree), the user's with `--global`. See `crate::hook::install`.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::command;
use crate::failure::Exit;
use crate::hook::install::{self, Done};

pub const COMMAND: command::Command = command::tool(
    "init",
    "install the hook in an agent's settings, or the man pages and completions",
    main,
    <Cli as clap::CommandFactory>::command,
);

/// Installs the git-rtk hook that rewrites `git status` into `git rtk-status` (and so on) in the
/// agent's settings, the project's or with --global the user's.
#[derive(Debug, clap::Parser)]
#[command(
    override_usage = "git rtk-init --agent <claude|codex|gemini|copilot> [--global] [--uninstall] [--dry-run]\n   or: git rtk-init --docs [--prefix <dir>] [--uninstall]",
    after_help = AFTER_HELP
)]
struct Cli {
    /// claude, codex, gemini or copilot.
    #[arg(long, value_name = "name", value_parser = clap::builder::PossibleValuesParser::new(crate::hook::AGENTS), required_unless_present = "docs")]
    agent: Option<String>,
    /// Install (or with --uninstall remove) man pages and completions.
    #[arg(long, conflicts_with_all = ["agent", "global", "dry_run"])]
    docs: bool,
    /// Where --docs installs: <dir>/share/man, <dir>/share/bash-completion, ...
    #[arg(long, value_name = "dir", requires = "docs")]
    prefix: Option<PathBuf>,
    /// The user's settings instead of the project's.
    #[arg(long)]
    global: bool,
    /// Remove the hook (or with --docs the documentation).
    #[arg(long)]
    uninstall: bool,
    /// Say what would change, change nothing.
    #[arg(short = 'n', long)]
    dry_run: bool,
}

const AFTER_HELP: &str = "\
Settings files, the project's and the user's:
    claude    .claude/settings.json           ~/.claude/settings.json
    codex     .codex/hooks.json               $CODEX_HOME/hooks.json (~/.codex)
    gemini    .gemini/settings.json           ~/.gemini/settings.json
    copilot   .github/hooks/git-rtk.json      $COPILOT_HOME/hooks/git-rtk.json (~/.copilot)
The file's layout and comments are kept, the first change leaves a backup beside it
(<file>.rtk-backup), running it twice changes nothing, and --uninstall restores the file (or
removes the one it created). See docs/agents.md for what each agent then asks of you.

With --docs, installs man pages (`git rtk-status --help` shows one) and bash, zsh and fish
completions for every git-rtk command where man and the shells look for binaries in
<prefix>/bin: <prefix>/share/man/man1, <prefix>/share/zsh/site-functions,
<prefix>/share/fish/vendor_completions.d, and bash-completion's directory (the user's,
~/.local/share/bash-completion/completions, unless <prefix>/share is a system data directory).
The prefix is the one this git-rtk-init runs from (~/.cargo after `cargo install`) unless
--prefix names another.";

pub fn main(args: Vec<OsString>, commands: &[&'static command::Command]) -> i32 {
    let cli: Cli = match crate::command::parse_tool("init", args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let Cli {
        agent,
        docs,
        prefix,
        global,
        uninstall,
        dry_run,
    } = cli;
    if docs {
        return install_docs(prefix, uninstall, commands);
    }
    let Some(agent) = agent.as_deref().and_then(install::agent) else {
        eprintln!("error: --agent names no known agent");
        return Exit::Usage.code();
    };
    let path = if global {
        match agent.global_path() {
            Some(path) => path,
            None => {
                eprintln!("fatal: $HOME is not set");
                return Exit::Fatal.code();
            }
        }
    } else {
        project_dir().join(agent.settings)
    };
    let shown = path.display();
    let would = if dry_run { "would be " } else { "" };
    match install::apply(&agent, &path, !uninstall, dry_run) {
        Ok(Done::Installed { backup }) => {
            let backup = backup
                .map(|b| format!(" (backup: {})", b.display()))
                .unwrap_or_default();
            crate::help::print(&format!(
                "{} hook {would}installed in {shown}{backup}\n",
                agent.name
            ))
        }
        Ok(Done::AlreadyInstalled) => crate::help::print(&format!(
            "{} hook already installed in {shown}\n",
            agent.name
        )),
        Ok(Done::Removed { entries, backup }) => {
            let backup = backup
                .map(|b| format!(" (backup: {})", b.display()))
                .unwrap_or_default();
            crate::help::print(&format!(
                "{} hook {would}removed from {shown} ({entries} entr{}){backup}\n",
                agent.name,
                if entries == 1 { "y" } else { "ies" }
            ))
        }
        Ok(Done::NotInstalled) => {
            crate::help::print(&format!("{} hook not installed in {shown}\n", agent.name))
        }
        Err(err) => {
            eprintln!("fatal: {err}");
            Exit::Fatal.code()
        }
    }
}

/// `--docs`: man pages and completions under the prefix.
fn install_docs(
    prefix: Option<PathBuf>,
    uninstall: bool,
    commands: &[&'static command::Command],
) -> i32 {
    let Some(prefix) = prefix.or_else(crate::docs::own_prefix) else {
        eprintln!("fatal: cannot tell where git-rtk-init is installed; name it with --prefix");
        return Exit::Fatal.code();
    };
    match crate::docs::install(&prefix, uninstall, commands) {
        Ok(done) => {
            let mut text = format!(
                "{} {} files:\n",
                if uninstall { "removed" } else { "installed" },
                done.files.len()
            );
            let mut dirs: Vec<&std::path::Path> =
                done.files.iter().filter_map(|f| f.parent()).collect();
            dirs.sort();
            dirs.dedup();
            for dir in dirs {
                text.push_str(&format!("  {}\n", dir.display()));
            }
            crate::help::print(&text)
        }
        Err(err) => {
            eprintln!("fatal: {err}");
            Exit::Fatal.code()
        }
    }
}

/// The top of the work tree of the repository here, else the current directory.
fn project_dir() -> PathBuf {
    let dir = crate::repo::open()
        .ok()
        .and_then(|repo| repo.workdir().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::canonicalize(&dir).unwrap_or(dir)
}
