//! `git rtk-write` run as a binary.
