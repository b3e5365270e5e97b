//! What every subcommand shares: --dry-run, --json, exit codes, help and usage errors.

use crate::support::Scratch;

#[test]
fn dry_run_prints_the_diff_and_leaves_no_trace() {
    let s = Scratch::with(
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    );
    s.write("f.txt", "one\ntwo\n");
    let listing = s.listing();
    let cargo = s.state("Cargo.toml");
    let text = s.state("f.txt");
    let set = s.run(
        &["set", "--dry-run", "Cargo.toml", "package.version", "0.2.0"],
        b"",
    );
    set.expect_code(0);
    assert_eq!(
        set.stdout,
        "set Cargo.toml package.version: \"0.1.0\" → \"0.2.0\" (dry run)\n\
         --- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1,3 +1,3 @@\n [package]\n name = \"x\"\n-version = \"0.1.0\"\n+version = \"0.2.0\"\n"
    );
    let replace = s.run(
        &[
            "--dry-run",
            "replace",
            "f.txt",
            "--old",
            "two",
            "--new",
            "2",
        ],
        b"",
    );
    replace.expect_code(0);
    assert!(replace.stdout.ends_with("-two\n+2\n"), "{}", replace.stdout);
    assert_eq!(s.listing(), listing, "no temporary or other files");
    assert_eq!(s.state("Cargo.toml"), cargo);
    assert_eq!(s.state("f.txt"), text);
}

#[test]
fn json_output_shape() {
    let s = Scratch::with("c.toml", "[a]\nb = 1\n");
    let set = s.run(&["set", "--json", "c.toml", "a.b", "2"], b"");
    set.expect_code(0);
    assert_eq!(
        set.json(),
        serde_json::json!({
            "ok": true, "command": "set", "dry_run": false, "file": "c.toml", "key": "a.b",
            "action": "set", "old": "1", "new": "2", "changed": true
        })
    );
    let dry = s.run(&["set", "--json", "--dry-run", "c.toml", "a.c", "3"], b"");
    assert_eq!(dry.json()["old"], serde_json::Value::Null);
    assert_eq!(
        dry.json()["diff"],
        "--- a/c.toml\n+++ b/c.toml\n@@ -1,2 +1,3 @@\n [a]\n b = 2\n+c = 3\n"
    );
    let missing = s.run(&["set", "--json", "--delete", "c.toml", "a.zz"], b"");
    missing.expect_code(1);
    assert_eq!(
        missing.json(),
        serde_json::json!({
            "ok": false, "command": "set",
            "error": { "kind": "no_match", "message": "c.toml: no key a.zz", "hints": [] }
        })
    );
}

#[test]
fn exit_codes() {
    let s = Scratch::with("c.toml", "[a]\nb = 1\n");
    s.run(&["set", "c.toml", "a.b", "1"], b"").expect_code(0);
    s.run(&["set", "c.toml", "a.b.c", "1"], b"").expect_code(1);
    s.run(&["set", "nope.toml", "a", "1"], b"").expect_stderr(
        128,
        "fatal: cannot open 'nope.toml': No such file or directory\n",
    );
    s.run(&["replace", "nope.txt", "--old", "a", "--new", "b"], b"")
        .expect_code(128);
    s.run(&["set", "c.toml", "a..b", "1"], b"").expect_code(129);
    s.run(&["set", "c.toml", "a.b"], b"").expect_code(129);
    s.run(&["set", "c.toml", "a.b", "1", "--delete"], b"")
        .expect_code(129);
    s.run(
        &[
            "replace", "c.toml", "--old", "a", "--new", "b", "--all", "--nth", "1",
        ],
        b"",
    )
    .expect_code(129);
    s.run(&["replace", "c.toml", "--old", "", "--new", "b"], b"")
        .expect_code(129);
    s.run(&["frobnicate"], b"")
        .expect_stderr_starting(129, "error: unrecognized subcommand 'frobnicate'");
    let no_command = s.run(&[] as &[&str], b"");
    no_command.expect_code(129);
    assert!(no_command.stdout.is_empty());
}

#[test]
fn help_goes_to_stdout_with_exit_129_like_git() {
    let s = Scratch::new();
    for args in [vec!["-h"], vec!["set", "-h"], vec!["patch", "--help"]] {
        let run = s.run(&args, b"");
        run.expect_code(129);
        assert!(
            run.stdout.starts_with("usage: git rtk-write"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(run.stderr.is_empty());
    }
}

#[test]
fn values_starting_with_a_dash_are_values() {
    let s = Scratch::with("c.json", "{\"n\": 1, \"flag\": \"x\"}\n");
    s.run(&["set", "c.json", "n", "-5"], b"").expect_code(0);
    s.run(&["set", "c.json", "flag", "--verbose"], b"")
        .expect_code(0);
    assert_eq!(
        s.read_string("c.json"),
        "{\"n\": -5, \"flag\": \"--verbose\"}\n"
    );
}

#[test]
fn hard_linked_files_are_refused_unless_allowed() {
    let s = Scratch::with("a.txt", "one\n");
    std::fs::hard_link(s.path("a.txt"), s.path("b.txt")).unwrap_or_else(|e| panic!("{e}"));
    s.run(&["replace", "a.txt", "--old", "one", "--new", "two"], b"")
        .expect_stderr_containing(1, "hint: pass --break-hard-links");
    assert_eq!(s.read_string("b.txt"), "one\n");
    s.run(
        &[
            "replace",
            "--break-hard-links",
            "a.txt",
            "--old",
            "one",
            "--new",
            "two",
        ],
        b"",
    )
    .expect_code(0);
    assert_eq!(s.read_string("a.txt"), "two\n");
    assert_eq!(
        s.read_string("b.txt"),
        "one\n",
        "the other link keeps the old content"
    );
}
