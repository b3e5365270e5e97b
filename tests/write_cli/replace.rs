//! `replace`: exact bytes, ambiguity, --nth, --all, the near-miss hint, bytes preserved.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;

use crate::support::Scratch;

#[test]
fn ambiguous_match_lists_lines_and_writes_nothing() {
    let s = Scratch::new();
    s.write(
        "f.txt",
        "let x = 1;\nfoo();\nlet x = 1;\nbar();\nlet x = 1;\n",
    );
    let before = s.state("f.txt");
    let run = s.run(
        &[
            "replace",
            "f.txt",
            "--old",
            "let x = 1;",
            "--new",
            "let x = 2;",
        ],
        b"",
    );
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: f.txt: the text occurs 3 times (lines 1, 3, 5); nothing was written\n\
         hint: pass --all to replace every one, or --nth N for one of them\n"
    );
    assert_eq!(s.state("f.txt"), before);
}

#[test]
fn nth_replaces_one_occurrence() {
    let s = Scratch::with("f.txt", "a\nb\na\nb\na\n");
    s.run(
        &["replace", "f.txt", "--old", "a", "--new", "z", "--nth", "2"],
        b"",
    )
    .expect_stdout(0, "replaced 1 in f.txt (line 3)\n");
    assert_eq!(s.read_string("f.txt"), "a\nb\nz\nb\na\n");
    s.run(
        &["replace", "f.txt", "--old", "a", "--new", "z", "--nth", "3"],
        b"",
    )
    .expect_stderr_containing(1, "--nth 3 but the text occurs 2 times");
    s.run(
        &["replace", "f.txt", "--old", "a", "--new", "z", "--nth", "0"],
        b"",
    )
    .expect_code(129);
}

#[test]
fn all_replaces_every_occurrence() {
    let s = Scratch::with("f.txt", "a\nb\na\nb\na\n");
    s.run(
        &["replace", "f.txt", "--old", "a\nb", "--new", "c", "--all"],
        b"",
    )
    .expect_stdout(0, "replaced 2 in f.txt (lines 1, 3)\n");
    assert_eq!(s.read_string("f.txt"), "c\nc\na\n");
}

#[test]
fn no_match_hints_at_the_closest_line() {
    let s = Scratch::new();
    s.write(
        "main.rs",
        "fn main() {\n    let answer = 42;\n    println!(\"{answer}\");\n}\n",
    );
    let run = s.run(
        &[
            "replace",
            "main.rs",
            "--old",
            "let answr = 42;",
            "--new",
            "x",
        ],
        b"",
    );
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: main.rs: the text of --old was not found; nothing was written\n\
         hint: closest is line 2 (97% alike): let answer = 42;\n"
    );
}

#[test]
fn no_match_explains_line_endings() {
    let s = Scratch::with("w.txt", "one\r\ntwo\r\n");
    s.run(
        &["replace", "w.txt", "--old", "one\ntwo", "--new", "x"],
        b"",
    )
    .expect_stderr_containing(
        1,
        "hint: it matches at line 1 with other line endings (the file uses CRLF)",
    );
}

#[test]
fn crlf_bom_and_non_utf8_bytes_survive() {
    let s = Scratch::new();
    let content: &[u8] = b"\xef\xbb\xbfname = old\r\nlatin1 = caf\xe9\r\nend\r\n";
    s.write("f.cfg", content);
    s.run(&["replace", "f.cfg", "--old", "old", "--new", "new"], b"")
        .expect_code(0);
    assert_eq!(
        s.read("f.cfg"),
        b"\xef\xbb\xbfname = new\r\nlatin1 = caf\xe9\r\nend\r\n".to_vec()
    );
    // The text itself may be bytes that are not UTF-8.
    let args = vec![
        OsString::from("replace"),
        OsString::from("f.cfg"),
        OsString::from("--old"),
        OsString::from_vec(b"caf\xe9".to_vec()),
        OsString::from("--new"),
        OsString::from_vec(b"caf\xc3\xa9".to_vec()),
    ];
    s.run(&args, b"").expect_code(0);
    assert_eq!(
        s.read("f.cfg"),
        "\u{feff}name = new\r\nlatin1 = café\r\nend\r\n"
            .as_bytes()
            .to_vec()
    );
}

#[test]
fn json_reports_lines() {
    let s = Scratch::with("f.txt", "a\nb\na\n");
    let ok = s.run(
        &[
            "--json", "replace", "f.txt", "--old", "a", "--new", "c", "--all",
        ],
        b"",
    );
    ok.expect_code(0);
    assert_eq!(
        ok.json(),
        serde_json::json!({
            "ok": true, "command": "replace", "dry_run": false, "file": "f.txt",
            "matches": 2, "lines": [1, 3], "replaced": 2, "changed": true
        })
    );
    let ambiguous = s.run(
        &["replace", "--json", "f.txt", "--old", "c", "--new", "d"],
        b"",
    );
    ambiguous.expect_code(1);
    assert_eq!(
        ambiguous.json(),
        serde_json::json!({
            "ok": false, "command": "replace",
            "error": {
                "kind": "ambiguous",
                "message": "f.txt: the text occurs 2 times (lines 1, 3); nothing was written",
                "hints": ["pass --all to replace every one, or --nth N for one of them"],
                "lines": [1, 3]
            }
        })
    );
}
