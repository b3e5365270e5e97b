//! Which file a write really replaces, and what is known about it: symlinks followed to the final
//! target, missing parents created, the content compared and the caller's expectation checked.

use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, Read as _};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::{lock, ContentHash, Expected, FileIdentity, WriteError};

/// Linux gives up after 40 links (`MAXSYMLINKS`); so do we.
const MAX_SYMLINK_HOPS: usize = 40;

/// Chunk size for streaming compares and hashes: large enough that syscalls don't dominate,
/// small enough that a multi-MiB file never sits in memory twice.
const CHUNK: usize = 64 * 1024;

/// The file a write replaces.
#[derive(Debug)]
pub(crate) struct Target {
    /// The final path after following symlinks (equal to the caller's path when it is no link).
    pub path: PathBuf,
    /// `path`'s directory, where the temporary file goes; `.` for a bare file name.
    pub dir: PathBuf,
    /// `path`'s file name.
    pub name: OsString,
    /// `lstat` of `path`; `None` when it does not exist.
    pub existing: Option<Metadata>,
}

/// The directory holding `path` (`.` for a bare name), as rename and the lock need it.
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> Result<OsString, WriteError> {
    path.file_name().map(|n| n.to_owned()).ok_or_else(|| {
        WriteError::io(
            path,
            "resolving the file to write",
            io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
        )
    })
}

/// Follows `requested` through any chain of symlinks to the file that will really be replaced.
/// Relative links resolve against the directory holding the link, as the kernel does; a dangling
/// link resolves to the (absent) file it names, so writing creates that file and keeps the link.
pub(crate) fn resolve(requested: &Path) -> Result<Target, WriteError> {
    let mut path = requested.to_owned();
    for _ in 0..MAX_SYMLINK_HOPS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path)
                    .map_err(|e| WriteError::io(&path, "reading the symlink", e))?;
                path = if link.is_absolute() {
                    link
                } else {
                    match path.parent() {
                        Some(dir) => dir.join(link),
                        None => link,
                    }
                };
            }
            Ok(meta) => {
                if !meta.file_type().is_file() {
                    return Err(WriteError::io(
                        &path,
                        "checking the file to replace",
                        io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"),
                    ));
                }
                return target_at(path, Some(meta));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return target_at(path, None),
            Err(e) => return Err(WriteError::io(&path, "reading the file's metadata", e)),
        }
    }
    Err(WriteError::io(
        requested,
        "following symlinks",
        io::Error::from_raw_os_error(libc::ELOOP),
    ))
}

fn target_at(path: PathBuf, existing: Option<Metadata>) -> Result<Target, WriteError> {
    Ok(Target {
        dir: parent_dir(&path),
        name: file_name(&path)?,
        path,
        existing,
    })
}

/// Directories created for a write, removed again (deepest first) if the write fails, so a failed
/// write leaves nothing behind.
#[derive(Debug, Default)]
pub(crate) struct CreatedDirs {
    dirs: Vec<PathBuf>,
}

impl CreatedDirs {
    /// The write went through: keep the directories.
    pub fn keep(&mut self) {
        self.dirs.clear();
    }
}

impl Drop for CreatedDirs {
    fn drop(&mut self) {
        for dir in self.dirs.iter().rev() {
            // Only empty directories go; anything someone else put there in the meantime stays.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Creates `dir` and any missing ancestors (mode 0777 under the umask, like `mkdir -p`). When
/// `durable`, each new directory's parent is synced so the new entries survive a power loss;
/// returns the number of syncs done.
pub(crate) fn create_parents(
    dir: &Path,
    durable: bool,
    created: &mut CreatedDirs,
) -> Result<u32, WriteError> {
    let mut missing = Vec::new();
    let mut cursor = dir.to_owned();
    loop {
        match fs::metadata(&cursor) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(WriteError::io(
                    &cursor,
                    "creating the parent directory",
                    io::Error::from_raw_os_error(libc::ENOTDIR),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                missing.push(cursor.clone());
                match cursor.parent() {
                    Some(p) if !p.as_os_str().is_empty() => cursor = p.to_owned(),
                    _ => break,
                }
            }
            Err(e) => return Err(WriteError::io(&cursor, "reading the directory", e)),
        }
    }
    let mut syncs = 0;
    for new_dir in missing.iter().rev() {
        match fs::create_dir(new_dir) {
            Ok(()) => created.dirs.push(new_dir.clone()),
            // Someone else created it meanwhile: fine, but it is not ours to remove on failure.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && new_dir.is_dir() => {}
            Err(e) => return Err(WriteError::io(new_dir, "creating the parent directory", e)),
        }
    }
    if durable {
        for new_dir in &created.dirs {
            lock::sync_directory(&parent_dir(new_dir))?;
            syncs += 1;
        }
    }
    Ok(syncs)
}

/// Whether the file at `path` (whose `lstat` is `meta`) holds exactly `contents`. Sizes first;
/// then a chunked compare, so a multi-MiB file is never read into memory whole.
pub(crate) fn same_content(
    path: &Path,
    meta: &Metadata,
    contents: &[u8],
) -> Result<bool, WriteError> {
    if meta.len() != contents.len() as u64 {
        return Ok(false);
    }
    let mut file =
        open_without_atime(path).map_err(|e| WriteError::io(path, "opening to compare", e))?;
    let mut buf = vec![0u8; CHUNK.min(contents.len() + 1)];
    // A small first read: an edit near the top (a version, a key) shows without reading more.
    let mut want = buf.len().min(4096);
    let mut offset = 0;
    loop {
        let n = match file.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(WriteError::io(path, "reading to compare", e)),
        };
        if n == 0 {
            return Ok(offset == contents.len());
        }
        // The file grew since the size check.
        if offset + n > contents.len() || buf[..n] != contents[offset..offset + n] {
            return Ok(false);
        }
        offset += n;
        want = buf.len();
    }
}

/// Opens `path` for reading without updating its access time where the kernel allows it (the
/// caller owns the file). Reading to compare is bookkeeping, not a use of the file; an atime
/// update would also dirty the inode, which the next sync then has to write to the journal.
fn open_without_atime(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    match fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOATIME)
        .open(path)
    {
        // Not the file's owner: O_NOATIME is refused, a plain open is not.
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => File::open(path),
        other => other,
    }
}

pub(crate) fn identity_of(meta: &Metadata) -> FileIdentity {
    FileIdentity {
        device: meta.dev(),
        inode: meta.ino(),
        size: meta.len(),
        modified_nanos: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
    }
}

pub(crate) fn hash_file(path: &Path) -> Result<ContentHash, WriteError> {
    let mut file = File::open(path).map_err(|e| WriteError::io(path, "opening to hash", e))?;
    hash_reader(&mut file).map_err(|e| WriteError::io(path, "reading to hash", e))
}

pub(crate) fn hash_reader(reader: &mut impl io::Read) -> io::Result<ContentHash> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
    }
    Ok(ContentHash(hasher.finalize().into()))
}

/// Whether the file at `path` (metadata `current`, following symlinks) still matches what the
/// caller saw.
pub(crate) fn matches_expected(
    expected: &Expected,
    path: &Path,
    current: Option<&Metadata>,
) -> Result<bool, WriteError> {
    match (expected, current) {
        (Expected::Absent, current) => Ok(current.is_none()),
        (Expected::Present { .. }, None) => Ok(false),
        (
            Expected::Present {
                content_hash,
                identity,
            },
            Some(meta),
        ) => {
            if let Some(identity) = identity {
                if identity_of(meta) != *identity {
                    return Ok(false);
                }
            }
            if let Some(hash) = content_hash {
                return Ok(hash_file(path)? == *hash);
            }
            Ok(true)
        }
    }
}

/// `lstat` that maps "absent" to `None`.
pub(crate) fn metadata_if_exists(path: &Path) -> Result<Option<Metadata>, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(WriteError::io(path, "reading the file's metadata", e)),
    }
}
