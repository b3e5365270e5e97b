//! One changed file as read once for output: its change and both contents. The compact renderer
//! (`super::render`) and git's output size (`crate::git_size::patch`) both read it; its line
//! diff is computed once, by the caller, and handed to both.

use super::hunks::{self, LineCounts, LineDiff};
use super::{is_binary, load, ChangeKind, FileChange};

pub struct FileDiff<'c> {
    pub change: &'c FileChange,
    /// The content before (empty for an added file) and after (empty for a deleted one).
    pub old: Vec<u8>,
    pub new: Vec<u8>,
    /// Either side is binary (git's rule: a NUL byte in the first 8000).
    pub binary: bool,
}

impl<'c> FileDiff<'c> {
    pub fn read(repo: &gix::Repository, change: &'c FileChange) -> anyhow::Result<Self> {
        let side = |side: &Option<super::Side>| -> anyhow::Result<Vec<u8>> {
            Ok(side
                .as_ref()
                .map(|s| load(repo, s))
                .transpose()?
                .unwrap_or_default())
        };
        let old = side(&change.old)?;
        let new = side(&change.new)?;
        let binary = is_binary(&old) || is_binary(&new);
        Ok(FileDiff {
            change,
            old,
            new,
            binary,
        })
    }

    /// The line diff of a changed text file; `None` for binary files, unchanged content, and
    /// whole files added, deleted or replaced by another type (shown whole).
    pub fn line_diff(&self) -> Option<LineDiff<'_>> {
        let whole = matches!(
            self.change.kind,
            ChangeKind::Added | ChangeKind::Deleted | ChangeKind::TypeChanged
        );
        (!self.binary && self.old != self.new && !whole)
            .then(|| LineDiff::new(&self.old, &self.new))
    }

    /// Added and removed lines, `None` for a binary file. A submodule that is only dirty counts
    /// none, as in git's `--stat` and `--numstat`.
    pub fn counts(&self) -> Option<LineCounts> {
        if self.change.is_dirty_submodule_only() {
            return Some(LineCounts::default());
        }
        (!self.binary).then(|| hunks::count_lines(&self.old, &self.new))
    }
}
