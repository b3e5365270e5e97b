//! One module per command: its options table, its entry point and its implementation. The
//! registry (`crate::registry`) lists them.

pub mod add;
pub mod blame;
pub mod branch;
pub mod checkout;
pub mod cherry_pick;
pub mod commit;
pub mod diff;
pub mod discover;
pub mod fetch;
pub mod gain;
pub mod grep;
pub mod hook;
pub mod init;
pub mod log;
pub mod merge;
pub mod mv;
pub mod pull;
pub mod push;
pub mod rebase;
pub mod reset;
pub mod restore;
pub mod rewrite;
pub mod rm;
pub mod show;
pub mod stash;
pub mod status;
pub mod switch;
pub mod tag;
pub mod worktree;
pub mod write;
