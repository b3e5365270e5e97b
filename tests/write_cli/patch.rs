//! `patch`: several files at once, new / deleted / renamed files, all or nothing.

use crate::support::Scratch;

const MULTI: &str = "\
diff --git a/src/lib.rs b/src/lib.rs
index 1111111..2222222 100644
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -1,3 +1,3 @@
 pub fn one() -> u32 {
-    1
+    2
 }
diff --git a/notes.txt b/notes.txt
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/notes.txt
@@ -0,0 +1,2 @@
+first
+second
diff --git a/old.txt b/old.txt
deleted file mode 100644
index 4444444..0000000
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/docs/a.md b/docs/b.md
similarity index 80%
rename from docs/a.md
rename to docs/b.md
index 5555555..6666666 100644
--- a/docs/a.md
+++ b/docs/b.md
@@ -1,2 +1,2 @@
 # Title
-old line
+new line
";

fn tree() -> Scratch {
    let s = Scratch::new();
    s.write("src/lib.rs", "pub fn one() -> u32 {\n    1\n}\n");
    s.write("old.txt", "bye\n");
    s.write("docs/a.md", "# Title\nold line\n");
    s
}

#[test]
fn applies_modify_add_delete_and_rename_together() {
    let s = tree();
    s.write("change.patch", MULTI);
    s.run(&["patch", "change.patch"], b"").expect_stdout(
        0,
        "patched 4 files: src/lib.rs (1 hunk), notes.txt (new), old.txt (deleted), docs/a.md → docs/b.md (renamed)\n",
    );
    assert_eq!(
        s.read_string("src/lib.rs"),
        "pub fn one() -> u32 {\n    2\n}\n"
    );
    assert_eq!(s.read_string("notes.txt"), "first\nsecond\n");
    assert!(!s.exists("old.txt"));
    assert!(!s.exists("docs/a.md"));
    assert_eq!(s.read_string("docs/b.md"), "# Title\nnew line\n");
}

#[test]
fn reads_the_patch_from_stdin() {
    let s = tree();
    s.run(&["patch"], MULTI.as_bytes()).expect_code(0);
    assert!(s.exists("notes.txt"));
    let s = tree();
    s.run(&["patch", "-"], MULTI.as_bytes()).expect_code(0);
    assert!(s.exists("docs/b.md"));
}

#[test]
fn a_failing_hunk_changes_nothing_and_is_named() {
    let s = tree();
    // The last file's context no longer matches: the earlier files must stay as they were.
    s.write("docs/a.md", "# Title\nedited meanwhile\n");
    let listing = s.listing();
    let lib = s.state("src/lib.rs");
    s.run(&["patch"], MULTI.as_bytes()).expect_stderr(
        1,
        "error: docs/b.md: hunk @@ -1,2 +1,2 @@ does not apply: line 2 is \"edited meanwhile\\n\" but the patch expects \"old line\\n\"; nothing was written\n",
    );
    assert_eq!(s.listing(), listing);
    assert_eq!(s.state("src/lib.rs"), lib);
    assert!(s.exists("old.txt"));
}

#[test]
fn strip_level_and_offsets() {
    let s = Scratch::with("f.txt", "zero\none\ntwo\nthree\n");
    let patch = "--- f.txt\n+++ f.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n";
    let run = s.run(&["--json", "patch", "-p0"], patch.as_bytes());
    run.expect_code(0);
    assert_eq!(s.read_string("f.txt"), "zero\none\nTWO\nthree\n");
    assert_eq!(run.json()["files"][0]["offsets"], serde_json::json!([1]));
    // -p1 on paths without a directory cannot strip anything: a corrupt patch.
    s.run(&["patch", "-p1"], patch.as_bytes())
        .expect_stderr_starting(128, "fatal: corrupt patch at line 1");
}

#[test]
fn new_file_that_exists_and_missing_file_do_not_apply() {
    let s = tree();
    s.write("notes.txt", "already here\n");
    s.run(&["patch"], MULTI.as_bytes())
        .expect_stderr(1, "error: notes.txt: already exists; nothing was written\n");
    assert_eq!(
        s.read_string("src/lib.rs"),
        "pub fn one() -> u32 {\n    1\n}\n"
    );
    let empty = Scratch::new();
    empty
        .run(&["patch"], MULTI.as_bytes())
        .expect_stderr(1, "error: src/lib.rs: no such file; nothing was written\n");
}

#[test]
fn paths_outside_the_directory_are_refused() {
    let s = Scratch::new();
    s.run(
        &["patch"],
        b"--- /dev/null\n+++ b/../evil\n@@ -0,0 +1 @@\n+x\n",
    )
    .expect_stderr_containing(1, "outside the working directory");
}

#[test]
fn dry_run_prints_the_diff_and_touches_nothing() {
    let s = tree();
    let listing = s.listing();
    let lib = s.state("src/lib.rs");
    let run = s.run(&["patch", "--dry-run"], MULTI.as_bytes());
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("patched 4 files: "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" (dry run)\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1,2 @@\n+first\n+second\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--- a/old.txt\n+++ /dev/null\n"),
        "{}",
        run.stdout
    );
    assert_eq!(s.listing(), listing);
    assert_eq!(s.state("src/lib.rs"), lib);
}
