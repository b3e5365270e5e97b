//! What a config edit is: the value as typed, the change asked for, and a format's editor's answer
//! (shared by the front door, `config`, and the editors, `json` and `toml`).

use super::splice::Splice;

/// A value as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewValue {
    pub text: String,
    /// Store the text as a string even if it reads as a number, boolean, array or table.
    pub force_string: bool,
}

/// What to do at a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Set(NewValue),
    Delete,
}

/// An editor's answer: the splices to make, and the value's text before and after (`None` where
/// there was or will be no value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEdit {
    pub splices: Vec<Splice>,
    pub old: Option<String>,
    pub new: Option<String>,
}
