//! Every value in the corpus, not just the chosen ones: setting each scalar changes exactly its
//! bytes, and deleting each key leaves a document that parses without that key.

use git_rtk::edit::config::{edit, Change, Format, NewValue};
use git_rtk::edit::key_path::KeyPath;
use jsonc_parser::common::Ranged as _;

/// A key path written so that `KeyPath::parse` reads it back: every key quoted.
fn quoted(key: &str) -> String {
    format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The path of `key` in the table or object at `parent` (the root is `""`).
fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        quoted(key)
    } else {
        format!("{parent}.{}", quoted(key))
    }
}

/// A value in a document: its key path, the span of its text, and whether it is a scalar.
type ValueAt = (String, std::ops::Range<usize>, bool);

/// Every value of a document in `format`.
fn values(format: Format, text: &str) -> Vec<ValueAt> {
    match format {
        Format::Toml => toml_values(text),
        Format::Json => json_values(text),
    }
}

fn toml_values(text: &str) -> Vec<ValueAt> {
    fn value(path: String, v: &toml_edit::Value, out: &mut Vec<ValueAt>) {
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
                    value(child(&path, k), e, out);
                }
            }
            _ => out.push((path, span, true)),
        }
    }
    fn table(prefix: &str, t: &toml_edit::Table, out: &mut Vec<ValueAt>) {
        for (k, item) in t.iter() {
            let path = child(prefix, k);
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

fn json_values(text: &str) -> Vec<ValueAt> {
    fn walk(path: String, v: &jsonc_parser::ast::Value<'_>, out: &mut Vec<ValueAt>) {
        let span = v.start()..v.end();
        match v {
            jsonc_parser::ast::Value::Object(o) => {
                if !path.is_empty() {
                    out.push((path.clone(), span, false));
                }
                for p in &o.properties {
                    walk(child(&path, p.name.as_str()), &p.value, out);
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
            let path = child(prefix, k);
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

/// The corpus file `name`, with CRLF line ends when `crlf`.
fn corpus(name: &str, crlf: bool) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

/// An edit of a CRLF document (`crlf`) must not write a bare LF.
fn assert_no_bare_lf(crlf: bool, after: &str, edit: &str) {
    if crlf {
        assert!(
            !after.replace("\r\n", "").contains('\n'),
            "{edit} wrote a bare LF"
        );
    }
}

fn run(format: Format, text: &str, path: &str, change: Change) -> String {
    let key = KeyPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let edited =
        edit(format, text.as_bytes(), &key, &change).unwrap_or_else(|e| panic!("{path}: {e}"));
    String::from_utf8(edited.content).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check_file(name: &str, format: Format, crlf: bool) -> usize {
    let text = corpus(name, crlf);
    let all_values = values(format, &text);
    let mut checked = 0;
    for (path, span, scalar) in &all_values {
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
        let remaining = values(format, &after);
        let under =
            |p: &str, q: &str| p.starts_with(&format!("{q}.")) || p.starts_with(&format!("{q}["));
        let expected: Vec<&str> = all_values
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
        assert_no_bare_lf(crlf, &after, &format!("{name}: delete {path}"));
        checked += 1;
    }
    checked
}

/// Adds `"new.key" = 1` to every table and object: the document gains exactly that value, and
/// every other value keeps its text and order.
fn check_additions(name: &str, format: Format, crlf: bool) -> usize {
    let text = corpus(name, crlf);
    let before = values(format, &text);
    let mut checked = 0;
    for container in containers(format, &text) {
        let path = child(&container, "new.key");
        let value = NewValue {
            text: "1".to_owned(),
            force_string: false,
        };
        let after_text = run(format, &text, &path, Change::Set(value));
        let after = values(format, &after_text);
        let added: Vec<_> = after.iter().filter(|(p, _, _)| *p == path).collect();
        assert_eq!(added.len(), 1, "{name}: add {path}\n{after_text}");
        assert_eq!(&after_text[added[0].1.clone()], "1", "{name}: add {path}");
        let inside = |p: &str| {
            container.is_empty()
                || p == container
                || p.starts_with(&format!("{container}."))
                || p.starts_with(&format!("{container}["))
        };
        let same = |list: &[ValueAt], t: &str| -> Vec<String> {
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
        assert_no_bare_lf(crlf, &after_text, &format!("{name}: add {path}"));
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

/// Runs `check` on every corpus file, with LF and with CRLF line ends; returns what it checked.
fn over_the_corpus(check: fn(&str, Format, bool) -> usize) -> usize {
    CORPUS
        .iter()
        .flat_map(|&(name, format)| [false, true].map(|crlf| check(name, format, crlf)))
        .sum()
}

#[test]
fn every_table_and_object_in_the_corpus_takes_a_new_key() {
    let checked = over_the_corpus(check_additions);
    assert!(checked > 100, "only {checked} containers checked");
}

#[test]
fn every_value_in_the_corpus_can_be_set_and_deleted() {
    let checked = over_the_corpus(check_file);
    assert!(checked > 500, "only {checked} values checked");
}
