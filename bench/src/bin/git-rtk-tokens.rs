//! `git-rtk-tokens [FILE...]`: o200k_base token counts of files (or stdin), one line each, the way
//! the benchmark counts them. A development aid for sizing output formats.

#[path = "../tokens.rs"]
mod tokens;

use std::io::Read;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let counter = tokens::TokenCounter::o200k()?;
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
        println!("{}", counter.count(&bytes));
    }
    for file in files {
        let bytes = std::fs::read(&file).with_context(|| format!("reading {file}"))?;
        println!("{} {file}", counter.count(&bytes));
    }
    Ok(())
}
