//! Opening the repository the way git does for an external command.
//!
//! git has already applied `-C` (the working directory), `--git-dir`/`--work-tree` (`GIT_DIR`,
//! `GIT_WORK_TREE`) and `-c` (`GIT_CONFIG_PARAMETERS`) before it runs a plugin. gix honours the first
//! three; `GIT_CONFIG_PARAMETERS` is parsed here and applied as command-line overrides.

use anyhow::Context as _;

use crate::failure::{Decline, GitFailure};

/// Opens the repository for the current directory and environment.
///
/// Returns [`GitFailure`] only where git's wording is certain; every other failure (dubious
/// ownership, a `GIT_DIR` that is not a repository, a filesystem boundary) is a [`Decline`], so
/// the plugin lets git report it verbatim.
pub fn open() -> anyhow::Result<gix::Repository> {
    let overrides = config_parameters_from_env()
        .map_err(|err| Decline::new(format!("GIT_CONFIG_PARAMETERS: {err:#}")))?;
    let options = gix::open::Options::default()
        .cli_overrides(overrides)
        // git refuses repositories owned by someone else unless `safe.directory` allows them.
        .bail_if_untrusted(true);
    let trust_map = gix::sec::trust::Mapping {
        full: options.clone(),
        reduced: options,
    };
    let git_dir_set = std::env::var_os("GIT_DIR").is_some();
    match gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
        ".",
        Default::default(),
        trust_map,
    ) {
        Ok(repo) => {
            let mut repo = repo.to_thread_local();
            // A plugin run reads a fixed object database. Without this, every abbreviation
            // (`Id::shorten`) rescans the pack directory: 50 log lines cost 50 rescans.
            repo.objects.refresh_never();
            if git_dir_set && !work_tree_is_git_s(&repo) {
                return Err(Decline::new(
                    "GIT_DIR without GIT_WORK_TREE: git takes the current directory as the work tree",
                )
                .into());
            }
            Ok(repo)
        }
        Err(err) => {
            let nothing_found = matches!(
                err.downcast_any_ref::<gix::discover::upwards::Error>(),
                Some(
                    gix::discover::upwards::Error::NoGitRepository { .. }
                        | gix::discover::upwards::Error::NoGitRepositoryWithinCeiling { .. }
                )
            );
            if nothing_found && !git_dir_set {
                return Err(GitFailure::fatal(
                    "not a git repository (or any of the parent directories): .git",
                )
                .into());
            }
            Err(Decline::new(format!("opening the repository: {err}")).into())
        }
    }
}

/// With `GIT_DIR` set and neither `GIT_WORK_TREE` nor `core.worktree`, git uses the current
/// directory as the top of the work tree; the native path agrees only when that is gix's choice too.
fn work_tree_is_git_s(repo: &gix::Repository) -> bool {
    if std::env::var_os("GIT_WORK_TREE").is_some()
        || repo.config_snapshot().string("core.worktree").is_some()
        || repo.is_bare()
    {
        return true;
    }
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| gix::path::realpath(d).ok());
    let workdir = repo.workdir().and_then(|d| gix::path::realpath(d).ok());
    cwd.is_some() && cwd == workdir
}

/// The reference named exactly `name` (no DWIM: `try_find_reference` would also accept a
/// shortened name that happens to resolve).
pub fn find_exact_reference<'repo>(
    repo: &'repo gix::Repository,
    name: &gix::refs::FullNameRef,
) -> anyhow::Result<Option<gix::Reference<'repo>>> {
    let found = repo
        .try_find_reference(name.as_bstr())
        .with_context(|| format!("looking up {}", name.as_bstr()))?;
    Ok(found.filter(|reference| reference.name() == name))
}

/// The current directory relative to the work tree (`""` at the top or without a work tree).
pub fn prefix(repo: &gix::Repository) -> anyhow::Result<String> {
    Ok(repo
        .prefix()?
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default())
}

/// Opens the repository and requires a work tree, as git's `NEED_WORK_TREE` commands do.
pub fn open_with_worktree() -> anyhow::Result<gix::Repository> {
    let repo = open()?;
    if repo.workdir().is_none() {
        return Err(
            Decline::new("bare repository: git reports the missing work tree itself").into(),
        );
    }
    Ok(repo)
}

/// Parses `GIT_CONFIG_PARAMETERS`: a space-separated list of single-quoted words, either
/// `'key=value'` (older git) or `'key'='value'` / `'key'=` (no value: implicit true).
fn config_parameters_from_env() -> anyhow::Result<Vec<gix::bstr::BString>> {
    let Some(raw) = std::env::var_os("GIT_CONFIG_PARAMETERS") else {
        return Ok(Vec::new());
    };
    let raw = raw
        .into_string()
        .map_err(|_| anyhow::anyhow!("not valid UTF-8"))?;
    parse_config_parameters(&raw)
}

pub(crate) fn parse_config_parameters(raw: &str) -> anyhow::Result<Vec<gix::bstr::BString>> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let key = single_quoted(&mut chars)?;
        if chars.peek() == Some(&'=') {
            chars.next();
            if chars.peek() == Some(&'\'') {
                let value = single_quoted(&mut chars)?;
                out.push(format!("{key}={value}").into());
            } else {
                // `'key'=` with nothing after it: a key given without a value.
                out.push(key.into());
            }
        } else {
            out.push(key.into());
        }
    }
}

/// Reads one shell single-quoted word, joining `'\''` escapes as `sq_quote` writes them.
fn single_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> anyhow::Result<String> {
    let mut word = String::new();
    loop {
        match chars.next() {
            Some('\'') => {}
            other => anyhow::bail!("expected a quote, found {other:?}"),
        }
        loop {
            match chars.next() {
                Some('\'') => break,
                Some(c) => word.push(c),
                None => anyhow::bail!("unterminated quote"),
            }
        }
        // `\'` followed by a new quoted run continues the same word.
        if chars.peek() == Some(&'\\') {
            chars.next();
            match chars.next() {
                Some(c) => word.push(c),
                None => anyhow::bail!("dangling backslash"),
            }
            if chars.peek() != Some(&'\'') {
                return Ok(word);
            }
        } else {
            return Ok(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_config_parameters;

    #[test]
    fn both_generations_of_git_config_parameters_are_understood() {
        let parsed = parse_config_parameters(r"'a.b'='c d' 'x.y'= 'old.form=v' 'q.r'='it'\''s'")
            .expect("valid");
        let parsed: Vec<String> = parsed.iter().map(|b| b.to_string()).collect();
        assert_eq!(parsed, ["a.b=c d", "x.y", "old.form=v", "q.r=it's"]);
    }
}
