//! `git rtk-status`.

use std::ffi::OsString;

use crate::plugin::Outcome;

pub fn run(_args: &[OsString]) -> anyhow::Result<Outcome> {
    Ok(Outcome::pass_through("not implemented natively yet"))
}
