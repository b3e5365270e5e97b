//! `status` facts: every entry line of git's short format (`git status --short`: the codes and
//! quoting of `--porcelain=v1`, paths relative to the current directory) as a whole line, in git's
//! order, and no other entry lines; `clean` when there is none; from `--porcelain=v2 --branch` the
//! branch (or the short id when detached), upstream, `ahead N` / `behind M` / `gone` on the first
//! line; and one `# ` line per operation in progress, detected from the files git's own
//! `wt-status` reads.

use super::args;
use super::{Fact, GitQuery, LinePattern, Selector};
use crate::harness::text;

/// Options that only change how status is printed, not what it reports.
fn is_display_only(arg: &str) -> bool {
    args::is_flag_cluster(arg, "sbvz")
        || [
            "--short",
            "--branch",
            "--long",
            "--verbose",
            "--show-stash",
            "--ahead-behind",
            "--no-ahead-behind",
            "--no-column",
        ]
        .contains(&arg)
        || args::is_long(arg, "--porcelain")
        || args::is_long(arg, "--column")
}

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    let filters = args::without(case_args, is_display_only);
    let mut facts = Vec::new();

    // Entry lines come from git's short format, which docs/output.md names: it is porcelain v1 with
    // paths relative to the current directory (as `git status -s` prints them in a subdirectory,
    // honouring `status.relativePaths`). Porcelain v1 itself, always relative to the top, gives the
    // count and the status codes as a cross-check of the parse.
    let short = query.run(&args::command(
        &["-c", "color.status=false", "status", "--short"],
        &filters,
    ))?;
    let entries = text::lines(&short);
    let porcelain = query.run(&args::command(&["status", "--porcelain=v1"], &filters))?;
    // The short format spells a submodule's modified or untracked content `m` or `?` in the
    // work tree column, where porcelain v1 says `M`.
    let codes = |lines: &[&[u8]]| {
        let mut codes: Vec<Vec<u8>> = lines
            .iter()
            .map(|line| match line[..line.len().min(2)] {
                [x, b'm' | b'?'] if x != b'?' => vec![x, b'M'],
                ref code => code.to_vec(),
            })
            .collect();
        codes.sort();
        codes
    };
    if codes(&entries) != codes(&text::lines(&porcelain)) {
        return Err(format!(
            "`git status --short` and `--porcelain=v1` disagree:\n{}\n---\n{}",
            text::show(&short),
            text::show(&porcelain)
        ));
    }
    facts.push(Fact::LinesInOrder(
        entries.iter().map(|line| line.to_vec()).collect(),
    ));
    facts.push(Fact::LineCount {
        selector: Selector::StatusEntry,
        expected: entries.len(),
    });
    if entries.is_empty() {
        facts.push(Fact::Line {
            text: b"clean".to_vec(),
            count: 1,
        });
    }

    let v2 = query.run(&args::command(
        &["status", "--porcelain=v2", "--branch"],
        &filters,
    ))?;
    facts.push(Fact::Matching(branch_line(query, &v2)?));

    let git_dir = query.run(&["rev-parse", "--absolute-git-dir"])?;
    let git_dir = std::path::PathBuf::from(text::show(
        text::lines(&git_dir).first().copied().unwrap_or_default(),
    ));
    for operation in operations_in_progress(&git_dir) {
        facts.push(Fact::Matching(LinePattern::new(format!("# {operation}"))));
    }
    Ok(facts)
}

/// The `## …` line from the `# branch.*` headers of porcelain v2.
fn branch_line(query: &GitQuery<'_>, v2: &[u8]) -> Result<LinePattern, String> {
    let mut oid = None;
    let mut head = None;
    let mut upstream = None;
    let mut ahead_behind = None;
    for line in text::lines(v2) {
        let line = text::show(line);
        if let Some(value) = line.strip_prefix("# branch.oid ") {
            oid = Some(value.to_owned());
        } else if let Some(value) = line.strip_prefix("# branch.head ") {
            head = Some(value.to_owned());
        } else if let Some(value) = line.strip_prefix("# branch.upstream ") {
            upstream = Some(value.to_owned());
        } else if let Some(value) = line.strip_prefix("# branch.ab ") {
            ahead_behind = Some(value.to_owned());
        }
    }
    let head = head.ok_or("`git status --porcelain=v2 --branch` printed no `# branch.head`")?;
    let mut pattern = LinePattern::new("## ");
    pattern.first_line = true;
    if head == "(detached)" {
        let oid = oid.ok_or("detached HEAD without `# branch.oid`")?;
        let short = query.run(&["rev-parse", "--short", &oid])?;
        pattern = pattern.with(text::lines(&short).first().copied().unwrap_or_default());
    } else {
        pattern = pattern.with(head);
    }
    if let Some(upstream) = upstream {
        pattern = pattern.with(upstream);
        match ahead_behind {
            Some(counts) => {
                let mut counts = counts.split(' ');
                let ahead = counts
                    .next()
                    .and_then(|n| n.strip_prefix('+'))
                    .unwrap_or("0");
                let behind = counts
                    .next()
                    .and_then(|n| n.strip_prefix('-'))
                    .unwrap_or("0");
                pattern = if ahead != "0" {
                    pattern.with(format!("ahead {ahead}"))
                } else {
                    pattern.without("ahead ")
                };
                pattern = if behind != "0" {
                    pattern.with(format!("behind {behind}"))
                } else {
                    pattern.without("behind ")
                };
            }
            // An upstream whose ref is missing: git prints `[gone]`.
            None => pattern = pattern.with("gone"),
        }
    }
    Ok(pattern)
}

/// The operations git's `wt-status` reports, from the same state files it reads.
fn operations_in_progress(git_dir: &std::path::Path) -> Vec<&'static str> {
    let exists = |name: &str| git_dir.join(name).exists();
    let mut found = Vec::new();
    if exists("MERGE_HEAD") {
        found.push("merging");
    }
    if exists("rebase-apply/applying") {
        found.push("applying mailbox");
    } else if exists("rebase-apply") || exists("rebase-merge") {
        found.push("rebasing");
    }
    if exists("CHERRY_PICK_HEAD") {
        found.push("cherry-picking");
    }
    if exists("REVERT_HEAD") {
        found.push("reverting");
    }
    if exists("BISECT_LOG") {
        found.push("bisecting");
    }
    found
}
