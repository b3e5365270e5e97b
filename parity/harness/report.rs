//! The parity report: one CSV row per case and a Markdown summary of match rates, written after
//! all trials when `GIT_RTK_PARITY_REPORT=1`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;

use super::case::GitCommand;
use super::env::Toolchain;

/// What one case found. `None` for a check means it had nothing to compare.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    pub case: String,
    pub command: GitCommand,
    pub exit_match: bool,
    pub state_match: bool,
    pub signals_match: Option<bool>,
    pub facts_match: Option<bool>,
    /// The facts held on their own, not only because the output was git's byte for byte.
    pub facts_held_literally: Option<bool>,
    pub snapshot_match: bool,
    /// The native size the plugin recorded, next to git's; `None` when it recorded none.
    pub native_size: Option<super::native_size::NativeCheck>,
    /// stdout, stderr and exit code identical to git's: the plugin most likely passed through.
    pub passthrough_suspected: bool,
    /// How the case declares it is served, and whether the run's tracking row agreed.
    pub served: super::native_size::Served,
    pub served_match: bool,
    /// One line per problem, for the summary.
    pub problems: Vec<String>,
}

static OUTCOMES: Mutex<Vec<CaseOutcome>> = Mutex::new(Vec::new());

pub fn record(outcome: CaseOutcome) {
    OUTCOMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(outcome);
}

pub fn requested() -> bool {
    std::env::var_os("GIT_RTK_PARITY_REPORT").is_some_and(|value| !value.is_empty() && value != "0")
}

/// Writes `report.csv`, `REPORT.md` and, when every case of the suite ran (`total`), the
/// certificate. Returns whether the certificate was written.
pub fn write(dir: &Path, toolchain: &Toolchain, total: usize) -> Result<bool, String> {
    let mut outcomes = OUTCOMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    outcomes.sort_by(|a, b| a.case.cmp(&b.case));
    save(&dir.join("report.csv"), csv(&outcomes).as_bytes())?;
    save(
        &dir.join("REPORT.md"),
        markdown(&outcomes, toolchain).as_bytes(),
    )?;
    // A filtered run would certify a command on the cases it happened to select.
    if outcomes.len() < total {
        return Ok(false);
    }
    let path = dir.join(CERTIFICATE_FILE);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(format!("cannot read {}: {err}", path.display())),
    };
    save(
        &path,
        certificate(&outcomes, &toolchain.git_version, &existing)?.as_bytes(),
    )?;
    Ok(true)
}

/// Through the project's atomic-write core, like every file git-rtk writes.
fn save(path: &Path, bytes: &[u8]) -> Result<(), String> {
    git_rtk::write::write_file(path, bytes, &git_rtk::write::WriteOptions::default())
        .map(|_| ())
        .map_err(|err| format!("cannot write {}: {err}", path.display()))
}

pub const CERTIFICATE_FILE: &str = "certificate.toml";

/// One command's result on one git.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommandTally {
    pub cases: usize,
    pub passes: usize,
}

/// command → git version → tally.
type Certificate = BTreeMap<String, BTreeMap<String, CommandTally>>;

/// The certificate after this run: this git's tallies replace its old ones; other gits' stay.
pub fn certificate(
    outcomes: &[CaseOutcome],
    git_version: &str,
    existing: &str,
) -> Result<String, String> {
    let mut certificate: Certificate = if existing.trim().is_empty() {
        Certificate::new()
    } else {
        toml::from_str(existing).map_err(|err| format!("{CERTIFICATE_FILE}: {err}"))?
    };
    for by_git in certificate.values_mut() {
        by_git.remove(git_version);
    }
    for outcome in outcomes {
        let tally = certificate
            .entry(outcome.command.name().to_owned())
            .or_default()
            .entry(git_version.to_owned())
            .or_insert(CommandTally {
                cases: 0,
                passes: 0,
            });
        tally.cases += 1;
        if outcome.problems.is_empty() {
            tally.passes += 1;
        }
    }
    certificate.retain(|_, by_git| !by_git.is_empty());
    let body = toml::to_string(&certificate).map_err(|err| format!("{CERTIFICATE_FILE}: {err}"))?;
    Ok(format!(
        "# Parity certificate: per command and git version, the parity cases run and passed.\n\
         # Written by `GIT_RTK_PARITY_REPORT=1 cargo test --test parity` after a full run (one git at\n\
         # a time; other gits' results are kept). Embedded in the build by src/certificate.rs: a\n\
         # command is certified only when every git listed passed every one of its cases.\n\n{body}"
    ))
}

fn flag(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

fn optional(value: Option<bool>) -> &'static str {
    value.map_or("n/a", flag)
}

fn csv(outcomes: &[CaseOutcome]) -> String {
    let mut out = String::from(
        "case,command,exit_match,state_match,signals_checked,signals_match,facts_checked,facts_match,passthrough_suspected,served,served_match,native_method,native_recorded,native_actual\n",
    );
    for o in outcomes {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            o.case,
            o.command,
            flag(o.exit_match),
            flag(o.state_match),
            flag(o.signals_match.is_some()),
            optional(o.signals_match),
            flag(o.facts_match.is_some()),
            optional(o.facts_match),
            flag(o.passthrough_suspected),
            o.served.as_str(),
            flag(o.served_match),
            o.native_size.map_or("none", |n| if n.estimated {
                "estimated"
            } else {
                "measured"
            }),
            o.native_size
                .map_or(String::new(), |n| n.recorded.to_string()),
            o.native_size
                .map_or(String::new(), |n| n.actual.to_string()),
        );
    }
    out
}

/// `checked` of them were compared, `matched` agreed.
#[derive(Default, Clone, Copy)]
struct Tally {
    checked: usize,
    matched: usize,
}

impl Tally {
    fn add(&mut self, result: Option<bool>) {
        if let Some(matched) = result {
            self.checked += 1;
            self.matched += usize::from(matched);
        }
    }

    fn rate(self) -> String {
        if self.checked == 0 {
            return "–".to_owned();
        }
        format!(
            "{}/{} ({:.1}%)",
            self.matched,
            self.checked,
            100.0 * self.matched as f64 / self.checked as f64
        )
    }
}

#[derive(Default, Clone, Copy)]
struct Tallies {
    cases: usize,
    exit: Tally,
    state: Tally,
    signals: Tally,
    facts: Tally,
    facts_literal: Tally,
    snapshot: Tally,
    passthrough: usize,
    served_native: usize,
    served_git: usize,
    served_mismatches: usize,
    native: NativeTally,
}

/// Native sizes recorded, how many held the tolerance, and the largest deviation.
#[derive(Default, Clone, Copy)]
struct NativeTally {
    estimated: Tally,
    measured: Tally,
    worst: f64,
}

impl NativeTally {
    fn add(&mut self, check: Option<super::native_size::NativeCheck>) {
        let Some(check) = check else {
            return;
        };
        let tally = if check.estimated {
            &mut self.estimated
        } else {
            &mut self.measured
        };
        tally.add(Some(check.holds()));
        if check.deviation().abs() > self.worst.abs() {
            self.worst = check.deviation();
        }
    }

    /// Its cells in the native-size table: estimated and measured within tolerance, the largest
    /// deviation.
    fn cells(self) -> String {
        let (estimated, measured) = (self.estimated.rate(), self.measured.rate());
        format!("{estimated} | {measured} | {}", self.worst())
    }

    fn worst(self) -> String {
        if self.estimated.checked + self.measured.checked == 0 {
            "–".to_owned()
        } else {
            format!("{:+.1}%", 100.0 * self.worst)
        }
    }
}

impl Tallies {
    fn add(&mut self, o: &CaseOutcome) {
        self.cases += 1;
        self.exit.add(Some(o.exit_match));
        self.state.add(Some(o.state_match));
        self.signals.add(o.signals_match);
        self.facts.add(o.facts_match);
        self.facts_literal.add(o.facts_held_literally);
        self.snapshot.add(Some(o.snapshot_match));
        self.passthrough += usize::from(o.passthrough_suspected);
        match o.served {
            super::native_size::Served::Native => self.served_native += 1,
            super::native_size::Served::Git => self.served_git += 1,
        }
        self.served_mismatches += usize::from(!o.served_match);
        self.native.add(o.native_size);
    }
}

/// A Markdown table's header row and the separator under it.
fn table_header(out: &mut String, columns: &[&str]) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(columns.len()));
}

fn markdown(outcomes: &[CaseOutcome], toolchain: &Toolchain) -> String {
    let mut total = Tallies::default();
    let mut per_command: BTreeMap<GitCommand, Tallies> = BTreeMap::new();
    for o in outcomes {
        total.add(o);
        per_command.entry(o.command).or_default().add(o);
    }
    let mut out = String::new();
    let _ = writeln!(out, "# Parity report\n");
    let _ = writeln!(
        out,
        "Generated by `GIT_RTK_PARITY_REPORT=1 cargo test --test parity` with {} (`{}`), plugins from `{}`; {} cases.\n",
        toolchain.git_version,
        toolchain.git.display(),
        toolchain.plugin_dir.display(),
        total.cases
    );
    let _ = writeln!(out, "Each case builds its fixture twice at the same path, runs `git <cmd>` in one build and `git rtk-<cmd>` (through the same git) in the other, and compares:\n");
    table_header(&mut out, &["category", "matched / checked"]);
    let categories = [
        ("exit code", total.exit),
        (
            "side effects (whole-repository state after the command)",
            total.state,
        ),
        (
            "stderr signals (`fatal:`/`error:`/`warning:`/`usage:` lines; empty stays empty)",
            total.signals,
        ),
        ("facts from git's machine-readable output", total.facts),
        (
            "… of which held in the plugin's own format (not only via byte-identical output)",
            total.facts_literal,
        ),
        ("stdout snapshot", total.snapshot),
    ];
    for (category, tally) in categories {
        let _ = writeln!(out, "| {category} | {} |", tally.rate());
    }
    let _ = writeln!(
        out,
        "\nServed as each case declares (`served`, checked against the run's tracking row): {} natively, {} handed to git, {} of {} cases disagreeing.",
        total.served_native, total.served_git, total.served_mismatches, total.cases
    );
    let _ = writeln!(
        out,
        "\nPass-through suspected (stdout, stderr and exit code byte-identical to git's): {} of {} cases.\n",
        total.passthrough, total.cases
    );
    let _ = writeln!(out, "## Native output size\n");
    let _ = writeln!(
        out,
        "Each plugin run records how many bytes git itself prints for the same invocation (stdout and stderr): mutating plugins measure it (git ran with its output captured), read plugins estimate it from the data git formats. `git rtk-gain` computes savings from it. The plugin twin runs with tracking on, and the recorded size must be within ±{:.0}% of what git printed in the git twin. Cases where the plugin handed the command to git record none.\n",
        100.0 * super::native_size::TOLERANCE
    );
    table_header(
        &mut out,
        &[
            "command",
            "estimated, within tolerance",
            "measured, within tolerance",
            "largest deviation",
        ],
    );
    for (command, t) in &per_command {
        let _ = writeln!(out, "| {command} | {} |", t.native.cells());
    }
    let _ = writeln!(out, "| **all** | {} |\n", total.native.cells());
    let _ = writeln!(out, "## Per command\n");
    table_header(
        &mut out,
        &[
            "command",
            "cases",
            "exit code",
            "side effects",
            "stderr signals",
            "facts",
            "facts held literally",
            "pass-through suspected",
        ],
    );
    for (command, t) in &per_command {
        let rates = [t.exit, t.state, t.signals, t.facts, t.facts_literal].map(Tally::rate);
        let (cases, passthrough) = (t.cases, t.passthrough);
        let _ = writeln!(
            out,
            "| {command} | {cases} | {} | {passthrough} |",
            rates.join(" | ")
        );
    }
    let _ = writeln!(out, "\n## Pass-through suspected\n");
    let _ = writeln!(out, "stdout, stderr and exit code byte-identical to git's. Facts pass for such a case because git's own output carries them; \"held literally\" says whether they also matched the patterns of docs/output.md.\n");
    let mut any = false;
    for o in outcomes.iter().filter(|o| o.passthrough_suspected) {
        any = true;
        let literal = match o.facts_held_literally {
            Some(true) => "facts held literally: yes",
            Some(false) => "facts held literally: no",
            None => "no facts (git failed)",
        };
        let _ = writeln!(out, "- `{}` ({literal})", o.case);
    }
    if !any {
        let _ = writeln!(out, "None.");
    }
    let failing: Vec<&CaseOutcome> = outcomes.iter().filter(|o| !o.problems.is_empty()).collect();
    let _ = writeln!(out, "\n## Mismatches\n");
    if failing.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for o in failing {
        let _ = writeln!(out, "- `{}`:", o.case);
        for problem in &o.problems {
            let first_line = problem.lines().next().unwrap_or_default();
            let _ = writeln!(out, "  - {}", first_line.replace('|', "\\|"));
        }
    }
    out
}
