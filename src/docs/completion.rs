//! Shell completions. bash: git's completion (`git-completion.bash`) completes `git rtk-status`
//! through a function `_git_rtk_status`, asking bash-completion to load `git-rtk-status` first;
//! each file defines that function. A plugin that hands its options to git completes as git's own
//! command does. zsh: `_git` calls
//! `_git-<command>` for commands outside its list. fish: one file for all.

use super::Page;
use crate::command::Kind;

fn function_name(page: &Page) -> String {
    format!("_git_rtk_{}", page.command.name.replace('-', "_"))
}

/// The bash completion file of one command.
pub fn bash(page: &Page) -> String {
    let function = function_name(page);
    let body = match page.command.kind {
        // git's completion for the same command, where it has one.
        Kind::Mutating => format!(
            "\tif declare -F _git_{git} >/dev/null; then _git_{git}; fi\n",
            git = page.command.name.replace('-', "_")
        ),
        _ => {
            let subcommands = page.command.subcommands();
            let words = if subcommands.is_empty() {
                String::new()
            } else {
                format!("\t*) __gitcomp \"{}\" ;;\n", subcommands.join(" "))
            };
            format!(
                "\tcase \"$cur\" in\n\t--*) __gitcomp \"{}\" ;;\n{words}\tesac\n",
                page.command.long_options().join(" ")
            )
        }
    };
    format!(
        "# bash completion for git {name} (git-rtk {version}); loaded by bash-completion when git's\n\
         # completion asks for git-{name}, or by `source`.\n\
         {function} ()\n{{\n{body}}}\n",
        name = format!("rtk-{}", page.command.name),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// The zsh completion function of one command.
pub fn zsh(page: &Page) -> String {
    let options: Vec<String> = page
        .command
        .described_options()
        .iter()
        .map(|(option, help)| format!("    '{option}[{}]'", zsh_description(help)))
        .collect();
    format!(
        "#compdef git-rtk-{name}\n# zsh completion for git rtk-{name} (git-rtk {version})\n_arguments \\\n{}\n",
        if options.is_empty() {
            "    '*:: :_files'".to_owned()
        } else {
            format!("{} \\\n    '*:: :_files'", options.join(" \\\n"))
        },
        name = page.command.name,
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// `help` inside an `_arguments` description: brackets and colons escaped, single quotes closed
/// and reopened around an escaped one.
fn zsh_description(help: &str) -> String {
    let mut out = String::new();
    for c in help.chars() {
        match c {
            '[' | ']' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\'' => out.push_str("'\\''"),
            _ => out.push(c),
        }
    }
    out
}

/// The fish completions of every command.
pub fn fish(pages: &[Page]) -> String {
    let mut out = format!(
        "# fish completions for git-rtk {}\n",
        env!("CARGO_PKG_VERSION")
    );
    for page in pages {
        let sub = format!("rtk-{}", page.command.name);
        out.push_str(&format!(
            "complete -c git -n '__fish_git_needs_command' -a {sub} -d '{}'\n",
            page.command.summary.replace('\'', "\\'")
        ));
        for (option, help) in page.command.described_options() {
            let name = option.trim_start_matches("--").trim_end_matches('=');
            out.push_str(&format!(
                "complete -c git -n '__fish_git_using_command {sub}' -l {name}{} -d '{}'\n",
                if option.ends_with('=') { " -r" } else { "" },
                help.replace('\\', "\\\\").replace('\'', "\\'")
            ));
        }
    }
    out
}
