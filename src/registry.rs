//! Every command git-rtk ships, once. Each command's module under `crate::commands` declares a
//! [`Command`]: its name (the binary is `git-rtk-<name>`), kind, options table and entry point.
//! The binaries, `-h`, the man pages and completions, the rewriter's classification and the
//! benchmark all read this list; a test holds it to the `[[bin]]` entries of Cargo.toml.

use std::ffi::OsString;

use crate::commands;
use crate::options::{self, Flag, Parsed, Syntax};
use crate::plugin::NativeCommand;

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

/// How a mutating command's argv is served: by git with its terminal, or by git with the
/// plugin's report.
#[derive(Debug, Clone, Copy)]
pub struct GitRun {
    /// Whether this invocation goes to git unchanged, stdio and all (an editor, `-p`, output
    /// that is the product), beyond what the table marks as git's.
    pub hand_over: fn(&Parsed) -> bool,
    /// Whether this invocation only reads (`stash list`, `tag -l`): the rewriter's class, and
    /// always handed over.
    pub reads_only: fn(&Parsed) -> bool,
    /// Network commands: git's progress and messages stay on a terminal when stderr is one.
    pub network: bool,
}

/// Where a command's binary starts.
#[derive(Clone, Copy)]
pub enum Entry {
    /// In-process; an argv the table hands to git, or the command declines, runs git.
    Native(NativeCommand),
    /// git runs with the same argv; the plugin reports what changed.
    Git(GitRun),
    /// Native when `lists` says the argv only lists (`git branch`), otherwise [`Entry::Git`].
    Split {
        native: NativeCommand,
        git: GitRun,
        lists: fn(&Parsed) -> bool,
    },
    /// One of our own tools: its `main` over the argv after the name, and its clap definition
    /// (for the man page and completions).
    Tool {
        main: fn(Vec<OsString>) -> i32,
        cli: fn() -> clap::Command,
    },
}

/// One command.
#[derive(Clone, Copy)]
pub struct Command {
    /// `status` for `git rtk-status` / `git-rtk-status`.
    pub name: &'static str,
    pub kind: Kind,
    pub summary: &'static str,
    /// Usage lines after `git rtk-<name> `: the first follows `usage:`, the others `or:`.
    pub synopsis: &'static [&'static str],
    /// What the output is, for `-h` and the man page's description.
    pub about: &'static str,
    pub syntax: Syntax,
    /// The options, in sections (shared sections such as diff output options are reused).
    pub table: &'static [&'static [Flag]],
    pub entry: Entry,
}

impl Command {
    pub fn binary(&self) -> String {
        format!("git-rtk-{}", self.name)
    }

    /// Every option of the table, in order.
    pub fn flags(&self) -> impl Iterator<Item = &'static Flag> {
        self.table.iter().flat_map(|section| section.iter())
    }

    /// The `-h` text: git's layout from the table, or clap's for a tool.
    pub fn usage(&self) -> String {
        match self.entry {
            Entry::Tool { cli, .. } => cli().render_help().to_string(),
            _ => options::usage::render(self),
        }
    }

    /// Long options for completion: `--message=` for one that needs a value, `--untracked-files`
    /// for one whose value is optional.
    pub fn long_options(&self) -> Vec<String> {
        if let Entry::Tool { cli, .. } = self.entry {
            return cli()
                .get_arguments()
                .filter_map(|arg| {
                    let long = arg.get_long()?;
                    let valued = arg.get_action().takes_values();
                    Some(format!("--{long}{}", if valued { "=" } else { "" }))
                })
                .collect();
        }
        self.flags()
            .filter(|f| !f.help.is_empty())
            .filter_map(|f| {
                let long = f.long?;
                let valued = matches!(f.value, options::Value::Required(_));
                Some(format!("--{long}{}", if valued { "=" } else { "" }))
            })
            .collect()
    }

    /// Subcommand words (`git rtk-write set`), for completion.
    pub fn subcommands(&self) -> Vec<String> {
        match self.entry {
            Entry::Tool { cli, .. } => cli()
                .get_subcommands()
                .map(|sub| sub.get_name().to_owned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Reads `words` against the table.
    pub fn parse(&'static self, words: &[String]) -> Result<Parsed<'static>, options::Stop> {
        options::parse::parse_words(self.table, self.syntax, words)
    }

    /// Whether `git <name> <args>` changes the repository (the rewriter's classification).
    pub fn changes_repository(&'static self, args: &[String]) -> bool {
        let Ok(parsed) = self.parse(args) else {
            // `-h` only prints usage.
            return false;
        };
        match self.entry {
            Entry::Native(_) => parsed.changes_repository(),
            Entry::Split { lists, .. } => !lists(&parsed),
            Entry::Git(git) => !(git.reads_only)(&parsed),
            // Our tools are not git's commands.
            Entry::Tool { .. } => true,
        }
    }
}

/// Every command, plugins first.
pub const COMMANDS: &[&Command] = &[
    &commands::status::COMMAND,
    &commands::log::COMMAND,
    &commands::diff::COMMAND,
    &commands::show::COMMAND,
    &commands::branch::COMMAND,
    &commands::add::COMMAND,
    &commands::commit::COMMAND,
    &commands::rm::COMMAND,
    &commands::mv::COMMAND,
    &commands::tag::COMMAND,
    &commands::switch::COMMAND,
    &commands::checkout::COMMAND,
    &commands::restore::COMMAND,
    &commands::reset::COMMAND,
    &commands::stash::COMMAND,
    &commands::merge::COMMAND,
    &commands::rebase::COMMAND,
    &commands::cherry_pick::COMMAND,
    &commands::push::COMMAND,
    &commands::fetch::COMMAND,
    &commands::pull::COMMAND,
    &commands::worktree::COMMAND,
    &commands::write::COMMAND,
    &commands::rewrite::COMMAND,
    &commands::hook::COMMAND,
    &commands::init::COMMAND,
    &commands::gain::COMMAND,
    &commands::discover::COMMAND,
];

/// The command named `name`.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().copied().find(|c| c.name == name)
}

/// The plugin serving `git <subcommand>`, if there is one.
pub fn plugin(subcommand: &str) -> Option<&'static Command> {
    find(subcommand).filter(|c| c.kind != Kind::Tool)
}

/// Whether `subcommand` has a plugin (`git-rtk-<subcommand>` serves `git <subcommand>`).
pub fn is_plugin(subcommand: &str) -> bool {
    plugin(subcommand).is_some()
}

/// The commands of one kind.
pub fn of_kind(kind: Kind) -> impl Iterator<Item = &'static Command> {
    COMMANDS.iter().copied().filter(move |c| c.kind == kind)
}

/// The `main` of every binary: runs `command` over the process's argv and returns the exit code.
pub fn main(command: &'static Command) -> i32 {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match command.entry {
        Entry::Tool { main, .. } => main(args),
        Entry::Native(_) | Entry::Split { .. } => crate::plugin::run(command, &args),
        Entry::Git(git) => crate::mutate::run(command, git, &args),
    }
}
