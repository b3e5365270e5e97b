//! The front door for config edits: picks the format, strips and restores a byte-order mark, and
//! turns an editor's splices into the new file content.

use std::path::Path;

use super::key_path::KeyPath;
use super::splice;
use super::{json, toml, EditError};

pub use super::change::{Change, ConfigEdit, NewValue};

/// A config file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    /// JSON, read as JSONC: comments and trailing commas are accepted where the file has them.
    Json,
}

impl Format {
    /// The format a file name implies: `.toml`, `.json`, `.jsonc`, `.json5`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(Format::Toml),
            "json" | "jsonc" | "json5" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The new file content and the value's text before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub content: Vec<u8>,
    pub old: Option<String>,
    pub new: Option<String>,
}

const BOM: &str = "\u{feff}";

/// Applies `change` at `path` to a config file's bytes.
pub fn edit(
    format: Format,
    content: &[u8],
    path: &KeyPath,
    change: &Change,
) -> Result<Edited, EditError> {
    let text = std::str::from_utf8(content).map_err(|err| {
        EditError::Syntax(format!(
            "not UTF-8 (invalid byte at offset {})",
            err.valid_up_to()
        ))
    })?;
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(body) => (BOM, body),
        None => ("", text),
    };
    let edit = match (format, change) {
        (Format::Toml, Change::Set(value)) => toml::set(body, path, value)?,
        (Format::Toml, Change::Delete) => toml::delete(body, path)?,
        (Format::Json, Change::Set(value)) => json::set(body, path, &json::render_value(value)?)?,
        (Format::Json, Change::Delete) => json::delete(body, path)?,
    };
    let new_body = splice::apply(body, edit.splices)
        .map_err(|err| EditError::NotApplicable(err.to_string()))?;
    verify_still_parses(format, &new_body)?;
    let mut content = Vec::with_capacity(bom.len() + new_body.len());
    content.extend_from_slice(bom.as_bytes());
    content.extend_from_slice(new_body.as_bytes());
    Ok(Edited {
        content,
        old: edit.old,
        new: edit.new,
    })
}

/// A last check that the edit produced a valid document, so no file is ever written broken.
fn verify_still_parses(format: Format, text: &str) -> Result<(), EditError> {
    let problem = match format {
        Format::Toml => ::toml_edit::Document::parse(text)
            .err()
            .map(|e| e.to_string()),
        Format::Json => jsonc_parser::parse_to_ast(
            text,
            &jsonc_parser::CollectOptions::default(),
            &jsonc_parser::ParseOptions::default(),
        )
        .err()
        .map(|e| e.to_string()),
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(EditError::NotApplicable(format!(
            "the edit would make the file invalid ({}); nothing was written",
            problem.trim_end()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: Format, text: &str, key: &str, change: Change) -> Result<String, EditError> {
        let path = KeyPath::parse(key)?;
        let edited = edit(format, text.as_bytes(), &path, &change)?;
        String::from_utf8(edited.content).map_err(|e| EditError::Syntax(e.to_string()))
    }

    fn set(format: Format, text: &str, key: &str, value: &str) -> String {
        let value = NewValue {
            text: value.to_owned(),
            force_string: false,
        };
        run(format, text, key, Change::Set(value)).unwrap_or_else(|e| format!("ERROR: {e}"))
    }

    fn delete(format: Format, text: &str, key: &str) -> String {
        run(format, text, key, Change::Delete).unwrap_or_else(|e| format!("ERROR: {e}"))
    }

    const CARGO: &str = "# top\r\n[package]\r\nname = 'x' # the name\r\nversion = \"0.1.0\"\r\nmeta.a = 1\r\n\r\n[dependencies]\r\nserde = { version = \"1\", features = [\"derive\"] }\r\nlist = [\r\n  1,\r\n  2, # two\r\n]\r\n\r\n# bins\r\n[[bin]]\r\nname = \"a\"\r\n[bin.sub]\r\nz=1\r\n[[bin]]\r\nname = \"b\"\r\n\r\n[target.'cfg(unix)'.dependencies]\r\nlibc = \"0.2\"\r\n";

    const SETTINGS: &str = "// editor\n{\n    \"editor.tabSize\": 4, // spaces\n    \"files.exclude\": { \"**/.git\": true },\n    \"hooks\": {\n        \"PreToolUse\": [\n            { \"matcher\": \"Bash\", \"hooks\": [] }\n        ]\n    },\n    \"list\": [1, 2,],\n    \"last\": null /* end */\n}\n";

    /// `base` with `from` replaced by `to`; `from` must stand in `base` exactly once, so the
    /// expected text names the one place the edit may touch.
    fn replaced(base: &str, from: &str, to: &str) -> String {
        assert_eq!(base.matches(from).count(), 1, "{from:?}");
        base.replacen(from, to, 1)
    }

    /// Each `(key, value, from, to)`: setting `key` to `value` in `base` replaces `from` by `to`.
    fn assert_set_replaces(format: Format, base: &str, cases: &[(&str, &str, &str, &str)]) {
        for &(key, value, from, to) in cases {
            let expected = replaced(base, from, to);
            assert_eq!(set(format, base, key, value), expected, "{key} = {value}");
        }
    }

    /// Each `(key, from, to)`: deleting `key` from `base` replaces `from` by `to`.
    fn assert_delete_replaces(format: Format, base: &str, cases: &[(&str, &str, &str)]) {
        for &(key, from, to) in cases {
            assert_eq!(delete(format, base, key), replaced(base, from, to), "{key}");
        }
    }

    /// Each `(format, text, key, value, expected)`: setting `key` to `value` in `text` gives
    /// `expected`, the whole new text or `ERROR: ` and the refusal.
    fn assert_set_gives(cases: &[(Format, &str, &str, &str, &str)]) {
        for &(format, text, key, value, expected) in cases {
            let outcome = set(format, text, key, value);
            assert_eq!(outcome, expected, "{format:?} {text:?}: {key} = {value}");
        }
    }

    /// Each `(format, text, key, value, prefix)`: setting `key` to `value` in `text` is refused
    /// with a message starting `prefix` (the rest quotes the parser, which may change).
    fn assert_set_refused_with(cases: &[(Format, &str, &str, &str, &str)]) {
        for &(format, text, key, value, prefix) in cases {
            let outcome = set(format, text, key, value);
            assert!(outcome.starts_with(prefix), "{key} = {value}: {outcome}");
        }
    }

    #[test]
    fn toml_set_changes_only_the_value_and_keeps_crlf_and_quote_style() {
        assert_set_replaces(
            Format::Toml,
            CARGO,
            &[
                (
                    "dependencies.serde.features[0]",
                    "std",
                    "[\"derive\"]",
                    "[\"std\"]",
                ),
                (
                    "target.'cfg(unix)'.dependencies.libc",
                    "\"0.3\"",
                    "\"0.2\"",
                    "\"0.3\"",
                ),
                ("package.version", "0.2.0", "\"0.1.0\"", "\"0.2.0\""),
                ("package.name", "y", "'x'", "'y'"),
            ],
        );
    }

    #[test]
    fn toml_new_keys_follow_their_table() {
        let t = Format::Toml;
        let meta = "meta.a = 1\r\n";
        assert_set_replaces(
            t,
            CARGO,
            &[
                (
                    "package.edition",
                    "2021",
                    meta,
                    "meta.a = 1\r\nedition = 2021\r\n",
                ),
                (
                    "package.meta.b",
                    "true",
                    meta,
                    "meta.a = 1\r\nmeta.b = true\r\n",
                ),
                (
                    "package.metadata.docs.rs.all-features",
                    "true",
                    meta,
                    "meta.a = 1\r\n\r\n[package.metadata.docs.rs]\r\nall-features = true\r\n",
                ),
                (
                    "dependencies.serde.default-features",
                    "false",
                    "[\"derive\"] }",
                    "[\"derive\"], default-features = false }",
                ),
                (
                    "dependencies.list[2]",
                    "3",
                    "  2, # two\r\n",
                    "  2, # two\r\n  3,\r\n",
                ),
                (
                    "bin[0].path",
                    "src/a.rs",
                    "name = \"a\"\r\n",
                    "name = \"a\"\r\npath = \"src/a.rs\"\r\n",
                ),
                (
                    "bin[0].extra.k",
                    "1",
                    "z=1\r\n",
                    "z=1\r\n\r\n[bin.extra]\r\nk = 1\r\n",
                ),
            ],
        );
        assert_eq!(
            set(t, CARGO, "tool.ruff.line-length", "100"),
            format!("{CARGO}\r\n[tool.ruff]\r\nline-length = 100\r\n")
        );
    }

    #[test]
    fn new_keys_in_small_documents() {
        let (t, j) = (Format::Toml, Format::Json);
        assert_set_gives(&[
            (t, "", "a.b", "1", "[a]\nb = 1\n"),
            (t, "x = 1\n", "y", "[1, 2]", "x = 1\ny = [1, 2]\n"),
            (t, "[a]\n", "a.y", "{ q = 1 }", "[a]\ny = { q = 1 }\n"),
            (j, "", "a.b", "1", "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n"),
            (j, "{}", "a", "1", "{\n  \"a\": 1\n}"),
            (j, "{\"a\":1}", "b", "2", "{\"a\":1, \"b\":2}"),
            (
                j,
                "{\"a\":1,\"b\":2}",
                "c",
                "3",
                "{\"a\":1,\"b\":2,\"c\":3}",
            ),
        ]);
    }

    #[test]
    fn toml_values_are_typed_by_syntax_unless_forced() {
        let t = Format::Toml;
        assert_eq!(set(t, "v = \"1\"\n", "v", "0.3"), "v = 0.3\n");
        let forced = NewValue {
            text: "0.3".to_owned(),
            force_string: true,
        };
        let path = KeyPath::parse("v").unwrap_or_else(|e| panic!("{e}"));
        let edited = edit(t, b"v = '1'\n", &path, &Change::Set(forced)).map(|e| e.content);
        assert_eq!(edited, Ok(b"v = '0.3'\n".to_vec()));
        assert_eq!(set(t, "v = 1\n", "v", "a \"b\""), "v = \"a \\\"b\\\"\"\n");
    }

    #[test]
    fn refusals() {
        let (t, j) = (Format::Toml, Format::Json);
        assert_set_gives(&[
            (
                t,
                CARGO,
                "package",
                "1",
                "ERROR: package is a table; set its keys one by one, or --delete it first",
            ),
            (
                t,
                CARGO,
                "package.version.x",
                "1",
                "ERROR: package.version is a string, not a table; cannot reach package.version.x",
            ),
            (
                j,
                SETTINGS,
                "last.x",
                "1",
                "ERROR: last is null, not an object; cannot reach last.x",
            ),
            (
                j,
                "{\"a\":1,\"a\":2}",
                "a",
                "2",
                "ERROR: key a appears more than once in its object; edit the file by hand or with replace",
            ),
        ]);
        assert_eq!(delete(t, CARGO, "nope"), "ERROR: no key nope");
        assert_set_refused_with(&[
            (
                t,
                "[a]\n",
                "a.y",
                "{ q = ",
                "ERROR: value \"{ q =\" looks like TOML",
            ),
            (t, "a = [\n", "a", "1", "ERROR: not valid TOML"),
            (
                j,
                SETTINGS,
                "x",
                "{oops",
                "ERROR: value \"{oops\" looks like JSON",
            ),
        ]);
    }

    #[test]
    fn toml_deletes() {
        assert_delete_replaces(
            Format::Toml,
            CARGO,
            &[
                ("package.name", "name = 'x' # the name\r\n", ""),
                ("package.meta", "meta.a = 1\r\n", ""),
                ("dependencies.serde.version", "version = \"1\", features", "features"),
                ("dependencies.serde.features", ", features = [\"derive\"]", ""),
                ("dependencies.list[1]", "  2, # two\r\n", ""),
                ("bin[0]", "# bins\r\n[[bin]]\r\nname = \"a\"\r\n[bin.sub]\r\nz=1\r\n", ""),
                (
                    "bin",
                    "\r\n# bins\r\n[[bin]]\r\nname = \"a\"\r\n[bin.sub]\r\nz=1\r\n[[bin]]\r\nname = \"b\"\r\n",
                    "",
                ),
                (
                    "target",
                    "\r\n\r\n[target.'cfg(unix)'.dependencies]\r\nlibc = \"0.2\"\r\n",
                    "\r\n",
                ),
            ],
        );
    }

    #[test]
    fn json_set() {
        let j = Format::Json;
        assert_set_replaces(
            j,
            SETTINGS,
            &[
                ("\"editor.tabSize\"", "2", ": 4,", ": 2,"),
                ("hooks.PreToolUse[0].matcher", "Edit", "\"Bash\"", "\"Edit\""),
                ("list[2]", "3", "[1, 2,]", "[1, 2, 3,]"),
                ("list[-1]", "\"two\"", "[1, 2,]", "[1, \"two\",]"),
                ("last", "hello world", "null", "\"hello world\""),
                (
                    "hooks.PreToolUse[0].hooks[0]",
                    "{\"type\": \"command\"}",
                    "[] }",
                    "[{\"type\": \"command\"}] }",
                ),
                (
                    "hooks.PostToolUse",
                    "[]",
                    "        ]\n    },",
                    "        ],\n        \"PostToolUse\": []\n    },",
                ),
                (
                    "new.nested.key",
                    "true",
                    "null /* end */\n",
                    "null, /* end */\n    \"new\": {\n        \"nested\": {\n            \"key\": true\n        }\n    }\n",
                ),
            ],
        );
    }

    #[test]
    fn json_deletes() {
        let j = Format::Json;
        assert_delete_replaces(
            j,
            SETTINGS,
            &[
                (
                    "\"editor.tabSize\"",
                    "    \"editor.tabSize\": 4, // spaces\n",
                    "",
                ),
                ("last", "],\n    \"last\": null /* end */\n", "]\n"),
                ("list[0]", "[1, 2,]", "[2,]"),
                (
                    "\"files.exclude\".\"**/.git\"",
                    "{ \"**/.git\": true }",
                    "{}",
                ),
            ],
        );
    }

    #[test]
    fn bom_is_kept_and_not_utf8_is_fatal() {
        let value = NewValue {
            text: "2".to_owned(),
            force_string: false,
        };
        let path = KeyPath::parse("a").unwrap_or_else(|e| panic!("{e}"));
        let edited = edit(
            Format::Json,
            b"\xef\xbb\xbf{\"a\": 1}",
            &path,
            &Change::Set(value.clone()),
        );
        assert_eq!(
            edited.map(|e| e.content),
            Ok(b"\xef\xbb\xbf{\"a\": 2}".to_vec())
        );
        let broken = edit(Format::Toml, b"a = \"\xff\"", &path, &Change::Set(value));
        assert!(matches!(broken, Err(EditError::Syntax(_))));
    }
}
