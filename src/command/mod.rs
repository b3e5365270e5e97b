//! What a command is: the declaration each module under `crate::commands` makes — its name,
//! kind, synopsis, options table and entry point — and what is derived from it: the `-h` text
//! ([`usage`]), the completions' option list and the rewriter's classification.

pub mod mutating;
pub mod usage;

use std::ffi::OsString;

use crate::failure::Exit;
use crate::options::{self, Flag, Parsed, Syntax};
use crate::passthrough::Reason;

/// What a native command decided.
pub enum Outcome {
    /// Print this to stdout and exit with this code. `git_size` is the estimated size of what git
    /// itself prints for the same invocation (see [`crate::git_size`]), when known.
    Printed {
        stdout: Vec<u8>,
        exit_code: i32,
        git_size: Option<u64>,
    },
    /// The native path does not serve this invocation faithfully: run real git instead.
    PassThrough(Reason),
}

impl Outcome {
    pub fn success(stdout: Vec<u8>) -> Self {
        Outcome::Printed {
            stdout,
            exit_code: Exit::Success.code(),
            git_size: None,
        }
    }

    /// Attaches the estimated size of git's own output (`None` leaves it unknown).
    pub fn with_git_size(mut self, size: Option<u64>) -> Self {
        if let Outcome::Printed { git_size, .. } = &mut self {
            *git_size = size;
        }
        self
    }

    pub fn pass_through(reason: impl Into<String>) -> Self {
        Outcome::PassThrough(Reason(reason.into()))
    }
}

/// Signature of a native command: the argv read against the command's table, with nothing in it
/// the table hands to git.
pub type NativeCommand = fn(&Parsed) -> anyhow::Result<Outcome>;

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
    /// One of our own tools: its `main` over the argv after the name (and every command git-rtk
    /// ships, for the tool that documents them), and its clap definition (for the man page and
    /// completions).
    Tool {
        main: fn(Vec<OsString>, &[&'static Command]) -> i32,
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

/// The declaration of one of our own tools: clap reads its argv and renders its `-h`.
pub const fn tool(
    name: &'static str,
    summary: &'static str,
    main: fn(Vec<OsString>, &[&'static Command]) -> i32,
    cli: fn() -> clap::Command,
) -> Command {
    Command {
        name,
        kind: Kind::Tool,
        summary,
        synopsis: &[],
        about: "",
        syntax: options::PARSE_OPTIONS,
        table: &[],
        entry: Entry::Tool { main, cli },
    }
}

/// git's layout for a tool's `-h` with clap: the usage line first, lowercase.
pub const GIT_HELP: &str = "usage: {usage}\n\n{about-with-newline}\n{all-args}{after-help}";

/// Parses the argv (after the program name) of the tool `git rtk-<name>` with clap, or returns
/// the exit code of its answer (`-h`, a usage error).
pub fn parse_tool<T: clap::Parser>(name: &str, args: Vec<std::ffi::OsString>) -> Result<T, i32> {
    let cli = tool_cli(name, <T as clap::CommandFactory>::command());
    let argv = std::iter::once(std::ffi::OsString::from(name)).chain(args);
    cli.try_get_matches_from(argv)
        .and_then(|matches| T::from_arg_matches(&matches))
        .map_err(|err| crate::help::clap_error(&err))
}

/// A tool's clap definition as `git rtk-<name>` presents it: git's `-h` layout, no `--version`.
pub fn tool_cli(name: &str, cli: clap::Command) -> clap::Command {
    let shown = format!("git rtk-{name}");
    cli.name(shown.clone())
        .bin_name(shown)
        .help_template(GIT_HELP)
        .disable_version_flag(true)
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
            Entry::Tool { cli, .. } => tool_cli(self.name, cli()).render_help().to_string(),
            _ => usage::render(self),
        }
    }

    /// Long options for completion: `--message=` for one that needs a value, `--untracked-files`
    /// for one whose value is optional.
    pub fn long_options(&self) -> Vec<String> {
        self.described_options()
            .into_iter()
            .map(|(o, _)| o)
            .collect()
    }

    /// [`Command::long_options`] with each one's help line.
    pub fn described_options(&self) -> Vec<(String, String)> {
        let spell = |long: &str, valued: bool| format!("--{long}{}", if valued { "=" } else { "" });
        if let Entry::Tool { cli, .. } = self.entry {
            return cli()
                .get_arguments()
                .filter_map(|arg| {
                    let long = arg.get_long()?;
                    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                    Some((spell(long, arg.get_action().takes_values()), help))
                })
                .collect();
        }
        self.flags()
            .filter(|f| !f.help.is_empty())
            .filter_map(|f| {
                let valued = matches!(f.value, options::Value::Required(_));
                Some((spell(f.long?, valued), f.help.to_owned()))
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
