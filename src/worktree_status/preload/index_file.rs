//! The index file's entries read in place, so the preload can start while gix decodes the same
//! bytes: only where each entry starts and where its path is, nothing copied but the paths of a
//! version 4 index (stored as differences from the previous path).
//!
//! The layout is git's (`Documentation/gitformat-index.txt`), read as gix-index 0.58 reads it
//! (`src/decode/entries.rs`, `load_one`), so entry `n` here is entry `n` of gix's decode of the
//! same bytes. Whatever gix would read differently or refuse is refused here instead, and the
//! preload then waits for gix's decode: a path of 4,095 bytes or more (gix reads it up to its
//! NUL and skips no padding), extended flags gix does not know, and a split index (its entries
//! are completed from the shared index).

use std::sync::Arc;

use gix::index::entry::{Flags, Mode, Stat};

use super::{Entries, EntryView};
use crate::index_read::Mapped;

/// The index header: `DIRC`, version, entry count ([`crate::index_read::header_entries`]).
const HEADER: usize = 12;

/// ctime, mtime (seconds and nanoseconds each), dev, ino, mode, uid, gid, size: 32 bits each.
const STAT_BYTES: usize = 40;

/// The name length field's largest value, meaning "longer: read up to the NUL".
const LONG_PATH: u16 = 0x0fff;

/// The on-disk flag telling that extended flags follow.
const EXTENDED: u16 = 0x4000;

/// Where one entry's fields and path are.
#[derive(Debug, Clone, Copy)]
struct Located {
    /// Offset of the entry in the file.
    at: u32,
    /// The path: in the file for versions 2 and 3, in [`Table::paths`] for version 4.
    path_start: u32,
    path_len: u32,
}

/// The entries of one index file, in file order.
pub(super) struct Table {
    file: Arc<Mapped>,
    hash_len: usize,
    empty_blob: gix::ObjectId,
    entries: Vec<Located>,
    /// Version 4 only: each path written out in full.
    paths: Vec<u8>,
    in_file_paths: bool,
}

impl Table {
    /// Locates every entry of `file`, an index file hashed with `object_hash`; `None` for what
    /// gix would read differently or refuse (see the module docs) and for anything malformed.
    pub(super) fn locate(file: Arc<Mapped>, object_hash: gix::hash::Kind) -> Option<Self> {
        let bytes = file.bytes();
        let hash_len = object_hash.len_in_bytes();
        if bytes.len() > u32::MAX as usize {
            return None;
        }
        let count = crate::index_read::header_entries(bytes)? as usize;
        let version = be32(bytes, 4)?;
        if !(2..=4).contains(&version) {
            return None;
        }
        let delta_paths = version == 4;
        let fixed = STAT_BYTES + hash_len + 2;
        // Every entry takes at least its fixed part: a count beyond that is corrupt.
        if count > bytes.len() / fixed {
            return None;
        }
        let mut entries = Vec::with_capacity(count);
        let mut paths = Vec::new();
        let mut at = HEADER;
        let mut previous: std::ops::Range<usize> = 0..0;
        for _ in 0..count {
            let flags = be16(bytes, at + STAT_BYTES + hash_len)?;
            let mut next = at + fixed;
            if flags & EXTENDED != 0 {
                let extended = be16(bytes, next)?;
                // gix knows intent-to-add and skip-worktree only, and refuses the rest.
                let known = (Flags::INTENT_TO_ADD | Flags::SKIP_WORKTREE).bits() >> 16;
                if u32::from(extended) & !known != 0 {
                    return None;
                }
                next += 2;
            }
            let located = if delta_paths {
                let (strip, after) = offset_varint(bytes, next)?;
                let suffix_len = bytes.get(after..)?.iter().position(|&b| b == 0)?;
                let kept = previous.end.checked_sub(usize::try_from(strip).ok()?)?;
                let kept = kept.checked_sub(previous.start)?;
                let start = paths.len();
                paths.extend_from_within(previous.start..previous.start + kept);
                paths.extend_from_slice(&bytes[after..after + suffix_len]);
                previous = start..paths.len();
                // Offsets are kept in 32 bits, as they are for the file itself.
                u32::try_from(previous.end).ok()?;
                let located = Located {
                    at: at as u32,
                    path_start: start as u32,
                    path_len: (previous.end - start) as u32,
                };
                next = after + suffix_len + 1;
                located
            } else {
                let path_len = flags & LONG_PATH;
                if path_len == LONG_PATH {
                    return None;
                }
                let path_len = usize::from(path_len);
                bytes.get(next..next + path_len)?;
                let located = Located {
                    at: at as u32,
                    path_start: next as u32,
                    path_len: path_len as u32,
                };
                // The entry is padded with 1 to 8 NULs to a multiple of 8 bytes.
                next = at + ((next + path_len - at + 8) & !7);
                located
            };
            entries.push(located);
            at = next;
        }
        if !only_known_to_keep_entries(bytes, at, hash_len)? {
            return None;
        }
        Some(Table {
            file,
            hash_len,
            empty_blob: gix::ObjectId::empty_blob(object_hash),
            entries,
            paths,
            in_file_paths: !delta_paths,
        })
    }
}

impl Entries for Table {
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn timestamp(&self) -> filetime::FileTime {
        self.file.timestamp()
    }

    fn view(&self, n: usize) -> Option<EntryView<'_>> {
        let bytes = self.file.bytes();
        let located = self.entries.get(n)?;
        let at = located.at as usize;
        let field = |index: usize| be32(bytes, at + 4 * index);
        let stat = Stat {
            ctime: gix::index::entry::stat::Time {
                secs: field(0)?,
                nsecs: field(1)?,
            },
            mtime: gix::index::entry::stat::Time {
                secs: field(2)?,
                nsecs: field(3)?,
            },
            dev: field(4)?,
            ino: field(5)?,
            uid: field(7)?,
            gid: field(8)?,
            size: field(9)?,
        };
        let mode = Mode::from_bits_truncate(field(6)?);
        let id = bytes.get(at + STAT_BYTES..at + STAT_BYTES + self.hash_len)?;
        let on_disk = be16(bytes, at + STAT_BYTES + self.hash_len)?;
        let mut flags = u32::from(on_disk) & !u32::from(LONG_PATH);
        if on_disk & EXTENDED != 0 {
            flags |= u32::from(be16(bytes, at + STAT_BYTES + self.hash_len + 2)?) << 16;
        }
        let paths = if self.in_file_paths {
            bytes
        } else {
            &self.paths
        };
        let start = located.path_start as usize;
        Some(EntryView {
            stat,
            mode,
            flags: Flags::from_bits_retain(flags),
            path: paths.get(start..start + located.path_len as usize)?,
            is_empty_blob: id == self.empty_blob.as_bytes(),
        })
    }
}

/// Whether the extensions from `at` to the trailing checksum leave the entries as they are:
/// everything but `link`, whose split index gix completes from the shared index.
fn only_known_to_keep_entries(bytes: &[u8], mut at: usize, hash_len: usize) -> Option<bool> {
    let end = bytes.len().checked_sub(hash_len)?;
    while at < end {
        let signature = bytes.get(at..at + 4)?;
        let len = be32(bytes, at + 4)? as usize;
        if signature == b"link" {
            return Some(false);
        }
        at = at.checked_add(8 + len)?;
    }
    Some(at == end)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

/// git's "offset" variable-length integer (`decode_varint()` in git's `varint.c`): seven bits per
/// byte, most significant first, each continuation adding one. Returns the value and the offset
/// after it.
fn offset_varint(bytes: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let mut byte = *bytes.get(at)?;
    at += 1;
    let mut value = u64::from(byte & 0x7f);
    while byte & 0x80 != 0 {
        byte = *bytes.get(at)?;
        at += 1;
        value = value.checked_add(1)?.checked_mul(128)? | u64::from(byte & 0x7f);
    }
    Some((value, at))
}
