//! Paths relative to the directory the user ran the command in, as git prints them.

/// Rewrites the repository-relative `path` relative to `prefix` (the current directory relative
/// to the work tree, with no trailing slash; empty at the top).
///
/// Mirrors git's `relative_path()`: `b` seen from `sub` is `../b`, and the current directory
/// itself is `./`.
pub fn relative_to_prefix(path: &[u8], prefix: &[u8], out: &mut Vec<u8>) {
    if prefix.is_empty() {
        out.extend_from_slice(path);
        return;
    }
    let path_parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
    let prefix_parts: Vec<&[u8]> = prefix
        .split(|&b| b == b'/')
        .filter(|p| !p.is_empty())
        .collect();
    // A trailing slash (collapsed directory) leaves an empty last component.
    let trailing_slash = path.ends_with(b"/");
    let path_parts: &[&[u8]] = if trailing_slash {
        &path_parts[..path_parts.len() - 1]
    } else {
        &path_parts
    };
    let common = path_parts
        .iter()
        .zip(prefix_parts.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = prefix_parts.len() - common;
    let rest = &path_parts[common..];
    let start = out.len();
    for _ in 0..ups {
        out.extend_from_slice(b"../");
    }
    for (i, part) in rest.iter().enumerate() {
        out.extend_from_slice(part);
        if i + 1 < rest.len() || trailing_slash {
            out.push(b'/');
        }
    }
    if out.len() == start {
        out.extend_from_slice(b"./");
    }
}

#[cfg(test)]
mod tests {
    use super::relative_to_prefix;

    fn rel(path: &str, prefix: &str) -> String {
        let mut out = Vec::new();
        relative_to_prefix(path.as_bytes(), prefix.as_bytes(), &mut out);
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn paths_are_shown_relative_to_the_current_directory() {
        assert_eq!(rel("b", ""), "b");
        assert_eq!(rel("b", "sub"), "../b");
        assert_eq!(rel("sub/a", "sub"), "a");
        assert_eq!(rel("sub/", "sub"), "./");
        assert_eq!(rel("sub/deeper/", "sub"), "deeper/");
        assert_eq!(rel("other/x", "sub/deep"), "../../other/x");
    }
}
