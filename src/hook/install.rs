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
    /// Settings file relative to the project.
    pub settings: &'static str,
    /// Settings file relative to `$HOME` with `--global`.
    pub global: &'static str,
    /// An environment variable naming the agent's own directory, and the file's path in it
    /// (`CODEX_HOME`, `hooks.json`): used instead of `global` when set.
    pub global_env: Option<(&'static str, &'static str)>,
    /// Key of the event's list under `hooks`.
    pub event: &'static str,
    /// The list entry that runs our hook.
    pub entry: &'static str,
    /// Where an entry names its command: `hooks[].command` inside it (Claude's layout), or a key
    /// of the entry itself (Copilot's `bash`).
    pub command_key: CommandKey,
    /// A file this hook has to itself starts as this document (it is removed again when the
    /// uninstall leaves nothing else in it).
    pub new_file: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKey {
    Nested,
    Own(&'static str),
}

/// An agent in Claude's layout: one settings file, at the same path under the project and under
/// `$HOME`, the command in the entry's `hooks[]`, and a new file starting as an empty object.
const fn claude_layout(
    name: &'static str,
    settings: &'static str,
    event: &'static str,
    entry: &'static str,
) -> Agent {
    Agent {
        name,
        settings,
        global: settings,
        global_env: None,
        event,
        entry,
        command_key: CommandKey::Nested,
        new_file: "{}\n",
    }
}

pub const CLAUDE: Agent = claude_layout(
    "claude",
    ".claude/settings.json",
    "PreToolUse",
    r#"{"matcher": "Bash", "hooks": [{"type": "command", "command": "git rtk-hook claude"}]}"#,
);

/// Codex reads `hooks.json` beside `config.toml`, the user's (`$CODEX_HOME`, default `~/.codex`)
/// and the project's (`.codex/`), in Claude's layout (`codex-rs/hooks/src/engine/discovery.rs`);
/// `Bash` is the shell tools' hook name. A timeout in seconds.
pub const CODEX: Agent = Agent {
    global_env: Some(("CODEX_HOME", "hooks.json")),
    ..claude_layout(
        "codex",
        ".codex/hooks.json",
        "PreToolUse",
        r#"{"matcher": "Bash", "hooks": [{"type": "command", "command": "git rtk-hook codex", "timeout": 30}]}"#,
    )
};

pub const GEMINI: Agent = claude_layout(
    "gemini",
    ".gemini/settings.json",
    "BeforeTool",
    r#"{"matcher": "run_shell_command", "hooks": [{"name": "git-rtk", "type": "command", "command": "git rtk-hook gemini", "timeout": 5000}]}"#,
);

/// Copilot CLI reads every `*.json` under `.github/hooks/` and `~/.copilot/hooks/` (`COPILOT_HOME`
/// replaces `~/.copilot`); VS Code reads `.github/hooks/` too. The hook gets a file of its own.
pub const COPILOT: Agent = Agent {
    name: "copilot",
    settings: ".github/hooks/git-rtk.json",
    global: ".copilot/hooks/git-rtk.json",
    global_env: Some(("COPILOT_HOME", "hooks/git-rtk.json")),
    event: "preToolUse",
    entry: r#"{"type": "command", "bash": "git rtk-hook copilot", "timeoutSec": 10}"#,
    command_key: CommandKey::Own("bash"),
    new_file: "{\n  \"version\": 1\n}\n",
};

pub fn agent(name: &str) -> Option<Agent> {
    [CLAUDE, CODEX, GEMINI, COPILOT]
        .into_iter()
        .find(|a| a.name == name)
}

impl Agent {
    fn command(&self) -> String {
        format!("git rtk-hook {}", self.name)
    }

    /// The user's settings file for `--global`, or `None` without a home directory.
    pub fn global_path(&self) -> Option<PathBuf> {
        if let Some((variable, file)) = self.global_env {
            if let Some(dir) = std::env::var_os(variable).filter(|d| !d.is_empty()) {
                return Some(PathBuf::from(dir).join(file));
            }
        }
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
        Some(PathBuf::from(home).join(self.global))
    }
}

/// Whether `text` holds nothing but empty hook lists (and a `version`): what an install into a
/// missing file leaves after its uninstall.
fn only_empty_hooks(text: &str) -> bool {
    let Ok(Some(JsonValue::Object(root))) =
        jsonc_parser::parse_to_value(text, &ParseOptions::default())
    else {
        return false;
    };
    root.into_iter()
        .all(|(key, value)| match (key.as_ref(), value) {
            ("version", JsonValue::Number(_)) => true,
            ("hooks", JsonValue::Object(hooks)) => hooks
                .into_iter()
                .all(|(_, list)| matches!(list, JsonValue::Array(items) if items.is_empty())),
            _ => false,
        })
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
    let source = if text.trim().is_empty() {
        agent.new_file
    } else {
        text
    };
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
                    if let CommandKey::Own(key) = agent.command_key {
                        let ours = entry.get_string(key).map(|c| c.as_ref()) == Some(agent.command().as_str());
                        return ours.then(|| (i, vec![0], 1));
                    }
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
    // A file the install created (no backup of an earlier version exists) goes away with the
    // last of its content, so an uninstall leaves the directory as it was.
    if !install && !backup_path(path).exists() && only_empty_hooks(&new) {
        if !dry_run {
            let mut batch = write::Batch::new();
            batch.delete(path, Some(snapshot.expected));
            batch.commit(&WriteOptions::default())?;
        }
        return Ok(Done::Removed {
            entries: removed,
            backup: None,
        });
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

fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".rtk-backup");
    PathBuf::from(name)
}

/// `<settings>.rtk-backup`, written the first time only: it keeps the file as it was before
/// git-rtk ever changed it.
fn backup_once(path: &Path, bytes: &[u8]) -> Result<PathBuf, InstallError> {
    let backup = backup_path(path);
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

    /// A Codex `hooks.json` as Codex documents it (`codex-rs/config/src/hook_config.rs`): a user's
    /// own hooks for two events.
    const CODEX_HOOKS: &str = r#"{
  "hooks": {
    "SessionStart": [
      { "hooks": [ { "type": "command", "command": "echo started", "timeout": 5 } ] }
    ],
    "PreToolUse": [
      { "matcher": "apply_patch", "hooks": [ { "type": "command", "command": "./check-patch.sh" } ] }
    ]
  }
}
"#;

    #[test]
    fn codex_install_reinstall_and_uninstall_byte_for_byte() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join(".codex/hooks.json");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, CODEX_HOOKS).expect("seed");
        assert!(matches!(
            apply(&CODEX, &path, true, false).expect("install"),
            Done::Installed { backup: Some(_) }
        ));
        let installed = std::fs::read_to_string(&path).expect("read");
        let value: serde_json::Value = serde_json::from_str(&installed).expect("still JSON");
        let ours = &value["hooks"]["PreToolUse"][1];
        assert_eq!(ours["matcher"], "Bash");
        assert_eq!(ours["hooks"][0]["command"], "git rtk-hook codex");
        assert_eq!(
            value["hooks"]["SessionStart"][0]["hooks"][0]["command"],
            "echo started"
        );
        assert_eq!(
            apply(&CODEX, &path, true, false).expect("again"),
            Done::AlreadyInstalled
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), installed);
        apply(&CODEX, &path, false, false).expect("uninstall");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), CODEX_HOOKS);
    }

    #[test]
    fn copilot_gets_a_file_of_its_own_and_uninstall_removes_it() {
        let dir = tempfile::tempdir().expect("temp");
        let hooks = dir.path().join(".github/hooks");
        std::fs::create_dir_all(&hooks).expect("mkdir");
        // A user's own hook file, in Copilot CLI's format, stays untouched.
        let theirs = r#"{"version": 1, "hooks": {"sessionStart": [{"type": "command", "bash": "echo hi"}]}}"#;
        std::fs::write(hooks.join("team.json"), theirs).expect("seed");
        let path = dir.path().join(COPILOT.settings);
        assert!(matches!(
            apply(&COPILOT, &path, true, false).expect("install"),
            Done::Installed { backup: None }
        ));
        let installed = std::fs::read_to_string(&path).expect("read");
        let value: serde_json::Value = serde_json::from_str(&installed).expect("JSON");
        assert_eq!(value["version"], 1);
        assert_eq!(
            value["hooks"]["preToolUse"][0]["bash"],
            "git rtk-hook copilot"
        );
        assert_eq!(value["hooks"]["preToolUse"][0]["type"], "command");
        assert_eq!(
            apply(&COPILOT, &path, true, false).expect("again"),
            Done::AlreadyInstalled
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), installed);
        assert!(matches!(
            apply(&COPILOT, &path, false, false).expect("uninstall"),
            Done::Removed { entries: 1, .. }
        ));
        assert!(!path.exists(), "the file it created is gone");
        assert_eq!(
            std::fs::read_to_string(hooks.join("team.json")).expect("theirs"),
            theirs
        );
        let left: Vec<_> = std::fs::read_dir(&hooks)
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["team.json"]);
    }
}
