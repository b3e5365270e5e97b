//! Paths the user typed, read as git reads them: relative to the current directory.

use gix::bstr::BString;

/// `typed` (relative to the current directory `prefix`, the work tree's top being `""`) as a
/// repository-relative path, or `None` for pathspec magic, wildcards, or a path outside the work
/// tree: git judges those itself.
pub fn repository_path(prefix: &str, typed: &str) -> Option<BString> {
    if typed.starts_with(':') || typed.contains(['*', '?', '[', '\\']) {
        return None;
    }
    let mut parts: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
    for part in typed.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/").into())
}

#[cfg(test)]
mod tests {
    use super::repository_path;

    #[test]
    fn typed_paths_are_read_from_the_current_directory() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("", "src/lib.rs", Some("src/lib.rs")),
            ("src", "lib.rs", Some("src/lib.rs")),
            ("src/a", "../b/./c.rs", Some("src/b/c.rs")),
            ("src", "..", Some("")),
            ("", "..", None),
            ("", "*.rs", None),
            ("", ":(glob)x", None),
        ];
        for (prefix, typed, expected) in cases {
            assert_eq!(
                repository_path(prefix, typed)
                    .as_ref()
                    .map(|p| p.to_string()),
                expected.map(str::to_owned),
                "{typed} from {prefix:?}"
            );
        }
    }
}
