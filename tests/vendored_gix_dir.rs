//! The vendored gix-dir (vendor/README.md) searches the index only among the entries of the
//! directory its walk reads. Its two lookups must give the answers of gix-index's own over the
//! whole index: the entries under a directory (`State::prefixed_entries_range`) and the entry of
//! a path (`State::entry_by_path`), for every directory and every path of an index whose paths
//! sort around `/` and whose conflicts leave one path in several stages.

use std::ops::Range;

use gix::bstr::{BStr, BString, ByteSlice};
use gix::dir::index_range;
use gix::index::entry::{Flags, Mode, Stage, Stat};

/// Paths that sort just before `/` (`-`, `.`, `0` and the end of a name) and after it, a file
/// beside a directory of a similar name, deep and non-ASCII paths; then conflicts: all three
/// stages, stages 1 and 2 (deleted by them), 1 and 3 (deleted by us), 2 and 3 (added by both),
/// stage 1 alone (deleted by both) and stage 3 alone (added by them).
const ENTRIES: &[(&str, Stage)] = &[
    ("a", Stage::Unconflicted),
    ("a-b", Stage::Unconflicted),
    ("a.b", Stage::Unconflicted),
    ("a0", Stage::Unconflicted),
    ("a/b", Stage::Unconflicted),
    ("a/b-c/d", Stage::Unconflicted),
    ("a/b.c", Stage::Unconflicted),
    ("a/b/c", Stage::Unconflicted),
    ("a/bc", Stage::Unconflicted),
    ("ab", Stage::Unconflicted),
    ("b/ü-y", Stage::Unconflicted),
    ("b/ü/x", Stage::Unconflicted),
    ("d/e/f/g/h", Stage::Unconflicted),
    ("dir-x/y", Stage::Unconflicted),
    ("dir.x", Stage::Unconflicted),
    ("dir/sub/deep/z", Stage::Unconflicted),
    ("dir/x", Stage::Unconflicted),
    ("dir0", Stage::Unconflicted),
    ("conf/file", Stage::Base),
    ("conf/file", Stage::Ours),
    ("conf/file", Stage::Theirs),
    ("conf/file-b", Stage::Unconflicted),
    ("conf-dir/x", Stage::Unconflicted),
    ("del/them", Stage::Base),
    ("del/them", Stage::Ours),
    ("del/us", Stage::Base),
    ("del/us", Stage::Theirs),
    ("both", Stage::Ours),
    ("both", Stage::Theirs),
    ("gone/both", Stage::Base),
    ("new/theirs", Stage::Theirs),
    ("z", Stage::Unconflicted),
];

fn index() -> gix::index::State {
    let mut state = gix::index::State::new(gix::hash::Kind::Sha1);
    for (path, stage) in ENTRIES {
        state.dangerously_push_entry(
            Stat::default(),
            gix::hash::Kind::Sha1.null(),
            Flags::from_stage(*stage),
            Mode::FILE,
            path.as_bytes().as_bstr(),
        );
    }
    state.sort_entries();
    state
}

/// Every directory the entries name (with its trailing slash), and some that hold nothing.
fn directories() -> Vec<BString> {
    let mut dirs: Vec<BString> = ENTRIES
        .iter()
        .flat_map(|(path, _)| {
            path.char_indices()
                .filter(|(_, c)| *c == '/')
                .map(|(at, _)| BString::from(&path[..=at]))
        })
        .chain(["a-b/", "ab/", "dir.x/", "zz/", "b/ü-y/", "conf/file/"].map(BString::from))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The run of entries under `dir` as gix-index gives it, empty where it gives none.
fn expected_under(index: &gix::index::State, dir: &BStr) -> Range<usize> {
    index.prefixed_entries_range(dir).unwrap_or(0..0)
}

/// The parent directory's run, as the walk holds it when it reads `path`.
fn parent_run(index: &gix::index::State, path: &BStr) -> Range<usize> {
    match path.rfind_byte(b'/') {
        Some(slash) => expected_under(index, path[..=slash].as_bstr()),
        None => 0..index.entries().len(),
    }
}

#[test]
fn the_entries_under_a_directory_are_gix_indexs_run() {
    let index = index();
    for dir in directories() {
        let expected = expected_under(&index, dir.as_bstr());
        let from_all = index_range::under(&index, 0..index.entries().len(), dir.as_bstr());
        let from_parent = index_range::under(
            &index,
            parent_run(&index, dir[..dir.len() - 1].as_bstr()),
            dir.as_bstr(),
        );
        for (found, from) in [(from_all, "the whole index"), (from_parent, "its parent")] {
            if expected.is_empty() {
                assert!(
                    found.is_empty(),
                    "{dir}: {found:?} from {from}, none expected"
                );
            } else {
                assert_eq!(found, expected, "{dir}, searched from {from}");
            }
        }
    }
}

#[test]
fn the_entry_of_a_path_is_gix_indexs_entry() {
    let index = index();
    let mut paths: Vec<BString> = ENTRIES
        .iter()
        .map(|(path, _)| BString::from(*path))
        .collect();
    paths.extend(
        directories()
            .iter()
            .map(|dir| BString::from(&dir[..dir.len() - 1])),
    );
    paths.extend(["a/b/c/d", "dir/y", "conf/fil", "b/ü", "0", "~"].map(BString::from));
    paths.sort();
    paths.dedup();
    let mut conflicts = 0;
    for path in paths {
        let expected = index.entry_by_path(path.as_bstr());
        let found =
            index_range::entry_by_path(&index, parent_run(&index, path.as_bstr()), path.as_bstr());
        match (expected, found) {
            (Some(expected), Some(found)) => {
                assert!(std::ptr::eq(expected, found), "{path}: another entry");
                conflicts += usize::from(expected.stage_raw() != 0);
            }
            (None, None) => {}
            (expected, found) => panic!("{path}: expected {expected:?}, found {found:?}"),
        }
    }
    assert_eq!(
        conflicts, 3,
        "each conflicted path with a stage 2 was found in that stage"
    );
}
