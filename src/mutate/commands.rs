//! Per command: how its argv reads, and which invocations go to git with the terminal untouched —
//! interactive ones (an editor, `-p`, `-i`), read-only forms whose output is the product
//! (`stash list`, `tag -l`, `worktree list`), machine-readable or dry-run output, and `-q`.

use super::argv::{scan, Grammar, Scanned};

/// A mutating command the plugins serve.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// git's subcommand name.
    pub name: &'static str,
    pub grammar: Grammar,
    /// Whether this invocation is handed to git unchanged, stdio and all.
    pub hand_over: fn(&Scanned) -> bool,
    /// Network commands: git's progress and messages stay on a terminal when stderr is one.
    pub network: bool,
}

impl Spec {
    pub fn hands_over(&self, args: &[String]) -> bool {
        let scanned = scan(args, self.grammar);
        common_hand_over(&scanned) || (self.hand_over)(&scanned)
    }
}

/// Output git prints for scripts or people to read, and quiet runs with nothing to compact.
fn common_hand_over(s: &Scanned) -> bool {
    s.long(&["porcelain", "dry-run", "quiet", "help"])
        || s.longs.iter().any(|l| l == "--null")
        || s.short("zqh")
}

fn interactive(s: &Scanned, shorts: &str) -> bool {
    s.short(shorts) || s.long(&["interactive", "patch", "edit"])
}

const NO_VALUES: Grammar = Grammar {
    valued_shorts: "",
    valued_longs: &[],
};

pub const ADD: Spec = Spec {
    name: "add",
    grammar: Grammar {
        valued_shorts: "",
        valued_longs: &["chmod", "pathspec-from-file"],
    },
    hand_over: |s| interactive(s, "pien"),
    network: false,
};

pub const COMMIT: Spec = Spec {
    name: "commit",
    grammar: Grammar {
        valued_shorts: "mFCct",
        valued_longs: &[
            "message",
            "file",
            "reuse-message",
            "reedit-message",
            "fixup",
            "squash",
            "author",
            "date",
            "template",
            "cleanup",
            "trailer",
            "pathspec-from-file",
        ],
    },
    hand_over: |s| {
        // No message source, or one that opens the editor: the editor needs the terminal.
        let message_given = s.short("mFC")
            || s.long(&["message", "file", "reuse-message", "no-edit"])
            || s.value_of("fixup")
                .is_some_and(|v| !v.starts_with("amend:") && !v.starts_with("reword:"));
        s.short("pce")
            || s.long(&[
                "interactive",
                "patch",
                "edit",
                "reedit-message",
                "short",
                "long",
                "verbose",
                "status",
            ])
            || s.short("v")
            || !message_given
    },
    network: false,
};

pub const RM: Spec = Spec {
    name: "rm",
    grammar: Grammar {
        valued_shorts: "",
        valued_longs: &["pathspec-from-file"],
    },
    hand_over: |s| s.short("n"),
    network: false,
};

pub const MV: Spec = Spec {
    name: "mv",
    grammar: NO_VALUES,
    hand_over: |s| s.short("n"),
    network: false,
};

pub const TAG: Spec = Spec {
    name: "tag",
    grammar: Grammar {
        valued_shorts: "mFu",
        valued_longs: &[
            "message",
            "file",
            "local-user",
            "cleanup",
            "sort",
            "format",
            "contains",
            "no-contains",
            "points-at",
            "merged",
            "no-merged",
            "trailer",
        ],
    },
    hand_over: |s| {
        let deleting = s.short("d") || s.long(&["delete"]);
        let listing = s.short("lvn")
            || s.long(&[
                "list",
                "verify",
                "contains",
                "no-contains",
                "points-at",
                "merged",
                "no-merged",
                "sort",
                "format",
                "column",
            ])
            || (s.operands.is_empty() && !deleting);
        let annotated = s.short("asu") || s.long(&["annotate", "sign", "local-user"]);
        let message_given = s.short("mF") || s.long(&["message", "file"]);
        listing || s.short("e") || s.long(&["edit"]) || (annotated && !message_given)
    },
    network: false,
};

pub const SWITCH: Spec = Spec {
    name: "switch",
    grammar: Grammar {
        valued_shorts: "cC",
        valued_longs: &["create", "force-create", "orphan", "conflict"],
    },
    hand_over: |_| false,
    network: false,
};

pub const CHECKOUT: Spec = Spec {
    name: "checkout",
    grammar: Grammar {
        valued_shorts: "bB",
        valued_longs: &["orphan", "conflict", "pathspec-from-file"],
    },
    hand_over: |s| {
        // Without operands or a new branch, `git checkout` only reports where HEAD is.
        let reports_only = s.operands.is_empty()
            && !s.short("bB")
            && !s.long(&["orphan", "detach", "pathspec-from-file"]);
        s.short("p") || s.long(&["patch"]) || reports_only
    },
    network: false,
};

pub const RESTORE: Spec = Spec {
    name: "restore",
    grammar: Grammar {
        valued_shorts: "s",
        valued_longs: &["source", "pathspec-from-file", "conflict"],
    },
    hand_over: |s| s.short("p") || s.long(&["patch"]),
    network: false,
};

pub const RESET: Spec = Spec {
    name: "reset",
    grammar: Grammar {
        valued_shorts: "",
        valued_longs: &["pathspec-from-file"],
    },
    hand_over: |s| s.short("p") || s.long(&["patch"]),
    network: false,
};

pub const STASH: Spec = Spec {
    name: "stash",
    grammar: Grammar {
        valued_shorts: "m",
        valued_longs: &["message", "pathspec-from-file"],
    },
    hand_over: |s| {
        let sub = s.operands.first().map(String::as_str);
        // `list`, `show` and `create` print their product; `store` takes an id from scripts.
        matches!(sub, Some("list" | "show" | "create" | "store"))
            || s.short("p")
            || s.long(&["patch"])
    },
    network: false,
};

pub const MERGE: Spec = Spec {
    name: "merge",
    grammar: Grammar {
        valued_shorts: "mFsX",
        valued_longs: &[
            "message",
            "file",
            "strategy",
            "strategy-option",
            "cleanup",
            "into-name",
        ],
    },
    hand_over: |s| s.short("e") || s.long(&["edit"]),
    network: false,
};

pub const REBASE: Spec = Spec {
    name: "rebase",
    grammar: Grammar {
        valued_shorts: "xsXC",
        valued_longs: &[
            "onto",
            "exec",
            "strategy",
            "strategy-option",
            "whitespace",
            "empty",
        ],
    },
    hand_over: |s| s.short("i") || s.long(&["interactive", "edit-todo", "show-current-patch"]),
    network: false,
};

pub const CHERRY_PICK: Spec = Spec {
    name: "cherry-pick",
    grammar: Grammar {
        valued_shorts: "mX",
        valued_longs: &["mainline", "strategy", "strategy-option", "cleanup"],
    },
    hand_over: |s| s.short("e") || s.long(&["edit"]),
    network: false,
};

pub const PUSH: Spec = Spec {
    name: "push",
    grammar: Grammar {
        valued_shorts: "o",
        valued_longs: &["repo", "receive-pack", "exec", "push-option"],
    },
    hand_over: |_| false,
    network: true,
};

pub const FETCH: Spec = Spec {
    name: "fetch",
    grammar: Grammar {
        valued_shorts: "jo",
        valued_longs: &[
            "depth",
            "deepen",
            "shallow-since",
            "shallow-exclude",
            "refmap",
            "upload-pack",
            "jobs",
            "server-option",
            "negotiation-tip",
            "filter",
        ],
    },
    hand_over: |_| false,
    network: true,
};

pub const PULL: Spec = Spec {
    name: "pull",
    grammar: Grammar {
        valued_shorts: "sXjo",
        valued_longs: &[
            "strategy",
            "strategy-option",
            "depth",
            "deepen",
            "shallow-since",
            "shallow-exclude",
            "upload-pack",
            "jobs",
            "server-option",
            "negotiation-tip",
            "cleanup",
        ],
    },
    hand_over: |s| s.short("e") || s.long(&["edit"]),
    network: true,
};

pub const WORKTREE: Spec = Spec {
    name: "worktree",
    grammar: Grammar {
        valued_shorts: "bB",
        valued_longs: &["reason", "expire"],
    },
    hand_over: |s| {
        !matches!(
            s.operands.first().map(String::as_str),
            Some("add" | "remove" | "move" | "prune" | "lock" | "unlock" | "repair")
        )
    },
    network: false,
};

/// The create/delete/rename/copy/upstream side of `git branch` (its listing is native).
pub const BRANCH: Spec = Spec {
    name: "branch",
    grammar: Grammar {
        valued_shorts: "u",
        valued_longs: &["set-upstream-to", "track"],
    },
    hand_over: |s| s.long(&["edit-description"]),
    network: false,
};

/// Whether `git branch <args>` changes branches rather than listing them.
pub fn branch_is_action(args: &[String]) -> bool {
    let s = scan(args, BRANCH.grammar);
    let acts = s.short("dDmMcCu")
        || s.long(&[
            "delete",
            "move",
            "copy",
            "set-upstream-to",
            "unset-upstream",
            "edit-description",
            "track",
            "no-track",
        ]);
    let lists = s.short("lar")
        || s.long(&[
            "list",
            "all",
            "remotes",
            "merged",
            "no-merged",
            "contains",
            "no-contains",
            "points-at",
            "show-current",
        ]);
    acts || (!s.operands.is_empty() && !lists)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn commit_needs_a_message_source_to_be_served() {
        assert!(COMMIT.hands_over(&words(&[])));
        assert!(COMMIT.hands_over(&words(&["--amend"])));
        assert!(!COMMIT.hands_over(&words(&["--amend", "--no-edit"])));
        assert!(!COMMIT.hands_over(&words(&["-am", "fix -p"])));
        assert!(COMMIT.hands_over(&words(&["-p", "-m", "x"])));
        assert!(COMMIT.hands_over(&words(&["-q", "-m", "x"])));
        assert!(!COMMIT.hands_over(&words(&["-F", "-"])));
    }

    #[test]
    fn read_only_forms_go_to_git() {
        assert!(STASH.hands_over(&words(&["list"])));
        assert!(!STASH.hands_over(&words(&[])));
        assert!(!STASH.hands_over(&words(&["pop"])));
        assert!(TAG.hands_over(&words(&[])));
        assert!(TAG.hands_over(&words(&["-l", "v*"])));
        assert!(!TAG.hands_over(&words(&["v1"])));
        assert!(TAG.hands_over(&words(&["-a", "v1"])));
        assert!(!TAG.hands_over(&words(&["-a", "-m", "release", "v1"])));
        assert!(WORKTREE.hands_over(&words(&["list"])));
        assert!(!WORKTREE.hands_over(&words(&["add", "../wt"])));
        assert!(CHECKOUT.hands_over(&words(&[])));
        assert!(ADD.hands_over(&words(&["-p"])));
        assert!(ADD.hands_over(&words(&["--dry-run", "."])));
    }

    #[test]
    fn branch_actions_are_told_from_listings() {
        assert!(branch_is_action(&words(&["topic"])));
        assert!(branch_is_action(&words(&["-D", "topic"])));
        assert!(branch_is_action(&words(&["-m", "a", "b"])));
        assert!(!branch_is_action(&words(&[])));
        assert!(!branch_is_action(&words(&["-vv"])));
        assert!(!branch_is_action(&words(&["--list", "t*"])));
        assert!(!branch_is_action(&words(&["--merged", "main"])));
    }
}
