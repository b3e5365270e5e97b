//! Whether git would convert a file on its way into the repository, as its
//! `would_convert_to_git()` answers it (`convert.c`, the same in git 2.39 and 2.47): asked
//! without content, any configured conversion counts. A tracked `.gitignore` that would be
//! converted is hashed from its content rather than taken from the index.
//!
//! `convert_attrs` reads `text` (else the older `crlf`), `eol`, `ident`, `filter` and
//! `working-tree-encoding`, then `core.autocrlf` where no attribute decides; the answer is yes
//! when line endings are not left alone (`crlf_action` other than binary), for `ident`, for a
//! `filter` naming a configured driver, and for an encoding other than UTF-8.

use gix::attrs::StateRef;
use gix::bstr::{BStr, ByteSlice as _};

/// Answers for the paths of one index, its attributes read once.
pub struct Conversions<'repo> {
    repo: &'repo gix::Repository,
    index: &'repo gix::index::State,
    stack: Option<gix::AttributeStack<'repo>>,
}

/// The attributes `convert_attrs` asks for, in this order.
const ATTRIBUTES: [&str; 6] = [
    "text",
    "crlf",
    "eol",
    "ident",
    "filter",
    "working-tree-encoding",
];

impl<'repo> Conversions<'repo> {
    pub fn new(repo: &'repo gix::Repository, index: &'repo gix::index::State) -> Self {
        Conversions {
            repo,
            index,
            stack: None,
        }
    }

    /// `would_convert_to_git` for `rela_path`; `None` where git would stop on the configuration
    /// (`working-tree-encoding` set without a value, a `core.autocrlf` that is not a boolean or
    /// `input`).
    pub fn would_convert_to_git(&mut self, rela_path: &BStr) -> anyhow::Result<Option<bool>> {
        use gix::worktree::stack::state::attributes::Source;
        let stack = match &mut self.stack {
            Some(stack) => stack,
            None => self.stack.insert(
                self.repo
                    .attributes_only(self.index, Source::WorktreeThenIdMapping)?,
            ),
        };
        let mut outcome = stack.selected_attribute_matches(ATTRIBUTES);
        stack
            .at_entry(rela_path, None)?
            .matching_attributes(&mut outcome);
        let states: Vec<StateRef<'_>> = outcome
            .iter_selected()
            .map(|found| found.assignment.state)
            .collect();
        let [text, crlf, eol, ident, filter, encoding] = states[..] else {
            anyhow::bail!("attribute lookup returned {} of 6 attributes", states.len());
        };
        let Some(autocrlf) = AutoCrlf::of(self.repo) else {
            return Ok(None);
        };
        let line_endings = LineEndings::of(text, crlf, eol, autocrlf);
        let encoded = match encoding {
            StateRef::Set => return Ok(None),
            StateRef::Value(value) => {
                let value = value.as_bstr();
                !value.is_empty()
                    && !value.eq_ignore_ascii_case(b"utf-8")
                    && !value.eq_ignore_ascii_case(b"utf8")
            }
            StateRef::Unset | StateRef::Unspecified => false,
        };
        let filtered = match filter {
            StateRef::Value(name) => self.has_filter_driver(name.as_bstr()),
            _ => false,
        };
        Ok(Some(
            line_endings != LineEndings::Binary
                || matches!(ident, StateRef::Set)
                || filtered
                || encoded,
        ))
    }

    /// git makes a driver of every `filter.<name>.<key>` it reads (`read_convert_config`).
    fn has_filter_driver(&self, name: &BStr) -> bool {
        let config = self.repo.config_snapshot();
        let found = config
            .plumbing()
            .sections_by_name("filter")
            .into_iter()
            .flatten()
            .any(|section| {
                section.header().subsection_name() == Some(name)
                    && section.value_names().next().is_some()
            });
        found
    }
}

/// `core.autocrlf`.
#[derive(Clone, Copy)]
enum AutoCrlf {
    False,
    True,
    Input,
}

impl AutoCrlf {
    fn of(repo: &gix::Repository) -> Option<AutoCrlf> {
        let config = repo.config_snapshot();
        let Some(value) = config.string("core.autocrlf") else {
            return Some(AutoCrlf::False);
        };
        if value.eq_ignore_ascii_case(b"input") {
            return Some(AutoCrlf::Input);
        }
        match config.try_boolean("core.autocrlf") {
            Ok(Some(true)) => Some(AutoCrlf::True),
            Ok(Some(false) | None) => Some(AutoCrlf::False),
            Err(_) => None,
        }
    }
}

/// git's `crlf_action`, only as far as "binary" (left alone) or not.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LineEndings {
    Binary,
    Converted,
}

impl LineEndings {
    fn of(text: StateRef<'_>, crlf: StateRef<'_>, eol: StateRef<'_>, autocrlf: AutoCrlf) -> Self {
        /// `git_path_check_crlf`: `Some(true)` text or auto, `Some(false)` binary, `None` undecided.
        fn decided(state: StateRef<'_>) -> Option<bool> {
            match state {
                StateRef::Set => Some(true),
                StateRef::Unset => Some(false),
                StateRef::Value(value)
                    if matches!(value.as_bstr().as_bytes(), b"input" | b"auto") =>
                {
                    Some(true)
                }
                _ => None,
            }
        }
        let decided = decided(text).or_else(|| decided(crlf));
        let eol_given = matches!(eol, StateRef::Value(value) if matches!(value.as_bstr().as_bytes(), b"lf" | b"crlf"));
        match decided {
            Some(false) => LineEndings::Binary,
            Some(true) => LineEndings::Converted,
            // An `eol` attribute alone makes the file text.
            None if eol_given => LineEndings::Converted,
            None => match autocrlf {
                AutoCrlf::False => LineEndings::Binary,
                AutoCrlf::True | AutoCrlf::Input => LineEndings::Converted,
            },
        }
    }
}
