//! Deterministic synthetic content from a seeded [`Rng`]: source-like file text, commit messages
//! and the small line edits that make realistic hunks.
//!
//! Everything here is a pure function of its seed, so a fixture built twice is byte-identical (and,
//! with fixed identities and dates, has the same commit ids). Never read the clock or the
//! environment here.

use crate::rng::Rng;

const WORDS: &[&str] = &[
    "parser",
    "token",
    "buffer",
    "config",
    "index",
    "cache",
    "reader",
    "writer",
    "stream",
    "packet",
    "session",
    "client",
    "server",
    "request",
    "response",
    "handler",
    "router",
    "schema",
    "record",
    "batch",
    "queue",
    "worker",
    "task",
    "event",
    "signal",
    "timer",
    "clock",
    "budget",
    "limit",
    "policy",
    "route",
    "path",
    "entry",
    "node",
    "graph",
    "edge",
    "vertex",
    "layout",
    "render",
    "frame",
    "widget",
    "theme",
    "style",
    "color",
    "font",
    "glyph",
    "shader",
    "mesh",
    "texture",
    "audio",
    "codec",
    "sample",
    "filter",
    "window",
    "cursor",
    "range",
    "slice",
    "chunk",
    "block",
    "page",
    "segment",
    "journal",
    "ledger",
    "account",
    "balance",
    "invoice",
    "order",
    "payment",
    "refund",
    "user",
    "group",
    "role",
    "grant",
    "token_store",
    "secret",
    "vault",
    "cipher",
    "digest",
    "hash",
    "bloom",
    "sketch",
    "metric",
    "gauge",
    "counter",
    "histogram",
    "trace",
    "span",
    "log",
    "sink",
    "source",
    "pipeline",
    "stage",
    "plan",
    "query",
    "cursor_state",
    "table",
    "column",
    "row",
    "tuple",
    "predicate",
    "join",
    "merge",
    "split",
    "shard",
    "replica",
    "leader",
    "follower",
    "election",
    "lease",
    "lock",
    "mutex",
    "channel",
    "socket",
    "listener",
    "backoff",
    "retry",
    "deadline",
    "snapshot",
    "checkpoint",
    "migration",
    "upgrade",
    "version",
    "manifest",
    "bundle",
    "asset",
    "module",
    "plugin",
    "loader",
    "resolver",
    "registry",
    "catalog",
    "mirror",
    "archive",
];

const TYPES: &[&str] = &[
    "usize",
    "u32",
    "u64",
    "i64",
    "bool",
    "String",
    "&str",
    "Vec<u8>",
    "Option<usize>",
    "Duration",
    "PathBuf",
    "HashMap<String, usize>",
    "Arc<Mutex<State>>",
    "Box<dyn Handler>",
];

const VERBS: &[&str] = &[
    "handle", "fix", "add", "remove", "rename", "simplify", "speed up", "document", "validate",
    "refactor", "cache", "retry", "limit", "guard", "split", "merge", "inline", "extract",
    "tighten", "relax", "report", "skip", "support", "reject",
];

const CONCERNS: &[&str] = &[
    "empty input",
    "overflow on large batches",
    "trailing whitespace",
    "unicode names",
    "a stale lock",
    "slow startup",
    "the error path",
    "missing newline",
    "duplicate entries",
    "timeouts under load",
    "partial writes",
    "a race on shutdown",
    "nested scopes",
    "windows paths",
    "zero-length chunks",
    "the retry budget",
    "old config files",
];

/// Name, email and the time zone the author commits from.
const AUTHORS: &[Author] = &[
    Author {
        name: "Ada Lovelace",
        email: "ada@example.com",
        tz: "+0000",
    },
    Author {
        name: "Grace Hopper",
        email: "grace@example.com",
        tz: "-0500",
    },
    Author {
        name: "Linus Pauling",
        email: "linus.p@example.org",
        tz: "-0800",
    },
    Author {
        name: "Margaret Hamilton",
        email: "mhamilton@example.net",
        tz: "-0400",
    },
    Author {
        name: "Dennis Ritchie",
        email: "dmr@example.com",
        tz: "+0100",
    },
    Author {
        name: "Barbara Liskov",
        email: "liskov@example.org",
        tz: "+0200",
    },
    Author {
        name: "Ken Thompson",
        email: "ken@example.com",
        tz: "+0530",
    },
];

#[derive(Debug, Clone, Copy)]
pub struct Author {
    pub name: &'static str,
    pub email: &'static str,
    pub tz: &'static str,
}

pub fn word(rng: &mut Rng) -> &'static str {
    WORDS[rng.below(WORDS.len())]
}

pub fn author(rng: &mut Rng) -> Author {
    *rng.pick(AUTHORS)
}

fn camel(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn sentence(rng: &mut Rng) -> String {
    let verb = rng.pick(VERBS);
    let mut text = format!(
        "{} the {} {} when {} sees {}",
        capitalise(verb),
        word(rng),
        word(rng),
        word(rng),
        rng.pick(CONCERNS)
    );
    text.push('.');
    text
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// One indented statement of a function body (Rust-flavoured).
pub fn rust_statement(rng: &mut Rng) -> String {
    let (a, b, c) = (word(rng), word(rng), word(rng));
    match rng.below(9) {
        0 => format!("        let {a} = self.{b}.get(&{c})?;"),
        1 => format!(
            "        if {a}.is_empty() {{ return Err(Error::{}); }}",
            camel(b)
        ),
        2 => format!("        self.{a}.push({b}.clone());"),
        3 => format!(
            "        let {a}_len = {b}.len().saturating_sub({});",
            rng.below(64)
        ),
        4 => format!("        debug!(\"{a}: {b} = {{:?}}\", {c});"),
        5 => format!("        for {a} in {b}.iter() {{ {c}.insert({a}); }}"),
        6 => format!(
            "        let {a} = {}::new({b}, {});",
            camel(c),
            rng.below(4096)
        ),
        7 => format!("        // {}", sentence(rng)),
        _ => format!("        {a}.{b}_{c}(&mut self.{})?;", word(rng)),
    }
}

fn python_statement(rng: &mut Rng) -> String {
    let (a, b, c) = (word(rng), word(rng), word(rng));
    match rng.below(6) {
        0 => format!("        {a} = self.{b}.get(\"{c}\")"),
        1 => format!("        if not {a}:\n            raise ValueError(\"{b} missing {c}\")"),
        2 => format!("        self.{a}.append({b})"),
        3 => format!("        # {}", sentence(rng)),
        4 => format!("        for {a} in {b}:\n            {c}.add({a})"),
        _ => format!("        return {a}.{b}_{c}()"),
    }
}

/// The text of a new file whose kind follows its extension. `lines` is a rough target.
pub fn file_text(rng: &mut Rng, ext: &str, lines: usize) -> String {
    let mut out = String::with_capacity(lines * 40);
    match ext {
        "rs" => {
            out.push_str(&format!("//! {}\n\n", sentence(rng)));
            out.push_str(&format!(
                "use crate::{}::{};\n",
                word(rng),
                camel(word(rng))
            ));
            out.push_str("use std::collections::HashMap;\n\n");
            let ty = camel(word(rng));
            out.push_str(&format!("/// {}\npub struct {ty} {{\n", sentence(rng)));
            for _ in 0..rng.between(2, 5) {
                out.push_str(&format!("    {}: {},\n", word(rng), rng.pick(TYPES)));
            }
            out.push_str(&format!("}}\n\nimpl {ty} {{\n"));
            while out.lines().count() < lines {
                let name = format!("{}_{}", rng.pick(VERBS).replace(' ', "_"), word(rng));
                out.push_str(&format!(
                    "    /// {}\n    pub fn {name}(&mut self, {}: {}) -> Result<{}, Error> {{\n",
                    sentence(rng),
                    word(rng),
                    rng.pick(TYPES),
                    rng.pick(TYPES)
                ));
                for _ in 0..rng.between(3, 9) {
                    out.push_str(&rust_statement(rng));
                    out.push('\n');
                }
                out.push_str("        Ok(Default::default())\n    }\n\n");
            }
            out.push_str("}\n");
        }
        "py" => {
            out.push_str(&format!(
                "\"\"\"{}\"\"\"\n\nimport os\nimport sys\n\n",
                sentence(rng)
            ));
            out.push_str(&format!("class {}:\n", camel(word(rng))));
            while out.lines().count() < lines {
                out.push_str(&format!(
                    "    def {}_{}(self, {}):\n",
                    word(rng),
                    word(rng),
                    word(rng)
                ));
                out.push_str(&format!("        \"\"\"{}\"\"\"\n", sentence(rng)));
                for _ in 0..rng.between(2, 6) {
                    out.push_str(&python_statement(rng));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
        "md" => {
            out.push_str(&format!("# {}\n\n", capitalise(word(rng))));
            while out.lines().count() < lines {
                out.push_str(&format!("## {} {}\n\n", capitalise(word(rng)), word(rng)));
                for _ in 0..rng.between(1, 4) {
                    out.push_str(&format!("{} {}\n", sentence(rng), sentence(rng)));
                }
                out.push_str(&format!("\n- `{}`: {}\n\n", word(rng), sentence(rng)));
            }
        }
        "sh" => {
            out.push_str("#!/bin/sh\nset -eu\n\n");
            while out.lines().count() < lines {
                out.push_str(&format!("# {}\n", sentence(rng)));
                out.push_str(&format!(
                    "{}=\"${{{}:-{}}}\"\n",
                    word(rng).to_uppercase(),
                    word(rng).to_uppercase(),
                    word(rng)
                ));
                out.push_str(&format!("echo \"{} {}\"\n\n", word(rng), word(rng)));
            }
        }
        "toml" => {
            while out.lines().count() < lines {
                out.push_str(&format!("[{}]\n", word(rng)));
                for _ in 0..rng.between(2, 5) {
                    out.push_str(&format!("{} = {}\n", word(rng), rng.below(10_000)));
                }
                out.push('\n');
            }
        }
        _ => {
            while out.lines().count() < lines {
                out.push_str(&sentence(rng));
                out.push('\n');
            }
        }
    }
    out
}

/// A new line that fits a file of this extension, for edits.
pub fn line_for(rng: &mut Rng, ext: &str) -> String {
    match ext {
        "rs" => rust_statement(rng),
        "py" => python_statement(rng),
        "sh" => format!("echo \"{} {}\"", word(rng), word(rng)),
        "toml" => format!("{} = {}", word(rng), rng.below(10_000)),
        _ => sentence(rng),
    }
}

/// Edits `text` in `hunks` separate places (replace, insert or delete a few lines), as a person
/// editing a file does. Places are spread over the file so git shows them as separate hunks.
pub fn edit(rng: &mut Rng, text: &str, ext: &str, hunks: usize) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(line_for(rng, ext));
    }
    let hunks = hunks.max(1);
    // Work from the end so earlier positions stay valid.
    let region = lines.len() / hunks;
    for h in (0..hunks).rev() {
        let start = h * region;
        let len = region.max(1);
        let at = (start + rng.below(len)).min(lines.len().saturating_sub(1));
        match rng.below(4) {
            0 => lines[at] = line_for(rng, ext),
            1 => {
                for _ in 0..rng.between(1, 3) {
                    lines.insert(at, line_for(rng, ext));
                }
            }
            2 if lines.len() > 4 => {
                lines.remove(at);
            }
            _ => {
                lines[at] = line_for(rng, ext);
                lines.insert(at + 1, line_for(rng, ext));
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// A commit message: a conventional subject, and a body of a few sentences when `with_body`.
pub fn commit_message(rng: &mut Rng, area: &str, with_body: bool) -> String {
    let subject = format!(
        "{area}: {} {} {} for {}",
        rng.pick(VERBS),
        word(rng),
        word(rng),
        rng.pick(CONCERNS)
    );
    if with_body {
        let mut body = String::new();
        for _ in 0..rng.between(1, 3) {
            body.push_str(&sentence(rng));
            body.push(' ');
            body.push_str(&sentence(rng));
            body.push('\n');
        }
        format!("{subject}\n\n{body}")
    } else {
        format!("{subject}\n")
    }
}

/// Names for directories and files: `word` or `word_word`.
pub fn name(rng: &mut Rng) -> String {
    if rng.chance(40) {
        format!("{}_{}", word(rng), word(rng))
    } else {
        word(rng).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_text() {
        let a = file_text(&mut Rng::new(7), "rs", 60);
        let b = file_text(&mut Rng::new(7), "rs", 60);
        assert_eq!(a, b);
        assert!(a.lines().count() >= 60);
    }

    #[test]
    fn edit_changes_text_and_keeps_trailing_newline() {
        let text = file_text(&mut Rng::new(1), "rs", 80);
        let edited = edit(&mut Rng::new(2), &text, "rs", 3);
        assert_ne!(text, edited);
        assert!(edited.ends_with('\n'));
    }
}
