//! Just enough of the shell's grammar to find simple commands in a command line without changing
//! a byte of it: words with their spans and literal values, the operators between commands,
//! redirections, quoting, `$(…)`/backtick substitutions, subshells and heredocs.
//!
//! The rewriter only ever inserts text at the start of a word it found here, so the parser's job
//! is to be right about where words are and what feeds what. Anything it does not understand
//! (loops, `case`, functions, `[[ ]]`, unterminated quotes) makes [`parse`] fail, and the caller
//! then leaves the whole command alone.

/// A word: its byte span in the input, and its value when it is fully literal (quotes removed,
/// no expansion, no glob).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub literal: Option<String>,
    /// No quoting at all: the bytes are the value.
    pub plain: bool,
}

/// A simple command and what becomes of its output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Words in order, `NAME=value` assignments and redirection targets left out.
    pub words: Vec<Word>,
    /// Leading `NAME=value` assignments.
    pub assignments: Vec<Word>,
    /// stdout goes into a pipe (`|`, `|&`).
    pub piped: bool,
    /// When piped: the index (in [`parse`]'s result) of the simple command reading the pipe, if
    /// that is a simple command (not a subshell or other compound command).
    pub reader: Option<usize>,
    /// stdout is redirected (`>`, `>>`, `&>`, `>&`, `1>` …).
    pub stdout_redirected: bool,
    /// Inside `$(…)`, backticks or a process substitution: a program reads the output.
    pub captured: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub &'static str);

/// Every simple command of `input`, in order of appearance.
pub fn parse(input: &str) -> Result<Vec<SimpleCommand>, ParseError> {
    let mut parser = Parser {
        bytes: input.as_bytes(),
        pos: 0,
        out: Vec::new(),
        heredocs: Vec::new(),
        awaiting_reader: None,
    };
    parser.list(false, None)?;
    if !parser.heredocs.is_empty() {
        return Err(ParseError("heredoc without its body"));
    }
    Ok(parser.out)
}

/// Words that open compound commands this parser does not follow.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "for", "case", "select", "function", "[[", "((", "coproc", "esac", "in",
];
/// Reserved words that may precede a command (`if git diff --quiet; then …`).
const PREFIX_KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "while", "until", "do", "done", "!", "{", "}",
];

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    out: Vec<SimpleCommand>,
    /// Heredoc delimiters waiting for the next newline: (delimiter, strip leading tabs).
    heredocs: Vec<(Vec<u8>, bool)>,
    /// The piped command of the current list whose reader comes next.
    awaiting_reader: Option<usize>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// A list of commands until end of input or `closer` (`)` for subshells and `$(`).
    fn list(&mut self, captured: bool, closer: Option<u8>) -> Result<(), ParseError> {
        // A nested list (substitution, subshell) has pipelines of its own.
        let outer = self.awaiting_reader.take();
        let result = self.list_items(captured, closer);
        self.awaiting_reader = outer;
        result
    }

    fn list_items(&mut self, captured: bool, closer: Option<u8>) -> Result<(), ParseError> {
        loop {
            self.skip_blanks();
            match self.peek() {
                None => {
                    return match closer {
                        Some(_) => Err(ParseError("unclosed parenthesis")),
                        None => Ok(()),
                    }
                }
                Some(b')') if closer == Some(b')') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b')') => return Err(ParseError("unbalanced parenthesis")),
                Some(b'\n') => {
                    self.pos += 1;
                    self.read_heredoc_bodies()?;
                }
                Some(b'|') => {
                    // A pipe (`|`, `|&`) or `||`; which one was noted after the command before.
                    self.pos += 1;
                    if self.peek() == Some(b'&') {
                        self.pos += 1;
                    }
                }
                Some(b';' | b'&') => {
                    // Separators end a pipeline.
                    self.pos += 1;
                    self.awaiting_reader = None;
                }
                Some(b'#') => self.skip_comment(),
                Some(b'(') => {
                    self.pos += 1;
                    // A subshell reading a pipe: its reader is not a simple command.
                    self.awaiting_reader = None;
                    self.list(captured, Some(b')'))?;
                    // A redirection or pipe after a subshell applies to all of it.
                    let (piped, redirected) = self.after_compound()?;
                    if piped || redirected {
                        return Err(ParseError("output of a subshell is redirected"));
                    }
                }
                Some(_) => self.simple_command(captured)?,
            }
        }
    }

    /// After `)`: redirections and a pipe that apply to the whole compound command.
    fn after_compound(&mut self) -> Result<(bool, bool), ParseError> {
        let mut redirected = false;
        loop {
            self.skip_blanks();
            match self.redirection()? {
                Some(stdout) => redirected |= stdout,
                None => break,
            }
        }
        self.skip_blanks();
        let piped = self.peek() == Some(b'|') && self.peek_at(1) != Some(b'|');
        Ok((piped, redirected))
    }

    fn simple_command(&mut self, captured: bool) -> Result<(), ParseError> {
        let mut command = SimpleCommand {
            captured,
            ..SimpleCommand::default()
        };
        loop {
            self.skip_blanks();
            match self.peek() {
                None | Some(b'\n' | b';' | b')') => break,
                Some(b'&') if self.peek_at(1) == Some(b'&') => break,
                Some(b'&') if self.peek_at(1) != Some(b'>') => break,
                Some(b'|') => {
                    if self.peek_at(1) != Some(b'|') {
                        command.piped = true;
                    }
                    break;
                }
                Some(b'#') if command.words.is_empty() && command.assignments.is_empty() => {
                    self.skip_comment();
                    break;
                }
                Some(b'(') if command.words.is_empty() => break,
                _ => {}
            }
            if let Some(stdout) = self.redirection()? {
                command.stdout_redirected |= stdout;
                continue;
            }
            let word = self.word(captured)?;
            let text = word.literal.as_deref().unwrap_or("");
            if command.words.is_empty() {
                if is_assignment(&self.bytes[word.start..word.end]) {
                    command.assignments.push(word);
                    continue;
                }
                if word.plain && UNSUPPORTED_KEYWORDS.contains(&text) {
                    return Err(ParseError("compound command not followed"));
                }
                if word.plain && PREFIX_KEYWORDS.contains(&text) {
                    // The keyword ends whatever came before; the command starts after it.
                    if !command.assignments.is_empty() {
                        return Err(ParseError("assignment before a keyword"));
                    }
                    continue;
                }
            }
            command.words.push(word);
        }
        if !command.words.is_empty() || !command.assignments.is_empty() {
            let index = self.out.len();
            if let Some(writer) = self.awaiting_reader.take() {
                self.out[writer].reader = Some(index);
            }
            if command.piped {
                self.awaiting_reader = Some(index);
            }
            self.out.push(command);
        }
        Ok(())
    }

    /// Parses a redirection at the cursor; `Some(true)` when it redirects stdout.
    fn redirection(&mut self) -> Result<Option<bool>, ParseError> {
        let start = self.pos;
        let mut fd: Option<u32> = None;
        let mut digits = 0;
        while let Some(b) = self.peek_at(digits).filter(u8::is_ascii_digit) {
            // Saturating: a long digit run is a word, or an fd number no shell accepts, never a panic.
            fd = Some(
                fd.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(u32::from(b - b'0')),
            );
            digits += 1;
        }
        let op_at = self.pos + digits;
        let rest = &self.bytes[op_at..];
        let (op_len, stdout, heredoc) = if rest.starts_with(b"&>>") {
            (3, true, None)
        } else if rest.starts_with(b"&>") {
            (2, true, None)
        } else if rest.starts_with(b"<<<") {
            (3, false, None)
        } else if rest.starts_with(b"<<-") {
            (3, false, Some(true))
        } else if rest.starts_with(b"<<") {
            (2, false, Some(false))
        } else if rest.starts_with(b">>") || rest.starts_with(b">|") || rest.starts_with(b">&") {
            (2, fd.unwrap_or(1) == 1, None)
        } else if rest.starts_with(b"<&") || rest.starts_with(b"<>") {
            (2, false, None)
        } else if rest.starts_with(b">") {
            (1, fd.unwrap_or(1) == 1, None)
        } else if rest.starts_with(b"<") {
            // `<(` is a process substitution, a word.
            if rest.get(1) == Some(&b'(') {
                return Ok(None);
            }
            (1, false, None)
        } else {
            self.pos = start;
            return Ok(None);
        };
        if rest.starts_with(b">(") {
            return Ok(None);
        }
        self.pos = op_at + op_len;
        self.skip_blanks();
        let target = self.word(true)?;
        if let Some(strip_tabs) = heredoc {
            let delimiter = unquote_delimiter(&self.bytes[target.start..target.end]);
            self.heredocs.push((delimiter, strip_tabs));
        }
        // `2>&1` sends stderr to stdout; `>&2` sends stdout to stderr (still not to a reader).
        Ok(Some(stdout))
    }

    /// One word. Substitutions inside it are parsed as captured command lists.
    fn word(&mut self, _captured: bool) -> Result<Word, ParseError> {
        let start = self.pos;
        let mut value = String::new();
        let mut literal = true;
        let mut plain = true;
        // The byte before the cursor when it was unquoted text (for tilde expansion).
        let mut previous: Option<u8> = None;
        while let Some(b) = self.peek() {
            let before = previous.take();
            match b {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b')' => break,
                b'(' => {
                    // Only `<(`/`>(` (handled in `$`/redirect paths) or `name(`: unsupported.
                    if self.pos == start {
                        break;
                    }
                    return Err(ParseError("parenthesis inside a word"));
                }
                b'\'' => {
                    plain = false;
                    self.pos += 1;
                    let close = self.find(b'\'').ok_or(ParseError("unterminated '"))?;
                    value.push_str(&String::from_utf8_lossy(&self.bytes[self.pos..close]));
                    self.pos = close + 1;
                }
                b'"' => {
                    plain = false;
                    self.pos += 1;
                    self.double_quoted(&mut value, &mut literal)?;
                }
                b'\\' => {
                    plain = false;
                    match self.peek_at(1) {
                        Some(b'\n') => {}
                        Some(next) => value.push(char::from(next)),
                        None => return Err(ParseError("trailing backslash")),
                    }
                    self.pos += 2;
                }
                b'$' => {
                    literal = false;
                    plain = false;
                    self.dollar()?;
                }
                b'`' => {
                    literal = false;
                    plain = false;
                    self.backticks()?;
                }
                // Tilde expansion happens only at the start of a word and after an unquoted `=` or
                // `:` (assignments, and words bash treats like them): `HEAD~2` is literal.
                b'~' if self.pos != start && !matches!(before, Some(b'=' | b':')) => {
                    value.push('~');
                    previous = Some(b'~');
                    self.pos += 1;
                }
                // Brace expansion needs a comma or a `..` sequence inside: `@{u}` is literal.
                b'{' if self.literal_braces().is_some() => {
                    let end = self.literal_braces().unwrap_or(self.pos + 1);
                    value.push_str(&String::from_utf8_lossy(&self.bytes[self.pos..end]));
                    previous = Some(b'}');
                    self.pos = end;
                }
                b'*' | b'?' | b'[' | b'~' | b'{' => {
                    // Globs, tilde and brace expansion: the value is the shell's to compute.
                    literal = false;
                    plain = false;
                    self.pos += 1;
                }
                _ => {
                    let ch_len = utf8_len(b);
                    let end = (self.pos + ch_len).min(self.bytes.len());
                    value.push_str(&String::from_utf8_lossy(&self.bytes[self.pos..end]));
                    previous = Some(b);
                    self.pos = end;
                }
            }
        }
        if self.pos == start {
            return Err(ParseError("unexpected operator"));
        }
        Ok(Word {
            start,
            end: self.pos,
            literal: literal.then_some(value),
            plain,
        })
    }

    /// At a `{`: the end (past the `}`) of a brace pair the shell leaves as it is: closed within
    /// the word, with plain text inside and neither a comma nor `..` (which would make it a brace
    /// expansion). `None` for anything else, which the caller treats as an expansion.
    fn literal_braces(&self) -> Option<usize> {
        let rest = &self.bytes[self.pos + 1..];
        let close = rest.iter().position(|&b| {
            !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'+' | b'/' | b'@'))
        })?;
        let inside = &rest[..close];
        if rest[close] != b'}' || inside.windows(2).any(|w| w == b"..") {
            return None;
        }
        Some(self.pos + 1 + close + 1)
    }

    fn double_quoted(&mut self, value: &mut String, literal: &mut bool) -> Result<(), ParseError> {
        loop {
            match self.peek() {
                None => return Err(ParseError("unterminated \"")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    match self.peek_at(1) {
                        Some(c @ (b'"' | b'\\' | b'$' | b'`')) => value.push(char::from(c)),
                        Some(b'\n') => {}
                        Some(c) => {
                            value.push('\\');
                            value.push(char::from(c));
                        }
                        None => return Err(ParseError("unterminated \"")),
                    }
                    self.pos += 2;
                }
                Some(b'$') => {
                    *literal = false;
                    self.dollar()?;
                }
                Some(b'`') => {
                    *literal = false;
                    self.backticks()?;
                }
                Some(b) => {
                    let end = (self.pos + utf8_len(b)).min(self.bytes.len());
                    value.push_str(&String::from_utf8_lossy(&self.bytes[self.pos..end]));
                    self.pos = end;
                }
            }
        }
    }

    /// `$name`, `${…}`, `$(…)`, `$((…))`, `$'…'`.
    fn dollar(&mut self) -> Result<(), ParseError> {
        self.pos += 1;
        match self.peek() {
            Some(b'(') if self.peek_at(1) == Some(b'(') => {
                let close =
                    find_seq(self.bytes, self.pos, b"))").ok_or(ParseError("unterminated $(("))?;
                self.pos = close + 2;
            }
            Some(b'(') => {
                self.pos += 1;
                self.list(true, Some(b')'))?;
            }
            Some(b'{') => {
                let close = self.find(b'}').ok_or(ParseError("unterminated ${"))?;
                self.pos = close + 1;
            }
            Some(b'\'') => {
                self.pos += 1;
                loop {
                    match self.peek() {
                        None => return Err(ParseError("unterminated $'")),
                        Some(b'\\') => self.pos += 2,
                        Some(b'\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some(_) => self.pos += 1,
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    self.pos += 1;
                }
                if self.peek().is_some_and(|b| b"@*#?$!-".contains(&b)) {
                    self.pos += 1;
                }
            }
        }
        Ok(())
    }

    /// `` `…` ``: its text is parsed on its own as a captured list.
    fn backticks(&mut self) -> Result<(), ParseError> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                None => return Err(ParseError("unterminated `")),
                Some(b'\\') => self.pos += 2,
                Some(b'`') => break,
                Some(_) => self.pos += 1,
            }
        }
        let inner = &self.bytes[start..self.pos];
        self.pos += 1;
        // Spans inside are relative to `start`; shift them when recording.
        let text = std::str::from_utf8(inner).map_err(|_| ParseError("non UTF-8 in `"))?;
        for mut command in parse(text)? {
            command.captured = true;
            for word in command
                .words
                .iter_mut()
                .chain(command.assignments.iter_mut())
            {
                word.start += start;
                word.end += start;
                // Escapes inside backticks change what the words are: never rewrite them.
                word.plain = false;
            }
            self.out.push(command);
        }
        Ok(())
    }

    fn find(&self, byte: u8) -> Option<usize> {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == byte)
            .map(|at| self.pos + at)
    }

    fn skip_blanks(&mut self) {
        while let Some(b) = self.peek() {
            if b == b' ' || b == b'\t' {
                self.pos += 1;
            } else if b == b'\\' && self.peek_at(1) == Some(b'\n') {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    fn skip_comment(&mut self) {
        while self.peek().is_some_and(|b| b != b'\n') {
            self.pos += 1;
        }
    }

    /// After a newline: skip the bodies of the heredocs started on the line just ended.
    fn read_heredoc_bodies(&mut self) -> Result<(), ParseError> {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.heredocs) {
            loop {
                if self.pos >= self.bytes.len() {
                    return Err(ParseError("heredoc without its delimiter"));
                }
                let end = self.find(b'\n').unwrap_or(self.bytes.len());
                let mut line = &self.bytes[self.pos..end];
                if strip_tabs {
                    while line.first() == Some(&b'\t') {
                        line = &line[1..];
                    }
                }
                self.pos = (end + 1).min(self.bytes.len());
                if line == delimiter.as_slice() {
                    break;
                }
            }
        }
        Ok(())
    }
}

fn is_assignment(word: &[u8]) -> bool {
    let Some(eq) = word.iter().position(|&b| b == b'=') else {
        return false;
    };
    let name = &word[..eq];
    !name.is_empty()
        && !name[0].is_ascii_digit()
        && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// A heredoc delimiter with its quotes removed (`'EOF'`, `"EOF"`, `\EOF` → `EOF`).
fn unquote_delimiter(word: &[u8]) -> Vec<u8> {
    word.iter()
        .copied()
        .filter(|b| !matches!(b, b'\'' | b'"' | b'\\'))
        .collect()
}

fn find_seq(bytes: &[u8], from: usize, seq: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(seq.len())
        .position(|w| w == seq)
        .map(|at| from + at)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(command: &SimpleCommand) -> Vec<String> {
        command
            .words
            .iter()
            .map(|w| w.literal.clone().unwrap_or_else(|| "<dyn>".into()))
            .collect()
    }

    #[test]
    fn splits_lists_and_marks_pipes_and_redirections() {
        let parsed =
            parse("cd sub && git status; git log | head -3 && git diff > out.txt").unwrap();
        assert_eq!(parsed.len(), 5);
        assert_eq!(words(&parsed[1]), ["git", "status"]);
        assert!(!parsed[1].piped && !parsed[1].stdout_redirected);
        assert!(parsed[2].piped);
        assert!(!parsed[3].piped);
        assert!(parsed[4].stdout_redirected);
    }

    #[test]
    fn quotes_and_assignments() {
        let parsed = parse(r#"GIT_PAGER=cat git commit -m "fix: a \"b\"" 'c d'"#).unwrap();
        assert_eq!(parsed[0].assignments.len(), 1);
        assert_eq!(
            words(&parsed[0]),
            ["git", "commit", "-m", r#"fix: a "b""#, "c d"]
        );
    }

    #[test]
    fn substitutions_are_captured() {
        let parsed = parse("echo $(git rev-parse HEAD) `git status`").unwrap();
        let inner: Vec<_> = parsed.iter().filter(|c| c.captured).collect();
        assert_eq!(inner.len(), 2);
        assert_eq!(words(inner[0]), ["git", "rev-parse", "HEAD"]);
    }

    #[test]
    fn heredoc_bodies_are_not_commands() {
        let parsed = parse("git commit -F - <<'EOF'\ngit status\nEOF\ngit log").unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(words(&parsed[1]), ["git", "log"]);
    }

    #[test]
    fn stderr_redirection_is_not_stdout() {
        let parsed = parse("git status 2>&1 && git log 2>/dev/null").unwrap();
        assert!(!parsed[0].stdout_redirected);
        assert!(!parsed[1].stdout_redirected);
        assert!(parse("git log >&2").unwrap()[0].stdout_redirected);
    }

    #[test]
    fn unsupported_forms_fail() {
        assert!(parse("for f in a b; do git add $f; done").is_err());
        assert!(parse("git status 'unterminated").is_err());
        assert!(parse("(git status) | cat").is_err());
    }

    #[test]
    fn long_digit_runs_do_not_overflow() {
        // Found by the fuzz target (fuzz/): an fd number past u32 panicked.
        let _ = parse("77777777777$#;$#");
        assert!(parse("git status 99999999999>f").is_ok());
    }

    #[test]
    fn subshells_and_keywords() {
        let parsed = parse("(cd x && git status); if git diff --quiet; then git log; fi").unwrap();
        let names: Vec<Vec<String>> = parsed.iter().map(words).collect();
        assert!(names.contains(&vec!["git".into(), "status".into()]));
        assert!(names.contains(&vec!["git".into(), "diff".into(), "--quiet".into()]));
        assert!(names.contains(&vec!["git".into(), "log".into()]));
    }
}
