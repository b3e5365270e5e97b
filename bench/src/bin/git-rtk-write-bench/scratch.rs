//! For tests: a path in a fresh directory of its own, so a test that writes a file never meets a
//! file left by another run, and nothing is left behind even when it fails.

use std::path::PathBuf;

use tempfile::TempDir;

/// A path named `name` in a new empty directory; the directory and all in it go when the returned
/// guard is dropped, so bind it to a name (`_dir`, not `_`) for as long as the file is used.
pub fn file(name: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    (dir, path)
}
