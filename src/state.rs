//! Where HEAD is and what operation is in progress, for status headers.

use gix::bstr::ByteSlice;

use crate::render;
use crate::upstream;

/// The `## …` header of `git status -sb`, with the detached id spelled out.
pub enum BranchLine {
    Unborn {
        branch: String,
    },
    Detached {
        short_id: String,
    },
    OnBranch {
        branch: String,
        upstream: Option<upstream::Upstream>,
        divergence: upstream::Divergence,
    },
}

impl BranchLine {
    pub fn write(&self, out: &mut Vec<u8>) {
        let line = match self {
            BranchLine::Unborn { branch } => format!("## No commits yet on {branch}\n"),
            BranchLine::Detached { short_id } => format!("## HEAD (detached at {short_id})\n"),
            BranchLine::OnBranch {
                branch,
                upstream,
                divergence,
            } => match upstream {
                None => format!("## {branch}\n"),
                Some(up) if up.tip.is_none() => format!("## {branch}...{} [gone]\n", up.short_name),
                Some(up) => {
                    let counts = match (divergence.ahead, divergence.behind) {
                        (0, 0) => String::new(),
                        (a, 0) => format!(" [ahead {a}]"),
                        (0, b) => format!(" [behind {b}]"),
                        (a, b) => format!(" [ahead {a}, behind {b}]"),
                    };
                    format!("## {branch}...{}{counts}\n", up.short_name)
                }
            },
        };
        out.extend_from_slice(line.as_bytes());
    }
}

pub fn branch_line(repo: &gix::Repository) -> anyhow::Result<BranchLine> {
    let head = repo.head()?;
    let Some(name) = head.referent_name().map(|n| n.to_owned()) else {
        let id = head
            .id()
            .ok_or_else(|| anyhow::anyhow!("detached HEAD without an id"))?;
        return Ok(BranchLine::Detached {
            short_id: render::short_id(repo, id.detach())?,
        });
    };
    let branch = name.as_ref().shorten().to_str_lossy().into_owned();
    let Some(tip) = head.id() else {
        return Ok(BranchLine::Unborn { branch });
    };
    let upstream = upstream::of_branch(repo, name.as_ref())?;
    let divergence = match upstream.as_ref().and_then(|u| u.tip) {
        Some(upstream_tip) => {
            let commit_graph = repo.commit_graph_if_enabled()?;
            upstream::DivergenceCounter::new(repo, commit_graph.as_ref())
                .count(tip.detach(), upstream_tip)?
        }
        None => upstream::Divergence::default(),
    };
    Ok(BranchLine::OnBranch {
        branch,
        upstream,
        divergence,
    })
}

/// One `# …` line naming the operation in progress and the next step, or `None`.
pub fn operation_line(
    repo: &gix::Repository,
    has_conflicts: bool,
) -> anyhow::Result<Option<String>> {
    use gix::state::InProgress::*;
    let Some(state) = repo.state() else {
        return Ok(None);
    };
    let git_dir = repo.path();
    let short = |file: &str| -> Option<String> {
        let text = std::fs::read_to_string(git_dir.join(file)).ok()?;
        let id = gix::ObjectId::from_hex(text.trim().as_bytes()).ok()?;
        render::short_id(repo, id).ok()
    };
    let step = |command: &str| {
        if has_conflicts {
            format!("fix conflicts, then \"git add <paths>\" and \"git {command} --continue\"")
        } else {
            format!("all conflicts fixed, run \"git {command} --continue\"")
        }
    };
    let line = match state {
        Merge => {
            let what = short("MERGE_HEAD").unwrap_or_default();
            let next = if has_conflicts {
                "fix conflicts, then \"git commit\""
            } else {
                "all conflicts fixed, run \"git commit\""
            };
            format!("# merging {what}: {next} (or \"git merge --abort\")")
        }
        Rebase | RebaseInteractive | ApplyMailboxRebase => {
            let dir = if git_dir.join("rebase-merge").is_dir() {
                "rebase-merge"
            } else {
                "rebase-apply"
            };
            let branch = std::fs::read_to_string(git_dir.join(dir).join("head-name"))
                .map(|s| s.trim().trim_start_matches("refs/heads/").to_owned())
                .unwrap_or_default();
            let onto = short(&format!("{dir}/onto")).unwrap_or_default();
            format!(
                "# rebasing {branch} onto {onto}: {} (or \"--skip\", \"--abort\")",
                step("rebase")
            )
        }
        CherryPick | CherryPickSequence => {
            let what = short("CHERRY_PICK_HEAD").unwrap_or_default();
            format!(
                "# cherry-picking {what}: {} (or \"--skip\", \"--abort\")",
                step("cherry-pick")
            )
        }
        Revert | RevertSequence => {
            let what = short("REVERT_HEAD").unwrap_or_default();
            format!(
                "# reverting {what}: {} (or \"--skip\", \"--abort\")",
                step("revert")
            )
        }
        Bisect => {
            "# bisecting: mark commits with \"git bisect good|bad\", end with \"git bisect reset\""
                .to_owned()
        }
        ApplyMailbox => {
            "# applying mailbox: \"git am --continue\" (or \"--skip\", \"--abort\")".to_owned()
        }
    };
    Ok(Some(line))
}
