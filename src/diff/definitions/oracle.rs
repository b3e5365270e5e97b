//! The hand-written definition readers held to their rules: each rule written as a regex, and
//! each reader made to find exactly what its regex shows, on a table of edge cases and on lines
//! built from the rule's own words, spaces and punctuation, and a non-ASCII byte.

use std::sync::LazyLock;

use proptest::prelude::*;

/// A reader and what it is held to.
struct Reader {
    language: &'static str,
    read: fn(&[u8]) -> Option<&[u8]>,
    /// The rule, with ASCII classes (see [`Rule::new`]).
    rule: &'static str,
    /// The capture groups the rule shows, in order of preference.
    shown: &'static [&'static str],
    edge_cases: &'static [&'static str],
    /// The words lines are built from, and how many at most.
    words: &'static [&'static str],
    most_words: usize,
    /// Built lines to check.
    cases: u32,
}

const READERS: &[Reader] = &[
    Reader {
        language: "rust",
        read: super::rust::definition,
        rule: r#"^\s*(pub(\([^)]*\))?\s+)?((default|const|async|unsafe|extern(\s+"[^"]*")?)\s+)*(?P<def>(fn|struct|enum|union|trait|mod|type)\s+\w+|impl\b[^{]*)|^\s*(?P<macro>macro_rules!\s*\w+)"#,
        shown: &["def", "macro"],
        edge_cases: &[
            "pub(crate) async fn parse(a: u8) {",
            "pub (crate) fn x()",
            "pub(crate fn x()",
            "pubfn x",
            "pub fn",
            "fn",
            "fn  spaced",
            "fnord x",
            "extern \"C\" fn f()",
            "extern \"C\"fn f()",
            "extern  \"C fn f()",
            "extern crate foo;",
            "unsafe impl Send for X {}",
            "impl<T: Clone> Display for Wrapper<T> {",
            "impl",
            "implements x",
            "impl{",
            "  macro_rules! name {",
            "macro_rules!name",
            "macro_rules! ",
            "pub macro_rules! name",
            "const X: u8 = 1;",
            "const fn f()",
            "default async unsafe fn f",
            "\t\x0b\x0cstruct S;",
            "type T = u8;",
            "let x = 1;",
            "",
        ],
        words: &[
            "pub",
            "(crate)",
            "(",
            ")",
            " ",
            "  ",
            "\t",
            "\u{b}",
            "default",
            "const",
            "async",
            "unsafe",
            "extern",
            "\"C\"",
            "\"",
            "fn",
            "struct",
            "enum",
            "union",
            "trait",
            "mod",
            "type",
            "impl",
            "<T>",
            "{",
            "}",
            "macro_rules!",
            "name",
            "_x1",
            "implements",
            "fnord",
            "é",
            "=",
            ";",
        ],
        most_words: 10,
        cases: 4096,
    },
    Reader {
        language: "python",
        read: super::python::definition,
        rule: r#"^\s*(async\s+)?(?P<def>(def|class)\s+\w+)"#,
        shown: &["def"],
        edge_cases: &[
            "def run(self):",
            "    def run(self):",
            "class Runner(Base):",
            "async def fetch():",
            "  async   def   fetch():",
            "asyncdef fetch():",
            "async with lock:",
            "async",
            "async ",
            "define = 1",
            "classy x",
            "class",
            "class ",
            "def  spaced",
            "def\tx",
            "\t\x0b\x0cdef x",
            "x = def",
            "# def commented",
            "",
        ],
        words: &[
            "async", "def", "class", "defx", " ", "  ", "\t", "\u{b}", "name", "_x1", "(", ")",
            ":", "é", "=",
        ],
        most_words: 8,
        cases: 1024,
    },
    Reader {
        language: "go",
        read: super::go::definition,
        rule: r#"^(?P<def>func\s+(\([^)]*\)\s*)?\w+|type\s+\w+)"#,
        shown: &["def"],
        edge_cases: &[
            "func (s *S) Run() error {",
            "func Run() {",
            "func  Run()",
            "func (s S)Run()",
            "func (s S) (x int)",
            "func (x",
            "func ()",
            "func () Name",
            "func(s S) Run()",
            "funcRun()",
            "func",
            "func ",
            " func Run()",
            "type Server struct {",
            "type  T = int",
            "type",
            "typed x",
            "\ttype T int",
            "func (a (b)) c",
            "",
        ],
        words: &[
            "func", "type", " ", "  ", "\t", "\u{b}", "(", ")", "s *S", "name", "_x1", "{", "é",
            "=",
        ],
        most_words: 8,
        cases: 1024,
    },
    Reader {
        language: "ruby",
        read: super::ruby::definition,
        rule: r#"^\s*(?P<def>(def|class|module)\s+[\w.:?!=<>]+)"#,
        shown: &["def"],
        edge_cases: &[
            "def bar?",
            "  def self.valid?(x)",
            "def <=>(other)",
            "class Foo < Bar",
            "class Foo::Bar",
            "module Admin",
            "defined?(x)",
            "def",
            "def ",
            "def (x)",
            "classes = []",
            "  module_function",
            "\t\x0b\x0cdef x",
            "x = def y",
            "",
        ],
        words: &[
            "def", "class", "module", "define", " ", "  ", "\t", "\u{b}", "name", "self.", "?",
            "!", "=", "<", ">", "::", "(", ")", "é",
        ],
        most_words: 8,
        cases: 1024,
    },
    Reader {
        language: "shell",
        read: super::shell::definition,
        rule: r#"^\s*(function\s+(?P<def>[\w.:-]+)|(?P<name>[\w.:-]+)\s*\(\s*\))"#,
        shown: &["def", "name"],
        edge_cases: &[
            "setup() {",
            "  setup ( ) {",
            "function setup {",
            "function setup() {",
            "function  ()",
            "function()",
            "functionx ()",
            "function",
            "function ",
            "my-func.v2:x()",
            "echo hi",
            "(x)",
            "x (",
            "x ( y )",
            "\t\x0b\x0cf()",
            "",
        ],
        words: &[
            "function", " ", "  ", "\t", "\u{b}", "name", "-", ".", ":", "(", ")", "{", "é", "=",
        ],
        most_words: 8,
        cases: 1024,
    },
    Reader {
        language: "php",
        read: super::php::definition,
        rule: r#"^\s*((public|protected|private|static|abstract|final)\s+)*(?P<def>(function|class|interface|trait|enum)\s+\w+)"#,
        shown: &["def"],
        edge_cases: &[
            "function run($x) {",
            "    public static function run()",
            "final class Runner",
            "abstract  class A",
            "abstractclass A",
            "finally x",
            "private function &ref()",
            "interface Shape",
            "trait Loggable",
            "enum Suit: string",
            "public $x = 1;",
            "function",
            "function ",
            "static fn() => 1",
            "\t\x0b\x0cclass X",
            "",
        ],
        words: &[
            "public", "static", "final", "abstract", "function", "class", "enum", "finally", " ",
            "  ", "\t", "\u{b}", "name", "_x1", "&", "(", ")", "é", "=",
        ],
        most_words: 8,
        cases: 1024,
    },
];

/// Each reader's rule, compiled once for all tests.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    READERS
        .iter()
        .map(|reader| Rule::new(reader.rule, reader.shown))
        .collect()
});

/// The rule of `language`'s reader.
pub fn rule(language: &str) -> &'static Rule {
    let index = READERS
        .iter()
        .position(|reader| reader.language == language)
        .unwrap_or_else(|| panic!("no reader for {language}"));
    &RULES[index]
}

/// A reader's rule: the regex and the capture groups it shows, in order of preference.
pub struct Rule {
    regex: regex::bytes::Regex,
    shown: &'static [&'static str],
}

impl Rule {
    /// `pattern` with ASCII classes (`(?-u)`), as the readers read `\s` and `\w`.
    pub fn new(pattern: &str, shown: &'static [&'static str]) -> Rule {
        Rule {
            regex: regex::bytes::Regex::new(&format!("(?-u){pattern}")).expect("the rule compiles"),
            shown,
        }
    }

    /// What the rule shows for `line`.
    pub fn shown(&self, line: &[u8]) -> Option<Vec<u8>> {
        let captures = self.regex.captures(line)?;
        let shown = self.shown.iter().find_map(|group| captures.name(group))?;
        Some(shown.as_bytes().to_vec())
    }

    /// Fails unless `read`, the reader of `language`, finds in every line exactly what the rule
    /// shows.
    pub fn assert_agrees<'a>(
        &self,
        language: &str,
        read: fn(&[u8]) -> Option<&[u8]>,
        lines: impl IntoIterator<Item = &'a [u8]>,
    ) {
        for line in lines {
            assert_eq!(
                read(line).map(<[u8]>::to_vec),
                self.shown(line),
                "{language}: {:?}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

#[test]
fn every_reader_reads_its_edge_cases_as_its_rule_does() {
    for (reader, rule) in READERS.iter().zip(RULES.iter()) {
        rule.assert_agrees(
            reader.language,
            reader.read,
            reader.edge_cases.iter().map(|line| line.as_bytes()),
        );
    }
}

/// A reader's index and a line built from its words, each reader drawn as often as its `cases`
/// ask.
fn reader_and_line() -> impl Strategy<Value = (usize, Vec<u8>)> {
    let per_reader = READERS.iter().enumerate().map(|(index, reader)| {
        let line = prop::collection::vec(prop::sample::select(reader.words), 0..reader.most_words)
            .prop_map(|words| words.concat().into_bytes());
        (reader.cases, (Just(index), line).boxed())
    });
    prop::strategy::Union::new_weighted(per_reader.collect())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: READERS.iter().map(|reader| reader.cases).sum(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_reader_reads_built_lines_as_its_rule_does((index, line) in reader_and_line()) {
        let reader = &READERS[index];
        prop_assert_eq!(
            (reader.read)(&line).map(<[u8]>::to_vec),
            RULES[index].shown(&line),
            "{}", reader.language
        );
    }
}
