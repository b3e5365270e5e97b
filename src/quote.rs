//! Path quoting exactly as git's `quote_c_style` and `quote_path` do it.

/// Quotes `word` for a POSIX shell when it needs quoting (for commands a plugin prints for the
/// reader to run).
pub fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=./:@^~,+".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// How one byte is written: `Plain`, as a backslash escape, or as an octal escape.
fn escape_of(byte: u8, quote_non_ascii: bool) -> Option<Escape> {
    match byte {
        b'\x07' => Some(Escape::Char('a')),
        b'\x08' => Some(Escape::Char('b')),
        b'\t' => Some(Escape::Char('t')),
        b'\n' => Some(Escape::Char('n')),
        b'\x0b' => Some(Escape::Char('v')),
        b'\x0c' => Some(Escape::Char('f')),
        b'\r' => Some(Escape::Char('r')),
        b'"' => Some(Escape::Char('"')),
        b'\\' => Some(Escape::Char('\\')),
        0..=0x1f | 0x7f => Some(Escape::Octal),
        0x80..=0xff if quote_non_ascii => Some(Escape::Octal),
        _ => None,
    }
}

enum Escape {
    Char(char),
    Octal,
}

/// Quoting rules taken from the repository's configuration.
#[derive(Debug, Clone, Copy)]
pub struct PathQuoting {
    /// `core.quotePath` (default true): escape bytes above 0x7f as octal.
    pub quote_non_ascii: bool,
    /// Wrap paths containing a space in quotes, as the short status format does.
    pub quote_space: bool,
}

impl PathQuoting {
    pub fn from_config(repo: &gix::Repository, quote_space: bool) -> Self {
        let quote_non_ascii = repo
            .config_snapshot()
            .boolean("core.quotePath")
            .unwrap_or(true);
        PathQuoting {
            quote_non_ascii,
            quote_space,
        }
    }

    /// Appends `path` to `out`, quoted when git would quote it.
    pub fn write(&self, path: &[u8], out: &mut Vec<u8>) {
        let needs_escape = path
            .iter()
            .any(|&b| escape_of(b, self.quote_non_ascii).is_some());
        if !needs_escape {
            if self.quote_space && path.contains(&b' ') {
                out.push(b'"');
                out.extend_from_slice(path);
                out.push(b'"');
            } else {
                out.extend_from_slice(path);
            }
            return;
        }
        out.push(b'"');
        for &byte in path {
            match escape_of(byte, self.quote_non_ascii) {
                None => out.push(byte),
                Some(Escape::Char(c)) => {
                    out.push(b'\\');
                    out.push(c as u8);
                }
                Some(Escape::Octal) => {
                    out.extend_from_slice(format!("\\{byte:03o}").as_bytes());
                }
            }
        }
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::PathQuoting;

    fn quoted(path: &[u8], quote_non_ascii: bool, quote_space: bool) -> String {
        let mut out = Vec::new();
        PathQuoting {
            quote_non_ascii,
            quote_space,
        }
        .write(path, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn escapes_follow_git_quote_c_style() {
        assert_eq!(quoted(b"plain.txt", true, true), "plain.txt");
        assert_eq!(quoted(b"a b", true, true), "\"a b\"");
        assert_eq!(quoted(b"a b", true, false), "a b");
        assert_eq!(quoted(b"tab\there", true, true), "\"tab\\there\"");
        assert_eq!(quoted("ü".as_bytes(), true, true), "\"\\303\\274\"");
        assert_eq!(quoted("ü".as_bytes(), false, true), "ü");
        assert_eq!(quoted(b"q\"uote", true, true), "\"q\\\"uote\"");
        assert_eq!(quoted(b"\x01x", true, true), "\"\\001x\"");
    }
}
