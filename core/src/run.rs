//! The run record (`run.json`, SPEC §7): what produced a set of results —
//! configuration, input file hashes, engine version and time — so that any
//! figure can be traced back and reproduced.

use crate::config::Config;
use crate::ingest::FileKind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One input file of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    /// Which input it was.
    pub kind: FileKind,
    /// File name as given.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
}

impl InputRecord {
    /// Describes a file by its bytes.
    pub fn new(kind: FileKind, name: &str, bytes: &[u8]) -> InputRecord {
        InputRecord {
            kind,
            name: name.to_owned(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }

    /// Describes a file whose bytes `read` hands over in consecutive
    /// chunks (a file kept outside the caller's memory); `None` when `read`
    /// says it could not read them all (returns false).
    pub fn from_chunks(
        kind: FileKind,
        name: &str,
        read: impl FnOnce(&mut dyn FnMut(&[u8])) -> bool,
    ) -> Option<InputRecord> {
        let (mut hasher, mut size) = (Sha256::new(), 0u64);
        let complete = read(&mut |chunk| {
            hasher.update(chunk);
            size += chunk.len() as u64;
        });
        complete.then(|| InputRecord {
            kind,
            name: name.to_owned(),
            bytes: size,
            sha256: hex(&hasher.finalize()),
        })
    }
}

/// The record of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Engine name and version, e.g. `segscope-core 0.1.0`.
    pub engine: String,
    /// When the run was made (RFC 3339, UTC), as told by the caller.
    pub created: String,
    /// Which program ran it (`segscope-cli`, `segscope-app`).
    pub tool: String,
    /// The inputs.
    pub inputs: Vec<InputRecord>,
    /// The full configuration, defaults included.
    pub config: Config,
    /// The demand-pattern ADI convention used (SPEC §3.3).
    pub adi_convention: String,
    /// A free note by the user.
    pub note: String,
}

impl RunRecord {
    /// A record for `config` and `inputs`, made at `created` by `tool`.
    pub fn new(config: &Config, inputs: Vec<InputRecord>, created: &str, tool: &str) -> RunRecord {
        RunRecord {
            engine: format!("segscope-core {}", crate::ENGINE_VERSION),
            created: created.to_owned(),
            tool: tool.to_owned(),
            inputs,
            config: config.clone(),
            adi_convention: "n/k: buckets in the horizon / buckets with demand".into(),
            note: String::new(),
        }
    }
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_in_chunks_has_the_record_of_its_bytes() {
        let bytes = b"order_id,sku\n1,A\n2,B\n".repeat(100);
        let whole = InputRecord::new(FileKind::Orders, "o.csv", &bytes);
        let chunked = InputRecord::from_chunks(FileKind::Orders, "o.csv", |each| {
            bytes.chunks(7).for_each(each);
            true
        });
        assert_eq!(chunked, Some(whole));
        let failed = InputRecord::from_chunks(FileKind::Orders, "o.csv", |each| {
            each(&bytes[..10]);
            false
        });
        assert_eq!(failed, None);
    }

    #[test]
    fn sha256_of_abc_matches_fips_180_2() {
        // FIPS 180-2, Appendix B.1: SHA-256("abc").
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
