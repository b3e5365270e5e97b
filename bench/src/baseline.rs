//! The spawn-and-filter baseline: what tools before git-rtk do. Spawn git with a machine-readable
//! flag, read its output, and filter it into the compact form of docs/output.md in this process.
//!
//! It exists to price the spawn: a plugin that only matched this would save tokens but not time.
//! The filters are deliberately straightforward (one pass, no allocation tricks); their output
//! follows the plugin formats closely enough for its token count to be comparable.

use std::fmt::Write as _;

/// A git invocation and the filter applied to its stdout.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub git_args: Vec<String>,
    pub filter: fn(&str) -> String,
}

impl Baseline {
    fn new(args: &[&str], filter: fn(&str) -> String) -> Self {
        Baseline {
            git_args: args.iter().map(|a| (*a).to_owned()).collect(),
            filter,
        }
    }

    pub fn status() -> Self {
        Baseline::new(&["status", "--porcelain=v1", "-b"], status)
    }

    /// `log -n <n>` (or the whole history, windowed to 50 like the plugin, when `n` is `None`).
    pub fn log(n: Option<usize>) -> Self {
        let format = "--format=%h%x1f%ad%x1f%an%x1f%D%x1f%s";
        match n {
            Some(n) => Baseline {
                git_args: vec![
                    "log".into(),
                    "-n".into(),
                    n.to_string(),
                    format.into(),
                    "--date=short".into(),
                ],
                filter: log,
            },
            None => Baseline::new(&["log", format, "--date=short"], log_windowed),
        }
    }

    pub fn diff(cached: bool) -> Self {
        let mut args = vec!["diff", "--no-color", "--no-ext-diff", "-U0"];
        if cached {
            args.push("--cached");
        }
        Baseline::new(&args, diff)
    }

    pub fn show_head() -> Self {
        Baseline::new(
            &[
                "show",
                "--no-color",
                "--no-ext-diff",
                "-U0",
                "--date=short",
                "--format=%h%x1f%D%x1f%an%x1f%ae%x1f%ad%x1f%B%x1e",
                "HEAD",
            ],
            show,
        )
    }

    pub fn branch_vv() -> Self {
        Baseline::new(
            &[
                "for-each-ref",
                "--format=%(HEAD)%1f%(refname:short)%1f%(objectname:short)%1f%(upstream:short)%1f%(upstream:track,nobracket)%1f%(contents:subject)",
                "refs/heads/",
            ],
            branch,
        )
    }
}

/// `git status --porcelain=v1 -b` → `## branch…` then `XY path` lines, or `clean`.
fn status(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut entries = 0;
    for line in text.lines() {
        if line.starts_with("## ") {
            out.push_str(line);
            out.push('\n');
        } else if line.len() > 3 {
            let (xy, path) = line.split_at(2);
            entries += 1;
            let _ = writeln!(out, "{xy} {}", path.trim_start());
        }
    }
    if entries == 0 {
        out.push_str("clean\n");
    }
    out
}

/// The first `N` fields of a record git printed with `%x1f` (␟) between them; a field the
/// record lacks is empty.
fn unit_fields<const N: usize>(record: &str) -> [&str; N] {
    let mut fields = record.split('\x1f');
    std::array::from_fn(|_| fields.next().unwrap_or(""))
}

/// `%h␟%ad␟%an␟%D␟%s` → `<id> <date> <author> (<decorations>) <subject>`.
fn log(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        log_line(&mut out, line);
    }
    out
}

fn log_line(out: &mut String, line: &str) {
    let [id, date, author, decorations, subject] = unit_fields(line);
    if decorations.is_empty() {
        let _ = writeln!(out, "{id} {date} {author} {subject}");
    } else {
        let _ = writeln!(out, "{id} {date} {author} ({decorations}) {subject}");
    }
}

/// The whole history, shown as the plugin does without `-n`: 50 commits and a line saying how to
/// see the rest.
fn log_windowed(text: &str) -> String {
    const WINDOW: usize = 50;
    let mut out = String::new();
    let mut total = 0;
    for line in text.lines() {
        if total < WINDOW {
            log_line(&mut out, line);
        }
        total += 1;
    }
    if total > WINDOW {
        let _ = writeln!(
            out,
            "[{} more commits: git rtk-log -n {total}]",
            total - WINDOW
        );
    }
    out
}

/// Header facts of one file in a `git diff` patch.
#[derive(Default)]
struct FileHeader {
    status: char,
    path: String,
    rename_from: Option<String>,
    rename_to: Option<String>,
    similarity: Option<String>,
    old_mode: Option<String>,
    new_mode: Option<String>,
    new_file_mode: Option<String>,
    binary: bool,
}

impl FileHeader {
    fn render(&self, out: &mut String) {
        let mut line = String::new();
        match (&self.rename_from, &self.rename_to) {
            (Some(from), Some(to)) => {
                let sim = self.similarity.as_deref().unwrap_or("100");
                let _ = write!(line, "{}{sim:0>3} {from} -> {to}", self.status);
            }
            _ => {
                let _ = write!(line, "{} {}", self.status, self.path);
            }
        }
        let mut extras = Vec::new();
        if let (Some(old), Some(new)) = (&self.old_mode, &self.new_mode) {
            extras.push(format!("mode {old} -> {new}"));
        }
        if let Some(mode) = self.new_file_mode.as_deref().filter(|m| *m != "100644") {
            extras.push(format!("new mode {mode}"));
        }
        if self.binary {
            extras.push("binary".into());
        }
        if !extras.is_empty() {
            let _ = write!(line, " ({})", extras.join(", "));
        }
        out.push_str(&line);
        out.push('\n');
    }
}

/// A `git diff -U0` patch → one header line per file, then its hunks unchanged.
fn diff(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    let mut header: Option<FileHeader> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("diff --git ") {
            if let Some(h) = header.take() {
                h.render(&mut out);
            }
            let path = rest.split_once(" b/").map_or(rest, |(_, b)| b).to_owned();
            header = Some(FileHeader {
                status: 'M',
                path,
                ..FileHeader::default()
            });
            continue;
        }
        let Some(h) = header.as_mut() else {
            // Inside hunks: every line is kept as git printed it.
            out.push_str(line);
            out.push('\n');
            continue;
        };
        if let Some(mode) = line.strip_prefix("new file mode ") {
            h.status = 'A';
            h.new_file_mode = Some(mode.to_owned());
        } else if line.starts_with("deleted file mode ") {
            h.status = 'D';
        } else if let Some(mode) = line.strip_prefix("old mode ") {
            h.old_mode = Some(mode.to_owned());
        } else if let Some(mode) = line.strip_prefix("new mode ") {
            h.new_mode = Some(mode.to_owned());
        } else if let Some(sim) = line.strip_prefix("similarity index ") {
            h.similarity = Some(sim.trim_end_matches('%').to_owned());
        } else if let Some(from) = line.strip_prefix("rename from ") {
            h.status = 'R';
            h.rename_from = Some(from.to_owned());
        } else if let Some(to) = line.strip_prefix("rename to ") {
            h.rename_to = Some(to.to_owned());
        } else if let Some(from) = line.strip_prefix("copy from ") {
            h.status = 'C';
            h.rename_from = Some(from.to_owned());
        } else if let Some(to) = line.strip_prefix("copy to ") {
            h.rename_to = Some(to.to_owned());
        } else if line.starts_with("Binary files ") {
            h.binary = true;
        } else if line.starts_with("@@") {
            if let Some(h) = header.take() {
                h.render(&mut out);
            }
            out.push_str(line);
            out.push('\n');
        }
        // `index …`, `--- a/…` and `+++ b/…` carry nothing the header line lacks.
    }
    if let Some(h) = header.take() {
        h.render(&mut out);
    }
    out
}

/// `%h␟%D␟%an␟%ae␟%ad␟%B␞` followed by the patch → the plugin's show layout.
fn show(text: &str) -> String {
    let (head, patch) = text.split_once('\x1e').unwrap_or((text, ""));
    let [id, decorations, name, email, date, body] = unit_fields(head);
    let mut out = String::with_capacity(text.len() / 2);
    if decorations.is_empty() {
        let _ = writeln!(out, "{id} {name} {email} {date}");
    } else {
        let _ = writeln!(out, "{id} ({decorations}) {name} {email} {date}");
    }
    out.push_str(body.trim_end());
    out.push_str("\n\n");
    out.push_str(&diff(patch.trim_start_matches('\n')));
    out
}

/// `%(HEAD)␟name␟id␟upstream␟track␟subject` → `* main 1a2b3c4 [origin/main: ahead 1] subject`.
fn branch(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let [head, name, id, upstream, track, subject] = unit_fields(line);
        let marker = if head == "*" { '*' } else { ' ' };
        let _ = write!(out, "{marker} {name} {id} ");
        match (upstream.is_empty(), track.is_empty()) {
            (true, _) => {}
            (false, true) => {
                let _ = write!(out, "[{upstream}] ");
            }
            (false, false) => {
                let _ = write!(out, "[{upstream}: {track}] ");
            }
        }
        out.push_str(subject);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_headers_follow_the_plugin_format() {
        let patch = "diff --git a/a.rs b/a.rs\nindex 1..2 100644\n--- a/a.rs\n+++ b/a.rs\n@@ -1 +1 @@ fn x\n-old\n+new\n\
diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n\
diff --git a/o.rs b/n.rs\nsimilarity index 100%\nrename from o.rs\nrename to n.rs\n\
diff --git a/new.rs b/new.rs\nnew file mode 100644\nindex 0..3\n--- /dev/null\n+++ b/new.rs\n@@ -0,0 +1 @@\n+hi\n";
        assert_eq!(
            diff(patch),
            "M a.rs\n@@ -1 +1 @@ fn x\n-old\n+new\nM run.sh (mode 100644 -> 100755)\nR100 o.rs -> n.rs\nA new.rs\n@@ -0,0 +1 @@\n+hi\n"
        );
    }

    #[test]
    fn status_of_a_clean_tree_says_clean() {
        assert_eq!(
            status("## main...origin/main\n"),
            "## main...origin/main\nclean\n"
        );
        assert_eq!(
            status("## main\n M a b.rs\n?? new/\n"),
            "## main\n M a b.rs\n?? new/\n"
        );
    }

    #[test]
    fn log_window_names_the_rest() {
        let line = "abc1234\x1f2024-01-01\x1fAda\x1f\x1fsubject\n";
        let out = log_windowed(&line.repeat(52));
        assert_eq!(out.lines().count(), 51);
        assert!(out.ends_with("[2 more commits: git rtk-log -n 52]\n"));
    }
}
