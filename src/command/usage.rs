//! A command's `-h` text in git's parse-options layout: the synopsis, a paragraph, then one line
//! per option with its help from column 26 (`usage_with_options` in git's parse-options.c).

use crate::command::{Command, Kind};
use crate::options::{Flag, Value};

/// Where git starts an option's help text.
const HELP_COLUMN: usize = 26;

/// The `-h` text of `command`.
pub fn render(command: &Command) -> String {
    let mut out = String::new();
    for (index, line) in command.synopsis.iter().enumerate() {
        let lead = if index == 0 { "usage:" } else { "   or:" };
        out.push_str(&format!("{lead} git rtk-{} {line}\n", command.name));
    }
    if !command.about.is_empty() {
        out.push('\n');
        out.push_str(command.about.trim_end());
        out.push('\n');
    }
    let shown: Vec<&Flag> = command.flags().filter(|f| !f.help.is_empty()).collect();
    if !shown.is_empty() {
        out.push('\n');
    }
    for flag in shown {
        let spelled = format!("    {}", spelling(flag));
        out.push_str(&spelled);
        if spelled.len() + 2 > HELP_COLUMN {
            out.push('\n');
            out.push_str(&" ".repeat(HELP_COLUMN));
        } else {
            out.push_str(&" ".repeat(HELP_COLUMN - spelled.len()));
        }
        out.push_str(flag.help);
        out.push('\n');
    }
    if command.kind == Kind::Read {
        out.push_str(&format!(
            "\nAny other option runs `git {}` unchanged.\n",
            command.name
        ));
    }
    out
}

/// `-u, --untracked-files[=<mode>]`, as git spells an option in its usage.
pub fn spelling(flag: &Flag) -> String {
    let (attached, separate) = match flag.value {
        Value::None => (String::new(), String::new()),
        Value::Required(name) => (format!(" <{name}>"), format!(" <{name}>")),
        Value::Optional(name) => (format!("[<{name}>]"), format!("[=<{name}>]")),
        Value::LastArgDefault(name) => (format!(" [<{name}>]"), format!(" [<{name}>]")),
    };
    match (flag.short, flag.long) {
        (Some(short), Some(long)) => format!("-{short}, --{long}{separate}"),
        (Some(short), None) => format!("-{short}{attached}"),
        (None, Some(long)) => format!("--{long}{separate}"),
        (None, None) => String::new(),
    }
}
