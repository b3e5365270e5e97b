//! `bench.csv` (one row per repository, command and variant) and `REPORT.md` (machine, repositories,
//! the plugins' start-up beside git's, targets with PASS/MISS, wall-time and token tables). Everything written here was measured in
//! this run, except the targets' limits (constants below, `wall_limits` for the wall times).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use crate::cases::{CaseResult, StartupResult, VariantResult};
use crate::fixture::{Fixture, Repo, Size};
use crate::measure::Stats;
use crate::other_cpu::OtherCpu;

/// Facts about the run that are not measurements.
pub struct RunInfo {
    pub command_line: String,
    pub date_utc: String,
    pub cores: usize,
    pub memory: String,
    pub cpu: String,
    pub kernel: String,
    pub git_version: String,
    pub commit: String,
    /// How the measured plugins are linked (`static, fixed address`, …), read from the ELF header
    /// of one of them: it decides much of what a process of a few milliseconds spends before `main`.
    pub plugin_linking: &'static str,
    /// Where the measured plugins are, as `scripts/cargo-release` builds them.
    pub plugin_dir: String,
    pub load_start: String,
    pub load_end: String,
    /// CPU that processes other than this run's used while it ran; `None` where it could not be
    /// read (the load average then judges).
    pub other_cpu: Option<OtherCpu>,
    pub runs: usize,
    pub warmup: usize,
    pub dispatch: DispatchFloor,
    /// (phase, seconds) of the whole run, in order.
    pub timings: Vec<(String, f64)>,
    /// One sentence per repository this run could not build (`medium-real` without its pinned
    /// commit), or on which it skipped the session benchmark (`huge`), saying why.
    pub skipped: Vec<String>,
}

pub fn write_csv(path: &Path, results: &[CaseResult], startups: &[StartupResult]) -> Result<()> {
    let mut out = String::from(
        "repo,command,variant,argv,runs,median_ms,p10_ms,p90_ms,min_ms,max_ms,ratio_vs_git,exit_code,stdout_bytes,tokens,tokens_vs_git,cpu_median_ms,cpu_p10_ms,cpu_p90_ms,cpu_ratio_vs_git\n",
    );
    for r in results {
        for (variant, v) in [
            ("git", &r.git),
            ("plugin", &r.plugin),
            ("spawn_filter", &r.baseline),
            ("best_native", &r.best_native),
            ("dispatch_floor", &r.floor),
            ("plugin_direct", &r.direct),
            ("git_sh", &r.git_sh),
            ("agent_path", &r.agent),
        ]
        .into_iter()
        .chain(r.fact_floor.as_ref().map(|v| ("fact_floor", v)))
        {
            csv_row(&mut out, r.repo, r.case, variant, v, r.git.tokens)?;
        }
    }
    // The start-up rows: command `<cmd> -h`, variants of their own, ratios to `git <cmd> -h`.
    for s in startups {
        let command = format!("{} -h", s.command);
        for (variant, v) in [
            ("startup_git", &s.git),
            ("startup_plugin", &s.plugin),
            ("startup_true", &s.noop),
        ] {
            csv_row(&mut out, s.repo, &command, variant, v, s.git.tokens)?;
        }
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

/// One line of `bench.csv`: variant `v` of `command` on `repo`; `git_tokens` is what its token
/// ratio is to.
fn csv_row(
    out: &mut String,
    repo: &str,
    command: &str,
    variant: &str,
    v: &VariantResult,
    git_tokens: usize,
) -> std::fmt::Result {
    let timing = match &v.stats {
        Some(s) => format!(
            "{},{:.3},{:.3},{:.3},{:.3},{:.3}",
            s.runs, s.median, s.p10, s.p90, s.min, s.max
        ),
        None => "0,,,,,".into(),
    };
    let ratio = v
        .ratio_vs_git
        .map(|x| format!("{x:.3}"))
        .unwrap_or_default();
    let token_ratio = ratio_of(v.tokens, git_tokens)
        .map(|x| format!("{x:.3}"))
        .unwrap_or_default();
    let cpu = match &v.cpu {
        Some(s) => format!("{:.3},{:.3},{:.3}", s.median, s.p10, s.p90),
        None => ",,".into(),
    };
    let cpu_ratio = v
        .cpu_ratio_vs_git
        .map(|x| format!("{x:.3}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{repo},{},{variant},{},{timing},{ratio},{},{},{},{token_ratio},{cpu},{cpu_ratio}",
        csv_field(command),
        csv_field(&v.command),
        v.exit_code,
        v.stdout.len(),
        v.tokens
    )
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn ratio_of(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// What a git process costs before it does any work, on this machine.
pub struct DispatchFloor {
    /// `git version`: start git, print, exit.
    pub git_version: Stats,
    /// `git rtk-bench-noop`: git finds an external command on `PATH` and runs it (`true`). Every
    /// `git rtk-*` pays this before the plugin starts its own work.
    pub noop: Stats,
    /// CPU time (user + system) of the same runs.
    pub git_version_cpu: Stats,
    pub noop_cpu: Stats,
    /// The name after `git` that dispatches the no-op command.
    pub noop_command: &'static str,
}

/// One acceptance target, judged on one repository.
pub struct Target {
    pub repo: &'static str,
    pub what: String,
    pub measured: String,
    pub limit: String,
    pub pass: bool,
    /// A stricter limit on the same comparison as the target before it: its miss says nothing new
    /// when that one missed too.
    pub stricter: bool,
    /// Facts of a miss, in one sentence.
    pub why: String,
}

fn find<'a>(results: &'a [CaseResult], repo: &str, case: &str) -> Option<&'a CaseResult> {
    results.iter().find(|r| r.repo == repo && r.case == case)
}

/// What the plugin did, in words, when that explains a number.
fn plugin_facts(r: &CaseResult) -> String {
    let mut facts = String::new();
    if r.plugin.exit_code != r.git.exit_code {
        let _ = write!(
            facts,
            " It exited {} where git exited {}{}.",
            r.plugin.exit_code,
            r.git.exit_code,
            r.plugin
                .stderr_first_line
                .as_deref()
                .map(|l| format!(" (stderr: `{l}`)"))
                .unwrap_or_default()
        );
    }
    if r.plugin_is_git_output() {
        facts.push_str(&format!(
            " Its stdout is byte-identical to `{}`'s, so it still passes through to git.",
            r.git.command
        ));
    }
    facts
}

pub fn targets(results: &[CaseResult], floor: &DispatchFloor) -> Vec<Target> {
    let mut targets = Vec::new();
    let repo = "medium";
    // `per`: how many items (commits) the output holds, to state a per-item cost in a miss.
    let tokens_target = |case: &str,
                         against_best: bool,
                         limit: f64,
                         label: &str,
                         per: Option<usize>| {
        let r = find(results, repo, case)?;
        let reference = if against_best { &r.best_native } else { &r.git };
        let ratio = ratio_of(r.plugin.tokens, reference.tokens)?;
        let per_item = per
            .map(|n| {
                format!(
                    " Per commit that is {:.0} tokens against {:.0}.",
                    r.plugin.tokens as f64 / n as f64,
                    reference.tokens as f64 / n as f64
                )
            })
            .unwrap_or_default();
        // Measured, not remembered: what the facts every line must carry cost by themselves.
        let floor = r
            .fact_floor
            .as_ref()
            .and_then(|f| Some((f, ratio_of(f.tokens, reference.tokens)?)))
            .map(|(f, floor_ratio)| {
                let verdict = if floor_ratio > limit {
                    format!(
                        "so no output that keeps them can meet ≤ {limit:.2}× on these commits"
                    )
                } else {
                    format!("leaving {:.2}× for everything else", limit - floor_ratio)
                };
                format!(
                    " Why (tokens): ids and full subjects alone, as `{}` prints them, are {} tokens \
                     ({floor_ratio:.3}× of `{}`); every line must also carry author and date, \
                     {verdict}.",
                    f.command, f.tokens, reference.command
                )
            })
            .unwrap_or_default();
        Some(Target {
            repo,
            stricter: false,
            what: format!("tokens: `{}` vs `{}`", r.plugin.command, reference.command),
            measured: format!("{ratio:.2}× ({} vs {} tokens)", r.plugin.tokens, reference.tokens),
            limit: format!("≤ {limit:.2}× {label}"),
            pass: ratio <= limit,
            why: format!(
                "`{}` printed {} tokens against {} for `{}` ({ratio:.2}×, target ≤ {limit:.2}×).{per_item}{}{floor}",
                r.plugin.command,
                r.plugin.tokens,
                reference.tokens,
                reference.command,
                plugin_facts(r),
            ),
        })
    };
    targets.extend(tokens_target(
        "status",
        true,
        1.10,
        "(while carrying more facts)",
        None,
    ));
    // The default form keeps date, author and body markers beside git's oneline facts.
    targets.extend(tokens_target(
        "log -n 50",
        true,
        1.25,
        "(same commits, with date, author and body markers)",
        Some(50),
    ));
    targets.extend(tokens_target("diff", false, 0.35, "", None));

    for repo in measured_repos(results) {
        let name = repo.name();
        for r in results.iter().filter(|r| r.repo == name) {
            targets.extend(wall_targets(r, repo.size(), floor));
        }
        let cpu_cases: &[&str] = if repo.is_medium() {
            &["status", "diff", "log -n 50"]
        } else {
            &["status", "diff"]
        };
        for case in cpu_cases {
            targets.extend(find(results, name, case).and_then(cpu_target));
        }
        if repo.is_medium() {
            for case in ["status", "diff", "log -n 20", "show HEAD", "branch -vv"] {
                targets.extend(find(results, name, case).and_then(agent_target));
            }
        }
    }
    targets
}

/// A wall-time target of the plugin run directly: the cases it judges, the most its time may be
/// as a ratio to git's, and its label.
struct WallLimit {
    /// `None`: every case measured on the repository.
    cases: Option<&'static [&'static str]>,
    limit: f64,
    kind: &'static str,
}

/// The wall-time targets on a repository of this size, in the order they are listed: on the
/// medium repositories every command at most as slow as git and status and diff faster; on the
/// large one status and diff faster still; on the huge one, whose untracked cache and split index
/// git reads, status and diff at most as slow as git.
fn wall_limits(size: Size) -> &'static [WallLimit] {
    const STATUS_DIFF: &[&str] = &["status", "diff"];
    match size {
        Size::Medium => &[
            WallLimit {
                cases: None,
                limit: 1.0,
                kind: "wall time, direct",
            },
            WallLimit {
                cases: Some(STATUS_DIFF),
                limit: 0.9,
                kind: "wall time, direct (status/diff ≤ 0.9×)",
            },
        ],
        Size::Large => &[
            WallLimit {
                cases: Some(&["status"]),
                limit: 0.8,
                kind: "wall time, direct",
            },
            WallLimit {
                cases: Some(&["diff"]),
                limit: 0.9,
                kind: "wall time, direct",
            },
        ],
        Size::Huge => &[WallLimit {
            cases: Some(STATUS_DIFF),
            limit: 1.0,
            kind: "wall time, direct (accelerated repository)",
        }],
    }
}

/// The wall-time limits in words, per measured repository (`medium: every command ≤ 1.0×, …`).
fn wall_limits_text(results: &[CaseResult]) -> String {
    let per_repo: Vec<String> = measured_repos(results)
        .into_iter()
        .map(|repo| {
            let limits: Vec<String> = wall_limits(repo.size())
                .iter()
                .map(|wall| {
                    let cases = match wall.cases {
                        None => "every command".to_owned(),
                        Some(cases) => cases.join(" and "),
                    };
                    format!("{cases} ≤ {:.1}×", wall.limit)
                })
                .collect();
            format!("{}: {}", repo.name(), limits.join(", "))
        })
        .collect();
    per_repo.join("; ")
}

/// `r`'s wall-time targets on a repository of `size`: the plugin run directly against git, with
/// the figure through git's dispatch and the dispatch floor beside it.
fn wall_targets(r: &CaseResult, size: Size, floor: &DispatchFloor) -> Vec<Target> {
    let Some(paired) = Paired::new(Clock::Wall, &r.direct, &r.git) else {
        return Vec::new();
    };
    let git = format!("`{}`", r.git.command);
    let floor_ms = r.floor.stats.map_or(floor.noop.median, |f| f.median);
    let floor_share = r
        .floor
        .ratio_vs_git
        .unwrap_or(floor.noop.median / paired.theirs_ms);
    let spawn = match (r.baseline.stats, r.baseline.ratio_vs_git) {
        (Some(b), Some(b_ratio)) => format!(
            " Spawning git and filtering its output took {:.1} ms ({b_ratio:.2}× git).",
            b.median
        ),
        _ => String::new(),
    };
    let mut targets: Vec<Target> = Vec::new();
    for wall in wall_limits(size)
        .iter()
        .filter(|wall| wall.cases.is_none_or(|cases| cases.contains(&r.case)))
    {
        let limit = wall.limit;
        let room = if floor_share >= limit {
            format!(
                "that floor alone is {floor_share:.2}× git's time, so no plugin that git \
                 dispatches can meet ≤ {limit:.1}× for this command on this machine"
            )
        } else {
            format!(
                "that floor is {floor_share:.2}× git's time, leaving a dispatched plugin about \
                 {:.1} ms for its own work to meet ≤ {limit:.1}×",
                (limit - floor_share) * paired.theirs_ms
            )
        };
        let mut target = paired.target(
            r.repo,
            wall.kind,
            limit,
            &format!(
                " Through git's dispatch `{}` took {}; in the same rounds git's dispatch of an \
                 external command that does nothing took {floor_ms:.1} ms: {room}.{spawn}{}",
                r.plugin.command,
                Clock::Wall.median_vs(&r.plugin, &git),
                plugin_facts(r)
            ),
        );
        target.measured.push_str(&dispatched_cell(r));
        target.stricter = !targets.is_empty();
        targets.push(target);
    }
    targets
}

/// The figure through git's dispatch with the dispatch floor beside it, after a direct run's
/// measured figure (nothing where either was not timed).
fn dispatched_cell(r: &CaseResult) -> String {
    match (
        r.plugin.stats,
        r.plugin.ratio_vs_git,
        r.floor.stats,
        r.floor.ratio_vs_git,
    ) {
        (Some(plugin), Some(plugin_ratio), Some(floor), Some(floor_ratio)) => format!(
            "; dispatched {plugin_ratio:.2}× ({:.1} ms), dispatch floor {floor_ratio:.2}× ({:.1} ms)",
            plugin.median, floor.median
        ),
        _ => String::new(),
    }
}

/// Which of a variant's numbers a time target compares.
#[derive(Clone, Copy)]
enum Clock {
    Wall,
    Cpu,
}

impl Clock {
    /// A variant's times on this clock, and their paired median ratio to git's (to `git_sh`'s for
    /// the agent path).
    fn of(self, v: &VariantResult) -> (Option<Stats>, Option<f64>) {
        match self {
            Clock::Wall => (v.stats, v.ratio_vs_git),
            Clock::Cpu => (v.cpu, v.cpu_ratio_vs_git),
        }
    }

    /// `v`'s median and its ratio to `reference`, for a sentence (`–` where not measured).
    fn median_vs(self, v: &VariantResult, reference: &str) -> String {
        match self.of(v) {
            (Some(s), Some(x)) => format!("{:.1} ms ({x:.2}× {reference})", s.median),
            _ => "–".to_owned(),
        }
    }
}

/// One variant's paired median ratio to another's on one clock: what a time target judges.
struct Paired<'r> {
    clock: Clock,
    ours: &'r VariantResult,
    theirs: &'r VariantResult,
    ratio: f64,
    ours_ms: f64,
    theirs_ms: f64,
}

impl<'r> Paired<'r> {
    /// `None` unless both were measured.
    fn new(clock: Clock, ours: &'r VariantResult, theirs: &'r VariantResult) -> Option<Self> {
        let (Some(o), Some(ratio)) = clock.of(ours) else {
            return None;
        };
        let t = clock.of(theirs).0?;
        Some(Paired {
            clock,
            ours,
            theirs,
            ratio,
            ours_ms: o.median,
            theirs_ms: t.median,
        })
    }

    /// The target of a ratio at most `limit`; its facts are the measured sentence, then `more`.
    fn target(&self, repo: &'static str, kind: &str, limit: f64, more: &str) -> Target {
        let (verb, measure) = match self.clock {
            Clock::Wall => ("took", "(median)"),
            Clock::Cpu => ("used", "of CPU (median user + system)"),
        };
        let (ours, theirs, ratio) = (&self.ours.command, &self.theirs.command, self.ratio);
        Target {
            repo,
            stricter: false,
            what: format!("{kind}: `{ours}` vs `{theirs}`"),
            measured: format!(
                "{ratio:.2}× ({:.1} vs {:.1} ms)",
                self.ours_ms, self.theirs_ms
            ),
            limit: format!("≤ {limit:.1}×"),
            pass: ratio <= limit,
            why: format!(
                "`{ours}` {verb} {:.1} ms {measure} against {:.1} ms for `{theirs}`: paired median \
                 ratio {ratio:.2}×, target ≤ {limit:.1}×.{more}",
                self.ours_ms, self.theirs_ms
            ),
        }
    }
}

/// The agent path (`sh -c '<rewritten>'`) at most as slow as git's command run the same way.
fn agent_target(r: &CaseResult) -> Option<Target> {
    let paired = Paired::new(Clock::Wall, &r.agent, &r.git_sh)?;
    let git = format!("`{}`", r.git.command);
    let facts = format!(
        " In the same rounds the plugin run directly took {}, and git's dispatch of a command \
         that does nothing {}.{}",
        Clock::Wall.median_vs(&r.direct, &git),
        Clock::Wall.median_vs(&r.floor, &git),
        plugin_facts(r),
    );
    Some(paired.target(r.repo, "agent path", 1.0, &facts))
}

/// The repositories measured, in the order they ran.
fn measured_repos(results: &[CaseResult]) -> Vec<Repo> {
    crate::fixture::ALL
        .into_iter()
        .filter(|repo| results.iter().any(|r| r.repo == repo.name()))
        .collect()
}

/// CPU: the plugin run directly (as the hook's direct form runs it) at most 1.2× git's own; the
/// targets apply to the direct run and the agent path (issue 14's decision), so git's dispatch is
/// reported beside it, not counted in it.
fn cpu_target(r: &CaseResult) -> Option<Target> {
    let paired = Paired::new(Clock::Cpu, &r.direct, &r.git)?;
    Some(paired.target(
        r.repo,
        "CPU",
        1.2,
        &format!(
            " In the same rounds `{}` (through git's dispatch, git's CPU included) used {}, and \
             git's dispatch of a command that does nothing {}.",
            r.plugin.command,
            Clock::Cpu.median_vs(&r.plugin, "git's"),
            Clock::Cpu.median_vs(&r.floor, "git's"),
        ),
    ))
}

/// Misses worth a sentence: a stricter limit missed together with the one before it says nothing
/// new.
fn misses(targets: &[Target]) -> Vec<&Target> {
    targets
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            let redundant = t.stricter && *i > 0 && !targets[i - 1].pass;
            !t.pass && !redundant
        })
        .map(|(_, t)| t)
        .collect()
}

/// Other processes that used more than this share of one core on average competed for the CPU.
const BUSY_FROM_CORES: f64 = 0.1;

/// Other processes' CPU during the run, where it could be read; else a load average above the
/// core count, which git's own threads can also cause.
fn busy_note(info: &RunInfo) -> Option<String> {
    if let Some(other) = info.other_cpu {
        return (other.cores() > BUSY_FROM_CORES).then(|| {
            format!(
                "**The machine was busy**: processes other than this run's used {:.1} CPU seconds \
                 while it ran ({:.0}% of one core on average), so they competed for the CPU. Absolute \
                 times are inflated and spread out; the per-round ratios absorb part of it, but re-run \
                 on a quiet machine before drawing fine conclusions.\n",
                other.seconds,
                100.0 * other.cores()
            )
        });
    }
    let peak = [&info.load_start, &info.load_end]
        .iter()
        .filter_map(|l| l.parse::<f64>().ok())
        .fold(f64::NAN, f64::max);
    (peak > info.cores as f64).then(|| {
        format!(
            "**The machine was busy**: load average up to {peak:.1} on {} cores during this run, so other \
             processes competed for the CPU. Absolute times are inflated and spread out; the per-round ratios absorb part of it, \
             but re-run on a quiet machine before drawing fine conclusions.\n",
            info.cores
        )
    })
}

fn ms(v: &VariantResult) -> String {
    ms_to(v, 1)
}

/// The wall median and its p10–p90 spread, in ms to `decimals` places.
fn ms_to(v: &VariantResult, decimals: usize) -> String {
    match v.stats {
        Some(s) => format!(
            "{:.d$} ({:.d$}–{:.d$})",
            s.median,
            s.p10,
            s.p90,
            d = decimals
        ),
        None => "–".into(),
    }
}

fn ratio(v: &VariantResult) -> String {
    v.ratio_vs_git
        .map(|r| format!("{r:.2}×"))
        .unwrap_or_else(|| "–".into())
}

fn cpu_ms(v: &VariantResult) -> String {
    cpu_ms_to(v, 1)
}

/// The CPU median in ms to `decimals` places.
fn cpu_ms_to(v: &VariantResult, decimals: usize) -> String {
    v.cpu
        .map(|s| format!("{:.d$}", s.median, d = decimals))
        .unwrap_or_else(|| "–".into())
}

fn cpu_ratio(v: &VariantResult) -> String {
    v.cpu_ratio_vs_git
        .map(|r| format!("{r:.2}×"))
        .unwrap_or_else(|| "–".into())
}

fn tokens_ratio(a: usize, b: usize) -> String {
    ratio_of(a, b)
        .map(|r| format!("{r:.2}×"))
        .unwrap_or_else(|| "–".into())
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn markdown(
    info: &RunInfo,
    fixtures: &[Fixture],
    results: &[CaseResult],
    startups: &[StartupResult],
) -> Result<String> {
    let mut md = String::new();
    writeln!(md, "# git-rtk benchmark report\n")?;
    writeln!(
        md,
        "Produced by `{}` on {}. Every number below was measured in that run; \
         regenerate this file with the same command rather than editing it (only the *Why* sentences \
         under **Misses** are meant to be refined by hand).\n",
        info.command_line, info.date_utc
    )?;

    writeln!(md, "## Machine\n")?;
    writeln!(md, "| | |\n|---|---|")?;
    writeln!(md, "| cores (`nproc`) | {} |", info.cores)?;
    writeln!(md, "| memory | {} |", info.memory)?;
    writeln!(md, "| CPU | {} |", info.cpu)?;
    writeln!(md, "| kernel | {} |", info.kernel)?;
    writeln!(md, "| git | {} |", info.git_version)?;
    writeln!(md, "| git-rtk commit | {} |", info.commit)?;
    writeln!(
        md,
        "| plugins | {} (the ELF header of `{}/git-rtk-status`), as `scripts/cargo-release` builds them |",
        info.plugin_linking, info.plugin_dir
    )?;
    writeln!(
        md,
        "| load average (1 min) at start → end | {} → {} (git's own threads count in it) |",
        info.load_start, info.load_end
    )?;
    if let Some(other) = info.other_cpu {
        writeln!(
            md,
            "| CPU used by other processes during the run | {:.1} s over {:.0} s ({:.1}% of one core; \
             the machine's busy time in `/proc/stat` less this run's and its children's) |",
            other.seconds,
            other.over,
            100.0 * other.cores()
        )?;
    }
    writeln!(
        md,
        "| method | {} warm-up rounds, then {} timed rounds of git → plugin → spawn+filter → dispatch floor → \
         plugin direct → git (sh) → agent path, alternating; \
         wall time = spawn + wait + read all stdout (+ filter for spawn+filter); CPU time = user + system \
         time of the process and of the processes it waited for (`wait4`; + the filter's for spawn+filter); \
         ratio = median over rounds of the per-round ratio to git |",
        info.warmup, info.runs
    )?;
    writeln!(
        md,
        "| environment | hermetic: no system/global git config, empty `HOME`, `LC_ALL=C`, `TZ=UTC`, \
         the plugin directory (*plugins* above, as `scripts/cargo-release` builds it) first on \
         `PATH` so git dispatches `git rtk-*` itself |\n"
    )?;

    writeln!(
        md,
        "Floor of any `git rtk-*` on this machine: `git version` takes {:.1} ms (median, p10–p90 {:.1}–{:.1}; \
         {:.1} ms CPU); git dispatching an external command that does nothing (`git {}`, a link to `true`) \
         takes {:.1} ms (p10–p90 {:.1}–{:.1}; {:.1} ms CPU). A plugin pays that dispatch before its own work.\n",
        info.dispatch.git_version.median,
        info.dispatch.git_version.p10,
        info.dispatch.git_version.p90,
        info.dispatch.git_version_cpu.median,
        info.dispatch.noop_command,
        info.dispatch.noop.median,
        info.dispatch.noop.p10,
        info.dispatch.noop.p90,
        info.dispatch.noop_cpu.median
    )?;
    if let Some(note) = busy_note(info) {
        writeln!(md, "{note}")?;
    }
    writeln!(md, "## Repositories\n")?;
    writeln!(md, "| repo | HEAD | tracked files (HEAD) | commits (all refs) | build |\n|---|---|---:|---:|---|")?;
    for f in fixtures {
        let build = match f.built_in {
            Some(secs) => {
                let phases: Vec<String> = f
                    .phases
                    .iter()
                    .map(|(p, s)| format!("{p} {s:.1}s"))
                    .collect();
                format!("built in {secs:.1}s ({})", phases.join(", "))
            }
            None => "reused from `target/bench-repos/` (built by an earlier run)".into(),
        };
        writeln!(
            md,
            "| {} | `{}` | {} | {} | {build} |",
            f.repo.name(),
            f.head.get(..12).unwrap_or(&f.head),
            thousands(f.tracked_files),
            thousands(f.commits)
        )?;
    }
    writeln!(md, "\n{}", repositories_text(fixtures))?;
    for note in &info.skipped {
        writeln!(md, "{note}\n")?;
    }

    startup_section(&mut md, info, results, startups)?;

    writeln!(md, "## Targets\n")?;
    let targets = targets(results, &info.dispatch);
    if targets.is_empty() {
        writeln!(
            md,
            "No command was measured in this run: no target is judged.\n"
        )?;
    } else {
        writeln!(
            md,
            "Time targets judge the plugin run directly (`git-rtk-<cmd>`, as the hook's direct \
             form runs it) and the agent path; the figure through git's dispatch (`git rtk-<cmd>`) \
             is given beside each wall time with the dispatch floor, what git's dispatch of a \
             command that does nothing took in the same rounds and every dispatched plugin pays \
             before its own work. Wall time, direct, at most this ratio to git's: {}. CPU of the \
             direct run ≤ 1.2× git's for status and diff on every repository and `log -n 50` on \
             the medium ones; agent path ≤ 1.0× git (sh) on the medium repositories; tokens on medium.\n",
            wall_limits_text(results)
        )?;
        writeln!(
            md,
            "| repo | target | measured | limit | result |\n|---|---|---|---|---|"
        )?;
        for t in &targets {
            writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                t.repo,
                t.what,
                t.measured,
                t.limit,
                if t.pass { "PASS" } else { "**MISS**" }
            )?;
        }
        let misses = misses(&targets);
        if misses.is_empty() {
            writeln!(md, "\nEvery target is met.\n")?;
        } else {
            writeln!(md, "\n### Misses\n")?;
            for t in misses {
                writeln!(md, "- **{}** ({}) — {}", t.what, t.repo, t.why)?;
            }
            writeln!(md)?;
        }
        if targets.iter().any(|t| t.what.starts_with("tokens")) {
            writeln!(
                md,
                "Token targets count tokens only; that no fact is lost is the parity suite's job \
                 (`parity/`), not this benchmark's.\n"
            )?;
        }
    }

    per_repo_tables(
        &mut md,
        results,
        "Wall time (ms: median (p10–p90))",
        "| command | git | plugin | plugin direct | agent path | git (sh) | spawn+filter | dispatch floor | plugin/git | direct/git | agent/git (sh) | spawn+filter/git | floor/git | git CPU | plugin CPU | plugin CPU/git CPU | direct CPU | direct CPU/git CPU |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        |r| {
            format!(
                "| `{}` vs `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.git.command,
                r.plugin.command,
                ms(&r.git),
                ms(&r.plugin),
                ms(&r.direct),
                ms(&r.agent),
                ms(&r.git_sh),
                ms(&r.baseline),
                ms(&r.floor),
                ratio(&r.plugin),
                ratio(&r.direct),
                ratio(&r.agent),
                ratio(&r.baseline),
                ratio(&r.floor),
                cpu_ms(&r.git),
                cpu_ms(&r.plugin),
                cpu_ratio(&r.plugin),
                cpu_ms(&r.direct),
                cpu_ratio(&r.direct)
            )
        },
    )?;
    writeln!(
        md,
        "*dispatch floor*: `git {}`, a link to `true` run by git's external-command dispatch in the same \
         rounds; every `git rtk-*` pays it before its own work. *plugin direct*: the same plugin binary \
         (`git-rtk-<cmd>`) run without git's dispatch, also in the same rounds: the plugin's own cost. \
         *agent path*: the command exactly as the hook rewrites it (`git_rtk::hook::claude_default_rewrite`: \
         what Claude Code runs with the hook in its default mode, the plugin itself where the hook sends \
         the direct form), run the way an agent's shell tool runs it, `sh -c '<command>'`; *git (sh)* is git's own command run \
         the same way, and *agent/git (sh)* compares the two, like with like. \
         *CPU*: median user + system time (ms) of the process and of the processes it waited for, so the \
         plugin's includes git's dispatch, and *direct CPU* is the plugin run directly (the form the CPU \
         target counts); each ratio is the median over rounds like the others.\n",
        crate::cases::NOOP_COMMAND
    )?;
    writeln!(
        md,
        "agent path commands (the typed command → what the hook runs):\n"
    )?;
    // The commands are the same on every repository: list the first one's.
    let first_repo: Vec<&CaseResult> = results
        .iter()
        .filter(|r| Some(r.repo) == repos(results).first().copied())
        .collect();
    for r in &first_repo {
        writeln!(
            md,
            "- {}: `{}` → `{}`",
            r.case, r.git_sh.command, r.agent.command
        )?;
    }
    writeln!(md)?;
    writeln!(
        md,
        "spawn+filter commands (what earlier tools do, filtered in the benchmark process):\n"
    )?;
    for r in &first_repo {
        writeln!(
            md,
            "- {}: `{}`",
            r.case,
            r.baseline.command.trim_end_matches(" + filter")
        )?;
    }
    writeln!(md)?;

    per_repo_tables(
        &mut md,
        results,
        "Tokens (o200k_base)",
        "| command | plugin | git default | best native form | plugin/default | plugin/best native | spawn+filter |\n|---|---:|---:|---|---:|---:|---:|",
        |r| {
            format!(
                "| `{}` | {} | {} | `{}`: {} | {} | {} | {} |",
                r.plugin.command,
                thousands(r.plugin.tokens),
                thousands(r.git.tokens),
                r.best_native.command,
                thousands(r.best_native.tokens),
                tokens_ratio(r.plugin.tokens, r.git.tokens),
                tokens_ratio(r.plugin.tokens, r.best_native.tokens),
                thousands(r.baseline.tokens)
            )
        },
    )?;
    let passing_through: Vec<String> = results
        .iter()
        .filter(|r| r.plugin_is_git_output())
        .map(|r| format!("`{}` ({})", r.plugin.command, r.repo))
        .collect();
    if !passing_through.is_empty() {
        writeln!(
            md,
            "Printed exactly what the git command printed (passed through to git): {}.\n",
            passing_through.join(", ")
        )?;
    }
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.plugin.exit_code != r.git.exit_code)
        .map(|r| {
            format!(
                "`{}` ({}) exited {} where git exited {}",
                r.plugin.command, r.repo, r.plugin.exit_code, r.git.exit_code
            )
        })
        .collect();
    if !failed.is_empty() {
        writeln!(
            md,
            "Exit codes that differ from git's: {}.\n",
            failed.join("; ")
        )?;
    }

    writeln!(md, "## Run time\n")?;
    writeln!(md, "| phase | seconds |\n|---|---:|")?;
    for (phase, secs) in &info.timings {
        writeln!(md, "| {phase} | {secs:.1} |")?;
    }
    Ok(md)
}

/// `## Start-up`: each plugin's `-h` beside git's, with `true` and the share of the plugin's whole
/// run its start-up takes; nothing when no start-up was measured.
fn startup_section(
    md: &mut String,
    info: &RunInfo,
    results: &[CaseResult],
    startups: &[StartupResult],
) -> std::fmt::Result {
    let Some(first) = startups.first() else {
        return Ok(());
    };
    writeln!(md, "## Start-up\n")?;
    writeln!(
        md,
        "`-h` parses the arguments and prints the usage without opening the repository, so its time \
         is the process start-up (loader, runtime, argument parsing) that every run of that plugin \
         pays; `git <cmd> -h` is git's own, and `{}`, a process that does nothing, the floor of any \
         process on this machine. The plugins' linking: {} (*plugins* in the machine table). For each command the three alternate, each \
         started directly by the benchmark (no git dispatch, no shell): {} warm-up rounds, then {} \
         timed rounds of git `-h` → plugin `-h` → `true`; every run exited as it should (129 after \
         printing the usage, 0 for `true`). Times in ms: median (p10–p90), CPU median; ratios are \
         medians over rounds of the per-round ratio to git's `-h`. *share of its run*: the plugin's \
         `-h` median as a share of the median of its whole command run directly on the same \
         repository (*plugin direct* in the wall-time table below); *git's share of its run*: git's \
         `-h` median as a share of git's median of the same command.\n",
        first.noop.command, info.plugin_linking, info.warmup, info.runs
    )?;
    writeln!(
        md,
        "| repo | command | plugin `-h` | plugin CPU | git `-h` | git CPU | plugin/git | plugin CPU/git CPU | `true` | `true` CPU | share of its run | git's share of its run |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    )?;
    for s in startups {
        let (plugin_share, git_share) = shares_of_runs(s, results);
        writeln!(
            md,
            "| {} | `{}` vs `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {plugin_share} | {git_share} |",
            s.repo,
            s.plugin.command,
            s.git.command,
            fine_ms(&s.plugin),
            fine_cpu_ms(&s.plugin),
            fine_ms(&s.git),
            fine_cpu_ms(&s.git),
            ratio(&s.plugin),
            cpu_ratio(&s.plugin),
            fine_ms(&s.noop),
            fine_cpu_ms(&s.noop),
        )?;
    }
    writeln!(md)
}

/// The plugin's `-h` median as a percentage of its whole command's direct run on the same
/// repository (`46% of `git-rtk-log -n 20` (2.02 ms)`), and git's `-h` of git's command (`52% of
/// 2.20 ms`); `–` where either was not timed.
fn shares_of_runs(s: &StartupResult, results: &[CaseResult]) -> (String, String) {
    let Some(full) = find(results, s.repo, s.full_case) else {
        return ("–".into(), "–".into());
    };
    let plugin = share(&s.plugin, &full.direct).map_or_else(
        || "–".into(),
        |(percent, whole)| format!("{percent:.0}% of `{}` ({whole:.2} ms)", full.direct.command),
    );
    let git = share(&s.git, &full.git).map_or_else(
        || "–".into(),
        |(percent, whole)| format!("{percent:.0}% of {whole:.2} ms"),
    );
    (plugin, git)
}

/// `part`'s wall median as a percentage of `whole`'s, and `whole`'s median.
fn share(part: &VariantResult, whole: &VariantResult) -> Option<(f64, f64)> {
    let (part, whole) = (part.stats?.median, whole.stats?.median);
    (whole > 0.0).then(|| (100.0 * part / whole, whole))
}

/// Like [`ms`], to the hundredth: start-up times are about a millisecond.
fn fine_ms(v: &VariantResult) -> String {
    ms_to(v, 2)
}

/// Like [`cpu_ms`], to the hundredth.
fn fine_cpu_ms(v: &VariantResult) -> String {
    cpu_ms_to(v, 2)
}

/// What the measured repositories are, in a paragraph or two.
fn repositories_text(fixtures: &[Fixture]) -> String {
    let change_set =
        "15 modified files with 2–4 hunks each (3 of them staged, one of those modified \
         again), 2 staged new files, 1 staged rename, 1 deleted file, 1 mode change, 5 untracked \
         files in 2 new directories, and ignored build output";
    let synthetic: Vec<&str> = fixtures
        .iter()
        .filter(|f| matches!(f.repo, Repo::Synthetic(_)))
        .map(|f| f.repo.name())
        .collect();
    let mut text = String::new();
    if !synthetic.is_empty() {
        let which = match synthetic.as_slice() {
            [one] => format!("The {one} repository is synthetic and has"),
            many => format!(
                "The {} repositories are synthetic and have",
                many.join(" and ")
            ),
        };
        text.push_str(&format!(
            "{which} nested directories of source-like text, merges, tags, `main` ahead 2 / behind 3 of \
             `origin/main` (a local bare clone), `feature/parser` ahead 1 / behind 1, and an uncommitted \
             change set: {change_set}.\n"
        ));
    }
    for f in fixtures.iter().filter(|f| f.repo.is_accelerated()) {
        let cases: Vec<String> = crate::cases::all()
            .into_iter()
            .filter(|case| case.runs_on(f.repo))
            .map(|case| format!("`{}`", case.name))
            .collect();
        text.push_str(&format!(
            "\nIn the {} repository git's accelerations for big work trees are on, as a user who \
             enabled them has them: `core.untrackedCache=true` and `core.splitIndex=true`, applied \
             with `git update-index --split-index --untracked-cache` after checkout and before the \
             change set, whose two `git status` runs fill the untracked cache. Only {} are measured \
             there.\n",
            f.repo.name(),
            match cases.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => "no commands".to_owned(),
            }
        ));
    }
    for f in fixtures {
        if let Repo::Pinned(pinned) = f.repo {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!(
                "The {} repository is this project's own repository at commit `{}` (fetched from the \
                 workspace's repository, only what that commit reaches: real code, real file sizes and \
                 real history), `git gc`'d, with `main` ahead 2 of `origin/main` (a local bare clone) \
                 and no other branch or tag. Its change set is of the same kind, picked from its Rust \
                 and Markdown files: {change_set}; the mode change falls on a script that is not \
                 Python (the project has none), and `*.log` is ignored through `.git/info/exclude`.\n",
                pinned.name,
                &pinned.commit[..7]
            ));
        }
    }
    text
}

/// A `## title` section with one table per repository: `header` (with its `|---|` line), then
/// `row` of each of that repository's cases.
fn per_repo_tables(
    md: &mut String,
    results: &[CaseResult],
    title: &str,
    header: &str,
    row: impl Fn(&CaseResult) -> String,
) -> std::fmt::Result {
    writeln!(md, "## {title}\n")?;
    for repo in repos(results) {
        writeln!(md, "### {repo}\n")?;
        writeln!(md, "{header}")?;
        for r in results.iter().filter(|r| r.repo == repo) {
            writeln!(md, "{}", row(r))?;
        }
        writeln!(md)?;
    }
    Ok(())
}

fn repos(results: &[CaseResult]) -> Vec<&'static str> {
    let mut repos: Vec<&'static str> = Vec::new();
    for r in results {
        if !repos.contains(&r.repo) {
            repos.push(r.repo);
        }
    }
    repos
}

/// A compact table for the terminal.
pub fn summary(results: &[CaseResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<11} {:<14} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>7}",
        "repo",
        "command",
        "git ms",
        "rtk ms",
        "spawn ms",
        "rtk/git",
        "spn/git",
        "cpu r",
        "rtk tok",
        "git tok",
        "best tok",
        "tok r"
    );
    for r in results {
        let med = |v: &VariantResult| {
            v.stats
                .map(|s| format!("{:.1}", s.median))
                .unwrap_or_default()
        };
        let _ = writeln!(
            out,
            "{:<11} {:<14} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>7}",
            r.repo,
            r.case,
            med(&r.git),
            med(&r.plugin),
            med(&r.baseline),
            ratio(&r.plugin),
            ratio(&r.baseline),
            cpu_ratio(&r.plugin),
            r.plugin.tokens,
            r.git.tokens,
            r.best_native.tokens,
            tokens_ratio(r.plugin.tokens, r.git.tokens)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(ms: f64) -> Stats {
        Stats {
            runs: 3,
            median: ms,
            p10: ms,
            p90: ms,
            min: ms,
            max: ms,
        }
    }

    /// A variant that took `ratio` times git's 10 ms, on both clocks.
    fn timed(command: &str, ratio: f64) -> VariantResult {
        VariantResult {
            command: command.to_owned(),
            stats: Some(stats(10.0 * ratio)),
            ratio_vs_git: Some(ratio),
            cpu: Some(stats(10.0 * ratio)),
            cpu_ratio_vs_git: Some(ratio),
            exit_code: 0,
            stdout: Vec::new(),
            stderr_first_line: None,
            tokens: 0,
        }
    }

    /// `case` on `repo`: the plugin run directly took `direct` times git's time, through git's
    /// dispatch `dispatched` times.
    fn result(repo: &'static str, case: &'static str, direct: f64, dispatched: f64) -> CaseResult {
        CaseResult {
            repo,
            case,
            git: timed(&format!("git {case}"), 1.0),
            plugin: timed(&format!("git rtk-{case}"), dispatched),
            baseline: timed(&format!("git {case} + filter"), 1.0),
            best_native: timed(&format!("git {case}"), 1.0),
            fact_floor: None,
            floor: timed("git rtk-bench-noop", 0.3),
            direct: timed(&format!("git-rtk-{case}"), direct),
            git_sh: timed(&format!("sh -c 'git {case}'"), 1.0),
            agent: timed(&format!("sh -c 'git-rtk-{case}'"), 1.0),
        }
    }

    fn floor() -> DispatchFloor {
        DispatchFloor {
            git_version: stats(2.0),
            noop: stats(3.0),
            git_version_cpu: stats(1.0),
            noop_cpu: stats(1.0),
            noop_command: "rtk-bench-noop",
        }
    }

    fn info() -> RunInfo {
        RunInfo {
            command_line: "cargo run --release -p git-rtk-bench".into(),
            date_utc: "2025-01-01 00:00 UTC".into(),
            cores: 2,
            memory: "4.0 GiB".into(),
            cpu: "test CPU".into(),
            kernel: "Linux 6.1".into(),
            git_version: "git version 2.43.0 (`/usr/bin/git`)".into(),
            commit: "abc1234".into(),
            plugin_linking: "static, fixed address",
            plugin_dir: "/w/target/x86_64-unknown-linux-gnu/release".into(),
            load_start: "0.5".into(),
            load_end: "0.6".into(),
            other_cpu: Some(OtherCpu {
                seconds: 1.5,
                over: 300.0,
            }),
            runs: 30,
            warmup: 3,
            dispatch: floor(),
            timings: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// `cmd`'s start-up on `repo`: git's `-h` takes 1 ms, the plugin's `plugin` times that, `true`
    /// 0.4 ms.
    fn startup(
        repo: &'static str,
        cmd: &'static str,
        full_case: &'static str,
        plugin: f64,
    ) -> StartupResult {
        let at = |command: String, ms: f64, ratio: f64| VariantResult {
            stats: Some(stats(ms)),
            cpu: Some(stats(ms / 2.0)),
            exit_code: if command == "/usr/bin/true" { 0 } else { 129 },
            ..timed(&command, ratio)
        };
        StartupResult {
            repo,
            command: cmd,
            full_case,
            git: at(format!("git {cmd} -h"), 1.0, 1.0),
            plugin: at(format!("git-rtk-{cmd} -h"), plugin, plugin),
            noop: at("/usr/bin/true".into(), 0.4, 0.4),
        }
    }

    #[test]
    fn the_start_up_section_and_its_csv_rows() -> Result<()> {
        // The direct run of `log -n 20` takes 0.2 × 10 ms = 2 ms.
        let results = [
            result("medium", "log -n 20", 0.2, 0.5),
            result("medium-real", "log -n 20", 0.25, 0.5),
        ];
        let startups = [
            startup("medium", "log", "log -n 20", 0.9),
            startup("medium", "status", "status", 1.1),
            startup("medium-real", "log", "log -n 20", 0.95),
        ];
        let mut md = String::new();
        startup_section(&mut md, &info(), &results, &startups)?;
        println!("{md}");
        assert!(md.starts_with("## Start-up\n\n`-h` parses the arguments and prints the usage without opening the repository"));
        assert!(md.contains("The plugins' linking: static, fixed address (*plugins*"));
        assert!(md.contains(
            "| medium | `git-rtk-log -h` vs `git log -h` | 0.90 (0.90–0.90) | 0.45 | 1.00 (1.00–1.00) | 0.50 | 0.90× | 0.90× | 0.40 (0.40–0.40) | 0.20 | 45% of `git-rtk-log -n 20` (2.00 ms) | 10% of 10.00 ms |"
        ));
        assert!(md.contains("| medium-real | `git-rtk-log -h` vs `git log -h` | 0.95 (0.95–0.95)"));
        assert!(md.contains("38% of `git-rtk-log -n 20` (2.50 ms) | 10% of 10.00 ms |"));
        // No `status` case was measured: no share.
        assert!(md.contains("| 0.20 | – | – |\n"));
        assert_eq!(md.lines().filter(|l| l.starts_with("| medium")).count(), 3);

        let dir = tempfile::tempdir()?;
        let csv = dir.path().join("bench.csv");
        write_csv(&csv, &results, &startups)?;
        let text = std::fs::read_to_string(&csv)?;
        let startup_rows: Vec<&str> = text.lines().filter(|l| l.contains(",startup_")).collect();
        assert_eq!(startup_rows.len(), 9);
        assert_eq!(
            startup_rows[1],
            "medium,log -h,startup_plugin,git-rtk-log -h,3,0.900,0.900,0.900,0.900,0.900,0.900,129,0,0,,0.450,0.450,0.450,0.900"
        );
        assert!(startup_rows[2].starts_with("medium,log -h,startup_true,/usr/bin/true,3,0.400,"));
        Ok(())
    }

    #[test]
    fn the_report_names_the_plugins_linking_and_places_the_start_up_before_the_targets(
    ) -> Result<()> {
        let results = [result("medium", "log -n 20", 0.2, 0.5)];
        let startups = [startup("medium", "log", "log -n 20", 0.9)];
        let fixture = Fixture {
            repo: crate::fixture::ALL[0],
            work: "/w/target/bench-repos/medium".into(),
            head: "0123456789abcdef".into(),
            tracked_files: 1_000,
            commits: 320,
            built_in: None,
            phases: Vec::new(),
        };
        let md = markdown(&info(), &[fixture], &results, &startups)?;
        assert!(md.contains(
            "| plugins | static, fixed address (the ELF header of \
             `/w/target/x86_64-unknown-linux-gnu/release/git-rtk-status`), as \
             `scripts/cargo-release` builds them |"
        ));
        assert!(md.contains(
            "the plugin directory (*plugins* above, as `scripts/cargo-release` builds it) first on `PATH`"
        ));
        let at = |heading: &str| md.find(heading).unwrap_or_else(|| panic!("no {heading}"));
        assert!(at("## Repositories") < at("## Start-up"));
        assert!(at("## Start-up") < at("## Targets"));
        Ok(())
    }

    #[test]
    fn no_start_up_section_without_start_ups() -> Result<()> {
        let mut md = String::new();
        startup_section(
            &mut md,
            &info(),
            &[result("large", "status", 1.0, 1.0)],
            &[],
        )?;
        assert_eq!(md, "");
        Ok(())
    }

    /// (repo, label, limit) of every wall-time target.
    fn wall_time(targets: &[Target]) -> Vec<(&str, String, &str)> {
        targets
            .iter()
            .filter(|t| t.what.starts_with("wall time"))
            .map(|t| {
                let label = t.what.split(": `").next().unwrap_or_default().to_owned();
                (t.repo, label, t.limit.as_str())
            })
            .collect()
    }

    #[test]
    fn wall_time_limits_follow_the_repository() {
        let mut results = Vec::new();
        for repo in ["medium", "medium-real", "large", "huge"] {
            for case in ["status", "log -n 50", "diff", "diff --cached"] {
                results.push(result(repo, case, 0.5, 1.5));
            }
        }
        let targets = targets(&results, &floor());
        let direct = "wall time, direct";
        let aim = "wall time, direct (status/diff ≤ 0.9×)";
        let accelerated = "wall time, direct (accelerated repository)";
        let mut expected = Vec::new();
        for repo in ["medium", "medium-real"] {
            expected.extend([
                (repo, direct, "≤ 1.0×"),
                (repo, aim, "≤ 0.9×"),
                (repo, direct, "≤ 1.0×"),
                (repo, direct, "≤ 1.0×"),
                (repo, aim, "≤ 0.9×"),
                (repo, direct, "≤ 1.0×"),
            ]);
        }
        expected.extend([
            ("large", direct, "≤ 0.8×"),
            ("large", direct, "≤ 0.9×"),
            ("huge", accelerated, "≤ 1.0×"),
            ("huge", accelerated, "≤ 1.0×"),
        ]);
        let expected: Vec<(&str, String, &str)> = expected
            .into_iter()
            .map(|(repo, label, limit)| (repo, label.to_owned(), limit))
            .collect();
        assert_eq!(wall_time(&targets), expected);
        // Judged on the direct run, passing at 0.5× though the dispatched run took 1.5×.
        assert!(targets
            .iter()
            .filter(|t| t.what.starts_with("wall time"))
            .all(|t| t.pass && t.what.contains("`git-rtk-")));
        let cpu: Vec<(&str, &str)> = targets
            .iter()
            .filter(|t| t.what.starts_with("CPU"))
            .map(|t| (t.repo, t.what.as_str()))
            .collect();
        assert_eq!(cpu.iter().filter(|(repo, _)| *repo == "medium").count(), 3);
        assert_eq!(cpu.iter().filter(|(repo, _)| *repo == "large").count(), 2);
        assert_eq!(cpu.iter().filter(|(repo, _)| *repo == "huge").count(), 2);
        assert!(targets
            .iter()
            .filter(|t| t.what.starts_with("agent path"))
            .all(|t| t.repo == "medium" || t.repo == "medium-real"));
    }

    #[test]
    fn a_wall_time_target_gives_the_dispatched_figure_beside_the_floor() {
        let results = [result("huge", "status", 1.1, 1.4)];
        let targets = targets(&results, &floor());
        let wall: Vec<&Target> = targets
            .iter()
            .filter(|t| t.what.starts_with("wall time"))
            .collect();
        let [status] = wall[..] else {
            panic!("expected one wall-time target on huge, got {}", wall.len());
        };
        assert!(!status.pass);
        assert_eq!(
            status.measured,
            "1.10× (11.0 vs 10.0 ms); dispatched 1.40× (14.0 ms), dispatch floor 0.30× (3.0 ms)"
        );
        assert!(status
            .why
            .contains("Through git's dispatch `git rtk-status` took 14.0 ms (1.40× `git status`)"));
    }

    #[test]
    fn a_stricter_limit_missed_with_the_one_before_is_not_a_second_miss() {
        let results = [
            result("medium", "status", 1.2, 1.5),
            result("medium", "diff", 0.95, 1.5),
        ];
        let targets = targets(&results, &floor());
        let missed: Vec<(&str, bool)> = misses(&targets)
            .into_iter()
            .filter(|t| t.what.starts_with("wall time"))
            .map(|t| (t.what.as_str(), t.stricter))
            .collect();
        assert_eq!(
            missed,
            [
                ("wall time, direct: `git-rtk-status` vs `git status`", false),
                (
                    "wall time, direct (status/diff ≤ 0.9×): `git-rtk-diff` vs `git diff`",
                    true
                ),
            ]
        );
    }
}
