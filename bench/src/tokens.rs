//! Token counts with the o200k_base encoding (GPT-4o family), as an agent's context would see them.
//!
//! The ranks ship inside the `tiktoken-rs` crate (compiled in with `include_str!`): no network at
//! run time. Only the benchmark counts tokens; the plugins never do.

use anyhow::{Context, Result};
use tiktoken_rs::CoreBPE;

pub struct TokenCounter(CoreBPE);

impl TokenCounter {
    pub fn o200k() -> Result<Self> {
        tiktoken_rs::o200k_base()
            .map(TokenCounter)
            .context("loading the o200k_base ranks bundled with tiktoken-rs")
    }

    /// Tokens of `bytes` read as text (invalid UTF-8 replaced, as a terminal-reading agent gets it).
    /// Special-token spellings in the text count as ordinary text.
    pub fn count(&self, bytes: &[u8]) -> usize {
        self.0
            .encode_ordinary(&String::from_utf8_lossy(bytes))
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_known_text() -> Result<()> {
        let counter = TokenCounter::o200k()?;
        assert_eq!(counter.count(b""), 0);
        // "hello world" is two tokens in every OpenAI BPE.
        assert_eq!(counter.count(b"hello world"), 2);
        Ok(())
    }
}
