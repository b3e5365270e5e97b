//! Shared by the test binaries: the list of binaries Cargo.toml declares and where the build put
//! them, running a command that must succeed, and the rewrite policy the property tests run under.
#![allow(dead_code)]

pub mod policy;
pub mod temp_repo;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `[[bin]]` names in Cargo.toml: the list every other place is checked against.
pub fn binaries() -> Vec<String> {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let manifest: toml::Table = manifest.parse().expect("Cargo.toml parses");
    manifest["bin"]
        .as_array()
        .expect("[[bin]] entries")
        .iter()
        .map(|bin| bin["name"].as_str().expect("bin name").to_owned())
        .collect()
}

/// The directory the build put the binaries in (this test executable's `deps/`'s parent).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target dir")
        .to_path_buf()
}

/// Where the build put plugin `git-rtk-<name>`.
pub fn plugin_binary(name: &str) -> PathBuf {
    target_dir().join(format!("git-rtk-{name}"))
}

/// Runs `command` to the end and requires it to succeed; `what` names it in a failure.
pub fn succeeded(command: &mut Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what} does not run: {error}"));
    assert!(output.status.success(), "{what}: {output:?}");
    output
}
