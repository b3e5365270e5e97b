//! Setting and deleting keys in TOML, changing only the bytes of the edited value.
//!
//! `toml_edit` parses the document to find spans; the edit itself is a splice of the original
//! text, so line endings, comments and spelling elsewhere are untouched (re-rendering through
//! `toml_edit` would, for one, turn CRLF into LF). New keys go at the end of their table's own
//! key/value lines; new tables get a header placed after the last section of their nearest
//! existing parent; inside dotted keys and inline tables new keys stay dotted or inline.

use toml_edit::{ArrayOfTables, Document, InlineTable, Item, Key, Table, Value};

use super::change::{ConfigEdit, NewValue};
use super::key_path::{resolve_index, KeyPath, Segment};
use super::layout::{self, Comments};
use super::sequence::{EmptyStyle, Sequence};
use super::splice::Splice;
use super::EditError;

/// Renders a user's value as TOML: valid TOML values (`5`, `true`, `[1, 2]`, `{ a = 1 }`,
/// `"text"`, dates) are kept as typed; anything else becomes a string, written as a literal string
/// when `prefer_literal` (the value it replaces was one) and possible.
pub fn render_value(value: &NewValue, prefer_literal: bool) -> Result<String, EditError> {
    if value.force_string {
        return Ok(string_literal(&value.text, prefer_literal));
    }
    let trimmed = value.text.trim();
    match trimmed.parse::<Value>() {
        Ok(_) if !trimmed.is_empty() => Ok(trimmed.to_owned()),
        Err(err) if trimmed.starts_with(['{', '[', '"', '\'']) => Err(EditError::Usage(format!(
            "value {trimmed:?} looks like TOML but does not parse ({}); pass --string to store it as text",
            err.message().trim()
        ))),
        _ => Ok(string_literal(&value.text, prefer_literal)),
    }
}

/// `'text'` when asked for and possible, else `"text"` with TOML's escapes.
fn string_literal(text: &str, prefer_literal: bool) -> String {
    let literal_ok = !text.contains('\'') && !text.chars().any(|c| c.is_control() && c != '\t');
    if prefer_literal && literal_ok {
        return format!("'{text}'");
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Sets `path` to `value`.
pub fn set(text: &str, path: &KeyPath, value: &NewValue) -> Result<ConfigEdit, EditError> {
    let doc = parse(text)?;
    let root = Node::Table {
        table: doc.as_table(),
        path: Vec::new(),
        dotted_prefix: None,
    };
    match walk(text, root, path)? {
        Walked::Found { node, .. } => {
            let Node::Value(old) = node else {
                return Err(EditError::NotApplicable(format!(
                    "{path} is a table; set its keys one by one, or --delete it first"
                )));
            };
            let span = value_span(old, path)?;
            let old_text = &text[span.clone()];
            let rendered = render_value(
                value,
                old_text.starts_with('\'') && !old_text.starts_with("'''"),
            )?;
            Ok(ConfigEdit {
                splices: vec![Splice::replace(span.clone(), rendered.clone())],
                old: Some(old_text.to_owned()),
                new: Some(rendered),
            })
        }
        Walked::Missing { at, keys } => {
            let rendered = render_value(value, false)?;
            let splices = insert(text, &at, &keys, &rendered, path)?;
            Ok(ConfigEdit {
                splices,
                old: None,
                new: Some(rendered),
            })
        }
        Walked::PastEnd(array) => {
            let rendered = render_value(value, false)?;
            let sequence = array_sequence(text, array, path)?;
            Ok(ConfigEdit {
                splices: sequence.append(&rendered, &EmptyStyle::Inline { padded: false }),
                old: None,
                new: Some(rendered),
            })
        }
    }
}

/// Deletes the key, table or array element at `path`.
pub fn delete(text: &str, path: &KeyPath) -> Result<ConfigEdit, EditError> {
    let doc = parse(text)?;
    let root = Node::Table {
        table: doc.as_table(),
        path: Vec::new(),
        dotted_prefix: None,
    };
    let (parent, node, entry) = match walk(text, root, path)? {
        Walked::Found {
            parent,
            node,
            entry,
        } => (parent, node, entry),
        Walked::Missing { .. } | Walked::PastEnd(_) => {
            return Err(EditError::NotApplicable(format!("no key {path}")))
        }
    };
    let old = match &node {
        Node::Value(v) => text[value_span(v, path)?].to_owned(),
        Node::Table { .. } => "(table)".to_owned(),
        Node::Tables { .. } => "(array of tables)".to_owned(),
    };
    let splices = match (&parent, entry, &node) {
        (Node::Value(container), Entry::Element(i), _) => {
            let array = container
                .as_array()
                .ok_or_else(|| EditError::NotApplicable(format!("no element {path}")))?;
            array_sequence(text, array, path)?.remove(i)
        }
        (Node::Value(container), Entry::Key(key), _) => {
            let inline = container
                .as_inline_table()
                .ok_or_else(|| EditError::NotApplicable(format!("no key {path}")))?;
            match inline_sequence(text, inline, key.get(), path)? {
                (sequence, Some(index)) => sequence.remove(index),
                (_, None) => return Err(EditError::NotApplicable(format!("no key {path}"))),
            }
        }
        (Node::Tables { tables, .. }, Entry::Element(i), _) => {
            let table = tables
                .get(i)
                .ok_or_else(|| EditError::NotApplicable(format!("no element {path}")))?;
            remove_sections(text, &doc, &[table])
        }
        (Node::Table { .. }, Entry::Key(key), Node::Value(value)) => {
            vec![kv_lines(text, key, value, path)?]
        }
        (Node::Table { .. }, Entry::Key(_), Node::Table { table, .. }) if table.is_dotted() => {
            let mut splices = Vec::new();
            dotted_kv_lines(text, table, path, &mut splices)?;
            splices
        }
        (Node::Table { .. }, Entry::Key(_), Node::Table { table, .. }) => {
            remove_sections(text, &doc, &[table])
        }
        (Node::Table { .. }, Entry::Key(_), Node::Tables { tables, .. }) => {
            let all: Vec<&Table> = tables.iter().collect();
            remove_sections(text, &doc, &all)
        }
        _ => return Err(EditError::NotApplicable(format!("cannot delete {path}"))),
    };
    Ok(ConfigEdit {
        splices,
        old: Some(old),
        new: None,
    })
}

fn parse(text: &str) -> Result<Document<&str>, EditError> {
    Document::parse(text)
        .map_err(|err| EditError::Syntax(format!("not valid TOML: {}", err.to_string().trim_end())))
}

/// A place in the document reached by a key path.
#[derive(Clone)]
enum Node<'d> {
    Table {
        table: &'d Table,
        /// The table's keys from the root, as written in the file (for new headers).
        path: Vec<String>,
        /// For a dotted table, its keys from the enclosing header table (`meta` in `meta.a = 1`).
        dotted_prefix: Option<Vec<String>>,
    },
    Tables {
        tables: &'d ArrayOfTables,
        path: Vec<String>,
    },
    /// A value: a scalar, an array, an inline table.
    Value(&'d Value),
}

/// How the last step of a path was taken from its parent.
#[derive(Clone, Copy)]
enum Entry<'d> {
    Key(&'d Key),
    Element(usize),
}

enum Walked<'d> {
    Found {
        parent: Node<'d>,
        node: Node<'d>,
        entry: Entry<'d>,
    },
    /// `at` lacks `keys[0]`; the rest of the path (all keys) is to be created under it.
    Missing { at: Node<'d>, keys: Vec<String> },
    /// The last segment is an index equal to the array's length: append.
    PastEnd(&'d toml_edit::Array),
}

fn walk<'d>(text: &str, root: Node<'d>, path: &KeyPath) -> Result<Walked<'d>, EditError> {
    let mut parent = root.clone();
    let mut node = root;
    let mut entry = None;
    for (depth, segment) in path.segments.iter().enumerate() {
        let is_last = depth + 1 == path.segments.len();
        let (next, next_entry) = match (segment, &node) {
            (
                Segment::Key(k),
                Node::Table {
                    table,
                    path: table_path,
                    dotted_prefix,
                },
            ) => match table.get_key_value(k) {
                Some((key, item)) => {
                    let written = key_repr(text, key);
                    let child = match item {
                        Item::Table(t) => Node::Table {
                            table: t,
                            path: extend(table_path, &written),
                            dotted_prefix: t.is_dotted().then(|| match dotted_prefix {
                                Some(prefix) => extend(prefix, &written),
                                None => vec![written.clone()],
                            }),
                        },
                        Item::ArrayOfTables(tables) => Node::Tables {
                            tables,
                            path: extend(table_path, &written),
                        },
                        Item::Value(v) => Node::Value(v),
                        Item::None => return missing(&node, path, depth),
                    };
                    (child, Entry::Key(key))
                }
                None => return missing(&node, path, depth),
            },
            (Segment::Key(k), Node::Value(v)) if v.is_inline_table() => {
                let inline = v
                    .as_inline_table()
                    .ok_or_else(|| wrong_kind(path, depth, &node))?;
                match inline.get_key_value(k) {
                    Some((key, Item::Value(child))) => (Node::Value(child), Entry::Key(key)),
                    Some(_) => return Err(wrong_kind(path, depth, &node)),
                    None => return missing(&node, path, depth),
                }
            }
            (Segment::Index(i), Node::Value(v)) if v.is_array() => {
                let array = v.as_array().ok_or_else(|| wrong_kind(path, depth, &node))?;
                match resolve_index(*i, array.len()) {
                    Some(index) => match array.get(index) {
                        Some(child) => (Node::Value(child), Entry::Element(index)),
                        None => return Err(out_of_range(path, depth, array.len())),
                    },
                    None if is_last && usize::try_from(*i).is_ok_and(|i| i == array.len()) => {
                        return Ok(Walked::PastEnd(array));
                    }
                    None => return Err(out_of_range(path, depth, array.len())),
                }
            }
            (
                Segment::Index(i),
                Node::Tables {
                    tables,
                    path: tables_path,
                },
            ) => {
                let index = resolve_index(*i, tables.len())
                    .ok_or_else(|| out_of_range(path, depth, tables.len()))?;
                let table = tables
                    .get(index)
                    .ok_or_else(|| out_of_range(path, depth, tables.len()))?;
                let child = Node::Table {
                    table,
                    path: tables_path.clone(),
                    dotted_prefix: None,
                };
                (child, Entry::Element(index))
            }
            _ => return Err(wrong_kind(path, depth, &node)),
        };
        parent = std::mem::replace(&mut node, next);
        entry = Some(next_entry);
    }
    match entry {
        Some(entry) => Ok(Walked::Found {
            parent,
            node,
            entry,
        }),
        None => Err(EditError::Usage("empty key path".to_owned())),
    }
}

fn extend(path: &[String], key: &str) -> Vec<String> {
    let mut extended = path.to_vec();
    extended.push(key.to_owned());
    extended
}

/// The rest of the path from `depth` on, when it is all keys (only keys can be created).
fn missing<'d>(at: &Node<'d>, path: &KeyPath, depth: usize) -> Result<Walked<'d>, EditError> {
    let keys = path.keys_to_create(depth)?;
    Ok(Walked::Missing {
        at: at.clone(),
        keys,
    })
}

fn out_of_range(path: &KeyPath, depth: usize, len: usize) -> EditError {
    EditError::NotApplicable(format!(
        "no element {}: the array has {len} elements",
        path.prefix(depth + 1)
    ))
}

fn wrong_kind(path: &KeyPath, depth: usize, found: &Node<'_>) -> EditError {
    let what = match found {
        Node::Table { .. } => "a table",
        Node::Tables { .. } => "an array of tables",
        Node::Value(Value::Array(_)) => "an array",
        Node::Value(Value::InlineTable(_)) => "an inline table",
        Node::Value(Value::String(_)) => "a string",
        Node::Value(Value::Integer(_)) => "an integer",
        Node::Value(Value::Float(_)) => "a float",
        Node::Value(Value::Boolean(_)) => "a boolean",
        Node::Value(Value::Datetime(_)) => "a date-time",
    };
    let at = if depth == 0 {
        "the document".to_owned()
    } else {
        path.prefix(depth).to_string()
    };
    let needs = match path.segments.get(depth) {
        Some(Segment::Index(_)) => "an array",
        _ => "a table",
    };
    EditError::NotApplicable(format!("{at} is {what}, not {needs}; cannot reach {path}"))
}

/// A key as the file spells it (`'cfg(unix)'`), or as TOML would write a new one.
fn key_repr(text: &str, key: &Key) -> String {
    key.span()
        .and_then(|span| text.get(span))
        .map_or_else(|| key.display_repr().into_owned(), str::to_owned)
}

fn new_key_repr(key: &str) -> String {
    Key::new(key).display_repr().into_owned()
}

fn value_span(value: &Value, path: &KeyPath) -> Result<std::ops::Range<usize>, EditError> {
    value.span().ok_or_else(|| {
        EditError::NotApplicable(format!("{path}: value has no position in the file"))
    })
}

fn array_sequence<'t>(
    text: &'t str,
    array: &toml_edit::Array,
    path: &KeyPath,
) -> Result<Sequence<'t>, EditError> {
    let span = array.span().ok_or_else(|| {
        EditError::NotApplicable(format!("{path}: array has no position in the file"))
    })?;
    let items = array
        .iter()
        .map(|v| value_span(v, path))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Sequence {
        text,
        open: span.start,
        close: span.end.saturating_sub(1),
        items,
        comments: Comments::Hash,
    })
}

/// The inline table as a sequence, and the index of `key` in it (if there).
fn inline_sequence<'t>(
    text: &'t str,
    inline: &InlineTable,
    key: &str,
    path: &KeyPath,
) -> Result<(Sequence<'t>, Option<usize>), EditError> {
    if inline.is_dotted() {
        return Err(EditError::NotApplicable(format!(
            "{path}: a dotted key inside an inline table; set the whole inline table instead"
        )));
    }
    let span = inline.span().ok_or_else(|| {
        EditError::NotApplicable(format!("{path}: table has no position in the file"))
    })?;
    let mut items = Vec::new();
    let mut index = None;
    for (i, (k, v)) in inline.iter().enumerate() {
        let key_start = inline
            .key(k)
            .and_then(Key::span)
            .ok_or_else(|| {
                EditError::NotApplicable(format!("{path}: key has no position in the file"))
            })?
            .start;
        if matches!(v, Value::InlineTable(t) if t.is_dotted()) {
            return Err(EditError::NotApplicable(format!(
                "{path}: the inline table uses dotted keys; set the whole inline table instead"
            )));
        }
        items.push(key_start..value_span(v, path)?.end);
        if k == key {
            index = Some(i);
        }
    }
    let sequence = Sequence {
        text,
        open: span.start,
        close: span.end.saturating_sub(1),
        items,
        comments: Comments::Hash,
    };
    Ok((sequence, index))
}

/// The whole line(s) of `key = value`, with the comment after the value.
fn kv_lines(text: &str, key: &Key, value: &Value, path: &KeyPath) -> Result<Splice, EditError> {
    let key_start = key
        .span()
        .ok_or_else(|| {
            EditError::NotApplicable(format!("{path}: key has no position in the file"))
        })?
        .start;
    let end = value_span(value, path)?.end;
    Ok(Splice::remove(
        layout::line_start(text, key_start)..layout::after_line(text, end),
    ))
}

fn dotted_kv_lines(
    text: &str,
    table: &Table,
    path: &KeyPath,
    out: &mut Vec<Splice>,
) -> Result<(), EditError> {
    for (k, item) in table.iter() {
        match item {
            Item::Value(value) => {
                let key = table
                    .key(k)
                    .ok_or_else(|| EditError::NotApplicable(format!("no key {path}")))?;
                out.push(kv_lines(text, key, value, path)?);
            }
            Item::Table(t) if t.is_dotted() => dotted_kv_lines(text, t, path, out)?,
            _ => {}
        }
    }
    Ok(())
}

/// Splices creating `keys` (all missing) under `at`, ending in `value`.
fn insert(
    text: &str,
    at: &Node<'_>,
    keys: &[String],
    value: &str,
    path: &KeyPath,
) -> Result<Vec<Splice>, EditError> {
    let nl = layout::newline(text);
    let written: Vec<String> = keys.iter().map(|k| new_key_repr(k)).collect();
    match at {
        Node::Value(container) => {
            let inline = container.as_inline_table().ok_or_else(|| {
                EditError::NotApplicable(format!("cannot create {path} inside a value"))
            })?;
            let (sequence, _) = inline_sequence(text, inline, "", path)?;
            let separator = kv_separator(
                text,
                sequence.items.last().cloned(),
                inline.iter().last().map(|(_, v)| v),
            );
            let item = format!("{}{separator}{value}", written.join("."));
            Ok(sequence.append(&item, &EmptyStyle::Inline { padded: true }))
        }
        Node::Table {
            table,
            dotted_prefix: Some(prefix),
            ..
        } => {
            // A dotted table lives in its header table's body: add one more dotted line there.
            let last = body_end(table).ok_or_else(|| {
                EditError::NotApplicable(format!("cannot place {path}: its dotted table is empty"))
            })?;
            let at = layout::line_end(text, last);
            let indent = layout::indent_at(text, last);
            let key = [prefix.clone(), written].concat().join(".");
            Ok(vec![Splice::insert(
                at,
                format!("{nl}{indent}{key} = {value}"),
            )])
        }
        Node::Table {
            table,
            path: table_path,
            ..
        } => {
            let has_own_header = table_path.is_empty() || !table.is_implicit();
            match written.split_last() {
                Some((last, [])) if has_own_header => Ok(vec![insert_kv(text, table, last, value)]),
                Some((last, parents)) => {
                    let header = [table_path.clone(), parents.to_vec()].concat().join(".");
                    let position = subtree_end(table).map(|end| layout::line_end(text, end));
                    Ok(vec![new_section(
                        text,
                        position,
                        &format!("[{header}]"),
                        &format!("{last} = {value}"),
                    )])
                }
                None => Err(EditError::Usage("empty key path".to_owned())),
            }
        }
        Node::Tables { .. } => Err(EditError::NotApplicable(format!(
            "no element {path}: give an index into the array of tables"
        ))),
    }
}

/// `key = value` as a new line after the last key/value line of `table`.
fn insert_kv(text: &str, table: &Table, key: &str, value: &str) -> Splice {
    let nl = layout::newline(text);
    let own_last = table.iter().filter_map(|(_, item)| match item {
        Item::Value(v) => v.span().map(|s| s.end),
        Item::Table(t) if t.is_dotted() => body_end(t),
        _ => None,
    });
    let last_value = own_last.max();
    let separator = kv_separator_in_table(text, table);
    match (
        last_value,
        table
            .span()
            .filter(|_| !table.is_implicit() && !table.is_dotted()),
    ) {
        (Some(end), _) => {
            let indent = layout::indent_at(text, end);
            Splice::insert(
                layout::line_end(text, end),
                format!("{nl}{indent}{key}{separator}{value}"),
            )
        }
        // A header with no keys yet (the root has no span worth using).
        (None, Some(header)) if header.end > header.start => Splice::insert(
            layout::line_end(text, header.end),
            format!("{nl}{key}{separator}{value}"),
        ),
        (None, _) => {
            let gap = if text.trim().is_empty() { "" } else { nl };
            Splice::insert(0, format!("{key}{separator}{value}{nl}{gap}"))
        }
    }
}

/// A new `[header]` section with one key, after `position` (end of a line) or at the end.
fn new_section(text: &str, position: Option<usize>, header: &str, kv: &str) -> Splice {
    let nl = layout::newline(text);
    match position {
        Some(at) => Splice::insert(at, format!("{nl}{nl}{header}{nl}{kv}")),
        None if text.trim().is_empty() => {
            Splice::insert(text.len(), format!("{header}{nl}{kv}{nl}"))
        }
        None => {
            let end = text.trim_end_matches(['\n', '\r', ' ', '\t']).len();
            Splice::insert(end, format!("{nl}{nl}{header}{nl}{kv}"))
        }
    }
}

/// The ` = ` of the table's last key/value line, so a new line is spaced alike.
fn kv_separator_in_table(text: &str, table: &Table) -> String {
    let last = table.iter().filter_map(|(k, item)| match item {
        Item::Value(v) => Some((table.key(k)?.span()?, v.span()?)),
        _ => None,
    });
    last.last()
        .and_then(|(key, value)| text.get(key.end..value.start))
        .filter(|s| s.trim() == "=")
        .map_or_else(|| " = ".to_owned(), str::to_owned)
}

fn kv_separator(text: &str, item: Option<std::ops::Range<usize>>, value: Option<&Value>) -> String {
    let (Some(item), Some(value_start)) = (item, value.and_then(|v| v.span()).map(|s| s.start))
    else {
        return " = ".to_owned();
    };
    let key_part = &text[item.start..value_start];
    match key_part.rfind('=') {
        Some(eq) => {
            let before = key_part[..eq].len() - key_part[..eq].trim_end().len();
            let after = &key_part[eq + 1..];
            format!("{}={after}", " ".repeat(before))
        }
        None => " = ".to_owned(),
    }
}

/// The last byte of `table`'s own key/value lines (including dotted ones), if it has any.
fn body_end(table: &Table) -> Option<usize> {
    table
        .iter()
        .filter_map(|(_, item)| match item {
            Item::Value(v) => v.span().map(|s| s.end),
            Item::Table(t) if t.is_dotted() => body_end(t),
            _ => None,
        })
        .max()
}

/// The last byte written for `table` and everything under it (headers, values, sub-tables).
fn subtree_end(table: &Table) -> Option<usize> {
    let own_header = table
        .span()
        .filter(|s| !table.is_implicit() && !table.is_dotted() && s.end > s.start)
        .map(|s| s.end);
    let children = table.iter().filter_map(|(_, item)| match item {
        Item::Value(v) => v.span().map(|s| s.end),
        Item::Table(t) => subtree_end(t),
        Item::ArrayOfTables(tables) => tables.iter().filter_map(subtree_end).max(),
        Item::None => None,
    });
    own_header.into_iter().chain(children).max()
}

/// Every explicit section (`[a]`, `[[b]]`) in the document: header start and where its leading
/// comments and blank lines start.
fn sections(doc: &Document<&str>) -> Vec<(usize, usize)> {
    fn visit(table: &Table, out: &mut Vec<(usize, usize)>) {
        if !table.is_implicit() && !table.is_dotted() {
            if let Some(span) = table.span().filter(|s| s.end > s.start) {
                let decor_start = table
                    .decor()
                    .prefix()
                    .and_then(|p| p.span())
                    .map_or(span.start, |p| p.start);
                out.push((span.start, decor_start));
            }
        }
        for (_, item) in table.iter() {
            match item {
                Item::Table(t) => visit(t, out),
                Item::ArrayOfTables(tables) => tables.iter().for_each(|t| visit(t, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    visit(doc.as_table(), &mut out);
    out.sort_unstable();
    out
}

/// Removes the sections of `tables` and of every table under them: from each header (with the
/// comments written right above it) up to the next section.
fn remove_sections(text: &str, doc: &Document<&str>, tables: &[&Table]) -> Vec<Splice> {
    fn headers(table: &Table, out: &mut Vec<usize>) {
        if !table.is_implicit() && !table.is_dotted() {
            if let Some(span) = table.span().filter(|s| s.end > s.start) {
                out.push(span.start);
            }
        }
        for (_, item) in table.iter() {
            match item {
                Item::Table(t) => headers(t, out),
                Item::ArrayOfTables(all) => all.iter().for_each(|t| headers(t, out)),
                _ => {}
            }
        }
    }
    let all = sections(doc);
    let mut doomed = Vec::new();
    for table in tables {
        headers(table, &mut doomed);
    }
    let mut splices = Vec::new();
    let mut i = 0;
    while i < all.len() {
        if !doomed.contains(&all[i].0) {
            i += 1;
            continue;
        }
        // A run of consecutive doomed sections goes as one range, up to the next survivor.
        let first = i;
        while i < all.len() && doomed.contains(&all[i].0) {
            i += 1;
        }
        let end = all.get(i).map_or(text.len(), |(_, next_decor)| *next_decor);
        let mut start = removal_start(text, all[first].1, all[first].0);
        // Keep the blank line that separated the run from the section before, unless the next
        // section brings its own (or there is none: no blank lines at the end of a file).
        let next_has_gap = text[end..].starts_with(['\n', '\r']);
        if end < text.len() && !next_has_gap {
            let blank = text[start..].len() - text[start..].trim_start_matches(['\n', '\r']).len();
            start += blank;
        }
        splices.push(Splice::remove(start..end));
    }
    splices
}

/// Where removing a section starts: its header line, with the comment lines right above it; a
/// comment block separated from the header by a blank line describes something else and stays.
fn removal_start(text: &str, decor_start: usize, header: usize) -> usize {
    let header_line = layout::line_start(text, header);
    let prefix = &text[decor_start..header_line];
    let mut last_blank_line = None;
    let mut offset = 0;
    for line in prefix.split_inclusive('\n') {
        if line.trim().is_empty() {
            last_blank_line = Some(offset);
        }
        offset += line.len();
    }
    match last_blank_line {
        Some(blank) if !prefix[..blank].trim().is_empty() => decor_start + blank,
        _ => decor_start,
    }
}
