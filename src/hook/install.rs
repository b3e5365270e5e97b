//! Installing and removing the hook in an agent's settings file: through the format-preserving
//! JSON editor (comments, key order and layout kept) and the atomic-write core (compare-and-swap
//! against what was read), idempotent, with a backup of the file as it was before the first change.

use std::path::{Path, PathBuf};

use jsonc_parser::{JsonValue, ParseOptions};

use crate::edit::config::{self, Change, Format, NewValue};
use crate::edit::key_path::KeyPath;
use crate::write::{self, Expected, WriteOptions};

/// One agent's settings layout.
#[derive(Debug, Clone, Copy)]
pub struct Agent {
    pub name: &'static str,
    /// Settings file relative to the project (or to `$HOME` with `--global`).
    pub settings: &'static str,
    /// Key of the event's list under `hooks`.
    pub event: &'static str,
    /// The list entry that runs our hook.
    pub entry: &'static str,
}

pub const CLAUDE: Agent = Agent {
    name: "claude",
    settings: ".claude/settings.json",
    event: "PreToolUse",
    entry: r#"{"matcher": "Bash", "hooks": [{"type": "command", "command": "git rtk-hook claude"}]}"#,
};

pub const GEMINI: Agent = Agent {
    name: "gemini",
    settings: ".gemini/settings.json",
    event: "BeforeTool",
    entry: r#"{"matcher": "run_shell_command", "hooks": [{"name": "git-rtk", "type": "command", "command": "git rtk-hook gemini", "timeout": 5000}]}"#,
};

pub fn agent(name: &str) -> Option<Agent> {
    [CLAUDE, GEMINI].into_iter().find(|a| a.name == name)
}

impl Agent {
    fn command(&self) -> String {
        format!("git rtk-hook {}", self.name)
    }
}

/// What an install or uninstall did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Installed {
        backup: Option<PathBuf>,
    },
    AlreadyInstalled,
    Removed {
        entries: usize,
        backup: Option<PathBuf>,
    },
    NotInstalled,
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("{path}: {message}")]
    Settings { path: PathBuf, message: String },
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// The file's new content for `install` (true) or uninstall, or `None` when nothing changes.
/// Returns the number of entries removed as well.
pub fn plan(
    agent: &Agent,
    path: &Path,
    text: &str,
    install: bool,
) -> Result<(Option<String>, usize), InstallError> {
    let bad = |message: String| InstallError::Settings {
        path: path.to_owned(),
        message,
    };
    let source = if text.trim().is_empty() { "{}\n" } else { text };
    let value = jsonc_parser::parse_to_value(source, &ParseOptions::default())
        .map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let list = match &value {
        Some(JsonValue::Object(root)) => root
            .get_object("hooks")
            .and_then(|h| h.get_array(agent.event)),
        Some(_) => return Err(bad("the settings are not a JSON object".into())),
        None => None,
    };
    let ours: Vec<(usize, Vec<usize>, usize)> = list
        .map(|list| {
            list.iter()
                .enumerate()
                .filter_map(|(i, entry)| {
                    let JsonValue::Object(entry) = entry else { return None };
                    let hooks = entry.get_array("hooks")?;
                    let mine: Vec<usize> = hooks
                        .iter()
                        .enumerate()
                        .filter(|(_, h)| matches!(h, JsonValue::Object(h) if h.get_string("command").map(|c| c.as_ref()) == Some(agent.command().as_str())))
                        .map(|(j, _)| j)
                        .collect();
                    (!mine.is_empty()).then_some((i, mine, hooks.len()))
                })
                .collect()
        })
        .unwrap_or_default();
    let edit = |content: &str, key: &str, change: Change| -> Result<String, InstallError> {
        let key_path = KeyPath::parse(key).map_err(|e| bad(e.to_string()))?;
        let edited = config::edit(Format::Json, content.as_bytes(), &key_path, &change)
            .map_err(|e| bad(e.to_string()))?;
        String::from_utf8(edited.content).map_err(|e| bad(e.to_string()))
    };
    if install {
        if !ours.is_empty() {
            return Ok((None, 0));
        }
        let index = list.map_or(0, |l| l.len());
        let key = if list.is_some() {
            format!("hooks.{}[{index}]", agent.event)
        } else {
            format!("hooks.{}", agent.event)
        };
        let value = if list.is_some() {
            agent.entry.to_owned()
        } else {
            format!("[{}]", agent.entry)
        };
        let change = Change::Set(NewValue {
            text: value,
            force_string: false,
        });
        return Ok((Some(edit(source, &key, change)?), 0));
    }
    if ours.is_empty() {
        return Ok((None, 0));
    }
    let mut content = text.to_owned();
    let mut removed = 0;
    // Highest indices first, so earlier indices stay valid.
    for (i, mine, total) in ours.iter().rev() {
        if mine.len() == *total {
            content = edit(
                &content,
                &format!("hooks.{}[{i}]", agent.event),
                Change::Delete,
            )?;
        } else {
            for j in mine.iter().rev() {
                content = edit(
                    &content,
                    &format!("hooks.{}[{i}].hooks[{j}]", agent.event),
                    Change::Delete,
                )?;
            }
        }
        removed += mine.len();
    }
    Ok((Some(content), removed))
}

/// Installs (or with `install == false` removes) the hook in the settings file at `path`.
pub fn apply(
    agent: &Agent,
    path: &Path,
    install: bool,
    dry_run: bool,
) -> Result<Done, InstallError> {
    let snapshot = write::read_for_update(path)?;
    let original = snapshot.contents.clone();
    let text = match &original {
        Some(bytes) => String::from_utf8(bytes.clone()).map_err(|_| InstallError::Settings {
            path: path.to_owned(),
            message: "not UTF-8".into(),
        })?,
        None => String::new(),
    };
    let (new, removed) = plan(agent, path, &text, install)?;
    let Some(mut new) = new else {
        return Ok(if install {
            Done::AlreadyInstalled
        } else {
            Done::NotInstalled
        });
    };
    if !new.ends_with('\n') {
        new.push('\n');
    }
    let backup = match &original {
        Some(bytes) if !dry_run => Some(backup_once(path, bytes)?),
        _ => None,
    };
    if !dry_run {
        let options = WriteOptions {
            expected: Some(snapshot.expected),
            ..WriteOptions::default()
        };
        write::write_file(path, new.as_bytes(), &options)?;
    }
    Ok(if install {
        Done::Installed { backup }
    } else {
        Done::Removed {
            entries: removed,
            backup,
        }
    })
}

/// `<settings>.rtk-backup`, written the first time only: it keeps the file as it was before
/// git-rtk ever changed it.
fn backup_once(path: &Path, bytes: &[u8]) -> Result<PathBuf, InstallError> {
    let mut name = path.as_os_str().to_owned();
    name.push(".rtk-backup");
    let backup = PathBuf::from(name);
    let options = WriteOptions {
        expected: Some(Expected::Absent),
        ..WriteOptions::default()
    };
    match write::write_file(&backup, bytes, &options) {
        Ok(_) | Err(write::WriteError::Changed { .. }) => Ok(backup),
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"{
  // the user's own comment
  "permissions": { "deny": ["Bash(rm:*)"] },
  "hooks": {
    "PreToolUse": [
      { "matcher": "Edit", "hooks": [{ "type": "command", "command": "fmt.sh" }] }
    ]
  }
}
"#;

    #[test]
    fn install_appends_and_keeps_everything_else() {
        let path = Path::new("settings.json");
        let (new, _) = plan(&CLAUDE, path, SETTINGS, true).expect("plan");
        let new = new.expect("changed");
        assert!(new.contains("// the user's own comment"));
        assert!(new.contains(r#""command": "fmt.sh""#));
        assert!(new.contains("git rtk-hook claude"));
        let (again, _) = plan(&CLAUDE, path, &new, true).expect("plan");
        assert_eq!(again, None, "installing twice changes nothing");
        let (removed, count) = plan(&CLAUDE, path, &new, false).expect("plan");
        assert_eq!(count, 1);
        assert_eq!(removed.expect("changed").trim_end(), SETTINGS.trim_end());
    }

    #[test]
    fn install_into_a_missing_file_creates_the_structure() {
        let (new, _) = plan(&GEMINI, Path::new("s.json"), "", true).expect("plan");
        let new = new.expect("changed");
        let value: serde_json::Value = serde_json::from_str(&new).expect("valid JSON");
        assert_eq!(
            value["hooks"]["BeforeTool"][0]["hooks"][0]["command"],
            "git rtk-hook gemini"
        );
    }

    #[test]
    fn apply_writes_a_backup_once_and_is_idempotent() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, SETTINGS).expect("seed");
        let done = apply(&CLAUDE, &path, true, false).expect("install");
        let backup = match done {
            Done::Installed { backup: Some(b) } => b,
            other => panic!("{other:?}"),
        };
        assert_eq!(std::fs::read_to_string(&backup).expect("backup"), SETTINGS);
        assert_eq!(
            apply(&CLAUDE, &path, true, false).expect("again"),
            Done::AlreadyInstalled
        );
        apply(&CLAUDE, &path, false, false).expect("uninstall");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read").trim_end(),
            SETTINGS.trim_end()
        );
        assert_eq!(
            std::fs::read_to_string(&backup).expect("backup"),
            SETTINGS,
            "first backup kept"
        );
    }
}
