//! `git rtk-write set <file> <key> <value>`: one config value, changing only its bytes.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::failure::Failure;
use super::files::{self, FileChange};
use super::{one_line, shown, Done, Options};
use crate::edit::config::{self, Change, Format, NewValue};
use crate::edit::key_path::KeyPath;

/// Set (or delete) one key in a TOML, JSON or JSONC file, keeping comments and layout.
///
/// Key paths are dotted (`package.version`), with quoted segments for keys containing dots
/// (`'"editor.tabSize"'`) and `[N]` for array elements (`hooks.PreToolUse[0].matcher`, `[-1]` is
/// the last). Missing tables and objects are created. The value is typed like the file's own
/// syntax: `5` is a number, `true` a boolean, `[1, 2]` an array, `{ a = 1 }` (TOML) or
/// `{"a": 1}` (JSON) a table; anything else is a string.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The file to edit (format from its name: .toml, .json, .jsonc).
    pub file: PathBuf,
    /// The key path.
    pub key: String,
    /// The new value (not with --delete).
    #[arg(allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Store the value as a string even if it reads as a number, boolean, array or table.
    #[arg(long, conflicts_with = "delete")]
    pub string: bool,
    /// Remove the key (or array element) instead of setting it.
    #[arg(long)]
    pub delete: bool,
    /// The file's format, when its name does not tell.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Toml,
    Json,
}

pub fn cmd_set(args: &SetArgs, options: &Options) -> Result<Done, Failure> {
    let file = shown(&args.file);
    let format = match args.format {
        Some(FormatArg::Toml) => Format::Toml,
        Some(FormatArg::Json) => Format::Json,
        None => Format::from_path(&args.file).ok_or_else(|| {
            Failure::usage(format!("cannot tell the format of '{file}' from its name"))
                .hint("pass --format toml or --format json")
        })?,
    };
    let key = KeyPath::parse(&args.key).map_err(|err| Failure::from_edit(&file, err))?;
    let change = match (&args.value, args.delete) {
        (Some(_), true) => return Err(Failure::usage("--delete takes no value")),
        (None, false) => return Err(Failure::usage("set needs a value (or --delete)")),
        (None, true) => Change::Delete,
        (Some(value), false) => Change::Set(NewValue {
            text: value.clone(),
            force_string: args.string,
        }),
    };
    let snapshot = files::read_existing(&args.file)?;
    let edited = config::edit(format, &snapshot.content, &key, &change)
        .map_err(|err| Failure::from_edit(&file, err))?;
    let show = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "(absent)".to_owned(), |v| one_line(v, 60))
    };
    let mut json = serde_json::Map::new();
    json.insert("file".to_owned(), file.clone().into());
    json.insert("key".to_owned(), args.key.clone().into());
    json.insert(
        "action".to_owned(),
        if args.delete { "delete" } else { "set" }.into(),
    );
    json.insert(
        "old".to_owned(),
        edited.old.clone().map_or(Value::Null, Value::from),
    );
    json.insert(
        "new".to_owned(),
        edited.new.clone().map_or(Value::Null, Value::from),
    );
    if edited.content == snapshot.content {
        json.insert("changed".to_owned(), false.into());
        return Ok(Done {
            summary: format!("no change {file} {}: {}", args.key, show(&edited.new)),
            json,
            diff: Vec::new(),
        });
    }
    let diff = files::unified_diff(Some(&file), Some(&file), &snapshot.content, &edited.content);
    files::commit(
        &[FileChange::Write {
            path: args.file.clone(),
            content: edited.content,
            expected: Some(snapshot.expected),
        }],
        options,
    )?;
    json.insert("changed".to_owned(), true.into());
    let verb = if args.delete { "delete" } else { "set" };
    Ok(Done {
        summary: format!(
            "{verb} {file} {}: {} → {}",
            args.key,
            show(&edited.old),
            show(&edited.new)
        ),
        json,
        diff,
    })
}
