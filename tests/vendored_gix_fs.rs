//! The vendored gix-fs (vendor/README.md) keeps the behaviour of the published crate: its faster
//! path splitting agrees with `Path::components`, and its path stack ends on the same paths with
//! the same delegate calls as the published code (restated below), over every sequence of three
//! paths from a list of tricky ones.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use gix::fs::stack::{Delegate, ToNormalPathComponents};
use gix::fs::Stack;

const PATHS: &[&str] = &[
    "a",
    "a/b",
    "a/b/c.txt",
    "a/b/d.txt",
    "a/c",
    "a//b",
    "a/./b",
    "a/b/",
    "./a",
    ".",
    "..",
    "a/../b",
    "/a",
    "/",
    "b",
    "a b/ü/\"q\"",
    "a/b/c/d/e/f",
    "a/b/c/x",
    "z",
];

/// What `Path::components` says: the normal components, or an error for any other kind.
fn reference(path: &Path) -> Vec<Result<&OsStr, ()>> {
    path.components()
        .map(|c| match c {
            Component::Normal(c) => Ok(c),
            _ => Err(()),
        })
        .collect()
}

#[test]
fn splitting_a_path_agrees_with_path_components() {
    for path in PATHS.iter().map(Path::new) {
        let ours: Vec<Result<&OsStr, ()>> = (&path)
            .to_normal_path_components()
            .map(|c| c.map_err(|_| ()))
            .collect();
        assert_eq!(ours, reference(path), "{}", path.display());
    }
}

#[derive(Default)]
struct Record(Vec<String>);

impl Delegate for Record {
    fn push_directory(&mut self, stack: &Stack) -> std::io::Result<()> {
        self.0
            .push(format!("dir+ {}", stack.current_relative().display()));
        Ok(())
    }

    fn push(&mut self, is_last: bool, stack: &Stack) -> std::io::Result<()> {
        self.0.push(format!(
            "push {is_last} {} {}",
            stack.current().display(),
            stack.current_relative().display()
        ));
        Ok(())
    }

    fn pop_directory(&mut self) {
        self.0.push("dir-".into());
    }
}

/// gix-fs 0.24.1's `Stack::make_relative_path_current` as published (MIT OR Apache-2.0),
/// with `PathBuf::push`/`pop` and `Path::components`: the behaviour the vendored copy must keep.
struct ReferenceStack {
    current: PathBuf,
    current_relative: PathBuf,
    valid_components: usize,
    current_is_directory: bool,
    calls: Vec<String>,
}

impl ReferenceStack {
    fn new(root: &Path) -> Self {
        ReferenceStack {
            current: root.to_path_buf(),
            current_relative: PathBuf::new(),
            valid_components: 0,
            current_is_directory: true,
            calls: Vec::new(),
        }
    }

    fn push_directory(&mut self) {
        self.calls
            .push(format!("dir+ {}", self.current_relative.display()));
    }

    fn push(&mut self, is_last: bool) {
        self.calls.push(format!(
            "push {is_last} {} {}",
            self.current.display(),
            self.current_relative.display()
        ));
    }

    fn make_relative_path_current(&mut self, relative: &Path) {
        let mut components = relative
            .components()
            .map(|c| c.as_os_str().to_owned())
            .peekable();
        if self.valid_components == 0 {
            self.push_directory();
        }
        let mut matching_components = 0;
        {
            let mut existing_components = self.current_relative.components();
            while let (Some(existing_comp), Some(new_comp)) =
                (existing_components.next(), components.peek())
            {
                if existing_comp.as_os_str() == new_comp {
                    components.next();
                    matching_components += 1;
                } else {
                    break;
                }
            }
        }
        for _ in 0..self.valid_components - matching_components {
            self.current.pop();
            self.current_relative.pop();
            if self.current_is_directory {
                self.calls.push("dir-".into());
            }
            self.current_is_directory = true;
        }
        self.valid_components = matching_components;
        if matching_components != 0 && components.peek().is_none() {
            if self.current_is_directory {
                self.calls.push("dir-".into());
                self.current_is_directory = false;
            }
            self.push(true);
            return;
        }
        if !self.current_is_directory && components.peek().is_some() {
            self.push(false);
            self.current_is_directory = true;
            self.push_directory();
        }
        while let Some(comp) = components.next() {
            let is_last_component = components.peek().is_none();
            self.current_is_directory = !is_last_component;
            self.current.push(&comp);
            self.current_relative.push(&comp);
            self.valid_components += 1;
            self.push(is_last_component);
            if self.current_is_directory {
                self.push_directory();
            }
        }
    }
}

#[test]
fn the_stack_moves_between_paths_as_the_published_crate_does() {
    let root = Path::new("/work/tree");
    let valid: Vec<&str> = PATHS
        .iter()
        .copied()
        .filter(|p| reference(Path::new(p)).iter().all(Result::is_ok) && !p.is_empty())
        .filter(|p| !reference(Path::new(p)).is_empty())
        .collect();
    // Every path after every other, and every path after every pair: the stack's state carries
    // over between calls, so sequences matter.
    for first in &valid {
        for second in &valid {
            for third in &valid {
                let mut stack = Stack::new(root.to_path_buf());
                let mut record = Record::default();
                let mut reference = ReferenceStack::new(root);
                for path in [first, second, third] {
                    stack
                        .make_relative_path_current(Path::new(path), &mut record)
                        .expect("a valid path");
                    reference.make_relative_path_current(Path::new(path));
                    assert_eq!(
                        stack.current(),
                        reference.current,
                        "{first} → {second} → {third}"
                    );
                    assert_eq!(
                        stack.current_relative(),
                        reference.current_relative,
                        "{first} → {second} → {third}"
                    );
                }
                assert_eq!(record.0, reference.calls, "{first} → {second} → {third}");
            }
        }
    }
}
