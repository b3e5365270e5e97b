//! The plugin's stdout as an insta snapshot, for humans to review: `snapshots/<command>/<case>.snap`.
//!
//! Temporary paths become `[REPO]`, `[HOME]` and `[CASE]`; stdout ends with an `[EOF]` marker so a
//! missing final newline is visible; bytes that are not plain text are shown escaped.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::path::Path;

use super::case::Case;
use super::env::CaseEnv;

thread_local! {
    /// Set while insta runs: it has already printed the diff, so its panic (and a backtrace) would
    /// only bury it.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Installs a panic hook that stays silent for snapshot mismatches and defers to the default hook
/// for everything else. Call once, before any trial runs.
pub fn install_panic_hook() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET_PANICS.with(Cell::get) {
            default_hook(info);
        }
    }));
}

/// Compares (or records) the snapshot; `Err` carries insta's verdict.
pub fn check(case: &Case, env: &CaseEnv, stdout: &[u8]) -> Result<(), String> {
    let rendered = render(stdout, env);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots")
            .join(case.spec.command.name()),
    );
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(case.spec.description.trim());
    settings.set_input_file(&case.file);
    let name = case.name.as_str();
    QUIET_PANICS.with(|quiet| quiet.set(true));
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, rendered));
    }));
    QUIET_PANICS.with(|quiet| quiet.set(false));
    outcome.map_err(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "insta panicked".to_owned());
        format!(
            "snapshot snapshots/{}/{}.snap: {reason}",
            case.spec.command, case.name
        )
    })
}

fn render(stdout: &[u8], env: &CaseEnv) -> String {
    let text = match std::str::from_utf8(stdout) {
        Ok(text)
            if !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t') =>
        {
            text.to_owned()
        }
        _ => {
            let escaped: Vec<String> = stdout
                .split(|&b| b == b'\n')
                .map(|line| line.escape_ascii().to_string())
                .collect();
            format!(
                "[stdout is not plain text; bytes shown escaped]\n{}",
                escaped.join("\n")
            )
        }
    };
    let text = text
        .replace(&*env.repo.to_string_lossy(), "[REPO]")
        .replace(&*env.home.to_string_lossy(), "[HOME]")
        .replace(&*env.case_dir.to_string_lossy(), "[CASE]");
    format!("{text}[EOF]\n")
}
