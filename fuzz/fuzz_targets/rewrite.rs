//! Fuzzes the command-line parser and rewriter: any input must not panic, and a rewrite must be
//! idempotent and change nothing but inserting `rtk-` before subcommand words.
#![no_main]

use git_rtk::certificate::Certificate;
use git_rtk::rewrite::{self, policy::OptIn, policy::Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let policy = Policy {
        opt_in: OptIn::All,
        certificate: Certificate::parse("[commit.\"g\"]\ncases = 1\npasses = 1\n").unwrap(),
    };
    let once = rewrite::rewrite(line, &policy);
    if let Some(rewritten) = &once.command {
        assert!(rewrite::rewrite(rewritten, &policy).command.is_none(), "not idempotent");
        assert_eq!(rewritten.replace("rtk-", ""), line.replace("rtk-", ""));
    }
});
