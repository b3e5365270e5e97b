use gix_error::Result;
use std::{
    ffi::OsStr,
    path::{Component, Path, PathBuf},
};

use bstr::{BStr, BString, ByteSlice};
use gix_error::message;

use crate::Stack;

/// Obtain an iterator over `OsStr`-components which are normal, none-relative and not absolute.
pub trait ToNormalPathComponents {
    /// Return an iterator over the normal components of a path, without the separator.
    fn to_normal_path_components(&self) -> impl Iterator<Item = Result<&OsStr>>;
}

impl ToNormalPathComponents for &Path {
    fn to_normal_path_components(&self) -> impl Iterator<Item = Result<&OsStr>> {
        // git-rtk: on Unix, split the bytes as `Path::components` would (empty and inner `.`
        // components dropped, a leading `.` and any `..` or root reported) without its per-call
        // parsing state; the slow path remains for everything else.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bytes = self.as_os_str().as_bytes();
            let path = *self;
            let leading_root = bytes.first() == Some(&b'/');
            let leading_dot = bytes == b"." || bytes.starts_with(b"./");
            let mut first = true;
            bytes.split(|b| *b == b'/').filter_map(move |c| {
                let at_start = std::mem::take(&mut first);
                if at_start && (leading_root || leading_dot) {
                    return Some(Err(message!(
                        "Input path \"{}\" contains relative or absolute components",
                        path.display()
                    )
                    .validation_error()));
                }
                match c {
                    b"" | b"." => None,
                    b".." => Some(Err(message!(
                        "Input path \"{}\" contains relative or absolute components",
                        path.display()
                    )
                    .validation_error())),
                    _ => Some(Ok(OsStr::from_bytes(c))),
                }
            })
        }
        #[cfg(not(unix))]
        self.components().map(|c| component_to_os_str(c, self.display()))
    }
}

impl ToNormalPathComponents for PathBuf {
    fn to_normal_path_components(&self) -> impl Iterator<Item = Result<&OsStr>> {
        self.components().map(|c| component_to_os_str(c, self.display()))
    }
}

fn component_to_os_str(component: Component<'_>, path_with_component: impl std::fmt::Display) -> Result<&OsStr> {
    match component {
        Component::Normal(os_str) => Ok(os_str),
        _ => Err(
            message!("Input path \"{path_with_component}\" contains relative or absolute components")
                .validation_error(),
        ),
    }
}

impl ToNormalPathComponents for &BStr {
    fn to_normal_path_components(&self) -> impl Iterator<Item = Result<&OsStr>> {
        self.split(|b| *b == b'/')
            .filter_map(|c| bytes_component_to_os_str(c, self))
    }
}

impl ToNormalPathComponents for &str {
    fn to_normal_path_components(&self) -> impl Iterator<Item = Result<&OsStr>> {
        self.split('/')
            .filter_map(|c| bytes_component_to_os_str(c.as_bytes(), (*self).into()))
    }
}

impl ToNormalPathComponents for &BString {
    fn to_normal_path_components(&self) -> impl Iterator<Item = Result<&OsStr>> {
        self.split(|b| *b == b'/')
            .filter_map(|c| bytes_component_to_os_str(c, self.as_bstr()))
    }
}

fn bytes_component_to_os_str<'a>(component: &'a [u8], path: &BStr) -> Option<Result<&'a OsStr>> {
    if component.is_empty() {
        return None;
    }
    // git-rtk: on Unix a component between slashes is a normal component unless it is `.` or
    // `..`; answering that from the bytes avoids parsing each one as a `Path`.
    #[cfg(unix)]
    if component != b"." && component != b".." {
        use std::os::unix::ffi::OsStrExt;
        return Some(Ok(OsStr::from_bytes(component)));
    }
    let component = match gix_path::from_byte_slice(component.as_bstr()) {
        Ok(c) => c,
        Err(err) => return Some(Err(err)),
    };
    let component = component.components().next()?;
    Some(component_to_os_str(component, path))
}

/// Access
impl Stack {
    /// Returns the top-level path of the stack.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the absolute path the currently set path.
    pub fn current(&self) -> &Path {
        &self.current
    }

    /// Returns the currently set path relative to the [`root()`][Stack::root()].
    pub fn current_relative(&self) -> &Path {
        &self.current_relative
    }
}

/// A delegate for use in a [`Stack`].
pub trait Delegate {
    /// Called whenever we push a directory on top of the stack, and after the respective call to [`push()`](Self::push).
    ///
    /// It is only called if the currently acted on path is a directory in itself, which is determined by knowing
    /// that it's not the last component of the path.
    /// Use [`Stack::current()`] to see the directory.
    fn push_directory(&mut self, stack: &Stack) -> std::io::Result<()>;

    /// Called after any component was pushed, and for every requested terminal component even if it was cached,
    /// with the path available at [`Stack::current()`].
    ///
    /// `is_last_component` is `true` if the path is completely built, which typically means it's not a directory.
    fn push(&mut self, is_last_component: bool, stack: &Stack) -> std::io::Result<()>;

    /// Called right after a directory-component was popped off the stack.
    ///
    /// Use it to pop information off internal data structures. Note that no equivalent call exists for popping
    /// the file-component.
    fn pop_directory(&mut self);
}

impl Stack {
    /// Create a new instance with `root` being the base for all future paths we handle, assuming it to be valid which includes
    /// symbolic links to be included in it as well.
    pub fn new(root: PathBuf) -> Self {
        Stack {
            current: root.clone(),
            current_relative: PathBuf::with_capacity(128),
            valid_components: 0,
            root,
            current_is_directory: true,
            lengths: Vec::new(),
        }
    }

    /// Set the current stack to point to the `relative` path, calling [`Delegate::push()`] for new components
    /// and for the terminal component, even when the latter was cached.
    ///
    /// Only leading directories remain cached. The caller may replace the terminal entry without invalidating the
    /// stack: using it as a leading directory later will validate it again. Shared leading directories are reused
    /// without additional delegate calls and must not be changed by the caller or other actors.
    /// Directory push/pop calls remain balanced even when a previously leading directory becomes a terminal entry.
    ///
    /// The path is also expected to be normalized, and should not contain extra separators, and must not contain `..`
    /// or have leading or trailing slashes (or additionally backslashes on Windows).
    pub fn make_relative_path_current(
        &mut self,
        relative: impl ToNormalPathComponents,
        delegate: &mut dyn Delegate,
    ) -> std::io::Result<()> {
        let mut components = relative.to_normal_path_components().peekable();
        if self.valid_components != 0 && components.peek().is_none() {
            return Err(std::io::Error::other("empty inputs are not allowed"));
        }
        if self.valid_components == 0 {
            delegate.push_directory(self)?;
        }

        let mut matching_components = 0;
        {
            let mut existing_components = relative_components(&self.current_relative);
            while let (Some(existing_comp), Some(new_comp)) = (existing_components.next(), components.peek()) {
                match new_comp {
                    Ok(new_comp) => {
                        if existing_comp == *new_comp {
                            components.next();
                            matching_components += 1;
                        } else {
                            break;
                        }
                    }
                    Err(_) => {
                        let err = components.next().expect("just peeked").expect_err("peeked an error");
                        return Err(std::io::Error::other(err));
                    }
                }
            }
        }

        for _ in 0..self.valid_components - matching_components {
            self.pop_component();
            if self.current_is_directory {
                delegate.pop_directory();
            }
            self.current_is_directory = true;
        }
        self.valid_components = matching_components;

        if matching_components != 0 && components.peek().is_none() {
            // The caller may replace this entry, so it must no longer be cached as a leading directory.
            if self.current_is_directory {
                delegate.pop_directory();
                self.current_is_directory = false;
            }
            return delegate.push(true, self);
        }

        if !self.current_is_directory && components.peek().is_some() {
            delegate.push(false, self)?;
            // Make sure we don't consider this a directory if the `push` above fails.
            self.current_is_directory = true;
            if let Err(err) = delegate.push_directory(self) {
                self.current_is_directory = false;
                return Err(err);
            }
        }

        while let Some(comp) = components.next() {
            let comp = comp.map_err(std::io::Error::other)?;
            let is_last_component = components.peek().is_none();
            let parent_is_directory = self.current_is_directory;
            self.current_is_directory = !is_last_component;
            self.push_component(comp);
            self.valid_components += 1;
            let res = delegate.push(is_last_component, self);
            if let Err(err) = res {
                self.pop_component();
                self.valid_components -= 1;
                self.current_is_directory = parent_is_directory;
                return Err(err);
            }
            if self.current_is_directory
                && let Err(err) = delegate.push_directory(self)
            {
                self.pop_component();
                self.valid_components -= 1;
                self.current_is_directory = parent_is_directory;
                return Err(err);
            }
        }
        Ok(())
    }
}

/// git-rtk: the components of a relative path the stack built itself (only normal components).
fn relative_components(path: &Path) -> impl Iterator<Item = &OsStr> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str()
            .as_bytes()
            .split(|b| *b == b'/')
            .filter(|c| !c.is_empty())
            .map(OsStr::from_bytes)
    }
    #[cfg(not(unix))]
    {
        path.components().map(|c| c.as_os_str())
    }
}

impl Stack {
    /// git-rtk: `push` on both paths, remembering their lengths to return to.
    fn push_component(&mut self, component: &OsStr) {
        self.lengths
            .push((self.current.as_os_str().len(), self.current_relative.as_os_str().len()));
        self.current.push(component);
        self.current_relative.push(component);
    }

    /// git-rtk: the inverse of [`Self::push_component`], by truncation.
    fn pop_component(&mut self) {
        match self.lengths.pop() {
            #[cfg(unix)]
            Some((current, relative)) => {
                truncate(&mut self.current, current);
                truncate(&mut self.current_relative, relative);
            }
            _ => {
                self.current.pop();
                self.current_relative.pop();
            }
        }
    }
}

#[cfg(unix)]
fn truncate(path: &mut PathBuf, len: usize) {
    use std::os::unix::ffi::OsStringExt;
    let mut bytes = std::mem::take(path).into_os_string().into_vec();
    bytes.truncate(len);
    *path = PathBuf::from(std::ffi::OsString::from_vec(bytes));
}
