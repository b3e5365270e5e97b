//! `git status`'s size in its long format (the default), or in `--short` form, without a terminal.
//!
//! Long format, as git's wt-status.c lays it out:
//! ```text
//! On branch main                   | HEAD detached at 1a2b3c4
//! Your branch is ahead of 'origin/main' by 1 commit.      (one of five upstream sentences)
//!   (use "git push" to publish your local commits)
//! <blank>
//! Changes to be committed:
//!   (use "git restore --staged <file>..." to unstage)
//! \tmodified:   path                 (labels padded to 12 columns)
//! <blank>
//! Unmerged paths: …  Changes not staged for commit: …  Untracked files: …  Ignored files: …
//! no changes added to commit (use "git add" and/or "git commit -a")    (one closing line, or none)
//! ```
//! A rebase, am, bisect, cherry-pick or revert in progress adds a block whose wording depends on
//! files this model does not read; those states get no estimate, and neither do changed
//! submodules (git describes what changed inside them). A merge in progress is modelled.

use crate::state::BranchLine;

/// One changed path: git's status letter(s) and the path as displayed (relative, quoted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub label: &'static str,
    pub display_len: usize,
}

/// Everything the long format prints, as the status command collected it.
pub struct LongStatus<'a> {
    pub branch: &'a BranchLine,
    /// A merge in progress (`Some(has_conflicts)`).
    pub merging: Option<bool>,
    pub staged: &'a [Entry],
    pub unmerged: &'a [Entry],
    pub unstaged: &'a [Entry],
    /// Whether any unstaged change is a deletion (the hint then says `git add/rm`).
    pub unstaged_deletion: bool,
    pub untracked: &'a [usize],
    pub ignored: &'a [usize],
    /// `-uno`: untracked files are not looked for.
    pub untracked_off: bool,
}

/// The label of a staged or unstaged change, from its short-format letter.
pub fn change_label(code: u8) -> &'static str {
    match code {
        b'A' => "new file:",
        b'D' => "deleted:",
        b'R' => "renamed:",
        b'C' => "copied:",
        b'T' => "typechange:",
        _ => "modified:",
    }
}

/// The label of a conflicted path, from its two-letter short-format code.
pub fn conflict_label(code: &str) -> &'static str {
    match code {
        "DD" => "both deleted:",
        "AU" => "added by us:",
        "UD" => "deleted by them:",
        "UA" => "added by them:",
        "DU" => "deleted by us:",
        "AA" => "both added:",
        _ => "both modified:",
    }
}

/// Width git pads change labels to (the widest label, `typechange:`, plus one space).
const CHANGE_COLUMN: usize = 12;
/// The same for conflict labels (`deleted by them:` plus one space).
const CONFLICT_COLUMN: usize = 17;

impl LongStatus<'_> {
    pub fn size(&self) -> usize {
        let mut bytes = self.header();
        if let Some(has_conflicts) = self.merging {
            bytes += if has_conflicts {
                "You have unmerged paths.\n  (fix conflicts and run \"git commit\")\n  (use \"git merge --abort\" to abort the merge)\n\n".len()
            } else {
                "All conflicts fixed but you are still merging.\n  (use \"git commit\" to conclude merge)\n\n".len()
            };
        }
        let unborn = matches!(self.branch, BranchLine::Unborn { .. });
        // git gives no unstage hint while a merge is being concluded.
        let unstage_hint = if self.merging.is_some() {
            ""
        } else if unborn {
            "  (use \"git rm --cached <file>...\" to unstage)\n"
        } else {
            "  (use \"git restore --staged <file>...\" to unstage)\n"
        };
        if !self.staged.is_empty() {
            bytes += "Changes to be committed:\n".len()
                + unstage_hint.len()
                + entries(self.staged, CHANGE_COLUMN)
                + 1;
        }
        if !self.unmerged.is_empty() {
            bytes += "Unmerged paths:\n".len()
                + unstage_hint.len()
                + self.resolution_hint().len()
                + entries(self.unmerged, CONFLICT_COLUMN)
                + 1;
        }
        if !self.unstaged.is_empty() {
            bytes += "Changes not staged for commit:\n".len()
                + if self.unstaged_deletion {
                    "  (use \"git add/rm <file>...\" to update what will be committed)\n".len()
                } else {
                    "  (use \"git add <file>...\" to update what will be committed)\n".len()
                }
                + "  (use \"git restore <file>...\" to discard changes in working directory)\n"
                    .len()
                + entries(self.unstaged, CHANGE_COLUMN)
                + 1;
        }
        if !self.untracked.is_empty() {
            bytes += "Untracked files:\n".len()
                + "  (use \"git add <file>...\" to include in what will be committed)\n".len()
                + plain(self.untracked)
                + 1;
        }
        if !self.ignored.is_empty() {
            bytes += "Ignored files:\n".len()
                + "  (use \"git add -f <file>...\" to include in what will be committed)\n".len()
                + plain(self.ignored)
                + 1;
        }
        bytes + self.closing_line().len()
    }

    /// The branch line and what git says about the upstream.
    fn header(&self) -> usize {
        match self.branch {
            BranchLine::Unborn { branch } => {
                "On branch ".len() + branch.len() + "\n\nNo commits yet\n\n".len()
            }
            BranchLine::Detached { short_id } => "HEAD detached at ".len() + short_id.len() + 1,
            BranchLine::OnBranch {
                branch,
                upstream,
                divergence,
            } => {
                let line = "On branch ".len() + branch.len() + 1;
                let Some(upstream) = upstream else {
                    return line;
                };
                let name = upstream.short_name.len();
                let commits = |n: usize| super::digits(n) + if n == 1 { 7 } else { 8 };
                let tracking = match (upstream.tip, divergence.ahead, divergence.behind) {
                    (None, _, _) => {
                        "Your branch is based on '', but the upstream is gone.\n  (use \"git branch --unset-upstream\" to fixup)\n".len() + name
                    }
                    (Some(_), 0, 0) => "Your branch is up to date with ''.\n".len() + name,
                    (Some(_), ahead, 0) => {
                        "Your branch is ahead of '' by .\n  (use \"git push\" to publish your local commits)\n".len()
                            + name
                            + commits(ahead)
                    }
                    (Some(_), 0, behind) => {
                        "Your branch is behind '' by , and can be fast-forwarded.\n  (use \"git pull\" to update your local branch)\n".len()
                            + name
                            + commits(behind)
                    }
                    (Some(_), ahead, behind) => {
                        "Your branch and '' have diverged,\nand have  and  different commits each, respectively.\n  (use \"git pull\" if you want to integrate the remote branch with yours)\n".len()
                            + name
                            + super::digits(ahead)
                            + super::digits(behind)
                    }
                };
                line + tracking + 1
            }
        }
    }

    /// How git says to mark conflicts resolved: `git rm` when every conflict is a deletion on both
    /// sides, `add/rm` when one side deleted and the other modified.
    fn resolution_hint(&self) -> &'static str {
        let labels = || self.unmerged.iter().map(|e| e.label);
        let both_deleted = labels().any(|l| l == "both deleted:");
        let deleted_modified = labels().any(|l| l.starts_with("deleted by"));
        match (both_deleted, deleted_modified) {
            (_, true) => "  (use \"git add/rm <file>...\" as appropriate to mark resolution)\n",
            (true, false) => "  (use \"git rm <file>...\" to mark resolution)\n",
            (false, false) => "  (use \"git add <file>...\" to mark resolution)\n",
        }
    }

    fn closing_line(&self) -> &'static str {
        if !self.staged.is_empty() {
            ""
        } else if !self.unstaged.is_empty() || !self.unmerged.is_empty() {
            "no changes added to commit (use \"git add\" and/or \"git commit -a\")\n"
        } else if !self.untracked.is_empty() {
            "nothing added to commit but untracked files present (use \"git add\" to track)\n"
        } else if matches!(self.branch, BranchLine::Unborn { .. }) {
            "nothing to commit (create/copy files and use \"git add\" to track)\n"
        } else if self.untracked_off {
            "nothing to commit (use -u to show untracked files)\n"
        } else {
            "nothing to commit, working tree clean\n"
        }
    }
}

/// `\t<label padded to column><path>\n` per entry.
fn entries(entries: &[Entry], column: usize) -> usize {
    entries
        .iter()
        .map(|e| 1 + column.max(e.label.len() + 1) + e.display_len + 1)
        .sum()
}

/// `\t<path>\n` per path.
fn plain(paths: &[usize]) -> usize {
    paths.iter().map(|len| 1 + len + 1).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_branch_without_upstream() {
        let branch = BranchLine::OnBranch {
            branch: "main".into(),
            upstream: None,
            divergence: Default::default(),
        };
        let status = LongStatus {
            branch: &branch,
            merging: None,
            staged: &[],
            unmerged: &[],
            unstaged: &[],
            unstaged_deletion: false,
            untracked: &[],
            ignored: &[],
            untracked_off: false,
        };
        assert_eq!(
            status.size(),
            "On branch main\nnothing to commit, working tree clean\n".len()
        );
    }

    #[test]
    fn labels_are_padded_to_their_column() {
        let modified = Entry {
            label: change_label(b'M'),
            display_len: 1,
        };
        assert_eq!(
            entries(&[modified], CHANGE_COLUMN),
            "\tmodified:   a\n".len()
        );
        let both = Entry {
            label: conflict_label("UU"),
            display_len: 5,
        };
        assert_eq!(
            entries(&[both], CONFLICT_COLUMN),
            "\tboth modified:   f.txt\n".len()
        );
    }
}
