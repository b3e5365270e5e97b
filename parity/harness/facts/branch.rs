//! `branch` facts (listing only), from `git branch --format` with the case's filter arguments:
//! one line per branch git lists, in git's order, and no other; each starts with its marker (`*`
//! current, `+` checked out in another worktree) and name, and carries its upstream with
//! `ahead N` / `behind M` / `gone`; with `-v`/`-vv` also the short id and subject.

use super::args;
use super::{Fact, GitQuery, LinePattern, Selector};
use crate::harness::text;

const FORMAT: &str = "--format=%(HEAD)%00%(refname)%00%(upstream:short)%00%(upstream:track,nobracket)%00%(objectname:short)%00%(contents:subject)%00%(worktreepath)%00%(symref:short)";

/// Options that only change how the list is printed.
fn is_display_only(arg: &str) -> bool {
    [
        "-v",
        "-vv",
        "--verbose",
        "--no-color",
        "--no-column",
        "--no-abbrev",
    ]
    .contains(&arg)
        || args::is_any_long(arg, &["--color", "--column", "--abbrev", "--format"])
}

/// Options that make `git branch` create, delete, rename or configure instead of list.
fn is_not_listing(arg: &str) -> bool {
    args::is_flag_cluster(arg, "dDmMcCuf")
        || args::is_any_long(
            arg,
            &[
                "--delete",
                "--move",
                "--copy",
                "--force",
                "--set-upstream-to",
                "--unset-upstream",
                "--edit-description",
                "--show-current",
            ],
        )
}

/// Options that make `git branch` list even with positional arguments.
fn is_listing(arg: &str) -> bool {
    ["-l", "--list", "-a", "--all", "-r", "--remotes"].contains(&arg)
        || args::is_any_long(
            arg,
            &[
                "--merged",
                "--no-merged",
                "--contains",
                "--no-contains",
                "--points-at",
            ],
        )
}

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    let listing = !args::has(case_args, is_not_listing)
        && (args::positionals(case_args).is_empty() || args::has(case_args, is_listing));
    if !listing {
        return Ok(Vec::new());
    }
    let verbose = args::has(case_args, |arg| ["-v", "-vv", "--verbose"].contains(&arg));
    let all = args::has(case_args, |arg| arg == "-a" || arg == "--all");
    let filters = args::without(case_args, is_display_only);
    let output = query.run(&args::command(&["branch", "--no-color", FORMAT], &filters))?;

    let remotes_output = query.run(&["remote"])?;
    let remotes: Vec<&[u8]> = text::lines(&remotes_output);
    let mut branches = Vec::new();
    // Remote-tracking branches by group prefix, in git's order, each as its item is shown.
    let mut groups: Vec<(Vec<u8>, Vec<Vec<u8>>)> = Vec::new();
    let records = text::lines(&output);
    let mut listed_lines = 0;
    for record in &records {
        let fields: Vec<&[u8]> = record.split(|&b| b == 0).collect();
        let [head, refname, upstream, track, id, subject, worktree, symref] = fields[..] else {
            return Err(format!(
                "unexpected `git branch` record {:?}",
                text::show(record)
            ));
        };
        let marker: &[u8] = if head == b"*" {
            b"* "
        } else if !worktree.is_empty() {
            b"+ "
        } else {
            b"  "
        };
        let name = display_name(refname, all);
        if let Some(prefix_len) = group_prefix_len(refname, &remotes, all) {
            let prefix = name[..prefix_len - 1].to_vec();
            let mut item = name[prefix_len..].to_vec();
            if !symref.is_empty() {
                item.extend_from_slice(b" -> ");
                item.extend_from_slice(symref);
            }
            if groups.last().is_none_or(|(last, _)| *last != prefix) {
                groups.push((prefix.clone(), Vec::new()));
                listed_lines += 1;
                if verbose {
                    branches.push(LinePattern::new([prefix.as_slice(), b":"].concat()));
                }
            }
            if verbose {
                listed_lines += 1;
                let mut pattern = LinePattern::new([&b"  "[..], &name[prefix_len..]].concat());
                pattern.prefix_is_word = true;
                if !symref.is_empty() {
                    pattern = pattern.with([b"-> ", symref].concat());
                } else {
                    pattern = pattern.with(id).with(subject);
                }
                branches.push(pattern);
            }
            if let Some((_, items)) = groups.last_mut() {
                items.push(item);
            }
            continue;
        }
        listed_lines += 1;
        let mut pattern = LinePattern::new([marker, &name].concat());
        pattern.prefix_is_word = true;
        if !symref.is_empty() {
            pattern = pattern.with([b"-> ", symref].concat());
        }
        pattern = pattern.with(upstream);
        for item in track.split(|&b| b == b',') {
            pattern = pattern.with(item.trim_ascii());
        }
        // A count git does not print must not be printed either.
        if !upstream.is_empty() && !text::contains(track, b"ahead") {
            pattern = pattern.without(": ahead ");
        }
        if !upstream.is_empty() && !text::contains(track, b"behind") {
            pattern = pattern.without(": behind ").without(", behind ");
        }
        if verbose && symref.is_empty() {
            pattern = pattern.with(id).with(subject);
        }
        branches.push(pattern);
    }
    let mut facts = vec![
        Fact::InOrder(branches),
        Fact::LineCount {
            selector: Selector::NonEmpty,
            expected: listed_lines,
        },
    ];
    if !verbose {
        // One line per remote: `<prefix>: <item>, <item>`, every branch in git's order.
        for (prefix, items) in groups {
            facts.push(Fact::Line {
                text: [prefix.as_slice(), b": ", items.join(&b", "[..]).as_slice()].concat(),
                count: 1,
            });
        }
    }
    Ok(facts)
}

/// For a remote-tracking branch, the length of its shown name's group prefix with the final
/// `/` (`remotes/origin/` with `-a`, `origin/` with `-r`): the longest remote name it starts
/// with, else its first component. `None` for other refs and names without `/`.
fn group_prefix_len(refname: &[u8], remotes: &[&[u8]], all: bool) -> Option<usize> {
    let short = refname.strip_prefix(b"refs/remotes/")?;
    let remote_len = remotes
        .iter()
        .filter(|remote| short.starts_with(remote) && short.get(remote.len()) == Some(&b'/'))
        .map(|remote| remote.len())
        .max()
        .or_else(|| short.iter().position(|&b| b == b'/'))?;
    let shown_prefix = if all { "remotes/".len() } else { 0 };
    Some(shown_prefix + remote_len + 1)
}

/// How `git branch` names a ref in its list: `main`; `origin/main` with `-r`,
/// `remotes/origin/main` with `-a`; `(HEAD detached at …)` as is.
fn display_name(refname: &[u8], all: bool) -> Vec<u8> {
    if let Some(branch) = refname.strip_prefix(b"refs/heads/") {
        branch.to_vec()
    } else if let Some(remote) = refname.strip_prefix(b"refs/remotes/") {
        if all {
            [b"remotes/", remote].concat()
        } else {
            remote.to_vec()
        }
    } else {
        refname.to_vec()
    }
}
