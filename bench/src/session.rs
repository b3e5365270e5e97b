//! A whole agent session, in tokens: the git commands agents type, in a realistic order, run as
//! typed and again as the hook rewrites them, each in its own copy of a benchmark repository.
//!
//! The mix follows the frequencies the project targets per 36 commands: status 10, diff 5, log 5
//! (three of them `--oneline -N`), show 3, `diff --stat` 2, blame 1, grep 2, and add/commit/push
//! 8 (add 3, commit 3, push 2). The session starts on the repository's change set (staged and
//! unstaged edits), reads it, stages and commits it, pushes, edits again, and commits the edits.
//! Two edits between commands are made by the harness (not counted), as an agent's file edits
//! are. Every command's stdout and stderr count: the agent reads both.
//!
//! Beside each command kind the report gives its fact floor: what its facts alone cost (the
//! added and removed lines of a diff, ids and subjects of a log, `XY path` lines of a status…),
//! as git prints them most tightly. No lossless output can be smaller.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use git_rtk::certificate::Certificate;
use git_rtk::rewrite::policy;

use crate::hermetic::HermeticEnv;
use crate::tokens::TokenCounter;

/// One step of the session.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// A shell command as the agent types it, and the kind it is counted under.
    Run(&'static str, Kind),
    /// An edit the agent makes with its own file tools: a line appended to the first modified
    /// file.
    Edit,
}

/// What a command is counted as, with its fact floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Status,
    Diff,
    DiffStat,
    Log,
    LogOneline,
    Show,
    Blame,
    Grep,
    Add,
    Commit,
    Push,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Status => "status",
            Kind::Diff => "diff",
            Kind::DiffStat => "diff --stat",
            Kind::Log => "log -n N",
            Kind::LogOneline => "log --oneline -N",
            Kind::Show => "show",
            Kind::Blame => "blame",
            Kind::Grep => "grep",
            Kind::Add => "add",
            Kind::Commit => "commit",
            Kind::Push => "push",
        }
    }

    /// The command whose output is this command's facts alone, printed as tightly as git can
    /// (`{typed}` is the command as typed, for the arguments it carries).
    fn fact_floor(self, typed: &str) -> Option<String> {
        let after = |word: &str| {
            typed
                .split_once(word)
                .map_or("", |(_, rest)| rest)
                .to_owned()
        };
        Some(match self {
            Kind::Status => "git status --porcelain".to_owned(),
            // The added and removed lines, nothing else.
            Kind::Diff => format!(
                "git diff -U0 --no-color{} | grep -E '^[-+]' | grep -vE '^(\\+\\+\\+|---) '",
                after(" diff")
            ),
            Kind::DiffStat => "git diff --numstat".to_owned(),
            Kind::Log | Kind::LogOneline => {
                let count = typed.trim_start_matches(|c: char| !c.is_ascii_digit());
                format!("git log --format='%h %s' -n {count}")
            }
            Kind::Show => format!(
                "git show -U0 --no-color --format='%h %s'{} | grep -E '^[-+]|^[0-9a-f]{{7,}} ' | grep -vE '^(\\+\\+\\+|---) '",
                after(" show")
            ),
            // The file's lines (each line's commit is on top of that).
            Kind::Blame => format!("cat{}", after(" blame")),
            // Each file once and each matching line with its number.
            Kind::Grep => format!(
                "git grep -l{} ; git grep -h -n{}",
                after(" -n"),
                after(" -n")
            ),
            Kind::Add | Kind::Commit | Kind::Push => return None,
        })
    }
}

/// The session, in order. `{file}` is the first Rust file the change set modifies that defines
/// two functions with a `_` in their names, `{name}` and `{other_name}` the first two of them
/// (read from the repository before the session starts): an agent greps for the code it is
/// changing.
const SESSION: &[Step] = &[
    Step::Run("git status", Kind::Status),
    Step::Run("git diff", Kind::Diff),
    Step::Run("git log -n 20", Kind::Log),
    Step::Run("git log --oneline -20", Kind::LogOneline),
    Step::Run("git diff --stat", Kind::DiffStat),
    Step::Run("git status", Kind::Status),
    Step::Run("git show HEAD", Kind::Show),
    Step::Run("git grep -n {name}", Kind::Grep),
    Step::Run("git blame {file}", Kind::Blame),
    Step::Run("git diff {file}", Kind::Diff),
    Step::Run("git status", Kind::Status),
    Step::Run("git log --oneline -10", Kind::LogOneline),
    Step::Run("git show HEAD~1", Kind::Show),
    Step::Run("git grep -n {other_name}", Kind::Grep),
    Step::Run("git diff --cached", Kind::Diff),
    Step::Run("git status", Kind::Status),
    Step::Run("git add -A", Kind::Add),
    Step::Run("git status", Kind::Status),
    Step::Run("git diff --cached", Kind::Diff),
    Step::Run(
        "git commit -m 'session: apply the change set'",
        Kind::Commit,
    ),
    Step::Run("git status", Kind::Status),
    Step::Run("git log -n 5", Kind::Log),
    Step::Run("git show HEAD", Kind::Show),
    Step::Run("git push origin HEAD:refs/heads/session-review", Kind::Push),
    Step::Run("git status", Kind::Status),
    Step::Edit,
    Step::Run("git diff", Kind::Diff),
    Step::Run("git diff --stat", Kind::DiffStat),
    Step::Run("git add {file}", Kind::Add),
    Step::Run("git status", Kind::Status),
    Step::Run("git commit -m 'session: follow-up'", Kind::Commit),
    Step::Edit,
    Step::Run("git add -A", Kind::Add),
    Step::Run("git commit -m 'session: last edit'", Kind::Commit),
    Step::Run("git status", Kind::Status),
    Step::Run("git log --oneline -5", Kind::LogOneline),
    Step::Run("git push origin HEAD:refs/heads/session-review", Kind::Push),
    Step::Run("git status", Kind::Status),
];

/// One command of the session, both ways.
#[derive(Debug, Clone)]
pub struct StepResult {
    pub kind: Kind,
    pub typed: String,
    /// The command the hook runs instead (`None`: left as typed).
    pub rewritten: Option<String>,
    pub typed_tokens: usize,
    pub rewritten_tokens: usize,
    /// What the command's facts alone cost (read before the typed run).
    pub floor_tokens: Option<usize>,
}

/// The session on one repository.
#[derive(Debug, Clone)]
pub struct SessionResult {
    pub repo: &'static str,
    pub steps: Vec<StepResult>,
}

impl SessionResult {
    pub fn typed_total(&self) -> usize {
        self.steps.iter().map(|s| s.typed_tokens).sum()
    }

    pub fn rewritten_total(&self) -> usize {
        self.steps.iter().map(|s| s.rewritten_tokens).sum()
    }

    /// (kind, runs, typed, rewritten, floor) per command kind, in the session's kind order.
    pub fn by_kind(&self) -> Vec<(Kind, usize, usize, usize, Option<usize>)> {
        let mut kinds: Vec<Kind> = self.steps.iter().map(|s| s.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
            .into_iter()
            .map(|kind| {
                let steps: Vec<&StepResult> =
                    self.steps.iter().filter(|s| s.kind == kind).collect();
                let floor = steps.iter().map(|s| s.floor_tokens).sum::<Option<usize>>();
                (
                    kind,
                    steps.len(),
                    steps.iter().map(|s| s.typed_tokens).sum(),
                    steps.iter().map(|s| s.rewritten_tokens).sum(),
                    floor,
                )
            })
            .collect()
    }
}

/// The hook's defaults: mutating commands stay as typed.
pub fn hook_policy() -> policy::Policy {
    policy::Policy {
        opt_in: policy::OptIn::Off,
        certificate: Certificate::embedded(),
    }
}

/// The command the agent runs for `typed` with the hook installed (Claude Code in its default
/// mode, no permission rules): the hook's rewrite, or `typed` itself when the hook leaves it.
pub fn as_rewritten(typed: &str) -> String {
    git_rtk::hook::claude_default_rewrite(typed, &hook_policy()).unwrap_or_else(|| typed.to_owned())
}

/// Fails unless the change set in `work` gives the session its `{file}`, `{name}` and
/// `{other_name}`: a modified Rust file defining two functions.
pub fn check_change_set(env: &HermeticEnv, work: &Path) -> Result<()> {
    Placeholders::read(env, work).map(|_| ())
}

/// Runs the session on copies of `work` (and of its `origin`), as typed and as rewritten.
pub fn run(
    env: &HermeticEnv,
    repo: &'static str,
    work: &Path,
    scratch: &Path,
    counter: &TokenCounter,
) -> Result<SessionResult> {
    let typed_copy = copy_fixture(work, &scratch.join(format!("{repo}-typed")))?;
    let rewritten_copy = copy_fixture(work, &scratch.join(format!("{repo}-rewritten")))?;
    let placeholders = Placeholders::read(env, &typed_copy)?;
    let policy = hook_policy();
    let mut steps = Vec::new();
    for step in SESSION {
        let (template, kind) = match *step {
            Step::Edit => {
                placeholders.edit(&typed_copy)?;
                placeholders.edit(&rewritten_copy)?;
                continue;
            }
            Step::Run(template, kind) => (template, kind),
        };
        let typed = placeholders.fill(template);
        let rewritten = git_rtk::hook::claude_default_rewrite(&typed, &policy);
        let floor_tokens = match kind.fact_floor(&typed) {
            Some(floor) => Some(counter.count(&shell(env, &typed_copy, &floor)?.0)),
            None => None,
        };
        let (typed_output, typed_ok) = shell(env, &typed_copy, &typed)?;
        let (rewritten_output, rewritten_ok) =
            shell(env, &rewritten_copy, rewritten.as_deref().unwrap_or(&typed))?;
        if !typed_ok || typed_ok != rewritten_ok {
            bail!(
                "`{typed}` on the {repo} repository: exit status typed {typed_ok}, rewritten {rewritten_ok}:\n{}",
                String::from_utf8_lossy(&typed_output)
            );
        }
        steps.push(StepResult {
            kind,
            typed_tokens: counter.count(&typed_output),
            rewritten_tokens: counter.count(&rewritten_output),
            floor_tokens,
            typed,
            rewritten,
        });
    }
    for copy in [&typed_copy, &rewritten_copy] {
        let _ = std::fs::remove_dir_all(copy.parent().unwrap_or(copy));
    }
    Ok(SessionResult { repo, steps })
}

/// Runs `command` through `sh -c` in `dir`; returns stdout then stderr, and whether it exited 0.
fn shell(env: &HermeticEnv, dir: &Path, command: &str) -> Result<(Vec<u8>, bool)> {
    let output = env
        .program(Path::new(crate::measure::SHELL), dir, &["-c", command])
        .output()
        .with_context(|| format!("running `{command}`"))?;
    let mut bytes = output.stdout;
    bytes.extend_from_slice(&output.stderr);
    Ok((bytes, output.status.success()))
}

/// Copies the fixture's work tree and its `origin` side by side under `to`, pointing the copy's
/// `origin` at the copied one, so pushes never touch the cached fixture.
fn copy_fixture(work: &Path, to: &Path) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let origin = work
        .parent()
        .map(|parent| parent.join("origin.git"))
        .context("the fixture's work tree has no parent")?;
    for (from, name) in [(work, "work"), (origin.as_path(), "origin.git")] {
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(from)
            .arg(to.join(name))
            .status()
            .with_context(|| format!("copying {}", from.display()))?;
        if !status.success() {
            bail!("copying {} failed", from.display());
        }
    }
    let copy = to.join("work");
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(&copy)
        .args(["remote", "set-url", "origin"])
        .arg(to.join("origin.git"))
        .status()
        .context("pointing the copy at its own origin")?;
    if !status.success() {
        bail!("git remote set-url failed in {}", copy.display());
    }
    Ok(copy)
}

/// The file and identifier the session's commands name.
struct Placeholders {
    file: String,
    name: String,
    other_name: String,
}

impl Placeholders {
    /// The first modified Rust file (in `git diff --name-only` order) defining two functions
    /// with distinctive names (with a `_`: an agent greps for `apply_change_set`, not for `new`),
    /// and the first two of them.
    fn read(env: &HermeticEnv, work: &Path) -> Result<Placeholders> {
        let modified = env.run(work, &["diff", "--name-only"])?;
        for file in modified.lines().filter(|path| path.ends_with(".rs")) {
            // A deleted file is listed too.
            let Ok(text) = std::fs::read_to_string(work.join(file)) else {
                continue;
            };
            let words: Vec<&str> = text
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|word| !word.is_empty())
                .collect();
            let mut functions = words
                .windows(2)
                .filter(|pair| pair[0] == "fn" && pair[1].contains('_'))
                .map(|pair| pair[1]);
            let Some(name) = functions.next() else {
                continue;
            };
            let Some(other_name) = functions.find(|other| *other != name) else {
                continue;
            };
            return Ok(Placeholders {
                file: file.to_owned(),
                name: name.to_owned(),
                other_name: other_name.to_owned(),
            });
        }
        bail!(
            "no modified Rust file defines two functions with a `_` in their names (the session greps \
             for them)"
        )
    }

    fn fill(&self, template: &str) -> String {
        template
            .replace("{file}", &self.file)
            .replace("{other_name}", &self.other_name)
            .replace("{name}", &self.name)
    }

    fn edit(&self, work: &Path) -> Result<()> {
        use std::io::Write as _;
        let path = work.join(&self.file);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        writeln!(file, "// session edit").with_context(|| format!("editing {}", path.display()))
    }
}

/// One row per command of each session: repository, step, kind, both commands, tokens.
pub fn write_csv(path: &Path, sessions: &[SessionResult]) -> Result<()> {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from(
        "repo,step,kind,typed,rewritten,typed_tokens,rewritten_tokens,fact_floor_tokens\n",
    );
    for session in sessions {
        for (index, step) in session.steps.iter().enumerate() {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                session.repo,
                index + 1,
                quote(step.kind.name()),
                quote(&step.typed),
                quote(step.rewritten.as_deref().unwrap_or(&step.typed)),
                step.typed_tokens,
                step.rewritten_tokens,
                step.floor_tokens.map_or(String::new(), |n| n.to_string()),
            ));
        }
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

/// The session report: per repository the totals and reduction, then each command kind with its
/// runs, tokens both ways, ratio and fact floor.
pub fn markdown(info: &crate::report::RunInfo, sessions: &[SessionResult]) -> String {
    let mut md = String::from("# git-rtk whole-session token benchmark\n\n");
    md.push_str(&format!(
        "Run `{}` on {} at commit {} ({}; {}). Tokens: o200k_base, stdout and stderr together, as the agent reads them.\n\n",
        info.command_line, info.date_utc, info.commit, info.git_version, info.cpu
    ));
    md.push_str(
        "One agent session of 36 git commands (status 10, diff 5, log 5 of which 3 `--oneline -N`, \
show 3, `diff --stat` 2, blame 1, grep 2, add 3, commit 3, push 2; see `bench/src/session.rs`), \
run on a copy of each benchmark repository as typed, and on another copy as the hook rewrites it \
(`git status` → `git rtk-status`; add, commit and push stay as typed, the hook's default). \
The fact floor is what a command's facts alone cost, printed as tightly as git can (the added \
and removed lines of a diff, `%h %s` of a log, `XY path` of a status, the lines of a blamed file, \
each matching file once and each match's number and text); no lossless output is smaller.\n\n",
    );
    for note in &info.skipped {
        md.push_str(&format!("{note}\n\n"));
    }
    md.push_str(&targets_table(sessions));
    for session in sessions {
        let (typed, rewritten) = (session.typed_total(), session.rewritten_total());
        let reduction = 100.0 * (1.0 - rewritten as f64 / typed.max(1) as f64);
        md.push_str(&format!(
            "## {} repository\n\nSession total: **{typed}** tokens as typed, **{rewritten}** as rewritten: **{reduction:.1}% fewer**.\n\n",
            session.repo
        ));
        md.push_str("| command | runs | as typed | rewritten | rewritten / typed | fact floor | rewritten / floor |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (kind, runs, typed, rewritten, floor) in session.by_kind() {
            let ratio = |a: usize, b: usize| {
                if b == 0 {
                    "–".to_owned()
                } else {
                    format!("{:.2}", a as f64 / b as f64)
                }
            };
            md.push_str(&format!(
                "| {} | {runs} | {typed} | {rewritten} | {} | {} | {} |\n",
                kind.name(),
                ratio(rewritten, typed),
                floor.map_or("–".to_owned(), |f| f.to_string()),
                floor.map_or("–".to_owned(), |f| ratio(rewritten, f)),
            ));
        }
        md.push_str(
            "\n| # | as typed | as rewritten | typed | rewritten |\n|---:|---|---|---:|---:|\n",
        );
        for (index, step) in session.steps.iter().enumerate() {
            md.push_str(&format!(
                "| {} | `{}` | {} | {} | {} |\n",
                index + 1,
                step.typed,
                step.rewritten
                    .as_deref()
                    .map_or("(as typed)".to_owned(), |r| format!("`{r}`")),
                step.typed_tokens,
                step.rewritten_tokens
            ));
        }
        md.push('\n');
    }
    md
}

/// The session's targets, per repository: the whole session at least 60% smaller; no read command
/// kind larger than git's own form; `log --oneline -N` at most git's size; `diff` at most 1.5×
/// its added and removed lines.
fn targets_table(sessions: &[SessionResult]) -> String {
    if sessions.is_empty() {
        return String::new();
    }
    let mut md = String::from(
        "## Targets\n\n| repository | target | measured | verdict |\n|---|---|---|---|\n",
    );
    let mut row = |repo: &str, target: &str, measured: String, pass: bool| {
        let verdict = if pass { "PASS" } else { "**MISS**" };
        md.push_str(&format!("| {repo} | {target} | {measured} | {verdict} |\n"));
    };
    for session in sessions {
        let (typed, rewritten) = (session.typed_total(), session.rewritten_total());
        let reduction = 1.0 - rewritten as f64 / typed.max(1) as f64;
        row(
            session.repo,
            "session ≥ 60% fewer tokens",
            format!("{:.1}% ({typed} → {rewritten})", 100.0 * reduction),
            reduction >= 0.60,
        );
        let floor_total: usize = session
            .steps
            .iter()
            .map(|s| {
                s.floor_tokens
                    .unwrap_or(s.typed_tokens.min(s.rewritten_tokens))
            })
            .sum();
        row(
            session.repo,
            "(for scale) the session at its fact floor",
            format!(
                "{:.1}% fewer ({floor_total} tokens)",
                100.0 * (1.0 - floor_total as f64 / typed.max(1) as f64)
            ),
            true,
        );
        let read_kinds = [
            Kind::Status,
            Kind::Diff,
            Kind::DiffStat,
            Kind::Log,
            Kind::LogOneline,
            Kind::Show,
            Kind::Blame,
            Kind::Grep,
        ];
        let over: Vec<String> = session
            .steps
            .iter()
            .filter(|s| read_kinds.contains(&s.kind) && s.rewritten_tokens > s.typed_tokens)
            .map(|s| format!("`{}` {} > {}", s.typed, s.rewritten_tokens, s.typed_tokens))
            .collect();
        row(
            session.repo,
            "no read command costs more than git's own form",
            if over.is_empty() {
                "none does".to_owned()
            } else {
                over.join(", ")
            },
            over.is_empty(),
        );
        for (kind, _, typed, rewritten, floor) in session.by_kind() {
            match kind {
                Kind::LogOneline => row(
                    session.repo,
                    "`log --oneline -N` ≤ 1.0× git",
                    format!(
                        "{:.2}× ({rewritten} vs {typed})",
                        rewritten as f64 / typed.max(1) as f64
                    ),
                    rewritten <= typed,
                ),
                Kind::Diff => {
                    if let Some(floor) = floor {
                        let ratio = rewritten as f64 / floor.max(1) as f64;
                        row(
                            session.repo,
                            "`diff` ≤ 1.5× its added and removed lines",
                            format!("{ratio:.2}× ({rewritten} vs {floor})"),
                            ratio <= 1.5,
                        );
                    }
                }
                _ => {}
            }
        }
    }
    md.push('\n');
    md
}
