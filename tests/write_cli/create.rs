//! `create`: content from stdin, refusal to overwrite, --force.

use crate::support::Scratch;

#[test]
fn creates_from_stdin() {
    let s = Scratch::new();
    s.run(&["create", "hello.txt"], b"hello\n")
        .expect_stdout(0, "created hello.txt (6 bytes)\n");
    assert_eq!(s.read_string("hello.txt"), "hello\n");
    assert_eq!(s.listing(), vec!["hello.txt".to_owned()]);
}

#[test]
fn refuses_to_overwrite_without_force() {
    let s = Scratch::with("keep.txt", "precious\n");
    let before = s.state("keep.txt");
    s.run(&["create", "keep.txt"], b"other\n").expect_stderr(
        1,
        "error: keep.txt already exists; nothing was written\nhint: pass --force to overwrite it\n",
    );
    assert_eq!(s.state("keep.txt"), before);
}

#[test]
fn force_overwrites_and_same_content_is_no_change() {
    let s = Scratch::with("f.txt", "old\n");
    s.run(&["create", "--force", "f.txt"], b"new\n")
        .expect_stdout(0, "overwrote f.txt (4 bytes)\n");
    assert_eq!(s.read_string("f.txt"), "new\n");
    let before = s.state("f.txt");
    s.run(&["create", "-f", "f.txt"], b"new\n")
        .expect_stdout(0, "no change f.txt\n");
    assert_eq!(s.state("f.txt"), before);
}

#[test]
fn dry_run_creates_nothing() {
    let s = Scratch::new();
    s.run(&["create", "--dry-run", "new.txt"], b"a\nb\n").expect_stdout(
        0,
        "created new.txt (4 bytes) (dry run)\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n",
    );
    assert_eq!(s.listing(), Vec::<String>::new());
}

#[test]
fn creates_missing_directories() {
    let s = Scratch::new();
    s.run(&["create", "src/deep/new.rs"], b"fn f() {}\n")
        .expect_code(0);
    assert_eq!(s.read_string("src/deep/new.rs"), "fn f() {}\n");
    let patch = "--- /dev/null\n+++ b/docs/guide/intro.md\n@@ -0,0 +1 @@\n+# Intro\n";
    s.run(&["patch"], patch.as_bytes()).expect_code(0);
    assert_eq!(s.read_string("docs/guide/intro.md"), "# Intro\n");
}
