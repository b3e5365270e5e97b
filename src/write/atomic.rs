//! Writing one file: temp in the same directory → write → sync → rename → sync the directory.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Durability, WriteError, WriteOptions, WriteStats};

/// Replaces `path`'s content with `contents` atomically (see the module docs).
pub fn write_file(
    path: &Path,
    contents: &[u8],
    options: &WriteOptions,
) -> Result<WriteStats, WriteError> {
    let started = Instant::now();
    let mut stats = WriteStats {
        bytes: contents.len() as u64,
        ..WriteStats::default()
    };
    if std::fs::read(path).is_ok_and(|existing| existing == contents) {
        stats.skipped = true;
        stats.elapsed = started.elapsed();
        return Ok(stats);
    }
    if options.dry_run {
        stats.elapsed = started.elapsed();
        return Ok(stats);
    }
    let dir = parent_dir(path);
    let temp = temp_path(path);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(&temp)
        .map_err(|e| WriteError::io(&temp, "creating the temporary file", e))?;
    let result = (|| {
        file.write_all(contents)
            .map_err(|e| WriteError::io(&temp, "writing", e))?;
        if options.durability == Durability::Durable {
            file.sync_all()
                .map_err(|e| WriteError::io(&temp, "syncing", e))?;
            stats.syncs += 1;
        }
        std::fs::rename(&temp, path).map_err(|e| WriteError::io(path, "renaming into place", e))?;
        stats.renames += 1;
        if options.durability == Durability::Durable {
            File::open(&dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| WriteError::io(&dir, "syncing the directory", e))?;
            stats.syncs += 1;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result?;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// `.<name>.rtk-tmp.<pid>.<nanos>` beside the target, so leftovers are recognisable.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    parent_dir(path).join(format!(".{name}.rtk-tmp.{}.{nanos}", std::process::id()))
}
