//! `git rtk-write` run as a binary: output, exit codes and the files on disk afterwards.

#[path = "write_cli/support.rs"]
mod support;

#[path = "write_cli/corpus.rs"]
mod corpus;

#[path = "write_cli/every_key.rs"]
mod every_key;

#[path = "write_cli/set.rs"]
mod set;

#[path = "write_cli/replace.rs"]
mod replace;

#[path = "write_cli/patch.rs"]
mod patch;

#[path = "write_cli/create.rs"]
mod create;

#[path = "write_cli/cli.rs"]
mod cli;
