//! Facts of mutating commands (and branch actions), from the git twin before and after the
//! command: every ref created, deleted or moved appears with its short name and the short id it
//! now has (or had); a changed HEAD appears with where it points; a new commit's subject appears
//! after `commit`; a new stash entry appears as `stash@{0}`; every conflicted path appears with its
//! short-status code (`UU path`), on failure too.

use std::collections::BTreeMap;

use super::{Fact, GitQuery, LinePattern};
use crate::harness::case::GitCommand;
use crate::harness::state::{Content, Entry};
use crate::harness::text;

/// `%(objectname) %(refname) %(symref)` lines → refname → id (symbolic refs left out).
fn parse_refs(listing: &[u8]) -> BTreeMap<String, String> {
    let mut refs = BTreeMap::new();
    for line in text::lines(listing) {
        let line = String::from_utf8_lossy(line);
        let mut fields = line.splitn(3, ' ');
        let (Some(id), Some(name), symref) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if symref.is_some_and(|s| !s.is_empty()) {
            continue;
        }
        refs.insert(name.to_owned(), id.to_owned());
    }
    refs
}

fn short_name(refname: &str) -> &str {
    ["refs/heads/", "refs/tags/", "refs/remotes/"]
        .iter()
        .find_map(|prefix| refname.strip_prefix(prefix))
        .unwrap_or(refname)
}

fn view<'a>(state: &'a crate::harness::state::RepoState, label: &str) -> &'a [u8] {
    state
        .views
        .iter()
        .find(|v| v.label == label && v.exit_code == 0)
        .map_or(&[][..], |v| v.stdout.as_slice())
}

fn trimmed(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_owned()
}

pub fn collect(query: &GitQuery<'_>) -> Result<Vec<Fact>, String> {
    let mut facts = Vec::new();
    let short = |id: &str| -> Result<String, String> {
        Ok(trimmed(&query.run(&["rev-parse", "--short", id])?))
    };
    let line_with = |parts: &[&str]| {
        let mut pattern = LinePattern::new("");
        for part in parts {
            pattern = pattern.with(part.as_bytes().to_vec());
        }
        Fact::Matching(pattern)
    };

    // HEAD's id before and after (empty when unborn or outside a repository).
    let id_before = trimmed(view(query.before, "HEAD (id)"));
    let id_after = query
        .run(&["rev-parse", "-q", "--verify", "HEAD"])
        .map(|out| trimmed(&out))
        .unwrap_or_default();

    if query.exit_code == 0 {
        let before = parse_refs(view(query.before, "refs"));
        let after = parse_refs(&query.run(&[
            "for-each-ref",
            "--format=%(objectname) %(refname) %(symref)",
        ])?);
        let names: std::collections::BTreeSet<&String> =
            before.keys().chain(after.keys()).collect();
        for name in names {
            if name == "refs/stash" {
                continue;
            }
            let label = short_name(name);
            match (before.get(name), after.get(name)) {
                (None, Some(new)) => facts.push(line_with(&[label, &short(new)?])),
                (Some(old), None) => facts.push(line_with(&[label, &short(old)?])),
                (Some(old), Some(new)) if old != new => {
                    facts.push(line_with(&[label, &short(new)?]))
                }
                _ => {}
            }
        }

        let head_before = trimmed(view(query.before, "HEAD (symbolic)"));
        let head_after = query
            .run(&["symbolic-ref", "-q", "HEAD"])
            .map(|out| trimmed(&out))
            .unwrap_or_default();
        if head_after != head_before && !head_after.is_empty() {
            facts.push(line_with(&["HEAD", short_name(&head_after)]));
        } else if head_after.is_empty() && !id_after.is_empty() && id_after != id_before {
            facts.push(line_with(&["HEAD", &short(&id_after)?]));
        }
        if query.case.spec.command == GitCommand::Commit && id_after != id_before {
            let subject = trimmed(&query.run(&["log", "-1", "--format=%s"])?);
            facts.push(line_with(&[&short(&id_after)?, &subject]));
        }

        let stash_count = |listing: &[u8]| text::lines(listing).len();
        let stash_after = query.run(&["stash", "list", "--format=%H"])?;
        // The stash reflog of the fixture as built (a repository at `repo/`).
        let stash_before = match query
            .before
            .files
            .get(b"repo/.git/logs/refs/stash".as_slice())
        {
            Some(Entry::File {
                content: Content::Bytes(bytes),
                ..
            }) => bytes.as_slice(),
            _ => &[],
        };
        if stash_count(&stash_after) > stash_count(stash_before) {
            facts.push(Fact::Contains(b"stash@{0}".to_vec()));
        }
    }

    // Conflicted paths, as `git status --short` spells them. Where git finds no repository (the
    // command failed for that reason) there are none.
    let Ok(status) = query.run(crate::harness::state::STAGED_STATUS) else {
        return Ok(facts);
    };
    // Staging changes: a path newly staged appears as `X path`; one no longer staged (HEAD
    // unmoved) appears by name. `commit` reports the commit instead, `stash` the entry it saved.
    let command = query.case.spec.command;
    if query.exit_code == 0 && !matches!(command, GitCommand::Commit | GitCommand::Stash) {
        let staged = |listing: &[u8]| -> Vec<Vec<u8>> {
            text::lines(listing)
                .into_iter()
                .filter(|line| line.len() > 3 && !matches!(line[0], b' ' | b'?' | b'!' | b'U'))
                .filter(|line| !matches!(&line[..2], b"DD" | b"AA"))
                .map(|line| {
                    let mut entry = vec![line[0], b' '];
                    entry.extend_from_slice(&line[3..]);
                    entry
                })
                .collect()
        };
        let before = staged(view(query.before, "staged"));
        let after = staged(&status);
        // Up to five paths are listed; more are counted (docs/output.md).
        const LISTED: usize = 5;
        let newly: Vec<&Vec<u8>> = after.iter().filter(|e| !before.contains(e)).collect();
        if newly.len() > LISTED {
            facts.push(Fact::Contains(
                format!("staged: {} paths (", newly.len()).into_bytes(),
            ));
        } else {
            facts.extend(newly.into_iter().map(|entry| Fact::Contains(entry.clone())));
        }
        if id_before == id_after {
            let gone: Vec<&[u8]> = before
                .iter()
                .map(|entry| &entry[2..])
                .filter(|path| !after.iter().any(|e| &e[2..] == *path))
                .collect();
            if gone.len() > LISTED {
                facts.push(Fact::Contains(
                    format!("unstaged: {} paths", gone.len()).into_bytes(),
                ));
            } else {
                facts.extend(gone.into_iter().map(|path| Fact::Contains(path.to_vec())));
            }
        }
    }
    for line in text::lines(&status) {
        let code = line.get(..2).unwrap_or_default();
        if [b"DD", b"AU", b"UD", b"UA", b"DU", b"AA", b"UU"]
            .iter()
            .any(|c| c.as_slice() == code)
        {
            facts.push(Fact::Contains(line.to_vec()));
        }
    }
    Ok(facts)
}
