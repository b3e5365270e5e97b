//! Byte-oriented line handling: git output is bytes (paths and contents need not be UTF-8), so
//! every comparison works on `&[u8]` and text is only made for messages.

/// The lines of `bytes`, without their `\n`; a final newline does not make an empty last line.
pub fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|&byte| byte == b'\n').collect()
}

/// Whether `needle` occurs in `haystack` (an empty needle always does).
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// A message-friendly rendering of bytes.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Bytes for a message, cut after `limit` characters so a failure stays readable.
pub fn excerpt(bytes: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut cut: String = text.chars().take(limit).collect();
    if cut.len() < text.len() {
        cut.push_str(&format!("\n[… {} more bytes]", text.len() - cut.len()));
    }
    cut
}
