//! The few system calls the write core needs that `std` does not offer on our MSRV:
//! `flock`, `renameat2(RENAME_NOREPLACE)` and a liveness probe for a process id. The `flock`
//! helpers also serve shared logs ([`super::append`]) and the tracking database's lock
//! (`crate::track::database`).
//!
//! Every `unsafe` block here is a plain libc call on a valid fd or NUL-terminated path; nothing
//! else in `src/write/` uses `unsafe`.

use std::ffi::{CString, OsStr};
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::io::AsRawFd as _;
use std::path::Path;

/// `flock(file, operation)`, retried when a signal interrupts it. With `LOCK_NB`, `Ok(false)`
/// means a conflicting lock is held elsewhere.
fn flock(file: &File, operation: libc::c_int) -> io::Result<bool> {
    loop {
        // SAFETY: `file` owns a valid descriptor for the duration of the call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), operation) };
        if rc == 0 {
            return Ok(true);
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(code) if code == libc::EWOULDBLOCK || code == libc::EAGAIN => return Ok(false),
            _ => return Err(err),
        }
    }
}

/// Takes an exclusive `flock` on `file` without waiting. `Ok(false)`: someone else holds it.
pub(crate) fn try_lock_exclusive(file: &File) -> io::Result<bool> {
    flock(file, libc::LOCK_EX | libc::LOCK_NB)
}

/// Takes an exclusive `flock` on `file`, waiting for it.
pub(crate) fn lock_exclusive(file: &File) -> io::Result<()> {
    flock(file, libc::LOCK_EX).map(drop)
}

/// Takes a shared `flock` on `file`, waiting for an exclusive holder to let go.
pub(crate) fn lock_shared(file: &File) -> io::Result<()> {
    flock(file, libc::LOCK_SH).map(drop)
}

/// Whether a process with this id exists (in our pid namespace). `EPERM` means it exists but
/// belongs to someone else.
pub(crate) fn process_exists(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence and permission; nothing is delivered.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

/// Renames `from` to `to` unless `to` exists (`EEXIST` then). `ErrorKind::Unsupported` when the
/// kernel or file system lacks `RENAME_NOREPLACE`; the caller falls back to `link`.
#[cfg(target_os = "linux")]
pub(crate) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    let from = c_path(from)?;
    let to = c_path(to)?;
    // SAFETY: both strings are NUL-terminated and outlive the call; AT_FDCWD resolves them like
    // rename(2) would. The raw syscall works with glibc and musl alike.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "RENAME_NOREPLACE is not supported here",
        )),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn rename_noreplace(_from: &Path, _to: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "RENAME_NOREPLACE is not supported here",
    ))
}

/// Dies by SIGKILL, as a crash would: no destructor, no cleanup. For the crash suite only.
#[cfg(feature = "failpoints")]
pub(crate) fn kill_self() -> ! {
    // SAFETY: sending a signal to ourselves; SIGKILL cannot be caught or ignored.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    // Delivery to a multi-threaded process may lag the call by an instant; never go on meanwhile.
    loop {
        std::thread::park();
    }
}

/// Starts writeback of `file`'s dirty pages without waiting (a hint; errors are ignored because
/// the fsync that follows reports any real failure).
#[cfg(target_os = "linux")]
pub(crate) fn start_writeback(file: &File) {
    // SAFETY: a valid descriptor; offset 0 and length 0 mean "the whole file".
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn start_writeback(_file: &File) {}

/// Opens directory `dir` for listing, locking and syncing. With `O_NOATIME` where the kernel
/// allows it (we own the directory): listing it is bookkeeping, and an access-time update would
/// dirty the directory's inode, which the next sync then has to write to the journal.
pub(crate) fn open_directory(dir: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let open = |extra: libc::c_int| {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | extra)
            .open(dir)
    };
    match open(libc::O_NOATIME) {
        // Not the directory's owner: O_NOATIME is refused, a plain open is not.
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => open(0),
        other => other,
    }
}

/// Calls `visit` with each name in the open directory `dir` (without `.` and `..`), from the
/// start whatever was read through `dir` before. Names only: nothing is stat'ed.
pub(crate) fn visit_names(dir: &File, mut visit: impl FnMut(&OsStr)) -> io::Result<()> {
    // A duplicate shares the file offset, hence the rewind; `dir` stays usable for flock/fsync.
    let mut listing = rustix::fs::Dir::new(dir.try_clone()?)?;
    listing.rewind();
    for entry in listing {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name != b"." && name != b".." {
            visit(OsStr::from_bytes(name));
        }
    }
    Ok(())
}
