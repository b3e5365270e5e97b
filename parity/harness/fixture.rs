//! Building a case's fixture: a fresh `HOME` and an empty directory P, then the case's setup script
//! run in P after a prelude of helpers.
//!
//! Both twins are built at the same P one after the other (linked worktrees and submodules record
//! absolute paths, so a copy elsewhere would not be the same repository).

use std::path::Path;

use super::env::{CaseEnv, Side, Toolchain, BASE_EPOCH, DATE_ZONE};
use super::invoke;

/// Sourced before every setup script. `tick` is git's `test_tick`: the first call sets the dates to
/// the base epoch, each later call adds 60 s, so every commit gets a distinct, reproducible date and
/// the same script always yields the same object ids.
fn prelude() -> String {
    format!(
        r#"set -euo pipefail
tick () {{
	if test -z "${{parity_tick:-}}"; then parity_tick={BASE_EPOCH}; else parity_tick=$((parity_tick + 60)); fi
	GIT_AUTHOR_DATE="$parity_tick {DATE_ZONE}"
	GIT_COMMITTER_DATE="$parity_tick {DATE_ZONE}"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}}
# commit <message> [<file> [<content>]]: write the file (default: <message>.t holding <message>),
# stage it and commit it at the next tick.
commit () {{
	local message=$1 file=${{2:-$1.t}} content=${{3-$1}}
	mkdir -p -- "$(dirname -- "$file")"
	printf '%s\n' "$content" >"$file"
	git add -- "$file"
	tick
	git commit -q -m "$message"
}}
# lines <file> <line>...: write each argument as one line (creating the file's directory).
lines () {{
	local file=$1
	shift
	mkdir -p -- "$(dirname -- "$file")"
	printf '%s\n' "$@" >"$file"
}}
# fails <command>...: run a command that is expected to fail (a conflicting merge, say).
fails () {{
	if "$@"; then
		echo "expected to fail: $*" >&2
		return 1
	fi
}}
"#
    )
}

/// Removes whatever the previous twin left (the whole case directory) and builds the fixture afresh.
pub fn build(env: &CaseEnv, toolchain: &Toolchain, setup: &str) -> Result<(), String> {
    remove_if_present(&env.case_dir)?;
    std::fs::create_dir_all(&env.repo)
        .map_err(|err| format!("cannot create {}: {err}", env.repo.display()))?;
    env.write_home()?;

    let script = format!("{}\n{setup}", prelude());
    let mut command = env.base_command(toolchain, "bash".as_ref(), Side::Git);
    command
        .args(["--noprofile", "--norc", "-c", &script, "parity-setup"])
        .current_dir(&env.repo);
    let output = invoke::run(command, "the setup script")?;
    if output.exit_code != 0 {
        return Err(format!(
            "the setup script failed with exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            output.exit_code,
            String::from_utf8_lossy(&output.stdout).trim_end(),
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(())
}

/// Removes the whole case directory (both twins are done with it).
pub fn remove_case(env: &CaseEnv) -> Result<(), String> {
    remove_if_present(&env.case_dir)
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(format!("cannot remove {}: {err}", path.display())),
    }
}
