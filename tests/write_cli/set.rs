//! `set` beyond the corpus: output lines, no change, delete, refusals.

use crate::support::Scratch;

#[test]
fn prints_old_and_new_value() {
    let s = Scratch::new();
    s.write("Cargo.toml", "[package]\nversion = \"0.1.0\" # bump me\n");
    let run = s.run(&["set", "Cargo.toml", "package.version", "0.2.0"], b"");
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "set Cargo.toml package.version: \"0.1.0\" → \"0.2.0\"\n"
    );
    assert_eq!(
        s.read_string("Cargo.toml"),
        "[package]\nversion = \"0.2.0\" # bump me\n"
    );
}

#[test]
fn same_value_is_no_change_and_leaves_the_file_untouched() {
    let s = Scratch::new();
    s.write("Cargo.toml", "[package]\nversion = \"0.1.0\"\n");
    let before = s.state("Cargo.toml");
    let run = s.run(&["set", "Cargo.toml", "package.version", "0.1.0"], b"");
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "no change Cargo.toml package.version: \"0.1.0\"\n"
    );
    assert_eq!(s.state("Cargo.toml"), before);
}

#[test]
fn values_are_typed_and_string_forces_text() {
    let s = Scratch::new();
    s.write("a.json", "{\"n\": \"1\"}\n");
    s.run(&["set", "a.json", "n", "5"], b"").expect_code(0);
    assert_eq!(s.read_string("a.json"), "{\"n\": 5}\n");
    s.run(&["set", "a.json", "n", "--string", "5"], b"")
        .expect_code(0);
    assert_eq!(s.read_string("a.json"), "{\"n\": \"5\"}\n");
    s.run(&["set", "a.json", "n", "-1.5e3"], b"").expect_code(0);
    assert_eq!(s.read_string("a.json"), "{\"n\": -1.5e3}\n");
}

#[test]
fn delete_removes_the_line_with_its_comment() {
    let s = Scratch::new();
    s.write("p.toml", "[tool.x]\na = 1 # one\nb = 2\n");
    let run = s.run(&["set", "--delete", "p.toml", "tool.x.a"], b"");
    run.expect_code(0);
    assert_eq!(run.stdout, "delete p.toml tool.x.a: 1 → (absent)\n");
    assert_eq!(s.read_string("p.toml"), "[tool.x]\nb = 2\n");
    let missing = s.run(&["set", "--delete", "p.toml", "tool.x.a"], b"");
    missing.expect_code(1);
    assert_eq!(missing.stderr, "error: p.toml: no key tool.x.a\n");
}

#[test]
fn refusals_exit_1_and_write_nothing() {
    let s = Scratch::new();
    s.write("c.toml", "[package]\nname = \"x\"\n");
    let before = s.state("c.toml");
    let run = s.run(&["set", "c.toml", "package.name.first", "y"], b"");
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: c.toml: package.name is a string, not a table; cannot reach package.name.first\n"
    );
    s.run(&["set", "c.toml", "package", "1"], b"")
        .expect_code(1);
    s.run(&["set", "c.toml", "package.list[3]", "1"], b"")
        .expect_code(1);
    assert_eq!(s.state("c.toml"), before);
}

#[test]
fn a_file_that_does_not_parse_is_fatal() {
    let s = Scratch::new();
    s.write("bad.json", "{\"a\": }\n");
    let run = s.run(&["set", "bad.json", "a", "1"], b"");
    run.expect_code(128);
    assert!(
        run.stderr.starts_with("fatal: bad.json: not valid JSON"),
        "{}",
        run.stderr
    );
}

#[test]
fn format_comes_from_the_name_or_format_flag() {
    let s = Scratch::new();
    s.write(".eslintrc", "{\"root\": false}\n");
    let run = s.run(&["set", ".eslintrc", "root", "true"], b"");
    run.expect_code(129);
    assert!(
        run.stderr.contains("cannot tell the format"),
        "{}",
        run.stderr
    );
    s.run(
        &["set", "--format", "json", ".eslintrc", "root", "true"],
        b"",
    )
    .expect_code(0);
    assert_eq!(s.read_string(".eslintrc"), "{\"root\": true}\n");
}
