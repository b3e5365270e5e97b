//! `show` facts, per object named on the command line (`HEAD` when none):
//! - commit: a line starting with the short id and carrying author name, email, short date and
//!   every decoration; every line of the message as a whole line; the diff facts of `diff.rs`.
//! - annotated tag: a line starting with `tag <name>` carrying tagger and date; every message line;
//!   then the facts of the commit it points to.
//! - tree: every entry as a whole line, directories with a trailing `/`.
//! - blob (`rev:path`): its bytes unchanged — the whole stdout when it is the only object.

use super::args;
use super::diff::{self, DiffSource};
use super::{whole_lines, Fact, GitQuery, LinePattern};
use crate::harness::text;

const COMMIT_FORMAT: &str = "--format=%h%x00%an%x00%ae%x00%ad%x00%D%x00%B";

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    let mut revisions = args::positionals(case_args);
    if revisions.is_empty() {
        revisions.push("HEAD".to_owned());
    }
    let only_object = revisions.len() == 1 && case_args.iter().all(|arg| !arg.starts_with('-'));
    let mut facts = Vec::new();
    let mut commits = Vec::new();
    let mut other_objects = false;
    for revision in &revisions {
        match object_type(query, revision)?.as_str() {
            "commit" => {
                facts.extend(commit_facts(query, revision)?);
                commits.push(revision.clone());
            }
            "tag" => {
                facts.extend(tag_facts(query, revision)?);
                let peeled = format!("{revision}^{{}}");
                if object_type(query, &peeled)? == "commit" {
                    facts.extend(commit_facts(query, &peeled)?);
                    commits.push(revision.clone());
                } else {
                    other_objects = true;
                }
            }
            "tree" => {
                other_objects = true;
                let listing = query.run(&["ls-tree", revision.as_str()])?;
                let mut entries = Vec::new();
                for line in text::lines(&listing) {
                    let Some(tab) = line.iter().position(|&b| b == b'\t') else {
                        return Err(format!(
                            "unexpected `git ls-tree` line {:?}",
                            text::show(line)
                        ));
                    };
                    let name = &line[tab + 1..];
                    let is_tree =
                        line[..tab].split(|&b| b == b' ').nth(1) == Some(b"tree".as_slice());
                    entries.push(if is_tree {
                        [name, b"/"].concat()
                    } else {
                        name.to_vec()
                    });
                }
                facts.extend(whole_lines(entries.iter().map(Vec::as_slice)));
            }
            "blob" => {
                other_objects = true;
                let bytes = query.run(&["cat-file", "blob", revision.as_str()])?;
                facts.push(if only_object {
                    Fact::Exactly(bytes)
                } else {
                    Fact::Contains(bytes)
                });
            }
            other => return Err(format!("`git cat-file -t {revision}` said {other:?}")),
        }
    }
    if !commits.is_empty() && !other_objects {
        let options: Vec<String> = case_args
            .iter()
            .take_while(|arg| *arg != "--")
            .filter(|arg| arg.starts_with('-'))
            .cloned()
            .collect();
        let pathspecs = args::pathspecs(case_args);
        let mut diff_args = options;
        diff_args.extend(commits);
        if !pathspecs.is_empty() {
            diff_args.push("--".to_owned());
            diff_args.extend(pathspecs);
        }
        facts.extend(diff::facts_for(
            query,
            &DiffSource {
                prefix: &["show", "--format="],
                exact: false,
            },
            &diff_args,
        )?);
    }
    Ok(facts)
}

fn object_type(query: &GitQuery<'_>, revision: &str) -> Result<String, String> {
    let kind = query.run(&["cat-file", "-t", revision])?;
    Ok(text::show(&kind).trim().to_owned())
}

fn commit_facts(query: &GitQuery<'_>, revision: &str) -> Result<Vec<Fact>, String> {
    let record = query.run(&[
        "show",
        "-s",
        "--no-color",
        "--date=short",
        COMMIT_FORMAT,
        revision,
    ])?;
    let fields: Vec<&[u8]> = record.splitn(6, |&b| b == 0).collect();
    let [id, name, email, date, decorations, message] = fields[..] else {
        return Err(format!(
            "unexpected `git show -s` record {:?}",
            text::show(&record)
        ));
    };
    let mut header = LinePattern::new([id, b" "].concat())
        .with(name)
        .with(email)
        .with(date);
    for decoration in decorations.split(|&b| b == b',') {
        header = header.with(decoration.trim_ascii());
    }
    let mut facts = vec![Fact::Matching(header)];
    facts.extend(message_facts(message));
    Ok(facts)
}

fn tag_facts(query: &GitQuery<'_>, revision: &str) -> Result<Vec<Fact>, String> {
    let full_name = query.run(&["rev-parse", "--symbolic-full-name", revision])?;
    let full_name = text::show(&full_name).trim().to_owned();
    if !full_name.starts_with("refs/tags/") {
        return Err(format!(
            "show case names tag {revision:?}, which is not under refs/tags/"
        ));
    }
    let record = query.run(&[
        "for-each-ref",
        "--format=%(tag)%00%(taggername)%00%(taggerdate:short)%00%(contents)",
        full_name.as_str(),
    ])?;
    let fields: Vec<&[u8]> = record.splitn(4, |&b| b == 0).collect();
    let [name, tagger, date, message] = fields[..] else {
        return Err(format!(
            "unexpected `git for-each-ref` record {:?}",
            text::show(&record)
        ));
    };
    let mut facts = vec![Fact::Matching(
        LinePattern::new([b"tag ", name].concat())
            .with(tagger)
            .with(date),
    )];
    facts.extend(message_facts(message));
    Ok(facts)
}

/// Every non-empty message line, as a whole line (docs/output.md: "every line, unindented").
fn message_facts(message: &[u8]) -> Vec<Fact> {
    whole_lines(
        text::lines(message)
            .into_iter()
            .filter(|line| !line.trim_ascii().is_empty()),
    )
}
