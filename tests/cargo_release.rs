//! `scripts/cargo-release`, the build the README's install command and the benchmark go through:
//! on a Linux glibc host with a static libc the binaries are linked statically and land in
//! `target/<host>/release`; without one (or on other hosts) it is plain cargo and `target/release`.
//! The C compiler is replaced by a stand-in that either finds `libc.a` or does not.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn host() -> String {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// A stand-in C compiler answering `-print-file-name=libc.a` with `answer`.
fn compiler(dir: &Path, answer: &str) -> PathBuf {
    let path = dir.join(format!("cc-{}", answer.len()));
    std::fs::write(&path, format!("#!/bin/sh\necho '{answer}'\n")).expect("writing the stand-in");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .expect("making the stand-in executable");
    path
}

fn cargo_release(cc: &Path, args: &[&str]) -> Output {
    Command::new("bash")
        .arg(root().join("scripts/cargo-release"))
        .args(args)
        .env("CC", cc)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("bash runs the script")
}

fn printed_dir(cc: &Path) -> PathBuf {
    let output = cargo_release(cc, &["--print-dir"]);
    assert!(output.status.success(), "{output:?}");
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim_end())
}

#[test]
fn static_build_lands_in_the_host_directory_where_libc_a_exists() {
    let dir = tempfile::tempdir().expect("temp dir");
    let libc = dir.path().join("libc.a");
    std::fs::write(&libc, b"").expect("writing a stand-in libc.a");
    let finds = compiler(dir.path(), &libc.to_string_lossy());
    let host = host();
    let expected = if host.contains("-linux-gnu") {
        root().join("target").join(&host).join("release")
    } else {
        root().join("target/release")
    };
    assert_eq!(printed_dir(&finds), expected);
}

#[test]
fn plain_cargo_where_libc_a_is_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // What gcc prints when it does not find the library: the bare name back.
    let misses = compiler(dir.path(), "libc.a");
    assert_eq!(printed_dir(&misses), root().join("target/release"));
    let absent = dir.path().join("no-such-compiler");
    assert_eq!(printed_dir(&absent), root().join("target/release"));
}

#[test]
fn no_cargo_command_is_a_usage_error() {
    let output = cargo_release(Path::new("cc"), &[]);
    assert_eq!(output.status.code(), Some(129), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: scripts/cargo-release"));
}
