//! Each command's options, declared once in a typed table ([`Flag`]). The table drives argument
//! parsing ([`parse`]), the `-h` text ([`usage`]), the man page and completions (`crate::docs`),
//! the rewriter's read-only/mutating classification and the decision to hand an argv to git.
//!
//! A plugin's table lists the options git accepts that matter to the plugin: those it serves
//! natively, those it must hand to git, and those that take a value (so the value is not taken for
//! an operand). An option missing from a read plugin's table is handed to git with the argv
//! unchanged, so a gap costs speed, never correctness.

pub mod parse;

pub use parse::{parse, Given, Parsed, Stop};

/// Whether and how an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    None,
    /// `--name=v`, `--name v`, `-xv`, `-x v`.
    Required(&'static str),
    /// Attached only: `--name=v`, `-xv`; `--name` alone has no value.
    Optional(&'static str),
    /// parse-options' `PARSE_OPT_LASTARG_DEFAULT`: the next word whatever it looks like, or
    /// nothing when the option is the last word (`git branch --merged [<commit>]`).
    LastArgDefault(&'static str),
}

/// Who serves an invocation that uses the option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serve {
    /// The plugin serves it (read plugins: in-process; mutating plugins: git runs and the plugin
    /// reports).
    Native,
    /// The argv goes to git unchanged, terminal and all.
    Git,
}

/// What the option does to the repository, for the rewriter's classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Reads,
    Changes,
}

/// One option of a command.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// The long name without dashes (`untracked-files`), if any.
    pub long: Option<&'static str>,
    pub short: Option<char>,
    pub value: Value,
    /// One line for `-h`, the man page and completions; empty hides the option from them.
    pub help: &'static str,
    pub serve: Serve,
    pub effect: Effect,
}

impl Flag {
    /// The name the command's code knows the option by: the long name, else the letter.
    pub fn name(&self) -> String {
        match (self.long, self.short) {
            (Some(long), _) => long.to_owned(),
            (None, Some(short)) => short.to_string(),
            (None, None) => String::new(),
        }
    }

    pub fn is(&self, long: &str) -> bool {
        self.long == Some(long)
    }
}

/// How the command's git counterpart reads its argv.
#[derive(Debug, Clone, Copy)]
pub struct Syntax {
    /// parse-options' bundles: `-sb` is `-s -b`, `-suno` is `-s -uno`.
    pub bundles: bool,
    /// How a mutating plugin reads its argv, only to decide who serves it (git gets the argv as
    /// typed either way): a long prefix stands for every option of the table it could abbreviate,
    /// and an unknown letter in a bundle is skipped. A read plugin never guesses (git knows
    /// options it does not), so for them this stays false and `--unt` goes to git.
    pub lenient: bool,
    /// `-h` asks for usage only as the sole argument (git's revision-walking commands); otherwise
    /// anywhere before `--`.
    pub help_alone: bool,
    /// `-<n>` means this option with value `<n>` (`git log -5`).
    pub numeric: Option<&'static str>,
}

/// git's parse-options commands (`status`, `branch`, the mutating commands).
pub const PARSE_OPTIONS: Syntax = Syntax {
    bundles: true,
    lenient: false,
    help_alone: false,
    numeric: None,
};

/// A mutating command's argv, read by the plugin only to decide who serves it.
pub const LENIENT: Syntax = Syntax {
    lenient: true,
    ..PARSE_OPTIONS
};

/// git's revision and diff options (`log`, `show`, `diff`): no bundles, `-h` only alone.
pub const REVISIONS: Syntax = Syntax {
    bundles: false,
    lenient: false,
    help_alone: true,
    numeric: None,
};

/// A flag the plugin serves, without a value.
pub const fn flag(short: Option<char>, long: &'static str, help: &'static str) -> Flag {
    Flag {
        long: Some(long),
        short,
        value: Value::None,
        help,
        serve: Serve::Native,
        effect: Effect::Reads,
    }
}

/// An option the plugin serves, with a value of `kind`.
pub const fn valued(
    short: Option<char>,
    long: &'static str,
    kind: Value,
    help: &'static str,
) -> Flag {
    Flag {
        long: Some(long),
        short,
        value: kind,
        help,
        serve: Serve::Native,
        effect: Effect::Reads,
    }
}

/// A short option without a long name (`-U<n>` is `unified` elsewhere; `-n` has one).
pub const fn short_only(short: char, kind: Value, help: &'static str) -> Flag {
    Flag {
        long: None,
        short: Some(short),
        value: kind,
        help,
        serve: Serve::Native,
        effect: Effect::Reads,
    }
}

impl Flag {
    /// The same option, handed to git.
    pub const fn to_git(self) -> Flag {
        Flag {
            serve: Serve::Git,
            ..self
        }
    }

    /// The same option, marked as changing the repository.
    pub const fn changes(self) -> Flag {
        Flag {
            effect: Effect::Changes,
            ..self
        }
    }
}
