//! A command's man page in roff (man(7)): name and summary from the registry, the command's own
//! `-h` text as the synopsis and description, kept verbatim in no-fill mode.

use super::Page;
use crate::command::Kind;

/// The page of `page`'s command.
pub fn render(page: &Page) -> String {
    let binary = page.command.binary();
    let mut out = format!(
        ".TH {} 1 \"\" \"git-rtk {}\" \"git-rtk manual\"\n.SH NAME\n{} \\- {}\n",
        binary.to_uppercase(),
        env!("CARGO_PKG_VERSION"),
        binary,
        escape(page.command.summary)
    );
    let (synopsis, description) = match page.help.split_once("\n\n") {
        Some((synopsis, rest)) => (synopsis, rest),
        None => (page.help.as_str(), ""),
    };
    out.push_str(".SH SYNOPSIS\n.nf\n");
    out.push_str(&verbatim(synopsis));
    out.push_str(".fi\n.SH DESCRIPTION\n");
    if page.command.kind == Kind::Mutating {
        out.push_str(&format!(
            "Runs \\fBgit {}\\fR with the same arguments (hooks, signing, reflogs and exit codes are \
             git's) and prints what changed in the repository in a few lines. Its options are \
             git's: see \\fBgit-{}\\fR(1).\n",
            page.command.name, page.command.name
        ));
    }
    if !description.trim().is_empty() {
        out.push_str(".PP\n.nf\n");
        out.push_str(&verbatim(description));
        out.push_str(".fi\n");
    }
    out.push_str(".SH EXIT STATUS\ngit's: 0 on success, 1 where git returns 1, 128 for fatal errors, 129 for usage errors.\n");
    if let Some(name) = super::see_also(page.command) {
        out.push_str(&format!(
            ".SH SEE ALSO\n\\fB{name}\\fR(1), \\fBgit-rtk-gain\\fR(1)\n"
        ));
    }
    out
}

/// Lines as they are: backslashes escaped, a leading `.` or `'` protected.
fn verbatim(text: &str) -> String {
    let mut out = String::new();
    for line in text.trim_end().lines() {
        let line = escape(line);
        if line.starts_with('.') || line.starts_with('\'') {
            out.push_str("\\&");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}
