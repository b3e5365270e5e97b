//! Every value in the corpus, not just the chosen ones: setting each scalar changes exactly its
//! bytes, and deleting each key leaves a document that parses without that key.

use git_rtk::edit::config::{edit, Change, Format, NewValue};
use git_rtk::edit::key_path::KeyPath;
use jsonc_parser::common::Ranged as _;

/// A key path written so that `KeyPath::parse` reads it back: every key quoted.
fn quoted(key: &str) -> String {
    format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
}

/// (path, span of the value, whether it is a scalar) for every value in a TOML document.
fn toml_values(text: &str) -> Vec<(String, std::ops::Range<usize>, bool)> {
    fn value(
        path: String,
        v: &toml_edit::Value,
        out: &mut Vec<(String, std::ops::Range<usize>, bool)>,
    ) {
        let Some(span) = v.span() else { return };
        match v {
            toml_edit::Value::Array(a) => {
                out.push((path.clone(), span, false));
                for (i, e) in a.iter().enumerate() {
                    value(format!("{path}[{i}]"), e, out);
                }
            }
            toml_edit::Value::InlineTable(t) => {
                out.push((path.clone(), span, false));
                for (k, e) in t.iter() {
                    value(format!("{path}.{}", quoted(k)), e, out);
                }
            }
            _ => out.push((path, span, true)),
        }
    }
    fn table(
        prefix: &str,
        t: &toml_edit::Table,
        out: &mut Vec<(String, std::ops::Range<usize>, bool)>,
    ) {
        for (k, item) in t.iter() {
            let path = if prefix.is_empty() {
                quoted(k)
            } else {
                format!("{prefix}.{}", quoted(k))
            };
            match item {
                toml_edit::Item::Value(v) => value(path, v, out),
                toml_edit::Item::Table(t) => table(&path, t, out),
                toml_edit::Item::ArrayOfTables(all) => {
                    for (i, t) in all.iter().enumerate() {
                        table(&format!("{path}[{i}]"), t, out);
                    }
                }
                toml_edit::Item::None => {}
            }
        }
    }
    let doc = toml_edit::Document::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    table("", doc.as_table(), &mut out);
    // File order (toml_edit's maps keep first-seen order, which moves when a table is defined).
    out.sort_by_key(|(_, span, _)| span.start);
    out
}

fn json_values(text: &str) -> Vec<(String, std::ops::Range<usize>, bool)> {
    fn walk(
        path: String,
        v: &jsonc_parser::ast::Value<'_>,
        out: &mut Vec<(String, std::ops::Range<usize>, bool)>,
    ) {
        let span = v.start()..v.end();
        match v {
            jsonc_parser::ast::Value::Object(o) => {
                if !path.is_empty() {
                    out.push((path.clone(), span, false));
                }
                for p in &o.properties {
                    let key = quoted(p.name.as_str());
                    let child = if path.is_empty() {
                        key
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(child, &p.value, out);
                }
            }
            jsonc_parser::ast::Value::Array(a) => {
                out.push((path.clone(), span, false));
                for (i, e) in a.elements.iter().enumerate() {
                    walk(format!("{path}[{i}]"), e, out);
                }
            }
            _ => out.push((path, span, true)),
        }
    }
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    if let Some(root) = parsed.value.as_ref() {
        walk(String::new(), root, &mut out);
    }
    out
}

/// Every table and object a key can be added to (the root is `""`).
fn containers(format: Format, text: &str) -> Vec<String> {
    fn toml_table(prefix: &str, t: &toml_edit::Table, out: &mut Vec<String>) {
        out.push(prefix.to_owned());
        for (k, item) in t.iter() {
            let path = if prefix.is_empty() {
                quoted(k)
            } else {
                format!("{prefix}.{}", quoted(k))
            };
            match item {
                toml_edit::Item::Table(t) => toml_table(&path, t, out),
                toml_edit::Item::ArrayOfTables(all) => {
                    for (i, t) in all.iter().enumerate() {
                        toml_table(&format!("{path}[{i}]"), t, out);
                    }
                }
                toml_edit::Item::Value(toml_edit::Value::InlineTable(t)) if !t.is_dotted() => {
                    out.push(path)
                }
                _ => {}
            }
        }
    }
    match format {
        Format::Toml => {
            let doc = toml_edit::Document::parse(text).unwrap_or_else(|e| panic!("{e}"));
            let mut out = Vec::new();
            toml_table("", doc.as_table(), &mut out);
            out
        }
        Format::Json => {
            let mut out = vec![String::new()];
            for (path, span, scalar) in json_values(text) {
                if !scalar && text[span].starts_with('{') {
                    out.push(path);
                }
            }
            out
        }
    }
}

fn corpus(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn run(format: Format, text: &str, path: &str, change: Change) -> String {
    let key = KeyPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let edited =
        edit(format, text.as_bytes(), &key, &change).unwrap_or_else(|e| panic!("{path}: {e}"));
    String::from_utf8(edited.content).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check_file(name: &str, format: Format, crlf: bool) -> usize {
    let mut text = corpus(name);
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    let values = match format {
        Format::Toml => toml_values(&text),
        Format::Json => json_values(&text),
    };
    let mut checked = 0;
    for (path, span, scalar) in &values {
        let old = &text[span.clone()];
        if *scalar {
            let set = NewValue {
                text: "__x__".to_owned(),
                force_string: true,
            };
            let after = run(format, &text, path, Change::Set(set));
            let literal =
                if format == Format::Toml && old.starts_with('\'') && !old.starts_with("'''") {
                    "'__x__'"
                } else {
                    "\"__x__\""
                };
            let expected = format!("{}{literal}{}", &text[..span.start], &text[span.end..]);
            assert_eq!(after, expected, "{name}: set {path}");
        }
        // Deleting removes this value and what is under it; every other value keeps its text,
        // in order (containers of the path aside: their text shrinks).
        let after = run(format, &text, path, Change::Delete);
        let remaining = match format {
            Format::Toml => toml_values(&after),
            Format::Json => json_values(&after),
        };
        let under =
            |p: &str, q: &str| p.starts_with(&format!("{q}.")) || p.starts_with(&format!("{q}["));
        let expected: Vec<&str> = values
            .iter()
            .filter(|(p, _, _)| p != path && !under(p, path) && !under(path, p))
            .map(|(_, s, _)| &text[s.clone()])
            .collect();
        let actual: Vec<&str> = remaining
            .iter()
            .filter(|(p, _, _)| !under(path, p))
            .map(|(_, s, _)| &after[s.clone()])
            .collect();
        assert_eq!(actual, expected, "{name}: delete {path}");
        if crlf {
            assert!(
                !after.replace("\r\n", "").contains('\n'),
                "{name}: delete {path} wrote a bare LF"
            );
        }
        checked += 1;
    }
    checked
}

/// Adds `"new.key" = 1` to every table and object: the document gains exactly that value, and
/// every other value keeps its text and order.
fn check_additions(name: &str, format: Format, crlf: bool) -> usize {
    let mut text = corpus(name);
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    let values = |t: &str| match format {
        Format::Toml => toml_values(t),
        Format::Json => json_values(t),
    };
    let before = values(&text);
    let mut checked = 0;
    for container in containers(format, &text) {
        let path = if container.is_empty() {
            "\"new.key\"".to_owned()
        } else {
            format!("{container}.\"new.key\"")
        };
        let value = NewValue {
            text: "1".to_owned(),
            force_string: false,
        };
        let after_text = run(format, &text, &path, Change::Set(value));
        let after = values(&after_text);
        let added: Vec<_> = after.iter().filter(|(p, _, _)| *p == path).collect();
        assert_eq!(added.len(), 1, "{name}: add {path}\n{after_text}");
        assert_eq!(&after_text[added[0].1.clone()], "1", "{name}: add {path}");
        let inside = |p: &str| {
            container.is_empty()
                || p == container
                || p.starts_with(&format!("{container}."))
                || p.starts_with(&format!("{container}["))
        };
        let same = |list: &[(String, std::ops::Range<usize>, bool)], t: &str| -> Vec<String> {
            list.iter()
                .filter(|(p, _, _)| {
                    *p != path
                        && !(inside(&container)
                            && container.starts_with(p.as_str())
                            && !p.is_empty()
                            && (container == *p
                                || container.starts_with(&format!("{p}."))
                                || container.starts_with(&format!("{p}["))))
                })
                .map(|(_, s, _)| t[s.clone()].to_owned())
                .collect()
        };
        assert_eq!(
            same(&after, &after_text),
            same(&before, &text),
            "{name}: add {path}"
        );
        if crlf {
            assert!(
                !after_text.replace("\r\n", "").contains('\n'),
                "{name}: add {path} wrote a bare LF"
            );
        }
        checked += 1;
    }
    checked
}

/// The corpus files every test here walks, with their format.
const CORPUS: [(&str, Format); 9] = [
    ("ripgrep.Cargo.toml", Format::Toml),
    ("tokio.Cargo.toml", Format::Toml),
    ("git-rtk.Cargo.toml", Format::Toml),
    ("black.pyproject.toml", Format::Toml),
    ("flask.pyproject.toml", Format::Toml),
    ("express.package.json", Format::Json),
    ("tsconfig.json", Format::Json),
    ("user.settings.json", Format::Json),
    ("vscode.settings.json", Format::Json),
];

#[test]
fn every_table_and_object_in_the_corpus_takes_a_new_key() {
    let mut checked = 0;
    for (name, format) in CORPUS {
        checked += check_additions(name, format, false);
        checked += check_additions(name, format, true);
    }
    assert!(checked > 100, "only {checked} containers checked");
}

#[test]
fn every_value_in_the_corpus_can_be_set_and_deleted() {
    let mut checked = 0;
    for (name, format) in CORPUS {
        checked += check_file(name, format, false);
        checked += check_file(name, format, true);
    }
    assert!(checked > 500, "only {checked} values checked");
}
