//! When a mutating command may be rewritten: the user opted in (`RTK_REWRITE_MUTATING`, or
//! `git config rtk.rewriteMutating`) **and** the embedded parity certificate certifies it.

use crate::certificate::Certificate;

/// Which mutating commands the user allowed to be rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptIn {
    Off,
    All,
    Only(Vec<String>),
    /// `rtk.rewriteMutating` from git's configuration, read only when a mutating command comes
    /// up: opening the repository for it would cost every hook decision a millisecond.
    FromGitConfig,
}

impl OptIn {
    /// `1`, `true`, `yes`, `on`, `all` → all; `0`, `false`, `no`, `off`, `` → none; otherwise a comma
    /// list of subcommands (`add,commit`).
    pub fn parse(value: &str) -> OptIn {
        let value = value.trim();
        match value.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" | "all" => OptIn::All,
            "" | "0" | "false" | "no" | "off" => OptIn::Off,
            _ => OptIn::Only(
                value
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
        }
    }

    fn allows(&self, subcommand: &str) -> bool {
        match self {
            OptIn::Off => false,
            OptIn::All => true,
            OptIn::Only(list) => list.iter().any(|c| c == subcommand),
            OptIn::FromGitConfig => {
                config_value().is_some_and(|v| OptIn::parse(&v).allows(subcommand))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub opt_in: OptIn,
    pub certificate: Certificate,
}

impl Policy {
    /// `RTK_REWRITE_MUTATING` when set, else `rtk.rewriteMutating` from git's configuration (the
    /// repository at the current directory, else the global files); the embedded certificate.
    pub fn from_environment() -> Policy {
        let opt_in = match std::env::var("RTK_REWRITE_MUTATING") {
            Ok(value) => OptIn::parse(&value),
            Err(_) => OptIn::FromGitConfig,
        };
        Policy {
            opt_in,
            certificate: Certificate::embedded(),
        }
    }

    /// `Err(reason)` names why a mutating `subcommand` stays as typed.
    pub fn allows_mutating(&self, subcommand: &str) -> Result<(), &'static str> {
        if !self.opt_in.allows(subcommand) {
            return Err("mutating-not-enabled");
        }
        if !self.certificate.is_certified(subcommand) {
            return Err("not-certified");
        }
        Ok(())
    }
}

fn config_value() -> Option<String> {
    const KEY: &str = "rtk.rewriteMutating";
    if let Ok(repo) = crate::repo::open() {
        return repo.config_snapshot().string(KEY).map(|v| v.to_string());
    }
    let globals = gix::config::File::from_globals().ok()?;
    globals.string(KEY).map(|v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opt_in_values() {
        assert_eq!(OptIn::parse("1"), OptIn::All);
        assert_eq!(OptIn::parse("false"), OptIn::Off);
        assert_eq!(
            OptIn::parse("add, commit"),
            OptIn::Only(vec!["add".into(), "commit".into()])
        );
    }

    #[test]
    fn both_opt_in_and_certificate_are_needed() {
        let certificate = Certificate::parse(
            "[commit.\"git version 2.47.3\"]\ncases = 3\npasses = 3\n\
             [push.\"git version 2.47.3\"]\ncases = 3\npasses = 2\n",
        )
        .expect("parses");
        let policy = Policy {
            opt_in: OptIn::Only(vec!["commit".into(), "push".into()]),
            certificate,
        };
        assert_eq!(policy.allows_mutating("commit"), Ok(()));
        assert_eq!(policy.allows_mutating("push"), Err("not-certified"));
        assert_eq!(policy.allows_mutating("add"), Err("mutating-not-enabled"));
    }
}
