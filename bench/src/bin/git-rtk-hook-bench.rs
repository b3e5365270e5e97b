//! The agent hook as the agent meets it: one whole `git-rtk-hook <agent>` process per decision,
//! its event on stdin, run in a git repository with the audit log on, against the cost of
//! spawning a process that only copies its stdin (`cat`) measured in the same loop.
//! Target: at most 2 ms p50 per decision. Writes `hook.csv` and `hook.md` to the output directory
//! (default `bench/results/`).
//!
//! `cargo build --release --bin git-rtk-hook && cargo run --release -p git-rtk-bench --bin
//! git-rtk-hook-bench`

#[path = "../program.rs"]
mod program;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;

/// The p50 a decision may take.
const TARGET_MS: f64 = 2.0;

#[derive(Parser, Debug)]
#[command(about = "Times whole git-rtk-hook processes per decision")]
struct Args {
    /// Timed rounds per event (after the warm-up).
    #[arg(long, default_value_t = 200)]
    rounds: usize,
    #[arg(long, default_value_t = 20)]
    warmup: usize,
    /// The hook binary (default: git-rtk-hook where `scripts/cargo-release build --release` puts
    /// it).
    #[arg(long)]
    hook: Option<PathBuf>,
    /// Where hook.csv and hook.md go (default: bench/results/ of the workspace).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// One measured decision: the agent, what the event asks, and the event.
struct Event {
    agent: &'static str,
    label: &'static str,
    json: String,
}

fn events(cwd: &Path) -> Vec<Event> {
    let cwd = cwd.display().to_string();
    let claude = |command: &str| {
        serde_json::json!({
            "session_id": "bench", "cwd": cwd, "hook_event_name": "PreToolUse",
            "permission_mode": "default", "tool_name": "Bash",
            "tool_input": { "command": command, "description": "bench" },
        })
        .to_string()
    };
    let shell = |tool: &str, command: &str| {
        serde_json::json!({
            "session_id": "bench", "cwd": cwd, "hook_event_name": "PreToolUse",
            "permission_mode": "default", "tool_name": tool,
            "tool_input": { "command": command },
        })
        .to_string()
    };
    let copilot = serde_json::json!({
        "sessionId": "bench", "timestamp": 1, "cwd": cwd, "toolName": "bash",
        "toolArgs": serde_json::json!({"command": "git -C . status", "description": "bench"}).to_string(),
    })
    .to_string();
    vec![
        Event {
            agent: "claude",
            label: "git status (rewrite + allow)",
            json: claude("git status"),
        },
        Event {
            agent: "claude",
            label: "git log --oneline -5 && git diff --stat",
            json: claude("git log --oneline -5 && git diff --stat"),
        },
        Event {
            agent: "claude",
            label: "npm test (no git)",
            json: claude("npm test"),
        },
        Event {
            agent: "codex",
            label: "git status (rewrite + allow)",
            json: shell("Bash", "git status"),
        },
        Event {
            agent: "gemini",
            label: "git status (known-safe: left as typed)",
            json: shell("run_shell_command", "git status"),
        },
        Event {
            agent: "copilot",
            label: "git -C . status (rewrite)",
            json: copilot,
        },
    ]
}

fn main() -> ExitCode {
    program::exit_status("hook-bench", run(Args::parse()))
}

/// One process run: spawn, write the event, read all output, wait. Wall time in ms.
fn time_once(
    program: &Path,
    args: &[&str],
    input: &str,
    env: &Environment,
) -> Result<(f64, Vec<u8>)> {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .current_dir(&env.repo)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("XDG_STATE_HOME", env.home.join("state"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", program.display()))?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(input.as_bytes())
        .context("writing the event")?;
    let output = child.wait_with_output().context("waiting")?;
    Ok((start.elapsed().as_secs_f64() * 1000.0, output.stdout))
}

/// A git repository to run in and an empty home (no agent settings).
struct Environment {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    home: PathBuf,
}

fn environment() -> Result<Environment> {
    let dir = tempfile::tempdir().context("temp dir")?;
    let repo = dir.path().join("repo");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&repo)?;
    std::fs::create_dir_all(&home)?;
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .env("HOME", &home)
        .status()
        .context("git init")?;
    if !status.success() {
        bail!("git init failed");
    }
    Ok(Environment {
        _dir: dir,
        repo,
        home,
    })
}

fn median_and_p90(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at =
        |p: f64| samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    (at(0.5), at(0.9))
}

fn run(args: Args) -> Result<()> {
    let root = program::workspace_root()?;
    let hook = match args.hook {
        Some(hook) => hook,
        None => program::plugin_dir(&root)?.join("git-rtk-hook"),
    };
    if !hook.exists() {
        bail!(
            "{} not found: {} build --release --bin git-rtk-hook",
            hook.display(),
            program::CARGO_RELEASE
        );
    }
    let env = environment()?;
    let floor = PathBuf::from("cat");
    let mut rows = Vec::new();
    for event in events(&env.repo) {
        let mut hook_ms = Vec::new();
        let mut floor_ms = Vec::new();
        let mut answer = Vec::new();
        for round in 0..args.warmup + args.rounds {
            let (h, out) = time_once(&hook, &[event.agent], &event.json, &env)?;
            let (f, _) = time_once(&floor, &[], &event.json, &env)?;
            if round >= args.warmup {
                hook_ms.push(h);
                floor_ms.push(f);
            }
            answer = out;
        }
        let (p50, p90) = median_and_p90(&mut hook_ms);
        let (floor_p50, _) = median_and_p90(&mut floor_ms);
        rows.push((
            event,
            p50,
            p90,
            floor_p50,
            !answer.is_empty() && answer != b"{}\n",
        ));
    }
    let out = args.out.unwrap_or_else(|| root.join("bench/results"));
    std::fs::create_dir_all(&out)?;
    let mut csv = String::from("agent,event,rewritten,hook_p50_ms,hook_p90_ms,spawn_floor_p50_ms,ratio_to_floor,target_ms,pass\n");
    let mut md = format!(
        "# Agent hook: one process per decision\n\n`git-rtk-hook <agent>` as the agent runs it (event on stdin, in a git repository, audit log on), {} rounds after {} warm-up, alternating with a process that only copies its stdin (`cat`, the spawn floor). Target: p50 ≤ {TARGET_MS} ms.\n\n| agent | event | rewritten | p50 ms | p90 ms | spawn floor p50 ms | × floor | ≤ {TARGET_MS} ms |\n|---|---|---|---|---|---|---|---|\n",
        args.rounds, args.warmup
    );
    for (event, p50, p90, floor, rewritten) in &rows {
        let pass = *p50 <= TARGET_MS;
        writeln!(
            csv,
            "{},\"{}\",{rewritten},{p50:.3},{p90:.3},{floor:.3},{:.2},{TARGET_MS},{pass}",
            event.agent,
            event.label,
            p50 / floor
        )?;
        writeln!(
            md,
            "| {} | `{}` | {} | {p50:.2} | {p90:.2} | {floor:.2} | {:.2} | {} |",
            event.agent,
            event.label,
            if *rewritten { "yes" } else { "no" },
            p50 / floor,
            if pass { "yes" } else { "**no**" }
        )?;
    }
    std::fs::write(out.join("hook.csv"), &csv).context("writing hook.csv")?;
    std::fs::write(out.join("hook.md"), &md).context("writing hook.md")?;
    print!("{md}");
    Ok(())
}
