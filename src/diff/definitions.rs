//! The enclosing definition a compact hunk header names, chosen by the file's extension.
//!
//! git names the nearest line above a hunk that starts with a letter, `_` or `$` unless a
//! `.gitattributes` diff driver says otherwise. In prose and data files that is whatever line
//! came last, and in code it is often a statement rather than the function. The compact header
//! names a definition only: for source files, the nearest line above the hunk that declares a
//! function, type, class, module or the like in that language (patterns written here for each
//! language, by extension, with no `.gitattributes` needed); for prose and data files nothing;
//! for other files git's own rule. A repository with `.gitattributes` is served by git
//! (`super::plain_content_rules`), so a configured diff driver still wins.

use std::sync::LazyLock;

use regex::bytes::Regex;

mod go;
#[cfg(test)]
mod oracle;
mod php;
mod python;
mod ruby;
mod rust;
mod scan;
mod shell;

/// How a file's definitions are found.
#[derive(Debug, Clone, Copy)]
pub enum Definitions {
    /// A language whose definitions are read without a regex ([`rust`], [`python`], [`go`],
    /// [`ruby`], [`shell`], [`php`]): its definition in a line, untrimmed, or `None`.
    Read(fn(&[u8]) -> Option<&[u8]>),
    /// Lines matching the language's definition pattern.
    Language(&'static LazyLock<Regex>),
    /// git's default rule: a line starting with a letter, `_` or `$`.
    GitDefault,
    /// Prose and data: no definition is named.
    None,
}

/// Extensions of prose and data files, whose hunks name no definition.
const PROSE_AND_DATA: &[&str] = &[
    "md", "markdown", "mdx", "txt", "text", "rst", "adoc", "asciidoc", "org", "tex", "json",
    "jsonc", "json5", "jsonl", "ndjson", "yaml", "yml", "toml", "ini", "cfg", "conf", "csv", "tsv",
    "lock", "xml", "svg", "html", "htm", "snap", "log", "po", "sum", "mod",
];

/// C and C++: a `struct`/`class`/`union`/`enum`/`namespace` declaration and its name, or a line
/// at the left margin that opens a parameter list and is not a statement (no `;`): the name
/// before the parenthesis.
static C_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    definition_pattern(
        r"^(template\s*<.*>\s*)?(typedef\s+)?(?P<def>(struct|class|union|enum|namespace)\s+[\w:]+)[^;]*$|^([A-Za-z_][\w\s\*&:<>,~]*?[\s\*&])?(?P<name>[A-Za-z_~][\w:~]*)\s*\([^;]*$",
    )
});

/// Java, Kotlin, C# and Scala: type declarations with their name, and the name of a method
/// declared with modifiers or `fun`/`def`.
static JVM_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    definition_pattern(
        r"^\s*(@\w+\s+)*((public|protected|private|internal|static|abstract|final|sealed|open|override|data|inline|suspend|synchronized|native|async|virtual|partial|readonly|case|implicit)\s+)*(?P<def>(class|interface|enum|record|object|trait|struct|fun|def|@interface)\s+\w+)|^\s*((public|protected|private|internal|static|abstract|final|override|synchronized|native|async|virtual)\s+)+[\w<>\[\],.?\s]+?\s+(?P<name>\w+)\s*\([^;]*$",
    )
});

/// JavaScript and TypeScript: functions, classes and the like with their name, names bound to
/// arrow functions, and methods.
static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    definition_pattern(
        r"^\s*(export\s+)?(default\s+)?(declare\s+)?(abstract\s+)?(async\s+)?(?P<def>(function\*?|class|interface|enum|namespace|type)\s+[\w$]+)|^\s*(export\s+)?(const|let|var)\s+(?P<name>[\w$]+)\s*(:[^=]+)?=\s*(async\s+)?(function\b|(\([^)]*\)|[\w$]+)\s*(:[^=]+)?=>)|^\s+(public\s+|private\s+|protected\s+|static\s+|async\s+|get\s+|set\s+)*(?P<method>[A-Za-z_$][\w$]*)\s*\([^;]*\)\s*(:[^{]+)?\{\s*$",
    )
});

/// The capture groups a pattern may name its shown text with; each pattern sets one.
const SHOWN_GROUPS: &[&str] = &["def", "name", "method"];

/// Compiles a pattern with ASCII classes (`\w`, `\s`): keywords and identifiers' first bytes are
/// ASCII, and the `regex` crate is built without Unicode class tables.
fn definition_pattern(pattern: &str) -> Regex {
    // The patterns are constants of this module; a test compiles each one.
    Regex::new(&format!("(?-u){pattern}"))
        .unwrap_or_else(|error| panic!("definition pattern {pattern:?}: {error}"))
}

impl Definitions {
    /// The rule for the file at `path` (repository-relative), by its extension.
    pub fn for_path(path: &[u8]) -> Definitions {
        let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
            return Definitions::GitDefault;
        };
        let extension = String::from_utf8_lossy(&name[dot + 1..]).to_ascii_lowercase();
        let language: &'static LazyLock<Regex> = match extension.as_str() {
            "rs" => return Definitions::Read(rust::definition),
            "py" | "pyi" => return Definitions::Read(python::definition),
            "go" => return Definitions::Read(go::definition),
            "c" | "h" | "cc" | "cpp" | "cxx" | "hh" | "hpp" | "hxx" | "m" | "mm" => &C_LIKE,
            "java" | "kt" | "kts" | "cs" | "scala" => &JVM_LIKE,
            "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" => &SCRIPT,
            "rb" => return Definitions::Read(ruby::definition),
            "sh" | "bash" | "zsh" => return Definitions::Read(shell::definition),
            "php" => return Definitions::Read(php::definition),
            other if PROSE_AND_DATA.contains(&other) => return Definitions::None,
            _ => return Definitions::GitDefault,
        };
        Definitions::Language(language)
    }

    /// The nearest definition above line `hunk_start` (0-based) of `lines`. For a language, its
    /// keyword and name (`fn parse`, `class Runner`, `impl Display for Id`), or a function's
    /// name alone where the language has no keyword for it; otherwise git's function line. Cut
    /// to 80 bytes at a character boundary, as git cuts its function names.
    pub fn enclosing<'a>(self, lines: &[&'a [u8]], hunk_start: u32) -> Option<&'a [u8]> {
        let above = &lines[..hunk_start as usize];
        match self {
            Definitions::None => None,
            Definitions::GitDefault => git_function_line(above),
            // Rust: `fn`, `struct`, `enum`, `union`, `trait`, `mod`, `type` and their name; `impl`
            // up to its body; `macro_rules!` and its name; visibility and qualifiers may come
            // first. Python: `def` (also `async def`) and `class` with the name. Go: `func` with
            // its receiver and name, `type` with its name. Ruby: `def`, `class` and `module` with
            // the name. Shell: the function's name. PHP: `function`, `class`, `interface`,
            // `trait` and `enum` with the name.
            Definitions::Read(definition) => above.iter().rev().find_map(|line| {
                let text = line.strip_suffix(b"\n").unwrap_or(line);
                Some(cut(definition(text)?.trim_ascii()))
            }),
            Definitions::Language(pattern) => above.iter().rev().find_map(|line| {
                let text = line.strip_suffix(b"\n").unwrap_or(line);
                // Most lines are not definitions: the plain match is much cheaper than captures.
                if !pattern.is_match(text) {
                    return None;
                }
                let captures = pattern.captures(text)?;
                let shown = SHOWN_GROUPS.iter().find_map(|group| captures.name(group))?;
                Some(cut(shown.as_bytes().trim_ascii()))
            }),
        }
    }
}

/// git's default `funcname` rule: the nearest line above that starts with a letter, `_` or `$`,
/// cut to 80 bytes and stripped of trailing white space.
pub fn git_function_line<'a>(above: &[&'a [u8]]) -> Option<&'a [u8]> {
    above.iter().rev().find_map(|line| {
        let first = *line.first()?;
        if !(first.is_ascii_alphabetic() || first == b'_' || first == b'$') {
            return None;
        }
        Some(line[..line.len().min(80)].trim_ascii_end())
    })
}

/// `text` cut to at most 80 bytes without splitting a UTF-8 character.
fn cut(text: &[u8]) -> &[u8] {
    if text.len() <= 80 {
        return text;
    }
    let mut end = 80;
    while end > 0 && (text[end] & 0b1100_0000) == 0b1000_0000 {
        end -= 1;
    }
    text[..end].trim_ascii_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enclosing(path: &str, text: &str, hunk_start: u32) -> Option<String> {
        let lines: Vec<&[u8]> = text.as_bytes().split_inclusive(|&b| b == b'\n').collect();
        Definitions::for_path(path.as_bytes())
            .enclosing(&lines, hunk_start)
            .map(|line| String::from_utf8_lossy(line).into_owned())
    }

    #[test]
    fn every_pattern_compiles() {
        for pattern in [&C_LIKE, &JVM_LIKE, &SCRIPT] {
            LazyLock::force(pattern);
        }
    }

    /// (path, file text, 0-based hunk start, the definition the header names).
    const CASES: &[(&str, &str, u32, Option<&str>)] = &[
        ("src/lib.rs", "use x;\npub(crate) async fn parse(a: u8) {\n    let b = a;\n    b\n}\n", 3, Some("fn parse")),
        ("a.rs", "impl<T: Clone> Display for Wrapper<T> {\n    fn fmt(&self) {}\n    x\n", 1, Some("impl<T: Clone> Display for Wrapper<T>")),
        ("a.rs", "impl<T: Clone> Display for Wrapper<T> {\n    fn fmt(&self) {}\n    x\n", 2, Some("fn fmt")),
        ("a/b.py", "import os\nclass A:\n    def run(self):\n        x = 1\n        return x\n", 4, Some("def run")),
        ("m.go", "package m\n\nfunc (s *S) Run() error {\n\tx := 1\n\treturn nil\n}\n", 4, Some("func (s *S) Run")),
        ("x.c", "#include <a.h>\nstatic int\nparse(const char *s)\n{\n\tint x;\n\treturn x;\n}\n", 5, Some("parse")),
        ("web/app.ts", "import x from 'y';\nexport const run = async (a: number) => {\n  const b = a;\n  return b;\n};\n", 3, Some("run")),
        ("A.java", "package p;\npublic class A {\n    private static int count(String s) {\n        int n = 0;\n        return n;\n    }\n}\n", 4, Some("count")),
        ("a.rb", "class Foo\n  def bar?\n    1\n", 2, Some("def bar?")),
        ("run.sh", "setup() {\n  echo hi\n", 1, Some("setup")),
        // Statements are not definitions, where git's rule would name the line above.
        ("main.rs", "let total = 0;\ntotal += 1;\n", 1, None),
        ("a.c", "int x = f(1);\nreturn x;\n", 1, None),
    ];

    #[test]
    fn source_files_name_the_nearest_definition() {
        for (path, text, hunk_start, expected) in CASES {
            assert_eq!(
                enclosing(path, text, *hunk_start).as_deref(),
                *expected,
                "{path} at line {hunk_start}"
            );
        }
    }

    #[test]
    fn prose_and_data_name_nothing_and_others_follow_git() {
        let text = "Intro\nmore\nchanged\n";
        assert_eq!(enclosing("README.md", text, 2), None);
        assert_eq!(enclosing("data.json", text, 2), None);
        assert_eq!(enclosing("Makefile", text, 2).as_deref(), Some("more"));
        assert_eq!(enclosing("notes.unknown", text, 2).as_deref(), Some("more"));
    }

    #[test]
    fn long_definitions_are_cut_at_a_character_boundary() {
        let long = format!("impl Trait for {}é {{\n    body\n", "A".repeat(64));
        let found = enclosing("a.rs", &long, 1).expect("a definition");
        assert!(found.len() <= 80, "{found}");
        assert!(found.starts_with("impl Trait for AAA"), "{found}");
    }
}
