//! The vendored gix-pack (vendor/README.md) keeps undeltified objects in the delta cache and
//! resolves delta chains from a cached base. Every object of a packed repository with long delta
//! chains must still read back byte for byte as `git cat-file --batch` prints it, whatever the
//! order of reads: bases before their deltas, deltas before their bases, and everything again
//! with the cache full.

use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;

mod support;

fn git(dir: &Path, home: &Path, args: &[&str]) -> Vec<u8> {
    let mut command = git_rtk::hermetic::Hermetic::new(home)
        .tracking(git_rtk::hermetic::Tracking::Off)
        .command("git", dir, args);
    support::succeeded(&mut command, &format!("git {args:?}")).stdout
}

/// A repository whose one file has 40 versions, each a small edit of the last, packed with deep
/// delta chains; plus a second file, so chains of two paths interleave in the pack.
fn packed_repository(home: &Path) -> std::path::PathBuf {
    let work = home.join("work");
    std::fs::create_dir_all(&work).expect("work dir");
    git(&work, home, &["init", "-q"]);
    let mut text: String = (0..400).map(|i| format!("line {i}\n")).collect();
    for version in 0..40 {
        text = text.replacen(
            &format!("line {}\n", version * 7),
            &format!("edited {version}\n"),
            1,
        );
        std::fs::write(work.join("file.txt"), &text).expect("write file");
        std::fs::write(work.join("other.txt"), text.repeat(2)).expect("write other");
        git(&work, home, &["add", "."]);
        git(
            &work,
            home,
            &["commit", "-q", "-m", &format!("version {version}")],
        );
    }
    git(
        &work,
        home,
        &["repack", "-a", "-d", "-f", "--depth=50", "-q"],
    );
    work
}

/// Every object id in the repository, in the pack's order, with whether it is stored as a delta.
fn objects(work: &Path, home: &Path) -> Vec<(String, bool)> {
    let listed = git(
        work,
        home,
        &[
            "cat-file",
            "--batch-all-objects",
            "--unordered",
            "--batch-check=%(objectname) %(deltabase)",
        ],
    );
    String::from_utf8(listed)
        .expect("ids are ASCII")
        .lines()
        .map(|line| {
            let (id, base) = line.split_once(' ').expect("two fields");
            (id.to_owned(), base.bytes().any(|b| b != b'0'))
        })
        .collect()
}

/// The contents git prints for `id`.
fn contents_by_git(work: &Path, home: &Path, ids: &[String]) -> Vec<Vec<u8>> {
    let mut child = git_rtk::hermetic::Hermetic::new(home)
        .tracking(git_rtk::hermetic::Tracking::Off)
        .command("git", work, &["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git cat-file runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let output = child.wait_with_output().expect("git cat-file ends");
    writer.join().expect("writer").expect("request written");
    let mut rest = output.stdout.as_slice();
    let mut contents = Vec::new();
    for _ in ids {
        let header_end = rest.iter().position(|&b| b == b'\n').expect("header");
        let header = std::str::from_utf8(&rest[..header_end]).expect("header is ASCII");
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("size");
        let body = &rest[header_end + 1..header_end + 1 + size];
        contents.push(body.to_vec());
        rest = &rest[header_end + 1 + size + 1..];
    }
    contents
}

#[test]
fn every_object_reads_back_as_git_prints_it_in_any_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path();
    let work = packed_repository(home);
    let objects = objects(&work, home);
    let deltas = objects.iter().filter(|(_, is_delta)| *is_delta).count();
    assert!(deltas >= 40, "the pack has delta chains ({deltas} deltas)");

    let ids: Vec<String> = objects.iter().map(|(id, _)| id.clone()).collect();
    let expected: std::collections::HashMap<&str, Vec<u8>> = ids
        .iter()
        .map(String::as_str)
        .zip(contents_by_git(&work, home, &ids))
        .collect();

    let bases_first: Vec<&str> = objects
        .iter()
        .filter(|(_, d)| !d)
        .chain(objects.iter().filter(|(_, d)| *d))
        .map(|(id, _)| id.as_str())
        .collect();
    let deltas_first: Vec<&str> = bases_first.iter().rev().copied().collect();
    for order in [&bases_first, &deltas_first] {
        // A fresh repository handle: an empty cache, filled along the order.
        let repo = gix::open(&work).expect("open");
        for _pass in 0..2 {
            for id in order.iter() {
                let object = repo
                    .find_object(gix::ObjectId::from_hex(id.as_bytes()).expect("hex id"))
                    .expect("object found");
                assert_eq!(object.data, expected[id], "object {id} differs from git's");
            }
        }
    }
}
