//! Setting and deleting keys in JSON and JSONC, changing only the bytes of the edited value.
//!
//! The document is parsed (comments and trailing commas allowed) only to find byte ranges; the
//! edit is a splice of the original text. A new key is appended to its object in the object's own
//! layout; missing intermediate objects are created in one nested value.

use jsonc_parser::ast::{self, Array, Object};
use jsonc_parser::common::Ranged as _;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::change::{ConfigEdit, NewValue};
use super::key_path::{resolve_index, KeyPath, Segment};
use super::layout::{self, Comments};
use super::sequence::{EmptyStyle, Sequence};
use super::splice::Splice;
use super::EditError;

/// Renders a user's value as JSON: valid JSON is kept as typed; anything else becomes a string,
/// except text that looks like an object, array or quoted string but does not parse.
pub fn render_value(value: &NewValue) -> Result<String, EditError> {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
    if value.force_string {
        return Ok(quoted(&value.text));
    }
    let trimmed = value.text.trim();
    match serde_json::from_str::<serde_json::Value>(trimmed) {
        Ok(_) => Ok(trimmed.to_owned()),
        Err(err) if trimmed.starts_with(['{', '[', '"']) => Err(EditError::Usage(format!(
            "value {trimmed:?} looks like JSON but does not parse ({err}); pass --string to store it as text"
        ))),
        Err(_) => Ok(quoted(&value.text)),
    }
}

/// Sets `path` to `value` (already rendered by [`render_value`]).
pub fn set(text: &str, path: &KeyPath, value: &str) -> Result<ConfigEdit, EditError> {
    let parsed = parse(text)?;
    let Some(root) = parsed.value.as_ref() else {
        return set_in_empty_document(text, path, value);
    };
    match locate(root, path)? {
        Located::Existing(node) => {
            let range = node.range();
            Ok(ConfigEdit {
                splices: vec![Splice::replace(range.start..range.end, value)],
                old: Some(text[range.start..range.end].to_owned()),
                new: Some(value.to_owned()),
            })
        }
        Located::MissingKey { object, keys } => Ok(ConfigEdit {
            splices: append_property(text, object, &keys, value),
            old: None,
            new: Some(value.to_owned()),
        }),
        Located::PastEnd { array } => {
            let sequence = array_sequence(text, array);
            let empty = EmptyStyle::Inline { padded: false };
            Ok(ConfigEdit {
                splices: sequence.append(value, &empty),
                old: None,
                new: Some(value.to_owned()),
            })
        }
    }
}

/// Deletes the key or array element at `path`.
pub fn delete(text: &str, path: &KeyPath) -> Result<ConfigEdit, EditError> {
    let parsed = parse(text)?;
    let Some(root) = parsed.value.as_ref() else {
        return Err(EditError::NotApplicable(format!(
            "no key {path}: the document is empty"
        )));
    };
    let missing = || EditError::NotApplicable(format!("no key {path}"));
    let Some((last, parents)) = path.segments.split_last() else {
        return Err(missing());
    };
    let parent = if parents.is_empty() {
        root
    } else {
        match locate(
            root,
            &KeyPath {
                segments: parents.to_vec(),
            },
        )? {
            Located::Existing(node) => node,
            _ => return Err(missing()),
        }
    };
    match (last, parent) {
        (Segment::Key(key), ast::Value::Object(object)) => {
            let index = find_property(object, key, path)?.ok_or_else(missing)?;
            let old = object.properties[index].value.text(text).to_owned();
            Ok(ConfigEdit {
                splices: object_sequence(text, object).remove(index),
                old: Some(old),
                new: None,
            })
        }
        (Segment::Index(index), ast::Value::Array(array)) => {
            let i = resolve_index(*index, array.elements.len()).ok_or_else(|| {
                EditError::NotApplicable(format!(
                    "no element {path}: the array has {} elements",
                    array.elements.len()
                ))
            })?;
            let old = array.elements[i].text(text).to_owned();
            Ok(ConfigEdit {
                splices: array_sequence(text, array).remove(i),
                old: Some(old),
                new: None,
            })
        }
        (_, other) => Err(wrong_kind(path, parents.len(), other, last)),
    }
}

fn parse(text: &str) -> Result<jsonc_parser::ParseResult<'_>, EditError> {
    jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
        .map_err(|err| EditError::Syntax(format!("not valid JSON: {err}")))
}

/// Where a key path leads.
enum Located<'a, 'p> {
    Existing(&'a ast::Value<'p>),
    /// `object` lacks `keys[0]`; the rest of the path (all keys) is to be created under it.
    MissingKey {
        object: &'a Object<'p>,
        keys: Vec<String>,
    },
    /// The path's last segment is an index equal to the array's length: append.
    PastEnd {
        array: &'a Array<'p>,
    },
}

fn locate<'a, 'p>(root: &'a ast::Value<'p>, path: &KeyPath) -> Result<Located<'a, 'p>, EditError> {
    let mut current = root;
    for (depth, segment) in path.segments.iter().enumerate() {
        let is_last = depth + 1 == path.segments.len();
        current = match (segment, current) {
            (Segment::Key(key), ast::Value::Object(object)) => {
                match find_property(object, key, &path.prefix(depth + 1))? {
                    Some(index) => &object.properties[index].value,
                    None => {
                        let keys = path.keys_to_create(depth)?;
                        return Ok(Located::MissingKey { object, keys });
                    }
                }
            }
            (Segment::Index(index), ast::Value::Array(array)) => {
                let len = array.elements.len();
                match resolve_index(*index, len) {
                    Some(i) => &array.elements[i],
                    None if is_last && usize::try_from(*index).is_ok_and(|i| i == len) => {
                        return Ok(Located::PastEnd { array });
                    }
                    None => {
                        return Err(EditError::NotApplicable(format!(
                            "no element {}: the array has {len} elements",
                            path.prefix(depth + 1)
                        )))
                    }
                }
            }
            (_, other) => return Err(wrong_kind(path, depth, other, segment)),
        };
    }
    Ok(Located::Existing(current))
}

/// The index of `key` in `object`; a key written twice is ambiguous.
fn find_property(
    object: &Object<'_>,
    key: &str,
    path: &KeyPath,
) -> Result<Option<usize>, EditError> {
    let mut found = object
        .properties
        .iter()
        .enumerate()
        .filter(|(_, p)| p.name.as_str() == key)
        .map(|(i, _)| i);
    let first = found.next();
    if found.next().is_some() {
        return Err(EditError::NotApplicable(format!(
            "key {path} appears more than once in its object; edit the file by hand or with replace"
        )));
    }
    Ok(first)
}

fn wrong_kind(path: &KeyPath, depth: usize, found: &ast::Value<'_>, wanted: &Segment) -> EditError {
    let what = match found {
        ast::Value::Object(_) => "an object",
        ast::Value::Array(_) => "an array",
        ast::Value::StringLit(_) => "a string",
        ast::Value::NumberLit(_) => "a number",
        ast::Value::BooleanLit(_) => "a boolean",
        ast::Value::NullKeyword(_) => "null",
    };
    let at = if depth == 0 {
        "the document".to_owned()
    } else {
        path.prefix(depth).to_string()
    };
    let needs = match wanted {
        Segment::Key(_) => "an object",
        Segment::Index(_) => "an array",
    };
    EditError::NotApplicable(format!("{at} is {what}, not {needs}; cannot reach {path}"))
}

fn object_sequence<'t>(text: &'t str, object: &Object<'_>) -> Sequence<'t> {
    Sequence {
        text,
        open: object.range.start,
        close: object.range.end.saturating_sub(1),
        items: object
            .properties
            .iter()
            .map(|p| p.range.start..p.range.end)
            .collect(),
        comments: Comments::Slash,
    }
}

fn array_sequence<'t>(text: &'t str, array: &Array<'_>) -> Sequence<'t> {
    Sequence {
        text,
        open: array.range.start,
        close: array.range.end.saturating_sub(1),
        items: array.elements.iter().map(|e| e.start()..e.end()).collect(),
        comments: Comments::Slash,
    }
}

/// Appends `"keys[0]": { "keys[1]": … value }` to `object`.
fn append_property(text: &str, object: &Object<'_>, keys: &[String], value: &str) -> Vec<Splice> {
    let sequence = object_sequence(text, object);
    let unit = layout::indent_unit(text);
    let empty = EmptyStyle::Block { unit: unit.clone() };
    let colon = object
        .properties
        .last()
        .map_or(": ", |p| &text[p.name.range().end..p.value.start()]);
    let layout = match sequence.new_item_indent(&empty) {
        Some(indent) => Layout::Block {
            indent,
            unit,
            newline: layout::newline(text),
        },
        None => Layout::Inline,
    };
    let item = render_property(keys, value, colon, &layout);
    sequence.append(&item, &empty)
}

/// How a nested new object is written.
enum Layout<'a> {
    /// One property per line; `indent` is the indentation of the line the property starts on.
    Block {
        indent: String,
        unit: String,
        newline: &'a str,
    },
    Inline,
}

fn render_property(keys: &[String], value: &str, colon: &str, layout: &Layout<'_>) -> String {
    let Some((first, rest)) = keys.split_first() else {
        return value.to_owned();
    };
    let name = serde_json::to_string(first).unwrap_or_else(|_| format!("\"{first}\""));
    if rest.is_empty() {
        return format!("{name}{colon}{value}");
    }
    let inner = match layout {
        Layout::Block {
            indent,
            unit,
            newline,
        } => {
            let deeper = Layout::Block {
                indent: format!("{indent}{unit}"),
                unit: unit.clone(),
                newline,
            };
            let body = render_property(rest, value, colon, &deeper);
            format!("{{{newline}{indent}{unit}{body}{newline}{indent}}}")
        }
        Layout::Inline => format!("{{ {} }}", render_property(rest, value, colon, layout)),
    };
    format!("{name}{colon}{inner}")
}

/// A document with no value at all: the key path becomes a new top-level object.
fn set_in_empty_document(text: &str, path: &KeyPath, value: &str) -> Result<ConfigEdit, EditError> {
    let keys = path.keys_to_create(0).map_err(|_| {
        EditError::NotApplicable(format!("no element {path}: the document is empty"))
    })?;
    let newline = layout::newline(text);
    let unit = "  ".to_owned();
    let layout = Layout::Block {
        indent: unit.clone(),
        unit,
        newline,
    };
    let body = render_property(&keys, value, ": ", &layout);
    let at = layout::skip_trivia(text, 0, Comments::Slash);
    Ok(ConfigEdit {
        splices: vec![Splice::insert(
            at,
            format!("{{{newline}  {body}{newline}}}{newline}"),
        )],
        old: None,
        new: Some(value.to_owned()),
    })
}
