//! The library's modules import each other without cycles: following `crate::`/`super::` paths
//! from module to module never leads back to where it started. A parent using its own children
//! is structure, not a cycle, so those edges are left out; a child using its parent counts.
//!
//! Every stdout write of the library goes through the broken-pipe-safe writer (`crate::finish`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`commands::status`, `` for the crate root) → its file.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(src)
                .expect("under src")
                .with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            out.insert(parts.join("::"), path);
        }
    }
    out
}

/// The code of a file without comments and without its `#[cfg(test)] mod tests`.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source");
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Paths named in `code` as `crate::a::b` or `super::a`, `use` groups expanded, relative to
/// `module`.
fn named_paths(code: &str, module: &str) -> Vec<Vec<String>> {
    let own: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(str::to_owned).collect()
    };
    let mut out = Vec::new();
    for anchor in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(anchor) {
            let before = rest[..at].chars().last();
            rest = &rest[at + anchor.len()..];
            if before.is_some_and(is_ident) {
                continue;
            }
            let mut base: Vec<String> = if anchor == "crate::" {
                Vec::new()
            } else {
                own[..own.len().saturating_sub(1)].to_vec()
            };
            let path: String = rest
                .chars()
                .take_while(|c| is_ident(*c) || *c == ':')
                .collect();
            let mut words: Vec<String> = path
                .split("::")
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
            while words.first().is_some_and(|w| w == "super") {
                words.remove(0);
                base.pop();
            }
            base.extend(words);
            let after = &rest[path.len()..];
            if (path.is_empty() || path.ends_with("::")) && after.starts_with('{') {
                let group: String = after[1..].chars().take_while(|c| *c != '}').collect();
                for item in group.split(',') {
                    let item = item.trim().split([' ', ':']).next().unwrap_or("");
                    if item.is_empty() || item == "self" {
                        continue;
                    }
                    let mut full = base.clone();
                    full.push(item.to_owned());
                    out.push(full);
                }
            }
            out.push(base);
        }
    }
    out
}

#[test]
fn library_modules_import_each_other_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let resolve = |path: &[String]| -> Option<String> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].join("::"))
            .find(|m| modules.contains_key(m))
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &modules {
        let code = code(file);
        let mut paths = named_paths(&code, module);
        // `use crate::commands;` then `commands::status::COMMAND`: follow the alias.
        let aliases: Vec<Vec<String>> = paths
            .iter()
            .filter(|p| modules.contains_key(&p.join("::")))
            .cloned()
            .collect();
        for alias in aliases {
            let Some(name) = alias.last() else { continue };
            let anchor = format!("{name}::");
            let mut rest = code.as_str();
            while let Some(at) = rest.find(&anchor) {
                let before = rest[..at].chars().last();
                rest = &rest[at + anchor.len()..];
                if before.is_some_and(|c| is_ident(c) || c == ':') {
                    continue;
                }
                let tail: String = rest
                    .chars()
                    .take_while(|c| is_ident(*c) || *c == ':')
                    .collect();
                let mut full = alias.clone();
                full.extend(
                    tail.split("::")
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned),
                );
                paths.push(full);
            }
        }
        for path in paths {
            let Some(target) = resolve(&path) else {
                continue;
            };
            let own_child = module.is_empty() || target.starts_with(&format!("{module}::"));
            if target != *module && !own_child {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    // A cycle is a path back to the start: depth-first search from every module.
    let mut cycles = Vec::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let mut cycle = trail.clone();
                    cycle.push(start.clone());
                    cycles.push(cycle.join(" → "));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles:\n  {}",
        cycles.join("\n  ")
    );
}

#[test]
fn stdout_is_written_only_through_the_broken_pipe_safe_writer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for (module, file) in modules(&src) {
        let code = code(&file);
        for needle in [
            "println!",
            "print!(",
            "io::stdout().lock()",
            "io::stdout().write",
        ] {
            let found = code.match_indices(needle).any(|(at, _)| {
                !code[..at].ends_with('e') // eprintln!, eprint!
            });
            if found && module != "finish" {
                offenders.push(format!("{module}: {needle}"));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}
