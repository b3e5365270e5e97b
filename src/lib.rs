//! git-rtk: compact, parity-checked git subcommands for AI coding agents.
//!
//! Each `git-rtk-<cmd>` binary is a thin `main` over [`registry::main`]: every command is
//! declared once in its module under [`commands`], with its options table ([`options`]). A read
//! plugin runs natively through gitoxide ([`plugin`]) and hands the argv to real git
//! ([`passthrough`]) whenever a flag or a repository state is outside what the native path serves
//! faithfully; a mutating plugin runs git and reports what changed ([`mutate`]).

pub mod certificate;
pub mod command;
pub mod commands;
pub mod diff;
pub mod dirs;
pub mod docs;
pub mod edit;
pub mod failure;
pub mod finish;
pub mod git_acceleration;
pub mod git_records;
pub mod git_size;
pub mod help;
pub mod hermetic;
pub mod history;
pub mod hook;
pub mod index_read;
pub mod index_refresh;
pub mod mutate;
pub mod options;
pub mod passthrough;
pub mod paths;
pub mod plugin;
pub mod quote;
pub mod registry;
pub mod relative;
pub mod render;
pub mod repo;
pub mod rewrite;
pub mod state;
pub mod track;
pub mod untracked_cache;
pub mod upstream;
pub mod worktree_status;
pub mod write;
