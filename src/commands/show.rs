//! `git rtk-show`: compact commit header with the full message, then the commit's diff as
//! `git rtk-diff` prints it; `rev:path` blobs byte-exact; tags and trees compactly.

use gix::bstr::ByteSlice;

use crate::command::Outcome;
use crate::command::{Command, Entry, Kind};
use crate::diff::changes::{self, Target};
use crate::diff::options::{OutputOptions, OUTPUT_OPTIONS};
use crate::diff::render::Form;
use crate::git_size::{
    self,
    log::{shown_author, Format, LogSize},
    patch::GitDiffSize,
};
use crate::options::{self, flag, Flag, Parsed};
use crate::render::{date::short_date, decorations::Decorations, short_id};
use crate::repo;

pub const COMMAND: Command = Command {
    name: "show",
    kind: Kind::Read,
    summary: "a commit or object, compact",
    synopsis: &["[<options>] [<object>...]"],
    about: "Commits: `<short-id> (<refs>) <author> <email> <date>`, the full message, then the diff as\n`git rtk-diff` prints it. `<rev>:<path>` prints the blob unchanged; trees list their entries.",
    syntax: options::REVISIONS,
    table: &[OPTIONS, OUTPUT_OPTIONS],
    entry: Entry::Native(run),
};

const OPTIONS: &[Flag] = &[flag(Some('s'), "no-patch", "header and message only")];

pub fn run(parsed: &Parsed) -> anyhow::Result<Outcome> {
    if parsed.after_double_dash.is_some() {
        return Ok(Outcome::pass_through("paths limit git show's diff"));
    }
    let mut output = OutputOptions::default();
    let mut patch = true;
    let mut form_given = false;
    for given in &parsed.given {
        match given.flag.name().as_str() {
            "no-patch" => patch = false,
            _ if output.accept(given) => form_given = true,
            _ => return Ok(Outcome::pass_through("option not served natively")),
        }
    }
    // Whether a diff form given with `-s` brings the diff back depends on git's version (2.39
    // prints none, later versions print a summary form): git decides.
    if !patch && form_given {
        return Ok(Outcome::pass_through(
            "-s with a diff form: git's version decides",
        ));
    }
    let form = patch.then(|| output.form());
    let repo = repo::open()?;
    if !crate::diff::plain_content_rules(&repo) {
        return Ok(Outcome::pass_through(
            "attributes or eol conversion in effect",
        ));
    }
    let specs = if parsed.operands.is_empty() {
        vec!["HEAD".to_owned()]
    } else {
        parsed.operands.clone()
    };
    let mut decorations = None;
    let mut git_size =
        git_size::wanted().then(|| GitDiffSize::for_repo(&repo, output.context_given()));
    let mut out = Vec::new();
    for spec in &specs {
        if spec.starts_with('-') || spec.contains("..") {
            return Ok(Outcome::pass_through("revision range"));
        }
        let Ok(id) = repo.rev_parse_single(spec.as_str()) else {
            return Ok(Outcome::pass_through("revision git must report"));
        };
        let object = id.object()?;
        // The commit to show after a tag's header, or the commit itself.
        let commit = match object.kind {
            // Blobs and trees are printed as git prints them.
            gix::object::Kind::Blob => {
                out.extend_from_slice(&object.data);
                if let Some(git_size) = git_size.as_mut() {
                    // The blob exactly as git prints it.
                    git_size.bytes += object.data.len();
                }
                None
            }
            gix::object::Kind::Tree => {
                let listing = tree_listing(spec, &object.into_tree())?;
                out.extend_from_slice(&listing);
                if let Some(git_size) = git_size.as_mut() {
                    // The listing exactly as git prints it.
                    git_size.bytes += listing.len();
                }
                None
            }
            gix::object::Kind::Tag => {
                let tag = object.into_tag();
                let decoded = tag.decode()?;
                out.extend_from_slice(b"tag ");
                out.extend_from_slice(decoded.name);
                if let Some(tagger) = decoded.tagger()? {
                    out.push(b' ');
                    out.extend_from_slice(tagger.name);
                    out.extend_from_slice(
                        format!(" <{}> {}", tagger.email, short_date(tagger.time()?)).as_bytes(),
                    );
                }
                out.push(b'\n');
                write_message(decoded.message, &mut out);
                if let Some(git_size) = git_size.as_mut() {
                    git_size.bytes += tag_header_len(&decoded)?;
                }
                let Ok(commit) = tag.target_id()?.object()?.peel_to_commit() else {
                    return Ok(Outcome::pass_through("tag of a non-commit"));
                };
                out.push(b'\n');
                Some(commit.id)
            }
            gix::object::Kind::Commit => Some(object.id),
        };
        if let Some(id) = commit {
            let decorations = load_once(&repo, &mut decorations)?;
            if !write_commit(&repo, id, decorations, form, &mut out, git_size.as_mut())? {
                return Ok(Outcome::pass_through("merge commit: combined diff"));
            }
        }
    }
    Ok(Outcome::success(out).with_git_size(git_size.map(|n| n.bytes as u64)))
}

fn load_once<'a>(
    repo: &gix::Repository,
    slot: &'a mut Option<Decorations>,
) -> anyhow::Result<&'a Decorations> {
    if slot.is_none() {
        *slot = Some(Decorations::load(repo)?);
    }
    Ok(slot.as_ref().expect("filled above"))
}

/// The compact header of a commit: `<short-id> (<refs>) <author> <email> <date>`, then the
/// message.
fn write_commit_header(
    repo: &gix::Repository,
    id: gix::ObjectId,
    decoded: &gix::objs::CommitRef<'_>,
    decorations: &Decorations,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let author = decoded.author()?;
    out.extend_from_slice(short_id(repo, id)?.as_bytes());
    if let Some(refs) = decorations.of(&id) {
        out.extend_from_slice(format!(" ({refs})").as_bytes());
    }
    out.push(b' ');
    out.extend_from_slice(author.name);
    out.extend_from_slice(
        format!(" <{}> {}\n", author.email, short_date(author.time()?)).as_bytes(),
    );
    write_message(decoded.message, out);
    Ok(())
}

/// `tree <spec>`, a blank line, then each entry's name (`/` after a tree), as git prints it.
fn tree_listing(spec: &str, tree: &gix::Tree<'_>) -> anyhow::Result<Vec<u8>> {
    let mut out = format!("tree {spec}\n\n").into_bytes();
    for entry in tree.decode()?.entries {
        out.extend_from_slice(entry.filename);
        if entry.mode.is_tree() {
            out.push(b'/');
        }
        out.push(b'\n');
    }
    Ok(out)
}

/// What `git show` prints for an annotated tag before its target: `tag <name>`, `Tagger: <name>
/// <<email>>`, `Date:   <date>`, a blank line, the message, a blank line.
fn tag_header_len(tag: &gix::objs::TagRef<'_>) -> anyhow::Result<usize> {
    let mut bytes = "tag \n".len() + tag.name.len();
    if let Some(tagger) = tag.tagger()? {
        bytes += "Tagger:  <>\n".len()
            + tagger.name.len()
            + tagger.email.len()
            + "Date:   \n".len()
            + git_size::log::default_date_len(tagger.time()?);
    }
    Ok(bytes + 1 + tag.message.trim_end().len() + 2)
}

/// Shows one commit — its compact header and its diff — and adds git's size for the same commit
/// to `git_size` when given; `false` when git must render it (merge commits get a combined diff).
fn write_commit(
    repo: &gix::Repository,
    id: gix::ObjectId,
    decorations: &Decorations,
    form: Option<Form>,
    out: &mut Vec<u8>,
    mut git_size: Option<&mut GitDiffSize>,
) -> anyhow::Result<bool> {
    let commit = repo.find_commit(id)?;
    let decoded = commit.decode()?;
    let parents: Vec<gix::ObjectId> = decoded.parents().collect();
    if parents.len() > 1 && form.is_some() {
        return Ok(false);
    }
    write_commit_header(repo, id, &decoded, decorations, out)?;
    if let Some(git_size) = git_size.as_deref_mut() {
        git_size.bytes += commit_header_len(repo, id, &decoded)?;
    }
    let Some(form) = form else {
        return Ok(true);
    };
    let old_tree = match parents.first() {
        Some(parent) => Some(repo.find_commit(*parent)?.tree_id()?.detach()),
        None => None,
    };
    let new_tree = decoded.tree();
    let Some(changes) = changes::collect(repo, Target::TreeToTree(old_tree, new_tree), &[])? else {
        return Ok(false);
    };
    if !changes.is_empty() {
        out.push(b'\n');
        if let Some(git_size) = git_size.as_deref_mut() {
            git_size.bytes += 1;
        }
        if crate::diff::output::write(repo, &changes, form, out, git_size)?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What `git show` prints for a commit before its diff: the default log format (mailmapped
/// author, as `git show` uses `log.mailmap`).
fn commit_header_len(
    repo: &gix::Repository,
    id: gix::ObjectId,
    decoded: &gix::objs::CommitRef<'_>,
) -> anyhow::Result<usize> {
    let mailmap = repo
        .config_snapshot()
        .boolean("log.mailmap")
        .unwrap_or(true)
        .then(|| repo.open_mailmap());
    let (name, email) = shown_author(mailmap.as_ref(), decoded.author()?);
    let mut size = LogSize::new(
        Format::Medium {
            abbrev_commit: false,
        },
        false,
    );
    size.add_commit(repo, id, decoded, (&name, &email), 0, None)?;
    Ok(size.total(1) as usize)
}

fn write_message(message: &[u8], out: &mut Vec<u8>) {
    let trimmed = message.trim_end();
    out.extend_from_slice(trimmed);
    out.push(b'\n');
}
