//! Fast code numbering and row hashing for the one pass over a big file.
//!
//! [`Codes`] hashes with SipHash, which is sound for a long-lived table
//! but costly when every line of a million-line file looks up three or four
//! codes. While a file is read, codes are numbered here with a cheap
//! multiplicative hash (FxHash, as in rustc), and the [`Codes`] table is
//! built once at the end, one entry per distinct code.

use crate::dataset::Codes;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The FxHash step: rotate, xor, multiply.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    /// The state through MurmurHash3's final mix: the multiply leaves the
    /// low bits, which pick the table bucket, poorly mixed on their own.
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_u64(&mut self, v: u64) {
        self.add(v);
    }
}

/// A `HashMap` hashed with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Codes numbered in order of first appearance, remembering the last one
/// (consecutive lines mostly share their order and customer).
#[derive(Default)]
pub(crate) struct Interner {
    index: FxHashMap<Box<str>, u32>,
    names: Vec<String>,
    last: Option<u32>,
}

impl Interner {
    /// The number of `code`, adding it if new.
    pub fn intern(&mut self, code: &str) -> u32 {
        if let Some(id) = self.last {
            if self.names.get(id as usize).is_some_and(|n| n == code) {
                return id;
            }
        }
        let id = match self.index.get(code) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.index.insert(code.into(), id);
                self.names.push(code.to_owned());
                id
            }
        };
        self.last = Some(id);
        id
    }

    /// The number of `code`, if present.
    pub fn get(&self, code: &str) -> Option<u32> {
        self.index.get(code).copied()
    }

    /// The numbered codes as a [`Codes`] table (same numbers).
    pub fn finish(self) -> Codes {
        let mut codes = Codes::default();
        for name in &self.names {
            codes.intern(name);
        }
        codes
    }
}

/// A 64-bit hash of a record's fields, leaving out field `skip`.
pub(crate) fn record_hash<'a>(fields: impl Iterator<Item = &'a [u8]>, skip: Option<usize>) -> u64 {
    let mut h = FxHasher::default();
    for (i, field) in fields.enumerate() {
        if Some(i) != skip {
            h.write(field);
            // 0xFF never occurs in UTF-8, so `a,bc` and `ab,c` differ.
            h.write_u8(0xFF);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_first_appearance_and_survive_finish() {
        let mut i = Interner::default();
        let ids: Vec<u32> = ["b", "a", "b", "b", "c", "a"].iter().map(|c| i.intern(c)).collect();
        assert_eq!(ids, [0, 1, 0, 0, 2, 1]);
        assert_eq!(i.get("c"), Some(2));
        let codes = i.finish();
        assert_eq!(codes.names(), ["b", "a", "c"]);
        assert_eq!(codes.get("a"), Some(1));
    }

    #[test]
    fn record_hash_separates_fields() {
        let h = |fields: &[&str], skip| record_hash(fields.iter().map(|f| f.as_bytes()), skip);
        assert_ne!(h(&["a", "bc"], None), h(&["ab", "c"], None));
        assert_ne!(h(&["a", ""], None), h(&["a"], None));
        assert_eq!(h(&["1", "x"], Some(0)), h(&["2", "x"], Some(0)));
        assert_ne!(h(&["12345678", "9"], None), h(&["123456789"], None));
    }
}
