//! The hermetic environment the parity suite, the tests and the benchmark run git and the plugins
//! in: the environment cleared, then only what git needs set back — no system configuration, a
//! global configuration of the caller's choosing, `HOME` in a directory of the caller's, fixed
//! identities and dates, the C locale, UTC, no editor, pager or prompt, and run tracking off
//! unless asked for. The same invocation then gives the same bytes on every machine.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A name and an email.
#[derive(Debug, Clone)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Identity {
    pub fn new(name: &str, email: &str) -> Self {
        Identity {
            name: name.to_owned(),
            email: email.to_owned(),
        }
    }
}

/// Where the plugins' run tracking goes.
#[derive(Debug, Clone)]
pub enum Tracking {
    /// `RTK_TRACK=0`: no row is written.
    Off,
    /// Rows go to `<dir>/git-rtk/` (`XDG_DATA_HOME=<dir>`).
    Into(PathBuf),
    /// The default place under `HOME`, as a user's runs have it.
    Default,
}

/// The settings of one hermetic environment.
#[derive(Debug, Clone)]
pub struct Hermetic {
    home: PathBuf,
    path: OsString,
    global_config: PathBuf,
    author: Identity,
    committer: Identity,
    /// `GIT_AUTHOR_DATE` and `GIT_COMMITTER_DATE`, in a form git reads (`1112911993 -0700`).
    date: String,
    tracking: Tracking,
    extra: Vec<(OsString, OsString)>,
}

impl Hermetic {
    /// `HOME` in `home` with its `.gitconfig` as the global configuration, the inherited `PATH`,
    /// `A U Thor` and `C O Mitter` at 2005-04-07 22:13:13 -0700, tracking off.
    pub fn new(home: impl Into<PathBuf>) -> Self {
        let home = home.into();
        Hermetic {
            global_config: home.join(".gitconfig"),
            home,
            path: std::env::var_os("PATH").unwrap_or_default(),
            author: Identity::new("A U Thor", "author@example.com"),
            committer: Identity::new("C O Mitter", "committer@example.com"),
            date: "1112911993 -0700".to_owned(),
            tracking: Tracking::Off,
            extra: Vec::new(),
        }
    }

    /// `PATH` (the plugin directory first, for example).
    pub fn path(mut self, path: impl Into<OsString>) -> Self {
        self.path = path.into();
        self
    }

    /// The global configuration file (`/dev/null` for none).
    pub fn global_config(mut self, file: impl Into<PathBuf>) -> Self {
        self.global_config = file.into();
        self
    }

    pub fn identities(mut self, author: Identity, committer: Identity) -> Self {
        self.author = author;
        self.committer = committer;
        self
    }

    pub fn date(mut self, date: impl Into<String>) -> Self {
        self.date = date.into();
        self
    }

    pub fn tracking(mut self, tracking: Tracking) -> Self {
        self.tracking = tracking;
        self
    }

    /// One more variable, set after the others.
    pub fn var(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// Clears `command`'s environment and sets this one; stdin is empty.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", &self.global_config)
            .env("GIT_AUTHOR_NAME", &self.author.name)
            .env("GIT_AUTHOR_EMAIL", &self.author.email)
            .env("GIT_COMMITTER_NAME", &self.committer.name)
            .env("GIT_COMMITTER_EMAIL", &self.committer.email)
            .env("GIT_AUTHOR_DATE", &self.date)
            .env("GIT_COMMITTER_DATE", &self.date)
            .env("LC_ALL", "C")
            .env("LANG", "C")
            .env("TZ", "UTC")
            .env("TERM", "dumb")
            .env("GIT_EDITOR", ":")
            .env("GIT_SEQUENCE_EDITOR", ":")
            .env("GIT_MERGE_AUTOEDIT", "no")
            .env("GIT_PAGER", "cat")
            .env("PAGER", "cat")
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null());
        match &self.tracking {
            Tracking::Off => {
                command.env("RTK_TRACK", "0");
            }
            Tracking::Into(dir) => {
                command.env("XDG_DATA_HOME", dir);
            }
            Tracking::Default => {}
        }
        for (name, value) in &self.extra {
            command.env(name, value);
        }
        command
    }

    /// `program <args>` in `dir`, in this environment.
    pub fn command(&self, program: impl AsRef<OsStr>, dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(program);
        command.args(args).current_dir(dir);
        self.apply(&mut command);
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_of_the_callers_environment_gets_through() {
        let hermetic = Hermetic::new("/h").var("EXTRA", "1");
        let mut command = Command::new("env");
        hermetic.apply(&mut command);
        let vars: Vec<(String, Option<String>)> = command
            .get_envs()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.map(|v| v.to_string_lossy().into_owned()),
                )
            })
            .collect();
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.clone())
        };
        assert_eq!(get("HOME").as_deref(), Some("/h"));
        assert_eq!(get("GIT_CONFIG_GLOBAL").as_deref(), Some("/h/.gitconfig"));
        assert_eq!(get("RTK_TRACK").as_deref(), Some("0"));
        assert_eq!(get("EXTRA").as_deref(), Some("1"));
        // env_clear: only what was set is passed on.
        let output = command.output().expect("env runs");
        let printed = String::from_utf8_lossy(&output.stdout);
        assert_eq!(printed.lines().count(), vars.len(), "{printed}");
    }
}
