//! The parity certificate, embedded at build time: which commands the twin-repository suite
//! (`parity/`) has proven against real git, on which git versions.
//!
//! `parity/certificate.toml` is written by `GIT_RTK_PARITY_REPORT=1 cargo test --test parity`
//! after a full run and committed. Code that must only act on proven commands (the rewrite hook's
//! mutating guard) asks [`is_certified`].

/// The committed certificate.
const EMBEDDED: &str = include_str!("../parity/certificate.toml");

/// One command's result on one git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `git --version` of the git the suite ran.
    pub git: String,
    pub cases: u64,
    pub passes: u64,
}

/// A certificate: command → its records.
#[derive(Debug, Clone, Default)]
pub struct Certificate {
    /// Parsed on first use when the certificate is the embedded one: most hook decisions never
    /// meet a mutating command, and parsing costs a process start-up a noticeable share.
    commands: std::sync::OnceLock<std::collections::BTreeMap<String, Vec<Record>>>,
    embedded: bool,
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Certificate) -> bool {
        self.map() == other.map()
    }
}

impl Eq for Certificate {}

impl Certificate {
    /// The certificate this build embeds (parsed when first asked).
    pub fn embedded() -> Certificate {
        Certificate {
            commands: std::sync::OnceLock::new(),
            embedded: true,
        }
    }

    fn map(&self) -> &std::collections::BTreeMap<String, Vec<Record>> {
        self.commands.get_or_init(|| {
            if !self.embedded {
                return Default::default();
            }
            // Verified by a unit test; a broken file would certify nothing rather than everything.
            Certificate::parse(EMBEDDED)
                .ok()
                .and_then(|c| c.commands.into_inner())
                .unwrap_or_default()
        })
    }

    pub fn parse(text: &str) -> Result<Certificate, String> {
        let document: toml_edit::DocumentMut = text
            .parse()
            .map_err(|err| format!("parity certificate: {err}"))?;
        let mut commands = std::collections::BTreeMap::new();
        for (command, by_git) in document.iter() {
            let by_git = by_git
                .as_table_like()
                .ok_or_else(|| format!("parity certificate: `{command}` is not a table"))?;
            let mut records = Vec::new();
            for (git, tally) in by_git.iter() {
                let field = |name: &str| {
                    tally
                        .get(name)
                        .and_then(|v| v.as_integer())
                        .and_then(|v| u64::try_from(v).ok())
                        .ok_or_else(|| {
                            format!("parity certificate: `{command}.\"{git}\".{name}` is missing")
                        })
                };
                records.push(Record {
                    git: git.to_owned(),
                    cases: field("cases")?,
                    passes: field("passes")?,
                });
            }
            commands.insert(command.to_owned(), records);
        }
        Ok(Certificate {
            commands: std::sync::OnceLock::from(commands),
            embedded: false,
        })
    }

    /// What the suite recorded for `command` (a git subcommand name: `commit`, `cherry-pick`).
    pub fn records(&self, command: &str) -> &[Record] {
        self.map().get(command).map_or(&[], Vec::as_slice)
    }

    /// Certified: the suite ran cases for `command` and every git listed passed every one.
    pub fn is_certified(&self, command: &str) -> bool {
        let records = self.records(command);
        !records.is_empty() && records.iter().all(|r| r.cases > 0 && r.passes == r.cases)
    }

    pub fn commands(&self) -> impl Iterator<Item = &str> {
        self.map().keys().map(String::as_str)
    }
}

/// Whether the embedded certificate certifies `command`.
pub fn is_certified(command: &str) -> bool {
    Certificate::embedded().is_certified(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[commit."git version 2.47.3"]
cases = 12
passes = 12

[commit."git version 2.39.5"]
cases = 12
passes = 12

[merge."git version 2.47.3"]
cases = 9
passes = 8
"#;

    #[test]
    fn one_failing_case_on_any_git_withholds_certification() {
        let certificate = Certificate::parse(SAMPLE).expect("parses");
        assert!(certificate.is_certified("commit"));
        assert!(!certificate.is_certified("merge"));
        assert!(!certificate.is_certified("push"), "no cases: not certified");
        assert_eq!(certificate.records("commit").len(), 2);
    }

    #[test]
    fn a_record_without_counts_is_an_error() {
        let broken = "[commit.\"git version 2.47.3\"]\ncases = 3\n";
        assert!(Certificate::parse(broken).is_err());
    }

    #[test]
    fn the_embedded_certificate_parses() {
        Certificate::parse(EMBEDDED).expect("parity/certificate.toml parses");
    }
}
