//! `set` beyond the corpus: output lines, no change, delete, refusals.

use crate::support::Scratch;

#[test]
fn prints_old_and_new_value() {
    let s = Scratch::with("Cargo.toml", "[package]\nversion = \"0.1.0\" # bump me\n");
    s.run(&["set", "Cargo.toml", "package.version", "0.2.0"], b"")
        .expect_stdout(0, "set Cargo.toml package.version: \"0.1.0\" → \"0.2.0\"\n");
    assert_eq!(
        s.read_string("Cargo.toml"),
        "[package]\nversion = \"0.2.0\" # bump me\n"
    );
}

#[test]
fn same_value_is_no_change_and_leaves_the_file_untouched() {
    let s = Scratch::with("Cargo.toml", "[package]\nversion = \"0.1.0\"\n");
    let before = s.state("Cargo.toml");
    s.run(&["set", "Cargo.toml", "package.version", "0.1.0"], b"")
        .expect_stdout(0, "no change Cargo.toml package.version: \"0.1.0\"\n");
    assert_eq!(s.state("Cargo.toml"), before);
}

#[test]
fn values_are_typed_and_string_forces_text() {
    let s = Scratch::with("a.json", "{\"n\": \"1\"}\n");
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
    let s = Scratch::with("p.toml", "[tool.x]\na = 1 # one\nb = 2\n");
    s.run(&["set", "--delete", "p.toml", "tool.x.a"], b"")
        .expect_stdout(0, "delete p.toml tool.x.a: 1 → (absent)\n");
    assert_eq!(s.read_string("p.toml"), "[tool.x]\nb = 2\n");
    s.run(&["set", "--delete", "p.toml", "tool.x.a"], b"")
        .expect_stderr(1, "error: p.toml: no key tool.x.a\n");
}

#[test]
fn refusals_exit_1_and_write_nothing() {
    let s = Scratch::with("c.toml", "[package]\nname = \"x\"\n");
    let before = s.state("c.toml");
    s.run(&["set", "c.toml", "package.name.first", "y"], b"")
        .expect_stderr(
        1,
        "error: c.toml: package.name is a string, not a table; cannot reach package.name.first\n",
    );
    s.run(&["set", "c.toml", "package", "1"], b"")
        .expect_code(1);
    s.run(&["set", "c.toml", "package.list[3]", "1"], b"")
        .expect_code(1);
    assert_eq!(s.state("c.toml"), before);
}

#[test]
fn a_file_that_does_not_parse_is_fatal() {
    let s = Scratch::with("bad.json", "{\"a\": }\n");
    s.run(&["set", "bad.json", "a", "1"], b"")
        .expect_stderr_starting(128, "fatal: bad.json: not valid JSON");
}

#[test]
fn format_comes_from_the_name_or_format_flag() {
    let s = Scratch::with(".eslintrc", "{\"root\": false}\n");
    s.run(&["set", ".eslintrc", "root", "true"], b"")
        .expect_stderr_containing(129, "cannot tell the format");
    s.run(
        &["set", "--format", "json", ".eslintrc", "root", "true"],
        b"",
    )
    .expect_code(0);
    assert_eq!(s.read_string(".eslintrc"), "{\"root\": true}\n");
}
