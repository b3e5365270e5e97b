//! Man pages and completions as a user meets them: the binaries installed in a prefix's `bin`,
//! `git rtk-init --docs` run from there, then `git rtk-status --help` through git's dispatch and a
//! real `man`, and bash (through git's own completion) and zsh (through its `_git`) completing
//! `git rtk-status --untr`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::{binaries, target_dir};

/// A prefix with every binary in `bin` (hard links: the same file system as the build) and a
/// home of its own.
struct Installed {
    _dir: tempfile::TempDir,
    prefix: PathBuf,
    home: PathBuf,
}

fn install() -> Installed {
    let dir = tempfile::Builder::new()
        .prefix("docs-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    let prefix = dir.path().join("prefix");
    let home = dir.path().join("home");
    std::fs::create_dir_all(prefix.join("bin")).expect("bin");
    std::fs::create_dir_all(&home).expect("home");
    for name in binaries() {
        let from = target_dir().join(&name);
        let to = prefix.join("bin").join(&name);
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("installing {name}: {e}"));
        }
    }
    Installed {
        _dir: dir,
        prefix,
        home,
    }
}

impl Installed {
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let path = format!(
            "{}:{}",
            self.prefix.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new(program);
        command
            .current_dir(&self.home)
            .env("PATH", path)
            .env("HOME", &self.home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_DATA_DIRS")
            .env_remove("BASH_COMPLETION_USER_DIR")
            .env_remove("MANPATH")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("RTK_TRACK", "0")
            .env("RTK_AUDIT", "0");
        command
    }

    fn run(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
        self.command(program).args(args).output().expect("runs")
    }

    fn init_docs(&self, args: &[&str]) -> String {
        let output = self.run(self.prefix.join("bin/git-rtk-init"), args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn bash_dir(&self) -> PathBuf {
        self.home.join(".local/share/bash-completion/completions")
    }
}

/// Git's bash completion script, as the git package installs it.
fn git_completion() -> PathBuf {
    let candidates = [
        PathBuf::from("/usr/share/bash-completion/completions/git"),
        PathBuf::from("/usr/local/share/bash-completion/completions/git"),
    ];
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .expect("git's bash completion (git-completion.bash) is installed with git")
}

fn complete(installed: &Installed, setup: &str, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let script = format!(
        "{setup}\nCOMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         __git_wrap__git_main 2>/dev/null || _git\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = words.join(" "),
        cword = words.len() - 1,
    );
    let output = installed.run("bash", &["--norc", "--noprofile", "-c", &script]);
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// What zsh's completion offers for `line` with the installed site-functions, or `None` (with a
/// note) when this machine has no zsh.
fn complete_in_zsh(installed: &Installed, line: &str) -> Option<Vec<String>> {
    if installed.run("zsh", &["-fc", "true"]).status.code() != Some(0) {
        eprintln!("note: no zsh on this machine; the zsh completion is not exercised");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/complete.zsh");
    let functions = installed.prefix.join("share/zsh/site-functions");
    let output = installed
        .command("timeout")
        .arg("60")
        .arg("zsh")
        .arg(&script)
        .arg(&functions)
        .arg(line)
        .output()
        .expect("zsh runs");
    assert!(output.status.success(), "zsh: {output:?}");
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn help_shows_the_man_page_and_bash_completes_the_options() {
    let installed = install();
    let said = installed.init_docs(&["--docs"]);
    assert!(said.starts_with("installed "), "{said}");
    let page = installed.prefix.join("share/man/man1/git-rtk-status.1");
    assert!(page.is_file(), "{said}");

    // git turns `--help` into `man git-rtk-status`; man-db finds the page from PATH.
    let output = installed
        .command("git")
        .args(["rtk-status", "--help"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("git runs");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("GIT-RTK-STATUS(1)") && shown.contains("--untracked-files"),
        "man page through git: {shown}{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Git's completion calls `_git_rtk_status`, defined by the installed file.
    let file = installed.bash_dir().join("git-rtk-status");
    let direct = format!(
        "source {}; source {}",
        git_completion().display(),
        file.display()
    );
    let offered = complete(&installed, &direct, "git rtk-status --untr");
    assert!(
        offered.iter().any(|o| o == "--untracked-files"),
        "{offered:?}"
    );

    // With bash-completion itself, git's completion loads the file on demand.
    let loader = Path::new("/usr/share/bash-completion/bash_completion");
    if loader.is_file() {
        let lazy = format!(
            "source {}; source {}",
            loader.display(),
            git_completion().display()
        );
        let offered = complete(&installed, &lazy, "git rtk-status --untr");
        assert!(
            offered.iter().any(|o| o == "--untracked-files"),
            "lazy: {offered:?}"
        );
    }

    // zsh: its git completion calls `_git-rtk-status`, autoloaded from site-functions.
    let zsh_offered = complete_in_zsh(&installed, "git rtk-status --untr");
    if let Some(offered) = zsh_offered {
        assert!(
            offered.iter().any(|o| o == "--untracked-files"),
            "zsh: {offered:?}"
        );
    }

    // Removal takes every file away again.
    let removed = installed.init_docs(&["--docs", "--uninstall"]);
    assert!(removed.starts_with("removed "), "{removed}");
    assert!(!page.exists() && !file.exists());
    let installed_count: usize = said
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("count");
    let removed_count: usize = removed
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("count");
    assert_eq!(installed_count, removed_count);
    assert!(installed_count >= 3 * binaries().len());
}
