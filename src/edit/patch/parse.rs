//! Reading a unified diff: plain (`---`/`+++`/`@@`) and git's (`diff --git` with `new file`,
//! `deleted file`, `rename from`/`rename to`, `copy from`/`copy to`), with `-p` path stripping.

use bstr::ByteSlice as _;

/// One file's part of a patch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilePatch {
    /// The file before (`None` for a new file, `--- /dev/null`).
    pub old_path: Option<Vec<u8>>,
    /// The file after (`None` for a deleted file, `+++ /dev/null`).
    pub new_path: Option<Vec<u8>>,
    /// `rename from`/`rename to`: the old path goes away.
    pub rename: bool,
    /// `copy from`/`copy to`: the old path stays.
    pub copy: bool,
    /// A binary patch, which this tool does not apply.
    pub binary: bool,
    pub hunks: Vec<Hunk>,
}

impl FilePatch {
    /// The path this patch is named by in messages.
    pub fn display_path(&self) -> String {
        self.new_path
            .as_ref()
            .or(self.old_path.as_ref())
            .map(|p| p.to_str_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// One `@@` hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// The `@@ -a,b +c,d @@ …` line, for naming the hunk.
    pub header: String,
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<HunkLine>,
}

/// A hunk line; the bytes include the line terminator unless `\ No newline at end of file`
/// followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HunkLine {
    Context(Vec<u8>),
    Remove(Vec<u8>),
    Add(Vec<u8>),
}

impl HunkLine {
    fn bytes_mut(&mut self) -> &mut Vec<u8> {
        match self {
            HunkLine::Context(b) | HunkLine::Remove(b) | HunkLine::Add(b) => b,
        }
    }
}

/// The patch text itself is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("corrupt patch at line {line}: {reason}")]
pub struct PatchSyntaxError {
    pub line: usize,
    pub reason: String,
}

/// Parses `patch`, stripping `strip` leading components from paths as `patch -p` does.
pub fn parse(patch: &[u8], strip: usize) -> Result<Vec<FilePatch>, PatchSyntaxError> {
    let lines: Vec<&[u8]> = patch.lines_with_terminator().collect();
    let mut files: Vec<FilePatch> = Vec::new();
    // The current file patch, and whether it came from a `diff --git` line still waiting for
    // its `---`/`+++` pair.
    let mut current: Option<FilePatch> = None;
    let mut git_header_open = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let text = trim_newline(line);
        let error = |reason: &str| PatchSyntaxError {
            line: i + 1,
            reason: reason.to_owned(),
        };
        if let Some(rest) = text.strip_prefix(b"diff --git ") {
            files.extend(current.take());
            let (old, new) =
                git_header_paths(rest, strip).ok_or_else(|| error("unreadable diff --git line"))?;
            current = Some(FilePatch {
                old_path: Some(old),
                new_path: Some(new),
                ..FilePatch::default()
            });
            git_header_open = true;
        } else if text.starts_with(b"--- ")
            && lines
                .get(i + 1)
                .is_some_and(|next| next.starts_with(b"+++ "))
        {
            let old = header_path(&text[4..], strip).map_err(|reason| error(&reason))?;
            let new = header_path(trim_newline(&lines[i + 1][4..]), strip)
                .map_err(|reason| error(&reason))?;
            if !git_header_open {
                files.extend(current.take());
                current = Some(FilePatch::default());
            }
            git_header_open = false;
            if let Some(file) = current.as_mut() {
                file.old_path = old;
                file.new_path = new;
            }
            i += 1;
        } else if text.starts_with(b"@@ ") {
            let file = current
                .as_mut()
                .ok_or_else(|| error("hunk before any file header"))?;
            git_header_open = false;
            let (hunk, consumed) = parse_hunk(&lines[i..]).map_err(|reason| PatchSyntaxError {
                line: i + 1 + reason.0,
                reason: reason.1,
            })?;
            file.hunks.push(hunk);
            i += consumed;
            continue;
        } else if git_header_open {
            if let Some(file) = current.as_mut() {
                git_extended_header(text, file);
            }
        }
        // Anything else (a commit message, `index` lines, blank lines) is not part of a file.
        i += 1;
    }
    files.extend(current);
    Ok(files)
}

fn git_extended_header(text: &[u8], file: &mut FilePatch) {
    if let Some(from) = text.strip_prefix(b"rename from ") {
        file.old_path = Some(unquote(from));
        file.rename = true;
    } else if let Some(to) = text.strip_prefix(b"rename to ") {
        file.new_path = Some(unquote(to));
        file.rename = true;
    } else if let Some(from) = text.strip_prefix(b"copy from ") {
        file.old_path = Some(unquote(from));
        file.copy = true;
    } else if let Some(to) = text.strip_prefix(b"copy to ") {
        file.new_path = Some(unquote(to));
        file.copy = true;
    } else if text.starts_with(b"new file mode ") {
        file.old_path = None;
    } else if text.starts_with(b"deleted file mode ") {
        file.new_path = None;
    } else if text.starts_with(b"GIT binary patch")
        || (text.starts_with(b"Binary files ") && text.ends_with(b" differ"))
    {
        file.binary = true;
    }
}

/// Parses one hunk starting at its `@@` line; returns it and the number of lines consumed.
/// Errors carry the offset of the offending line within `lines`.
fn parse_hunk(lines: &[&[u8]]) -> Result<(Hunk, usize), (usize, String)> {
    let header = trim_newline(lines[0]);
    let (old_start, old_len, new_start, new_len) =
        hunk_ranges(header).ok_or((0, "unreadable @@ line".to_owned()))?;
    let mut hunk = Hunk {
        header: header.to_str_lossy().into_owned(),
        old_start,
        old_len,
        new_start,
        new_len,
        lines: Vec::new(),
    };
    let (mut old_left, mut new_left) = (old_len, new_len);
    let mut i = 1;
    while old_left > 0 || new_left > 0 {
        let Some(&line) = lines.get(i) else {
            return Err((i, "the patch ends inside a hunk".to_owned()));
        };
        match line.first() {
            Some(b' ') if old_left > 0 && new_left > 0 => {
                hunk.lines.push(HunkLine::Context(line[1..].to_vec()));
                old_left -= 1;
                new_left -= 1;
            }
            // Some tools strip the space of an empty context line.
            Some(b'\n' | b'\r') if old_left > 0 && new_left > 0 => {
                hunk.lines.push(HunkLine::Context(line.to_vec()));
                old_left -= 1;
                new_left -= 1;
            }
            Some(b'-') if old_left > 0 => {
                hunk.lines.push(HunkLine::Remove(line[1..].to_vec()));
                old_left -= 1;
            }
            Some(b'+') if new_left > 0 => {
                hunk.lines.push(HunkLine::Add(line[1..].to_vec()));
                new_left -= 1;
            }
            Some(b'\\') => strip_last_newline(&mut hunk),
            _ => {
                return Err((
                    i,
                    "a hunk has fewer lines than its @@ header says".to_owned(),
                ))
            }
        }
        i += 1;
    }
    // `\ No newline at end of file` after the hunk's last line.
    while lines.get(i).is_some_and(|l| l.starts_with(b"\\")) {
        strip_last_newline(&mut hunk);
        i += 1;
    }
    Ok((hunk, i))
}

fn strip_last_newline(hunk: &mut Hunk) {
    if let Some(last) = hunk.lines.last_mut() {
        let bytes = last.bytes_mut();
        if bytes.ends_with(b"\n") {
            bytes.pop();
            if bytes.ends_with(b"\r") {
                bytes.pop();
            }
        }
    }
}

/// `@@ -a[,b] +c[,d] @@` → (a, b, c, d); a missing count is 1.
fn hunk_ranges(header: &[u8]) -> Option<(usize, usize, usize, usize)> {
    let header = header.to_str().ok()?;
    let rest = header.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let range = |r: &str| -> Option<(usize, usize)> {
        match r.split_once(',') {
            Some((start, len)) => Some((start.parse().ok()?, len.parse().ok()?)),
            None => Some((r.parse().ok()?, 1)),
        }
    };
    let (a, b) = range(old)?;
    let (c, d) = range(new)?;
    Some((a, b, c, d))
}

/// The path of a `---`/`+++` line: `None` for `/dev/null`; a tab ends the name (a timestamp may
/// follow).
fn header_path(text: &[u8], strip: usize) -> Result<Option<Vec<u8>>, String> {
    let name = if text.starts_with(b"\"") {
        unquote(text)
    } else {
        text.split_str("\t").next().unwrap_or_default().to_vec()
    };
    if name == b"/dev/null" {
        return Ok(None);
    }
    strip_components(&name, strip).map(Some).ok_or_else(|| {
        format!(
            "cannot strip {strip} leading components from '{}'",
            name.to_str_lossy()
        )
    })
}

/// The two paths of `diff --git a/x b/x`. Unquoted names may contain spaces, so the line is
/// split where both halves name the same file after stripping, else at ` b/`.
fn git_header_paths(rest: &[u8], strip: usize) -> Option<(Vec<u8>, Vec<u8>)> {
    let (old, new) = if rest.starts_with(b"\"") {
        let close = rest[1..].iter().position(|&b| b == b'"')? + 2;
        (unquote(&rest[..close]), unquote(rest[close..].trim_start()))
    } else if rest.len() % 2 == 1 && rest[rest.len() / 2] == b' ' {
        let (a, b) = (&rest[..rest.len() / 2], &rest[rest.len() / 2 + 1..]);
        if strip_components(a, 1) == strip_components(b, 1) {
            (a.to_vec(), b.to_vec())
        } else {
            split_at_b(rest)?
        }
    } else {
        split_at_b(rest)?
    };
    Some((
        strip_components(&old, strip)?,
        strip_components(&new, strip)?,
    ))
}

fn split_at_b(rest: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let at = rest.find(" b/").or_else(|| rest.find(" "))?;
    Some((rest[..at].to_vec(), rest[at + 1..].to_vec()))
}

/// Drops `strip` leading `/`-separated components; `None` when there are not enough.
fn strip_components(path: &[u8], strip: usize) -> Option<Vec<u8>> {
    let mut rest = path;
    for _ in 0..strip {
        let slash = rest.iter().position(|&b| b == b'/')?;
        rest = &rest[slash + 1..];
        while rest.first() == Some(&b'/') {
            rest = &rest[1..];
        }
    }
    (!rest.is_empty()).then(|| rest.to_vec())
}

/// Git's C-style quoting (`"a\tb\303\251"`); unquoted text is returned as is.
fn unquote(text: &[u8]) -> Vec<u8> {
    let Some(inner) = text.strip_prefix(b"\"").and_then(|t| t.strip_suffix(b"\"")) else {
        return text.to_vec();
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if inner[i] != b'\\' || i + 1 == inner.len() {
            out.push(inner[i]);
            i += 1;
            continue;
        }
        let escaped = inner[i + 1];
        i += 2;
        match escaped {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                // Up to three octal digits: one byte of a UTF-8 sequence, usually.
                let mut value = u32::from(escaped - b'0');
                let mut digits = 1;
                while digits < 3 && i < inner.len() && (b'0'..=b'7').contains(&inner[i]) {
                    value = value * 8 + u32::from(inner[i] - b'0');
                    i += 1;
                    digits += 1;
                }
                out.push(u8::try_from(value & 0xff).unwrap_or(b'?'));
            }
            other => out.push(other),
        }
    }
    out
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(patch: &str, strip: usize) -> Vec<FilePatch> {
        match parse(patch.as_bytes(), strip) {
            Ok(files) => files,
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn plain_unified_diff() {
        let files = parse_ok(
            "--- a/x.txt\t2024-01-01\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
            1,
        );
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].old_path.as_deref(), Some(&b"x.txt"[..]));
        assert_eq!(
            files[0].hunks[0].lines,
            vec![
                HunkLine::Context(b"a\n".to_vec()),
                HunkLine::Remove(b"b\n".to_vec()),
                HunkLine::Add(b"c\n".to_vec()),
            ]
        );
    }

    #[test]
    fn git_headers_new_deleted_renamed() {
        let patch = "diff --git a/new.txt b/new.txt\nnew file mode 100644\nindex 0000000..1\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n\\ No newline at end of file\n\
diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n\
diff --git a/old name.txt b/new name.txt\nsimilarity index 100%\nrename from old name.txt\nrename to new name.txt\n";
        let files = parse_ok(patch, 1);
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].old_path, None);
        assert_eq!(files[0].hunks[0].lines, vec![HunkLine::Add(b"hi".to_vec())]);
        assert_eq!(files[1].new_path, None);
        assert!(files[2].rename);
        assert_eq!(files[2].old_path.as_deref(), Some(&b"old name.txt"[..]));
        assert_eq!(files[2].new_path.as_deref(), Some(&b"new name.txt"[..]));
    }

    #[test]
    fn strips_components_like_patch() {
        let files = parse_ok("--- a/src/x\n+++ b/src/x\n@@ -1 +1 @@\n-a\n+b\n", 2);
        assert_eq!(files[0].new_path.as_deref(), Some(&b"x"[..]));
        assert!(parse(b"--- x\n+++ x\n@@ -1 +1 @@\n-a\n+b\n", 1).is_err());
    }

    #[test]
    fn short_hunk_is_corrupt() {
        let err = parse(b"--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n", 1);
        assert!(matches!(err, Err(PatchSyntaxError { .. })));
    }

    #[test]
    fn unquotes_git_paths() {
        assert_eq!(unquote(br#""a\tb\303\251""#), b"a\tb\xc3\xa9".to_vec());
    }
}
