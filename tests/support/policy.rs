//! The rewrite policy the property tests run under: every command opted in, and the mutating
//! commands a test names certified, so both sides of the certificate check get generated.

use git_rtk::certificate::Certificate;
use git_rtk::rewrite::policy::{OptIn, Policy};

/// Every command opted in; of the mutating ones, `certified` pass their parity cases (one case,
/// on git 2.47.3).
pub fn every_command_opted_in(certified: &[&str]) -> Policy {
    let certificate: String = certified
        .iter()
        .map(|command| format!("[{command}.\"git version 2.47.3\"]\ncases = 1\npasses = 1\n"))
        .collect();
    Policy {
        opt_in: OptIn::All,
        certificate: Certificate::parse(&certificate).expect("certificate parses"),
    }
}
