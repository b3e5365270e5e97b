//! `git branch`'s size for a listing, without a terminal (no columns, no colour).
//!
//! Short listing: `<marker> <name>` per ref, `-> <target>` for a symbolic remote ref; git shows no
//! upstream there. Verbose (ref-filter's format in builtin/branch.c), names padded to the widest:
//! ```text
//! * main     1a2b3c4 [ahead 1] subject                       -v: only the counts, or [gone]
//! + topic    2b3c4d5 (/path/of/worktree) [origin/topic] subj  -vv: worktree path and upstream
//!   remotes/origin/HEAD -> origin/main
//! ```
//! with one space before the subject even when it is empty.

/// One listed ref, as the listing collected it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListedRef {
    /// The name as shown (`remotes/origin/main` with `-a`, the `(HEAD detached at …)` text).
    pub name_len: usize,
    /// `origin/main` of `origin/HEAD -> origin/main`.
    pub symref_target_len: Option<usize>,
    pub short_id_len: usize,
    /// `-vv`: the path of the other worktree the branch is checked out in.
    pub worktree_path_len: Option<usize>,
    /// The upstream label as git prints it at this verbosity, brackets included.
    pub tracking_len: Option<usize>,
    pub subject_len: usize,
}

/// The listing's size at `verbose` (0, 1 for `-v`, 2 for `-vv`).
pub fn listing_len(refs: &[ListedRef], verbose: u32) -> usize {
    if verbose == 0 {
        return refs
            .iter()
            .map(|r| 2 + r.name_len + r.symref_target_len.map_or(0, |t| 4 + t) + 1)
            .sum();
    }
    let width = refs.iter().map(|r| r.name_len).max().unwrap_or(0);
    refs.iter()
        .map(|r| {
            let details = match r.symref_target_len {
                Some(target) => " -> ".len() + target,
                None => {
                    1 + r.short_id_len
                        + 1
                        + r.worktree_path_len.map_or(0, |p| p + 3)
                        + r.tracking_len.map_or(0, |t| t + 1)
                        + r.subject_len
                }
            };
            2 + width + details + 1
        })
        .sum()
}

/// `-v` shows only the counts of an upstream label (`[ahead 1]`, `[gone]`), nothing when the
/// branch is up to date; `-vv` the whole label (`[origin/main: ahead 1]`).
pub fn tracking_len(label: &str, verbose: u32) -> Option<usize> {
    if verbose > 1 {
        return Some(label.len());
    }
    label
        .find(": ")
        .map(|colon| "[".len() + label.len() - (colon + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbose_tracking_keeps_only_the_counts() {
        assert_eq!(
            tracking_len("[origin/main: ahead 1]", 1),
            Some("[ahead 1]".len())
        );
        assert_eq!(tracking_len("[origin/main]", 1), None);
        assert_eq!(tracking_len("[origin/main]", 2), Some(13));
    }

    #[test]
    fn short_listing() {
        let main = ListedRef {
            name_len: 4,
            ..Default::default()
        };
        let head = ListedRef {
            name_len: "remotes/origin/HEAD".len(),
            symref_target_len: Some("origin/main".len()),
            ..Default::default()
        };
        assert_eq!(
            listing_len(&[main, head], 0),
            "* main\n  remotes/origin/HEAD -> origin/main\n".len()
        );
    }
}
