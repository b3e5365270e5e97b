//! Diff facts, shared by `diff` and the diff part of `show`.
//!
//! Patch form: the `+`/`-` lines (file headers excluded) and `\ No newline at end of file` lines of
//! real git's patch with the same arguments — for `diff` exactly these, in git's order; for `show`
//! each of them (its message may hold such lines too). With `-U<n>`, git's hunk headers and context
//! lines as well. One header line per file from `--raw` and `--numstat`: status and path(s), mode
//! change, `new mode`, `binary`, `submodule`, spelt as docs/output.md says.
//! Summary forms: `--numstat`, `--name-only` and `--name-status` lines verbatim, in git's order;
//! `--stat` as `path +A -D` per file from `--numstat`, plus git's `--shortstat` summary.

use super::args;
use super::{whole_lines, Fact, GitQuery, LinePattern, Selector};
use crate::harness::text;

/// Summary forms that replace the patch.
const SUMMARY_FORMS: [&str; 5] = [
    "--stat",
    "--numstat",
    "--shortstat",
    "--name-only",
    "--name-status",
];

fn summary_form(arg: &str) -> Option<&'static str> {
    SUMMARY_FORMS
        .iter()
        .copied()
        .find(|form| args::is_long(arg, form))
}

/// How the facts are taken for one command.
pub struct DiffSource<'a> {
    /// The query prefix: `["diff"]`, or `["show", "--format="]` so only the diff is printed.
    pub prefix: &'a [&'a str],
    /// `diff` prints nothing but the diff, so its changed lines must match git's exactly; `show`
    /// also prints the message, whose lines may start with `+` or `-`.
    pub exact: bool,
}

impl DiffSource<'_> {
    /// git's output for this source's command with `options`, then `args`.
    fn run(
        &self,
        query: &GitQuery<'_>,
        options: &[&str],
        args: &[String],
    ) -> Result<Vec<u8>, String> {
        query.run(&args::command(&[self.prefix, options].concat(), args))
    }
}

pub fn collect(query: &GitQuery<'_>, case_args: &[String]) -> Result<Vec<Fact>, String> {
    facts_for(
        query,
        &DiffSource {
            prefix: &["diff"],
            exact: true,
        },
        case_args,
    )
}

pub fn facts_for(
    query: &GitQuery<'_>,
    source: &DiffSource<'_>,
    case_args: &[String],
) -> Result<Vec<Fact>, String> {
    let forms: Vec<&'static str> = case_args
        .iter()
        .take_while(|arg| *arg != "--")
        .filter_map(|arg| summary_form(arg))
        .collect();
    if forms.is_empty() {
        if args::has(case_args, |arg| arg == "-s" || arg == "--no-patch") {
            return Ok(Vec::new());
        }
        return patch_facts(query, source, case_args);
    }
    let rest = args::without(case_args, |arg| summary_form(arg).is_some());
    let mut facts = Vec::new();
    for form in &forms {
        match *form {
            "--numstat" | "--name-only" | "--name-status" => {
                let output = source.run(query, &[form], &rest)?;
                let lines: Vec<&[u8]> = text::lines(&output)
                    .into_iter()
                    .filter(|line| !line.is_empty())
                    .collect();
                facts.push(Fact::LinesInOrder(
                    lines.iter().map(|line| line.to_vec()).collect(),
                ));
                if source.exact && forms.len() == 1 {
                    facts.push(Fact::LineCount {
                        selector: Selector::NonEmpty,
                        expected: lines.len(),
                    });
                }
            }
            "--stat" => {
                let numstat = source.run(query, &["--numstat"], &rest)?;
                for (added, removed, path) in
                    text::lines(&numstat).into_iter().filter_map(numstat_record)
                {
                    let pattern = LinePattern::new(path);
                    facts.push(Fact::Matching(if added == b"-" && removed == b"-" {
                        pattern.with("binary")
                    } else {
                        // docs/output.md: a zero count is left out unless both are.
                        let both_zero = added == b"0" && removed == b"0";
                        let shown = |count: &[u8], sign: &[u8]| {
                            (count != b"0" || both_zero).then(|| [b" ", sign, count].concat())
                        };
                        let mut pattern = pattern;
                        for part in [shown(added, b"+"), shown(removed, b"-")]
                            .into_iter()
                            .flatten()
                        {
                            pattern = pattern.with(part);
                        }
                        for (count, sign) in [(added, b"+"), (removed, b"-")] {
                            if count == b"0" && !both_zero {
                                pattern = pattern.without([b" ", sign.as_slice(), b"0"].concat());
                            }
                        }
                        pattern
                    }));
                }
            }
            _ => {}
        }
        // `--stat` ends with git's `--shortstat` summary.
        if matches!(*form, "--stat" | "--shortstat") {
            let output = source.run(query, &["--shortstat"], &rest)?;
            facts.extend(shortstat_facts(&output));
        }
    }
    Ok(facts)
}

fn shortstat_facts(output: &[u8]) -> Vec<Fact> {
    text::lines(output)
        .into_iter()
        .map(|line| line.trim_ascii())
        .filter(|line| !line.is_empty())
        .map(|line| Fact::Matching(LinePattern::new("").with(line)))
        .collect()
}

fn patch_facts(
    query: &GitQuery<'_>,
    source: &DiffSource<'_>,
    case_args: &[String],
) -> Result<Vec<Fact>, String> {
    let patch = source.run(query, &["--no-color", "--no-ext-diff"], case_args)?;
    let parsed = parse_patch(&patch);
    let mut facts = Vec::new();
    if source.exact {
        if patch.is_empty() {
            // git printed no diff at all: nothing to report means nothing printed.
            facts.push(Fact::Exactly(Vec::new()));
            return Ok(facts);
        }
        facts.push(Fact::SelectedLines {
            selector: Selector::DiffChange {
                columns: parsed.columns,
            },
            expected: parsed.changes.iter().map(|line| line.to_vec()).collect(),
        });
    } else {
        facts.extend(whole_lines(parsed.changes.iter().copied()));
    }
    if args::has(case_args, |arg| {
        arg.starts_with("-U") || args::is_long(arg, "--unified")
    }) {
        facts.extend(whole_lines(parsed.hunk_headers.iter().copied()));
        facts.extend(whole_lines(parsed.context.iter().copied()));
    } else {
        let zero_context = source.run(query, &["--no-color", "--no-ext-diff", "-U0"], case_args)?;
        let starts = compact_hunk_starts(&zero_context);
        if !starts.is_empty() {
            facts.push(Fact::InOrder(
                starts
                    .into_iter()
                    .map(|start| LinePattern::new([&b"@@ +"[..], &start, b" @@"].concat()))
                    .collect(),
            ));
        }
    }

    let without_patch = args::without(case_args, |arg| ["-p", "-u", "--patch"].contains(&arg));
    let raw = source.run(query, &["--raw", "--no-color"], &without_patch)?;
    let numstat = source.run(query, &["--numstat"], &without_patch)?;
    let raw_entries: Vec<&[u8]> = text::lines(&raw)
        .into_iter()
        .filter(|line| line.starts_with(b":"))
        .collect();
    let numstat_entries: Vec<_> = text::lines(&numstat)
        .into_iter()
        .filter_map(numstat_record)
        .collect();
    // Both list the same diff queue in the same order; only then can they be paired.
    let binary: Vec<bool> = if raw_entries.len() == numstat_entries.len() {
        numstat_entries
            .iter()
            .map(|(added, removed, _)| *added == b"-" && *removed == b"-")
            .collect()
    } else {
        vec![false; raw_entries.len()]
    };
    // An unmerged path appears twice in `--raw` (`U`, then its worktree change against stage 2);
    // one header per file, the `U` one, is what docs/output.md asks for.
    let is_unmerged = |entry: &[u8]| raw_status(entry) == Some(b"U".as_slice());
    let path_of = |entry: &[u8]| entry.splitn(2, |&b| b == b'\t').nth(1).map(<[u8]>::to_vec);
    let unmerged: Vec<Vec<u8>> = raw_entries
        .iter()
        .filter(|entry| is_unmerged(entry))
        .filter_map(|entry| path_of(entry))
        .collect();
    for (entry, is_binary) in raw_entries.into_iter().zip(binary) {
        if !is_unmerged(entry) && path_of(entry).is_some_and(|path| unmerged.contains(&path)) {
            continue;
        }
        if let Some(pattern) = header_pattern(entry, is_binary) {
            facts.push(Fact::Matching(pattern));
        }
    }
    Ok(facts)
}

/// `<added>\t<removed>\t<path>` (`-` for both when binary); `None` for any other line (a tag
/// header that `show` prints before the commit, say).
fn numstat_record(line: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let fields: Vec<&[u8]> = line.splitn(3, |&b| b == b'\t').collect();
    let [added, removed, path] = fields[..] else {
        return None;
    };
    let count =
        |field: &[u8]| field == b"-" || (!field.is_empty() && field.iter().all(u8::is_ascii_digit));
    (count(added) && count(removed)).then_some((added, removed, path))
}

/// The status field of a `--raw` entry (`M`, `R086`, `U`…).
fn raw_status(entry: &[u8]) -> Option<&[u8]> {
    let tab = entry.iter().position(|&b| b == b'\t')?;
    entry[..tab].rsplit(|&b| b == b' ').next()
}

/// The header line for one `--raw` entry: `:<old mode> <new mode> <old id> <new id> <status>\t<path>[\t<new path>]`.
/// Combined-diff entries (`::…`, merges) have no single status and are left to the line facts.
fn header_pattern(entry: &[u8], is_binary: bool) -> Option<LinePattern> {
    if entry.starts_with(b"::") {
        return None;
    }
    let tab = entry.iter().position(|&b| b == b'\t')?;
    let meta: Vec<&[u8]> = entry[1..tab].split(|&b| b == b' ').collect();
    let [old_mode, new_mode, _, _, status] = meta[..] else {
        return None;
    };
    let paths: Vec<&[u8]> = entry[tab + 1..].split(|&b| b == b'\t').collect();
    let shown_path = match paths[..] {
        [path] => path.to_vec(),
        [from, to] => [from, b" -> ", to].concat(),
        _ => return None,
    };
    let mut pattern = LinePattern::new([status, b" "].concat()).with(shown_path);
    let absent = b"000000".as_slice();
    if old_mode != absent && new_mode != absent && old_mode != new_mode {
        pattern = pattern.with([b"mode ", old_mode, b" -> ", new_mode].concat());
    }
    if old_mode == absent && new_mode != absent && new_mode != b"100644" && new_mode != b"160000" {
        pattern = pattern.with([b"new mode ", new_mode].concat());
    }
    if old_mode == b"160000" || new_mode == b"160000" {
        pattern = pattern.with("submodule");
    }
    if is_binary {
        pattern = pattern.with("binary");
    }
    Some(pattern)
}

/// The new-side start of every hunk git prints with `-U0`, as the compact header spells it
/// (docs/output.md: `@@ +<start> @@`), in order. Files added or deleted whole (a type change is
/// one of each) are printed without hunk headers, so their hunks are left out.
fn compact_hunk_starts(patch: &[u8]) -> Vec<Vec<u8>> {
    let mut starts = Vec::new();
    let mut whole_file = false;
    for line in text::lines(patch) {
        if line.starts_with(b"diff --git ") || line.starts_with(b"diff --cc ") {
            whole_file = false;
        } else if line.starts_with(b"new file mode ") || line.starts_with(b"deleted file mode ") {
            whole_file = true;
        } else if let (false, Some(header)) = (whole_file, line.strip_prefix(b"@@ -")) {
            // `@@ -a[,b] +c[,d] @@`: the new side's start, `c`.
            let new_side = header
                .split(|&b| b == b' ')
                .nth(1)
                .and_then(|side| side.strip_prefix(b"+"));
            if let Some(side) = new_side {
                starts.push(side.split(|&b| b == b',').next().unwrap_or(side).to_vec());
            }
        }
    }
    starts
}

/// What a patch says, line by line.
#[derive(Debug, Default)]
pub struct ParsedPatch<'a> {
    /// `+`/`-` lines inside hunks (and combined-diff lines with a `+`/`-` column), plus
    /// `\ No newline at end of file`.
    pub changes: Vec<&'a [u8]>,
    pub hunk_headers: Vec<&'a [u8]>,
    pub context: Vec<&'a [u8]>,
    /// Marker columns of the widest hunk: 1, or the number of parents of a combined diff.
    pub columns: usize,
}

/// Parses git's patch output. File headers (`diff --git`, `index`, `--- a/…`, `+++ b/…`, mode
/// lines, `Binary files … differ`) sit between a `diff ` line and the first hunk; everything before
/// the first `diff ` line (a commit or tag header) is ignored.
pub fn parse_patch(patch: &[u8]) -> ParsedPatch<'_> {
    enum Where {
        Outside,
        FileHeader,
        /// Inside a hunk with this many parent columns (1, or more for a combined diff).
        Hunk(usize),
    }
    let mut parsed = ParsedPatch::default();
    let mut at = Where::Outside;
    for line in text::lines(patch) {
        if line.starts_with(b"diff ") {
            at = Where::FileHeader;
            continue;
        }
        if line.starts_with(b"@@") && !matches!(at, Where::Outside) {
            let ats = line.iter().take_while(|&&b| b == b'@').count();
            parsed.hunk_headers.push(line);
            let columns = ats.saturating_sub(1).max(1);
            parsed.columns = parsed.columns.max(columns);
            at = Where::Hunk(columns);
            continue;
        }
        let Where::Hunk(columns) = at else {
            continue;
        };
        if line.starts_with(b"\\ ") {
            parsed.changes.push(line);
            continue;
        }
        let marks = &line[..columns.min(line.len())];
        if line.is_empty() || !marks.iter().all(|b| matches!(b, b' ' | b'+' | b'-')) {
            at = Where::Outside;
            continue;
        }
        if marks.iter().any(|&b| b == b'+' || b == b'-') {
            parsed.changes.push(line);
        } else {
            parsed.context.push(line);
        }
    }
    parsed
}
