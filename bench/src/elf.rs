//! How a binary is linked, read from its ELF header: the report names it beside the plugins'
//! start-up, because linking decides much of what a process of a few milliseconds spends before
//! `main` (the loader mapping shared libraries and applying relocations to a position-independent
//! binary). Parsed by hand: four fields of a 64-bit little-endian header and the program headers'
//! types are all it takes.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// `e_type` of an executable linked at a fixed address.
const ET_EXEC: u16 = 2;
/// `e_type` of a position-independent executable (or a shared library).
const ET_DYN: u16 = 3;
/// The program header that names the dynamic loader: present exactly when the loader runs.
const PT_INTERP: u32 = 3;
/// Size of the 64-bit ELF header; the program headers follow it in binaries as linkers write them.
const HEADER_LEN: usize = 64;

/// The four ways a Linux executable can be linked, as far as start-up is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linking {
    StaticFixed,
    StaticPie,
    DynamicFixed,
    DynamicPie,
}

impl Linking {
    pub fn describe(self) -> &'static str {
        match self {
            Linking::StaticFixed => "static, fixed address",
            Linking::StaticPie => "static PIE",
            Linking::DynamicFixed => "dynamic, fixed address",
            Linking::DynamicPie => "dynamic PIE",
        }
    }
}

/// How the binary at `path` is linked in words, or `unknown (not ELF)` when it is not a 64-bit
/// little-endian ELF executable (or cannot be read).
pub fn describe(path: &Path) -> &'static str {
    read(path).map_or("unknown (not ELF)", Linking::describe)
}

/// Reads only the ELF header and the program headers it points to, not the whole binary.
fn read(path: &Path) -> Option<Linking> {
    let mut file = File::open(path).ok()?;
    let mut bytes = vec![0u8; HEADER_LEN];
    file.read_exact(&mut bytes).ok()?;
    let end = program_headers_end(&bytes)?;
    let mut rest = Vec::new();
    file.take(end.checked_sub(HEADER_LEN as u64)?)
        .read_to_end(&mut rest)
        .ok()?;
    bytes.extend(rest);
    linking(&bytes)
}

/// `bytes` from the start of the file up to at least the end of its program headers.
pub fn linking(bytes: &[u8]) -> Option<Linking> {
    if bytes.len() < HEADER_LEN || &bytes[..4] != b"\x7fELF" || bytes[4] != 2 || bytes[5] != 1 {
        return None;
    }
    let fixed = match u16_at(bytes, 16)? {
        ET_EXEC => true,
        ET_DYN => false,
        _ => return None,
    };
    let (phoff, phentsize, phnum) = program_headers(bytes)?;
    let mut interp = false;
    for i in 0..phnum {
        let start = usize::try_from(phoff + i * phentsize).ok()?;
        interp |= u32_at(bytes, start)? == PT_INTERP;
    }
    Some(match (interp, fixed) {
        (false, true) => Linking::StaticFixed,
        (false, false) => Linking::StaticPie,
        (true, true) => Linking::DynamicFixed,
        (true, false) => Linking::DynamicPie,
    })
}

/// (e_phoff, e_phentsize, e_phnum) of a 64-bit little-endian header.
fn program_headers(bytes: &[u8]) -> Option<(u64, u64, u64)> {
    let phoff = u64::from_le_bytes(bytes.get(32..40)?.try_into().ok()?);
    let phentsize = u64::from(u16_at(bytes, 54)?);
    let phnum = u64::from(u16_at(bytes, 56)?);
    // A program header's p_type is its first 4 bytes.
    (phentsize >= 4).then_some((phoff, phentsize, phnum))
}

/// Where the program headers end: how much of the file [`linking`] needs.
fn program_headers_end(header: &[u8]) -> Option<u64> {
    let (phoff, phentsize, phnum) = program_headers(header)?;
    phoff.checked_add(phentsize.checked_mul(phnum)?)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PT_LOAD: u32 = 1;
    const PHENTSIZE: usize = 56;

    /// A 64-bit little-endian ELF header of type `e_type` followed by one program header per
    /// entry of `types`.
    fn elf(e_type: u16, types: &[u32]) -> Vec<u8> {
        let mut bytes = vec![0u8; HEADER_LEN + PHENTSIZE * types.len()];
        bytes[..4].copy_from_slice(b"\x7fELF");
        bytes[4] = 2;
        bytes[5] = 1;
        bytes[16..18].copy_from_slice(&e_type.to_le_bytes());
        bytes[32..40].copy_from_slice(&(HEADER_LEN as u64).to_le_bytes());
        bytes[54..56].copy_from_slice(&(PHENTSIZE as u16).to_le_bytes());
        bytes[56..58].copy_from_slice(&(types.len() as u16).to_le_bytes());
        for (i, p_type) in types.iter().enumerate() {
            let at = HEADER_LEN + i * PHENTSIZE;
            bytes[at..at + 4].copy_from_slice(&p_type.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn the_four_kinds_of_linking() {
        let cases = [
            (ET_EXEC, &[PT_LOAD, PT_LOAD][..], Linking::StaticFixed),
            (ET_DYN, &[PT_LOAD, PT_LOAD][..], Linking::StaticPie),
            (
                ET_EXEC,
                &[PT_LOAD, PT_INTERP, PT_LOAD][..],
                Linking::DynamicFixed,
            ),
            (
                ET_DYN,
                &[PT_LOAD, PT_INTERP, PT_LOAD][..],
                Linking::DynamicPie,
            ),
        ];
        for (e_type, types, expected) in cases {
            let bytes = elf(e_type, types);
            assert_eq!(linking(&bytes), Some(expected), "{e_type} {types:?}");
            assert_eq!(
                program_headers_end(&bytes[..HEADER_LEN]),
                Some(bytes.len() as u64)
            );
        }
    }

    #[test]
    fn not_elf_or_cut_short() {
        assert_eq!(linking(b"#!/bin/sh\nexit 0\n"), None);
        // A relocatable object (ET_REL) is no executable.
        assert_eq!(linking(&elf(1, &[])), None);
        // 32-bit.
        let mut bytes = elf(ET_EXEC, &[PT_LOAD]);
        bytes[4] = 1;
        assert_eq!(linking(&bytes), None);
        // Program headers past the end of what was read.
        let bytes = elf(ET_DYN, &[PT_LOAD, PT_INTERP]);
        assert_eq!(linking(&bytes[..bytes.len() - PHENTSIZE]), None);
    }

    #[test]
    fn this_test_binary_is_one_of_the_four() {
        let exe = std::env::current_exe().expect("the test binary's path");
        assert!(read(&exe).is_some(), "{}", exe.display());
        assert_ne!(describe(&exe), "unknown (not ELF)");
    }
}
