//! Reading a case's arguments: which are options (before `--`), and rewriting them for a fact query.

/// The arguments before `--` (the only place options can be).
fn option_zone(args: &[String]) -> &[String] {
    let end = args
        .iter()
        .position(|arg| arg == "--")
        .unwrap_or(args.len());
    &args[..end]
}

/// `args` without the options (before `--`) that `drop` selects.
pub fn without(args: &[String], drop: impl Fn(&str) -> bool) -> Vec<String> {
    let zone = option_zone(args).len();
    args.iter()
        .enumerate()
        .filter(|(index, arg)| *index >= zone || !(arg.starts_with('-') && drop(arg)))
        .map(|(_, arg)| arg.clone())
        .collect()
}

/// Whether an option before `--` satisfies `test`.
pub fn has(args: &[String], test: impl Fn(&str) -> bool) -> bool {
    option_zone(args)
        .iter()
        .any(|arg| arg.starts_with('-') && test(arg))
}

/// `--name` or `--name=<value>` for any of `names`.
pub fn is_any_long(arg: &str, names: &[&str]) -> bool {
    names.iter().any(|name| is_long(arg, name))
}

/// `--name` or `--name=<value>`.
pub fn is_long(arg: &str, name: &str) -> bool {
    arg == name
        || arg
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('='))
}

/// Arguments before `--` that are not options: revisions for `show`, names for `branch`.
pub fn positionals(args: &[String]) -> Vec<String> {
    option_zone(args)
        .iter()
        .filter(|arg| !arg.starts_with('-'))
        .cloned()
        .collect()
}

/// Arguments after `--`.
pub fn pathspecs(args: &[String]) -> Vec<String> {
    match args.iter().position(|arg| arg == "--") {
        Some(at) => args[at + 1..].to_vec(),
        None => Vec::new(),
    }
}

/// A cluster of single-letter flags made only of `letters` (`-sb`).
pub fn is_flag_cluster(arg: &str, letters: &str) -> bool {
    arg.strip_prefix('-').is_some_and(|flags| {
        !flags.is_empty() && !flags.starts_with('-') && flags.chars().all(|c| letters.contains(c))
    })
}

/// `prefix` followed by `rest`, as one argument list for a query.
pub fn command(prefix: &[&str], rest: &[String]) -> Vec<String> {
    prefix
        .iter()
        .map(|arg| (*arg).to_owned())
        .chain(rest.iter().cloned())
        .collect()
}
