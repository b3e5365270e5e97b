//! Rewriting agents' shell commands: `git status` → `git rtk-status`, segment by segment, without
//! changing which repository a command acts on or what it means.
//!
//! An invocation is rewritten in one of two forms ([`Form`]). The dispatched form inserts `rtk-`
//! before the subcommand word (`git -C sub rtk-log`), so global options, quoting, heredocs and
//! every other byte stay as typed. The direct form (`git-rtk-status -s`) replaces the blanks
//! between `git` and its subcommand with `-rtk-`, so the shell starts the plugin without git's
//! dispatch; it is used only where [`direct`] says git would run the same file with the same
//! arguments, and only when the caller asks for it ([`rewrite_with`], [`rewrite_forms`]):
//! [`rewrite`] always gives the dispatched form. Either way a rewritten command is left alone when
//! rewritten again (`rtk-status` has no plugin of its own, and `git-rtk-status` is no `git`).
//! A git invocation is skipped when a program reads its output (pipe, redirection, command
//! substitution), when it asks for machine-readable output, when its words are not literal, and —
//! for commands that change the repository — unless the user opted in and the parity certificate
//! covers it ([`policy`]).

pub mod audit;
pub mod classify;
pub mod direct;
pub mod policy;
pub mod shell;

use crate::registry::plugins as registry;
use classify::Class;
pub use direct::Direct;
use policy::Policy;

/// What happened to one git invocation in the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Rewrite,
    /// Left as typed, and why (`pipe`, `mutating-not-enabled`, …).
    Skip(&'static str),
}

impl Action {
    /// `rewrite` or `skip:<reason>`, as the audit log records it.
    pub fn label(&self) -> String {
        match self {
            Action::Rewrite => "rewrite".to_owned(),
            Action::Skip(reason) => format!("skip:{reason}"),
        }
    }
}

/// How a rewritten invocation starts its plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `git rtk-status`: git finds the plugin and runs it, after its global options.
    Dispatched,
    /// `git-rtk-status`: the shell starts the plugin itself, one git start-up fewer.
    Direct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `None` when the invocation could not be read far enough to classify.
    pub class: Option<Class>,
    pub subcommand: Option<String>,
    pub action: Action,
    /// The invocation's text as typed.
    pub segment: String,
    /// The form it was rewritten to: `Some` exactly when `action` is [`Action::Rewrite`].
    pub form: Option<Form>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The whole command after rewriting; `None` when nothing changed.
    pub command: Option<String>,
    /// One decision per git invocation found (none for commands without git).
    pub decisions: Vec<Decision>,
}

impl Rewritten {
    /// The same decisions with every rewrite turned into a skip for `reason`: what the command
    /// became when a hook left it as typed.
    pub fn kept_as_typed(&self, reason: &'static str) -> Rewritten {
        let decisions = self
            .decisions
            .iter()
            .map(|d| Decision {
                action: match d.action {
                    Action::Rewrite => Action::Skip(reason),
                    ref other => other.clone(),
                },
                form: None,
                ..d.clone()
            })
            .collect();
        Rewritten {
            command: None,
            decisions,
        }
    }
}

/// Rewrites `command` under `policy`, every rewrite in the dispatched form (`git rtk-status`).
pub fn rewrite(command: &str, policy: &Policy) -> Rewritten {
    rewrite_forms(command, policy, &Direct::Never).dispatched
}

/// Rewrites `command` under `policy`, in the direct form (`git-rtk-status`) wherever the
/// invocation and `direct` allow it, in the dispatched form elsewhere.
pub fn rewrite_with(command: &str, policy: &Policy, direct: &Direct) -> Rewritten {
    rewrite_forms(command, policy, direct).direct
}

/// One command line rewritten both ways, from one set of decisions ([`rewrite_forms`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forms {
    /// The direct form wherever the invocation and the plugins allow it ([`rewrite_with`]).
    pub direct: Rewritten,
    /// The dispatched form everywhere ([`rewrite`]).
    pub dispatched: Rewritten,
}

/// Where one rewritten invocation is edited.
struct Edit {
    /// Its decision's index.
    decision: usize,
    /// The end of the `git` word.
    git_end: usize,
    /// The start of the subcommand word.
    subcommand_at: usize,
    /// The direct form keeps its meaning.
    direct: bool,
}

impl Edit {
    fn form(&self, direct_wanted: bool) -> Form {
        if direct_wanted && self.direct {
            Form::Direct
        } else {
            Form::Dispatched
        }
    }
}

/// Rewrites `command` under `policy` in both forms, deciding each invocation once (`policy` may
/// read git's configuration for a mutating command: a hook that falls back from one form to the
/// other must not pay for that twice).
pub fn rewrite_forms(command: &str, policy: &Policy, direct: &Direct) -> Forms {
    let commands = match shell::parse(command) {
        Ok(commands) => commands,
        Err(_) => {
            let decisions = if mentions_git(command) {
                vec![Decision {
                    class: None,
                    subcommand: None,
                    action: Action::Skip("unparsed"),
                    segment: command.to_owned(),
                    form: None,
                }]
            } else {
                Vec::new()
            };
            let unchanged = Rewritten {
                command: None,
                decisions,
            };
            return Forms {
                direct: unchanged.clone(),
                dispatched: unchanged,
            };
        }
    };
    let mut edits = Vec::new();
    let mut decisions = Vec::new();
    for simple in &commands {
        let Some(first) = simple.words.first() else {
            continue;
        };
        let start = simple
            .assignments
            .first()
            .map_or(first.start, |a| a.start.min(first.start));
        let end = simple.words.last().map_or(first.end, |w| w.end);
        let segment = command[start..end].to_owned();
        if let Some(plugin) = already_direct(first) {
            // A plugin started by name: the direct form, rewritten again.
            decisions.push(Decision {
                class: None,
                subcommand: Some(plugin),
                action: Action::Skip("already-rewritten"),
                segment,
                form: None,
            });
            continue;
        }
        if first.literal.as_deref() != Some("git") {
            continue;
        }
        let (class, subcommand, action, edit) = decide(command, simple, &commands, policy, direct);
        if action == Action::Rewrite {
            edits.extend(edit.map(|(subcommand_at, direct)| Edit {
                decision: decisions.len(),
                git_end: first.end,
                subcommand_at,
                direct,
            }));
        }
        decisions.push(Decision {
            class,
            subcommand,
            action,
            segment,
            form: None,
        });
    }
    edits.sort_unstable_by_key(|e| e.subcommand_at);
    let build = |direct_wanted: bool| {
        let mut decisions = decisions.clone();
        for edit in &edits {
            decisions[edit.decision].form = Some(edit.form(direct_wanted));
        }
        Rewritten {
            command: render(command, &edits, direct_wanted),
            decisions,
        }
    };
    Forms {
        direct: build(true),
        dispatched: build(false),
    }
}

/// `command` with `edits` (in order of position) made; `None` when there are none.
fn render(command: &str, edits: &[Edit], direct_wanted: bool) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(command.len() + 5 * edits.len());
    let mut last = 0;
    for edit in edits {
        match edit.form(direct_wanted) {
            Form::Dispatched => {
                out.push_str(&command[last..edit.subcommand_at]);
                out.push_str("rtk-");
            }
            // Only blanks (or an escaped newline) lie between `git` and the subcommand here: no
            // global option came first.
            Form::Direct => {
                out.push_str(&command[last..edit.git_end]);
                out.push_str("-rtk-");
            }
        }
        last = edit.subcommand_at;
    }
    out.push_str(&command[last..]);
    Some(out)
}

/// The plugin's subcommand word (`rtk-status`) when `first` names a plugin binary as typed
/// (`git-rtk-status`), the form a direct rewrite leaves.
fn already_direct(first: &shell::Word) -> Option<String> {
    let name = first.literal.as_deref()?;
    let plugin = name.strip_prefix("git-")?;
    (first.plain && plugin.starts_with("rtk-") && plugin.len() > 4).then(|| plugin.to_owned())
}

/// [`rewrite`], then the decisions appended to the audit log (a log that cannot be written is
/// reported on stderr; the rewrite stands).
pub fn rewrite_and_audit(command: &str, policy: &Policy) -> Rewritten {
    let result = rewrite(command, policy);
    record(command, &result);
    result
}

/// Appends the decisions of `result`, the rewrite of `command`, to the audit log (unless it is
/// off); a log that cannot be written is reported on stderr and otherwise ignored.
pub fn record(command: &str, result: &Rewritten) {
    if let Some(path) = audit::log_path() {
        let lines = audit::lines(&result.decisions, command, result.command.as_deref());
        if let Err(err) = audit::append(&path, &lines) {
            eprintln!("warning: git-rtk audit log not written: {err}");
        }
    }
}

/// Class, subcommand, action, and for a rewrite where the subcommand word starts and whether
/// the direct form keeps the meaning.
type Verdict = (Option<Class>, Option<String>, Action, Option<(usize, bool)>);

fn decide(
    command: &str,
    simple: &shell::SimpleCommand,
    commands: &[shell::SimpleCommand],
    policy: &Policy,
    direct: &Direct,
) -> Verdict {
    let first = &simple.words[0];
    if !first.plain {
        return (None, None, Action::Skip("quoted-git"), None);
    }
    let args: Vec<Option<&str>> = simple.words[1..]
        .iter()
        .map(|w| w.literal.as_deref())
        .collect();
    let index = match classify::subcommand_index(&args) {
        Ok(index) => index,
        Err(reason) => return (None, None, Action::Skip(reason), None),
    };
    let word = &simple.words[1 + index];
    let Some(subcommand) = word.literal.clone() else {
        return (None, None, Action::Skip("dynamic-subcommand"), None);
    };
    let skip = |class: Option<Class>, reason: &'static str| {
        (class, Some(subcommand.clone()), Action::Skip(reason), None)
    };
    if !word.plain || command[word.start..word.end] != subcommand {
        return skip(None, "quoted-subcommand");
    }
    if subcommand.starts_with("rtk-") {
        return skip(None, "already-rewritten");
    }
    let rest_words = &simple.words[2 + index..];
    let mut rest = Vec::with_capacity(rest_words.len());
    let mut after_double_dash = false;
    for w in rest_words {
        match &w.literal {
            Some(value) => {
                after_double_dash |= value == "--";
                rest.push(value.clone());
            }
            // A variable before `--` could expand to any option.
            None if !after_double_dash => return skip(None, "dynamic-arguments"),
            None => rest.push(String::new()),
        }
    }
    let class = classify::classify(&subcommand, &rest);
    if simple.captured {
        return skip(Some(class), "captured");
    }
    if simple.piped && !only_displayed(simple, commands) {
        return skip(Some(class), "pipe");
    }
    if simple.stdout_redirected {
        return skip(Some(class), "redirect");
    }
    if !registry::is_plugin(&subcommand) {
        return skip(Some(class), "no-plugin");
    }
    if let Some(reason) = machine_or_help(&rest) {
        return skip(Some(class), reason);
    }
    if class == Class::Mutating {
        if let Err(reason) = policy.allows_mutating(&subcommand) {
            return skip(Some(class), reason);
        }
    }
    // No global option before the subcommand (git applies those before it runs the plugin), no
    // assignment that changes which file runs or what git itself prints, and the plugin that the
    // shell would find is the one git would run.
    let direct_form = index == 0
        && !simple
            .assignments
            .iter()
            .any(|a| changes_dispatch(&command[a.start..a.end]))
        && direct.runs(&subcommand);
    (
        Some(class),
        Some(subcommand),
        Action::Rewrite,
        Some((word.start, direct_form)),
    )
}

/// A leading `NAME=value` that git's dispatch reads itself: `PATH` and `GIT_EXEC_PATH` choose
/// the file git runs (and the shell's `PATH` search would use the new value too), `GIT_TRACE…`
/// makes git trace its own start-up and dispatch.
/// `assignment` is as typed; its name is plain (the parser takes nothing else for one).
fn changes_dispatch(assignment: &str) -> bool {
    let name = assignment
        .split_once('=')
        .map_or(assignment, |(name, _)| name);
    name == "PATH" || name == "GIT_EXEC_PATH" || name.starts_with("GIT_TRACE")
}

/// Whether everything downstream of `writer`'s pipe only shows the text: `head`, `tail`, `less`,
/// `more` with options alone, or a plain `cat`, ending on the terminal (no redirection). Any
/// other reader may parse the output, so it keeps git's format.
fn only_displayed(writer: &shell::SimpleCommand, commands: &[shell::SimpleCommand]) -> bool {
    let mut current = writer;
    // Each step moves to a later command, so the walk ends.
    while current.piped {
        let Some(reader) = current.reader.and_then(|i| commands.get(i)) else {
            return false;
        };
        if !reader.assignments.is_empty() || !is_display_only(&reader.words) {
            return false;
        }
        current = reader;
    }
    !current.stdout_redirected && !current.captured
}

/// A pager or a head/tail of the text, reading only its standard input.
fn is_display_only(words: &[shell::Word]) -> bool {
    let Some(values) = words
        .iter()
        .map(|w| w.literal.as_deref())
        .collect::<Option<Vec<&str>>>()
    else {
        return false;
    };
    let Some((program, args)) = values.split_first() else {
        return false;
    };
    match *program {
        "cat" => args.is_empty(),
        "less" | "more" => args
            .iter()
            .all(|a| a.starts_with('-') || a.starts_with('+')),
        "head" | "tail" => {
            let mut expects_count = false;
            args.iter().all(|arg| {
                let ok =
                    expects_count || (arg.starts_with('-') && *arg != "-") || arg.starts_with('+');
                expects_count = matches!(*arg, "-n" | "-c" | "--lines" | "--bytes");
                ok
            })
        }
        _ => false,
    }
}

/// Options asking for output a program parses, or for git's own help.
fn machine_or_help(args: &[String]) -> Option<&'static str> {
    for arg in args {
        if arg == "--" {
            break;
        }
        let name = arg.split_once('=').map_or(arg.as_str(), |(name, _)| name);
        if matches!(
            name,
            "--porcelain" | "--null" | "--format" | "--pretty" | "--numstat" | "--raw" | "-z"
        ) || name.starts_with("--porcelain")
            || (arg.starts_with('-')
                && !arg.starts_with("--")
                && arg.len() > 2
                && arg[1..].bytes().all(|b| b.is_ascii_alphabetic())
                && arg.contains('z'))
        {
            return Some("machine-readable");
        }
        if arg == "-h" || arg == "--help" {
            return Some("help");
        }
    }
    None
}

fn mentions_git(command: &str) -> bool {
    command
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .any(|word| word == "git")
}

#[cfg(test)]
mod tests {
    use super::policy::OptIn;
    use super::*;
    use crate::certificate::Certificate;

    fn policy(opt_in: OptIn) -> Policy {
        Policy {
            opt_in,
            certificate: Certificate::parse(
                "[commit.\"git version 2.47.3\"]\ncases = 2\npasses = 2\n\
                 [add.\"git version 2.47.3\"]\ncases = 2\npasses = 2\n",
            )
            .expect("parses"),
        }
    }

    fn run(command: &str) -> Option<String> {
        rewrite(command, &policy(OptIn::Off)).command
    }

    #[test]
    fn read_only_commands_are_rewritten_in_place() {
        assert_eq!(run("git status").as_deref(), Some("git rtk-status"));
        assert_eq!(
            run("git -C sub -c core.quotePath=false log -n 5").as_deref(),
            Some("git -C sub -c core.quotePath=false rtk-log -n 5")
        );
        assert_eq!(
            run("cd app && FOO=1 git diff --stat; (git show HEAD)").as_deref(),
            Some("cd app && FOO=1 git rtk-diff --stat; (git rtk-show HEAD)")
        );
        assert_eq!(run("git branch -vv").as_deref(), Some("git rtk-branch -vv"));
    }

    #[test]
    fn readers_of_the_output_and_machine_formats_are_left_alone() {
        for command in [
            "git diff | git apply",
            "git log --format=%H | xargs echo",
            "git status > status.txt",
            "echo $(git status)",
            "git status --porcelain",
            "git status -z",
            "git log --pretty=oneline",
            "git status -sz",
            "yadm status",
            "git-lfs status",
            "git st",
            "git status --help",
            "git --version",
            "\"git\" status",
            "git $SUB",
            "git diff $FLAGS",
            "for f in a; do git status; done",
        ] {
            assert_eq!(run(command), None, "{command}");
        }
        assert_eq!(
            run("git diff -- $FILE").as_deref(),
            Some("git rtk-diff -- $FILE")
        );
    }

    #[test]
    fn revision_words_with_a_tilde_are_literal() {
        for command in [
            "git show HEAD~2",
            "git diff HEAD~1 -- src",
            "git log --oneline HEAD~5..HEAD",
            "git log main~3..main",
            "git log @{u}~1..",
            "git show stash@{0}",
        ] {
            assert_eq!(
                run(command),
                Some(command.replacen("git ", "git rtk-", 1)),
                "{command}"
            );
        }
        // At a word's start, or after `=`, a tilde is the shell's: the word is not known.
        assert_eq!(run("git diff ~/x"), None);
        assert_eq!(run("git log --since=~x"), None);
        assert_eq!(run("git log {a,b}"), None);
    }

    #[test]
    fn output_only_shown_to_the_reader_is_rewritten() {
        for (command, expected) in [
            (
                "git log --oneline | head -20",
                "git rtk-log --oneline | head -20",
            ),
            ("git diff | tail -50", "git rtk-diff | tail -50"),
            ("git show HEAD | less -R", "git rtk-show HEAD | less -R"),
            ("git log | cat", "git rtk-log | cat"),
            (
                "git diff | head -n 5 | tail -2",
                "git rtk-diff | head -n 5 | tail -2",
            ),
            ("git status 2>&1 | more", "git rtk-status 2>&1 | more"),
        ] {
            assert_eq!(run(command).as_deref(), Some(expected), "{command}");
        }
        for command in [
            "git log | grep fix",
            "git log | head -20 > top.txt",
            "git log | head -20 | sort",
            "git diff | cat -n",
            "x=$(git log | head -1)",
            "git log | (head -3)",
        ] {
            assert_eq!(run(command), None, "{command}");
        }
    }

    #[test]
    fn mutating_commands_need_opt_in_and_certificate() {
        assert_eq!(run("git commit -m x"), None);
        let some = policy(OptIn::Only(vec!["commit".into(), "push".into()]));
        assert_eq!(
            rewrite("git commit -m x && git push", &some)
                .command
                .as_deref(),
            Some("git rtk-commit -m x && git push")
        );
        let decisions = rewrite("git commit -m x && git push", &some).decisions;
        assert_eq!(decisions[1].action, Action::Skip("not-certified"));
        assert_eq!(decisions[0].class, Some(Class::Mutating));
        let off = rewrite("git branch -D old", &policy(OptIn::Off)).decisions;
        assert_eq!(off[0].action, Action::Skip("mutating-not-enabled"));
    }

    #[test]
    fn heredocs_and_quotes_survive_byte_for_byte() {
        let command = "git status && git log <<'EOF'\ngit status\nEOF\necho 'git status'";
        assert_eq!(
            run(command).as_deref(),
            Some("git rtk-status && git rtk-log <<'EOF'\ngit status\nEOF\necho 'git status'")
        );
    }

    #[test]
    fn a_rewrite_kept_as_typed_becomes_a_skip() {
        let result = rewrite("git status && git push", &policy(OptIn::Off));
        let kept = result.kept_as_typed("kept-for-permissions");
        assert_eq!(kept.command, None);
        let actions: Vec<String> = kept.decisions.iter().map(|d| d.action.label()).collect();
        assert_eq!(
            actions,
            ["skip:kept-for-permissions", "skip:mutating-not-enabled"]
        );
    }

    fn direct(command: &str, plugins: &[&str]) -> Option<String> {
        let plugins = Direct::Only(plugins.iter().map(|p| (*p).to_owned()).collect());
        rewrite_with(command, &policy(OptIn::Off), &plugins).command
    }

    #[test]
    fn the_direct_form_needs_no_global_option_and_the_plugin_found() {
        assert_eq!(
            direct("git status -s", &["status"]).as_deref(),
            Some("git-rtk-status -s")
        );
        assert_eq!(
            direct("git status -s", &["log"]).as_deref(),
            Some("git rtk-status -s"),
            "not on PATH: dispatched"
        );
        for global in [
            "-C dir",
            "-c core.quotePath=false",
            "--git-dir=.git",
            "--work-tree w",
            "--no-pager",
            "-P",
            "--literal-pathspecs",
        ] {
            assert_eq!(
                direct(&format!("git {global} status"), &["status"]),
                Some(format!("git {global} rtk-status")),
                "git applies {global} itself"
            );
        }
    }

    #[test]
    fn assignments_that_git_reads_keep_the_dispatch() {
        for (command, expected) in [
            ("FOO=1 git log -n 5", "FOO=1 git-rtk-log -n 5"),
            ("GIT_PAGER=cat git log", "GIT_PAGER=cat git-rtk-log"),
            ("NO_COLOR=\"$(x)\" git log", "NO_COLOR=\"$(x)\" git-rtk-log"),
            ("PATH=/opt/bin git log", "PATH=/opt/bin git rtk-log"),
            (
                "PATH=$HOME/bin:$PATH git log",
                "PATH=$HOME/bin:$PATH git rtk-log",
            ),
            ("GIT_EXEC_PATH=/x git log", "GIT_EXEC_PATH=/x git rtk-log"),
            ("GIT_TRACE=1 git log", "GIT_TRACE=1 git rtk-log"),
        ] {
            assert_eq!(direct(command, &["log"]).as_deref(), Some(expected));
        }
    }

    #[test]
    fn each_invocation_gets_its_own_form() {
        let command = "cd app && git log -n 5 | head -3; git -C x diff && git \\\n show";
        let forms = rewrite_forms(command, &policy(OptIn::Off), &Direct::Always);
        assert_eq!(
            forms.direct.command.as_deref(),
            Some("cd app && git-rtk-log -n 5 | head -3; git -C x rtk-diff && git-rtk-show")
        );
        assert_eq!(forms.dispatched, rewrite(command, &policy(OptIn::Off)));
        let of = |r: &Rewritten| r.decisions.iter().map(|d| d.form).collect::<Vec<_>>();
        assert_eq!(
            of(&forms.direct),
            [
                Some(Form::Direct),
                Some(Form::Dispatched),
                Some(Form::Direct)
            ]
        );
        assert_eq!(of(&forms.dispatched), [Some(Form::Dispatched); 3]);
        assert_eq!(
            rewrite_with(command, &policy(OptIn::Off), &Direct::Never),
            forms.dispatched
        );
    }

    #[test]
    fn the_direct_form_rewritten_again_is_served() {
        let once =
            direct("git status && git log --oneline", &["status", "log"]).expect("rewritten");
        assert_eq!(once, "git-rtk-status && git-rtk-log --oneline");
        let again = rewrite_with(&once, &policy(OptIn::Off), &Direct::Always);
        assert_eq!(again.command, None);
        let served: Vec<(Option<&str>, String)> = again
            .decisions
            .iter()
            .map(|d| (d.subcommand.as_deref(), d.action.label()))
            .collect();
        assert_eq!(
            served,
            [
                (Some("rtk-status"), "skip:already-rewritten".to_owned()),
                (Some("rtk-log"), "skip:already-rewritten".to_owned())
            ]
        );
        assert!(rewrite("git-lfs status && git-rtk-", &policy(OptIn::Off))
            .decisions
            .is_empty());
    }

    #[test]
    fn rewriting_twice_changes_nothing() {
        let once = run("git status && git log").expect("rewritten");
        assert_eq!(run(&once), None);
    }
}
