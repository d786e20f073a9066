//! Fast code numbering and row hashing for the one pass over a big file.
//!
//! The dataset's code table (`segscope_core::dataset::Codes`) hashes with
//! SipHash, which is sound for a long-lived table but costly when every
//! line of a million-line file looks up three or four codes. While a file
//! is read, codes are numbered here with a cheap multiplicative hash
//! (FxHash, as in rustc), and the dataset's table is built once at the end
//! from [`Interner::into_names`], one entry per distinct code.

use crate::cache::prefetch;
use std::borrow::Cow;
use std::hash::Hasher;

/// The FxHash step: rotate, xor, multiply.
#[derive(Clone, Copy, Default)]
pub struct FxHasher(u64);

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
            self.add(le_word(rest) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_u64(&mut self, v: u64) {
        self.add(v);
    }
}

/// Codes numbered in order of first appearance, remembering the last one
/// (consecutive lines mostly share their order and customer).
///
/// The names lie back to back in one string rather than in a `String`
/// each, and the table is open addressing over `Slot`s that hold each
/// code's hash, length and first bytes: a new code costs no allocation of
/// its own, and looking up a code of up to `HEAD` bytes (SKUs, order and
/// customer ids mostly are) reads one slot and no name, where a SKU looked
/// up at random in a big table would otherwise miss the cache three times.
///
/// Codes numbered in ascending series, as an export's order numbers
/// mostly are (`SO0000501`, `RT0000502`, `SO0000503`), need no table at
/// all while they last ([`Series`]).
pub struct Interner {
    /// Every name, in numbering order.
    names: Names,
    /// A power of two long (or empty) and at most half full, so that every
    /// probe ends at an empty slot.
    slots: Vec<Slot>,
    /// A copy of the last code's slot (empty before the first): comparing
    /// with it touches neither the table nor the names.
    last: Slot,
    /// How many of the names have their slot: those after were added by
    /// [`Interner::absorb`] without one, and get it when the table is next
    /// needed ([`Interner::catch_up`]).
    indexed: usize,
    /// While the codes come in ascending series, each series' last code
    /// (and no name has a slot); `None` once a code did not.
    series: Option<Vec<Series>>,
}

impl Default for Interner {
    fn default() -> Interner {
        Interner {
            names: Names::default(),
            slots: Vec::new(),
            last: Slot::default(),
            indexed: 0,
            series: Some(Vec::new()),
        }
    }
}

/// The codes that share a prefix — their bytes before the first digit —
/// while each new one sorts after the one before it (in byte order): a
/// code that sorts after a series' last is then new, without a look in a
/// table. A table's lookup waits for memory once its codes outgrow the
/// processor's cache, which the browser cannot ask for ahead: a million
/// lines' order numbers put in a table cost about 50 ms there (issue #7).
/// The first code a series cannot tell ends them all: every name then
/// gets its slot ([`Interner::catch_up`]).
#[derive(Clone, Copy)]
struct Series {
    /// The prefix, zero-padded ([`le_word`]), and its length.
    prefix: (u64, usize),
    /// The number of the series' last code.
    last: u32,
}

/// At most this many series, and prefixes of at most eight bytes: codes
/// that are not numbered so end the series.
const MAX_SERIES: usize = 8;

/// A code's series' prefix — its bytes before the first digit, if at most
/// eight — zero-padded ([`le_word`]), with its length.
fn series_prefix(code: &str) -> Option<(u64, usize)> {
    let bytes = code.as_bytes();
    let cut = bytes.iter().position(u8::is_ascii_digit).unwrap_or(bytes.len());
    bytes.get(..cut).filter(|p| p.len() <= 8).map(|p| (le_word(p), cut))
}

/// What the series tell of a code ([`Interner::in_series`]).
enum InSeries {
    /// It is new: it sorts after the last code of series `Some(i)`, or
    /// starts a series (`None`).
    New(Option<usize>),
    /// It is the last code of its series, numbered so.
    Last(u32),
    /// They cannot tell: it sorts before its series' last code, or no
    /// series takes it.
    Unknown,
}

/// Names numbered in order, back to back in one string: what an
/// [`Interner`] holds besides its table, and all that
/// [`Interner::absorb`] needs of another part's codes (issue #7: a part
/// read on another worker comes back as its names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// Every name, in numbering order.
    text: String,
    /// Where each name ends in `text`; name `i` starts where name `i - 1` ends.
    ends: Vec<usize>,
}

impl Names {
    /// Names from their text and where each ends; `None` unless the ends
    /// rise within the text at character boundaries.
    pub fn from_parts(text: String, ends: Vec<usize>) -> Option<Names> {
        let mut start = 0;
        for &end in &ends {
            text.get(start..end)?;
            start = end;
        }
        Some(Names { text, ends })
    }

    /// The text of every name, back to back, and where each ends.
    pub fn parts(&self) -> (&str, &[usize]) {
        (&self.text, &self.ends)
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The name numbered `id` (empty if there is none).
    pub fn name(&self, id: usize) -> &str {
        let start = match id.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(id).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or_default()
    }

    fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len());
    }
}

impl AsRef<Names> for Names {
    fn as_ref(&self) -> &Names {
        self
    }
}

impl AsRef<Names> for Interner {
    fn as_ref(&self) -> &Names {
        &self.names
    }
}

/// A code's lookup begun by [`Interner::look_ahead`]: its hash, or `None`
/// when it was the last code numbered.
#[derive(Clone, Copy)]
pub struct Ahead {
    hash: Option<u64>,
}

/// How many leading bytes of a name its slot holds.
const HEAD: usize = 16;

/// One entry of the table.
#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    /// Code number + 1; 0 for an empty slot.
    id: u32,
    /// The name's length in bytes (`u32::MAX` for any longer one).
    len: u32,
    /// The name's first bytes, zero-padded ([`head`]).
    head: Head,
}

/// The first [`HEAD`] bytes of a name, zero-padded, as two little-endian
/// words: two codes of the same length up to `HEAD` bytes are equal if
/// their heads are, which two word comparisons tell. Comparing them as
/// bytes called `memcmp`, in WebAssembly a loop over the bytes (issue #7).
type Head = [u64; 2];

fn head(code: &str) -> Head {
    let bytes = code.as_bytes();
    [le_word(bytes), le_word(bytes.get(8..).unwrap_or_default())]
}

/// The first eight bytes of `bytes` (all of them if fewer, zero-padded) as
/// a little-endian word. A shorter run is read as two overlapping loads,
/// whose common bytes agree, instead of byte by byte: most codes end in a
/// partial word, and a code's heads and hash read it (issue #7).
#[inline]
fn le_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let at = |i: usize| bytes.get(i).copied().map_or(0, u64::from);
    if let Some(Ok(word)) = bytes.get(..8).map(<[u8; 8]>::try_from) {
        u64::from_le_bytes(word)
    } else if n >= 4 {
        let u32_at = |i: usize| match bytes.get(i..i + 4).map(<[u8; 4]>::try_from) {
            Some(Ok(word)) => u64::from(u32::from_le_bytes(word)),
            _ => 0,
        };
        u32_at(0) | u32_at(n - 4) << (8 * (n - 4))
    } else if n >= 2 {
        at(0) | at(1) << 8 | at(n - 1) << (8 * (n - 1))
    } else {
        at(0)
    }
}

impl Slot {
    fn new(id: u32, code: &str, head: Head, hash: u64) -> Slot {
        Slot { hash, id: id + 1, len: u32::try_from(code.len()).unwrap_or(u32::MAX), head }
    }
}

/// The hash of a code.
fn hash_code(code: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(code.as_bytes());
    h.finish()
}

impl Interner {
    /// The number of `code`, adding it if new.
    pub fn intern(&mut self, code: &str) -> u32 {
        self.intern_ahead(code, Ahead { hash: None })
    }

    /// Starts looking `code` up: hashes it and asks for the slot where its
    /// probe starts, so that the slot is in the processor's cache when
    /// [`Interner::intern_ahead`] reads it. A big file's SKU and order
    /// tables outgrow the cache, and waiting for that slot was most of the
    /// time spent numbering codes: a row's reader asks for its codes' slots
    /// first and numbers the codes once the rest of the row is read.
    pub fn look_ahead(&self, code: &str) -> Ahead {
        if self.series.is_some() || self.holds(&self.last, code, head(code)) {
            return Ahead { hash: None };
        }
        Ahead { hash: Some(self.fetch_slot(code)) }
    }

    /// The hash of `code`, its probe's first slot asked for meanwhile.
    fn fetch_slot(&self, code: &str) -> u64 {
        let hash = hash_code(code);
        let at = hash as usize & self.slots.len().wrapping_sub(1);
        prefetch(self.slots.get(at));
        hash
    }

    /// [`Interner::intern`] for a `code` given to [`Interner::look_ahead`].
    pub fn intern_ahead(&mut self, code: &str, ahead: Ahead) -> u32 {
        let key = head(code);
        if self.holds(&self.last, code, key) {
            return self.last.id - 1;
        }
        if self.series.is_some() {
            if let Some(id) = self.number_in_series(code) {
                // In no table: its hash is never read.
                self.last = Slot::new(id, code, key, 0);
                return id;
            }
        }
        self.catch_up();
        if (self.names.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = ahead.hash.unwrap_or_else(|| hash_code(code));
        let slot = match self.find(code, key, hash) {
            Ok(at) => self.slots.get(at).copied().unwrap_or_default(),
            Err(at) => {
                let slot = Slot::new(self.names.len() as u32, code, key, hash);
                self.names.push(code);
                self.indexed = self.names.len();
                if let Some(s) = self.slots.get_mut(at) {
                    *s = slot;
                }
                slot
            }
        };
        self.last = slot;
        slot.id.saturating_sub(1)
    }

    /// What the series tell of `code` (nothing once they have ended).
    fn in_series(&self, code: &str) -> InSeries {
        let (Some(series), Some(prefix)) = (&self.series, series_prefix(code)) else {
            return InSeries::Unknown;
        };
        match series.iter().position(|s| s.prefix == prefix) {
            Some(i) => {
                let last = series.get(i).map_or(0, |s| s.last);
                match code.cmp(self.names.name(last as usize)) {
                    std::cmp::Ordering::Greater => InSeries::New(Some(i)),
                    std::cmp::Ordering::Equal => InSeries::Last(last),
                    std::cmp::Ordering::Less => InSeries::Unknown,
                }
            }
            None if series.len() < MAX_SERIES => InSeries::New(None),
            None => InSeries::Unknown,
        }
    }

    /// The number of `code` if the series tell it, a new code added to
    /// its series; else `None`, and the series have ended.
    fn number_in_series(&mut self, code: &str) -> Option<u32> {
        let new = match self.in_series(code) {
            InSeries::Last(id) => return Some(id),
            InSeries::New(series) => series,
            InSeries::Unknown => {
                self.series = None;
                return None;
            }
        };
        let id = self.names.len() as u32;
        self.names.push(code);
        let series = self.series.get_or_insert_with(Vec::new);
        match new.and_then(|i| series.get_mut(i)) {
            Some(s) => s.last = id,
            None => {
                // `in_series` found its prefix.
                let prefix = series_prefix(code).unwrap_or_default();
                series.push(Series { prefix, last: id });
            }
        }
        Some(id)
    }

    /// Numbers the codes of `other` here, in `other`'s order, and returns
    /// for each of `other`'s numbers the number here: codes read from a
    /// later part of a file take the numbers that reading on would give them.
    /// `other`'s codes are distinct (as an interner's are), so a code new
    /// here is looked up in the table but not put in it: most parts are
    /// joined once, and their codes never looked up again. A table of a
    /// million lines' order ids doubled for the second half's (32 MiB) and
    /// took each of its new codes, a cache miss apiece (issue #7). Codes
    /// added so get their slots only if the table is needed again
    /// ([`Interner::catch_up`]). The slots of the codes a few places on are
    /// fetched meanwhile.
    pub fn absorb(&mut self, other: &Names) -> Vec<u32> {
        const AHEAD: usize = 8;
        let n = other.len();
        let mut ids = Vec::with_capacity(n);
        // While the series tell: a part's order numbers mostly carry on
        // the series of the part before.
        while self.series.is_some() && ids.len() < n {
            if let Some(number) = self.number_in_series(other.name(ids.len())) {
                ids.push(number);
            }
        }
        if self.series.is_some() {
            return ids;
        }
        let start = ids.len();
        self.catch_up();
        let mut hashes = [0u64; AHEAD];
        for id in start..(start + AHEAD).min(n) {
            if let Some(hash) = hashes.get_mut(id % AHEAD) {
                *hash = self.fetch_slot(other.name(id));
            }
        }
        for id in start..n {
            let Some(hash) = hashes.get_mut(id % AHEAD) else { break };
            let code = other.name(id);
            let number = match self.find(code, head(code), *hash) {
                Ok(at) => self.slots.get(at).map_or(0, |s| s.id - 1),
                Err(_) => {
                    self.names.push(code);
                    (self.names.len() - 1) as u32
                }
            };
            ids.push(number);
            if id + AHEAD < n {
                *hash = self.fetch_slot(other.name(id + AHEAD));
            }
        }
        ids
    }

    /// Gives the codes [`Interner::absorb`] added without a slot their
    /// slots, growing the table as interning would have.
    fn catch_up(&mut self) {
        while self.indexed < self.names.len() {
            if (self.indexed + 1) * 2 > self.slots.len() {
                self.grow();
            }
            let id = self.indexed;
            let code = self.names.name(id);
            let (key, hash) = (head(code), hash_code(code));
            // Distinct from every code with a slot: the probe ends empty.
            if let Err(at) = self.find(code, key, hash) {
                let slot = Slot::new(id as u32, code, key, hash);
                if let Some(s) = self.slots.get_mut(at) {
                    *s = slot;
                }
            }
            self.indexed += 1;
        }
    }

    /// The number of `code`, if present.
    pub fn get(&mut self, code: &str) -> Option<u32> {
        match self.in_series(code) {
            InSeries::New(_) => return None,
            InSeries::Last(id) => return Some(id),
            InSeries::Unknown if self.series.is_some() => {
                self.series = None;
                self.catch_up();
            }
            InSeries::Unknown => {}
        }
        match self.find(code, head(code), hash_code(code)) {
            Ok(at) => self.slots.get(at).map(|s| s.id - 1),
            // Codes without a slot yet, one by one (none but after `absorb`).
            Err(_) => (self.indexed..self.names.len())
                .find(|&id| self.name(id) == code)
                .map(|id| id as u32),
        }
    }

    /// How many distinct codes there are.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.names.len()
    }

    /// The name of code `id` (empty if there is none).
    fn name(&self, id: usize) -> &str {
        self.names.name(id)
    }

    /// Whether `slot` is filled and holds `code`, whose head is `key`.
    /// Asked for every code of every line: the browser's build made it a
    /// call of its own.
    #[inline(always)]
    fn holds(&self, slot: &Slot, code: &str, key: Head) -> bool {
        slot.id != 0
            && slot.len as usize == code.len()
            && slot.head == key
            // Longer than the head: the rest of the name decides.
            && (code.len() <= HEAD || self.name(slot.id as usize - 1) == code)
    }

    /// The slot of `code` (with head `key` and hash `hash`) if present
    /// (`Ok`), else the empty slot where it belongs.
    fn find(&self, code: &str, key: Head, hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut at = hash as usize & mask;
        // The table is at most half full, so an empty slot comes within
        // `len` steps; the bound only guards against an impossible loop.
        for _ in 0..self.slots.len() {
            let Some(slot) = self.slots.get(at) else { break };
            if slot.id == 0 {
                return Err(at);
            }
            if slot.hash == hash && self.holds(slot, code, key) {
                return Ok(at);
            }
            at = (at + 1) & mask;
        }
        Err(usize::MAX)
    }

    /// Doubles the table (16 slots at first) and puts every slot back by
    /// its hash.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let mask = size - 1;
        let mut slots = vec![Slot::default(); size];
        for slot in self.slots.iter().filter(|s| s.id != 0) {
            let mut at = slot.hash as usize & mask;
            while slots.get(at).is_some_and(|s| s.id != 0) {
                at = (at + 1) & mask;
            }
            if let Some(s) = slots.get_mut(at) {
                *s = *slot;
            }
        }
        self.slots = slots;
    }

    /// The numbered codes' names, in the order of their numbers.
    pub fn into_names(self) -> Vec<String> {
        (0..self.names.len()).map(|id| self.name(id).to_owned()).collect()
    }
}

/// A 64-bit hash of a record's fields, leaving out field `skip`: FxHash
/// of the fields' bytes, each followed by 0xFF (which never occurs in
/// UTF-8, so `a,bc` and `ab,c` differ), read as little-endian words, the
/// last one zero-padded and marked with its length. Not generic, so that
/// it is compiled with this crate, for speed.
///
/// `text` is the record as written and `delimiter` its delimiter. When the
/// record is its fields joined by the delimiter, as most are, the hash is
/// read straight from that text a word at a time, each delimiter taken as
/// 0xFF, instead of field by field (issue #7: 16 fields of 7 bytes each
/// cost a partial word apiece). Any other record — quoted fields, padded
/// or left out ones — goes field by field. Both give the same hash.
pub fn record_hash(fields: &[Cow<'_, str>], skip: Option<usize>, text: &str, delimiter: u8) -> u64 {
    let joined = fields.iter().map(|f| f.len() + 1).sum::<usize>();
    if skip.is_none() && !fields.is_empty() && joined == text.len() + 1 {
        return joined_hash(text.as_bytes(), delimiter);
    }
    let mut stream = Stream::default();
    for (i, field) in fields.iter().enumerate() {
        if Some(i) != skip {
            field.as_bytes().iter().for_each(|&b| stream.push(b));
            stream.push(0xFF);
        }
    }
    stream.finish()
}

/// [`record_hash`] of a record whose text is its fields joined by
/// `delimiter`: an unquoted field holds no delimiter, so every delimiter
/// byte separates two fields.
fn joined_hash(text: &[u8], delimiter: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let every_delimiter = ONES * u64::from(delimiter);
    // 0xFF in each byte of `word` that is the delimiter (exact: no carry
    // between bytes), the byte as it is elsewhere.
    let marked = |word: u64| {
        let x = word ^ every_delimiter;
        let zeros = !(((x & LOWS) + LOWS) | x) & !LOWS;
        word | ((zeros >> 7) * 0xFF)
    };
    let mut h = FxHasher::default();
    let mut chunks = text.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h.add(marked(u64::from_le_bytes(word)));
    }
    // The rest and the last field's 0xFF: up to eight bytes (neither 0xFF
    // nor the zero padding is the delimiter).
    let rest = chunks.remainder();
    let word = marked(le_word(rest) | 0xFF << (8 * rest.len()));
    match rest.len() + 1 {
        8 => h.add(word),
        n => h.add(word ^ ((n as u64) << 59)),
    }
    h.finish()
}

/// Bytes hashed as [`record_hash`] reads them, one at a time.
#[derive(Default)]
struct Stream {
    hasher: FxHasher,
    word: u64,
    /// Bytes in `word`, below 8.
    count: u32,
}

impl Stream {
    fn push(&mut self, byte: u8) {
        self.word |= u64::from(byte) << (8 * self.count);
        self.count += 1;
        if self.count == 8 {
            self.hasher.add(self.word);
            (self.word, self.count) = (0, 0);
        }
    }

    fn finish(mut self) -> u64 {
        if self.count > 0 {
            self.hasher.add(self.word ^ (u64::from(self.count) << 59));
        }
        self.hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_run_reads_as_its_bytes_zero_padded() {
        let bytes: Vec<u8> = (1..=12).map(|b| b * 17).collect();
        for start in 0..bytes.len() {
            for end in start..=bytes.len() {
                let run = &bytes[start..end];
                let by_byte = run.iter().take(8).rev().fold(0u64, |w, &b| w << 8 | u64::from(b));
                assert_eq!(le_word(run), by_byte, "{run:?}");
            }
        }
    }

    #[test]
    fn numbers_follow_first_appearance() {
        let mut i = Interner::default();
        let ids: Vec<u32> = ["b", "a", "b", "b", "c", "a"].iter().map(|c| i.intern(c)).collect();
        assert_eq!(ids, [0, 1, 0, 0, 2, 1]);
        assert_eq!(i.get("c"), Some(2));
        assert_eq!(i.into_names(), ["b", "a", "c"]);
    }

    #[test]
    fn numbers_survive_the_table_growing() {
        let mut i = Interner::default();
        // Short codes are told apart by their slot, long ones by their name.
        let codes: Vec<String> = (0..10_000)
            .map(|n| if n % 2 == 0 { format!("SKU-{n}") } else { format!("{n:0>20}") })
            .collect();
        for (n, code) in codes.iter().enumerate() {
            assert_eq!(i.intern(code), n as u32);
        }
        // Again in reverse, so the remembered last code does not answer.
        for (n, code) in codes.iter().enumerate().rev() {
            assert_eq!((i.intern(code), i.get(code)), (n as u32, Some(n as u32)));
        }
        assert_eq!((i.len(), i.get("SKU-10000"), i.get("")), (10_000, None, None));
        assert_eq!(i.intern(""), 10_000);
        let names = i.into_names();
        assert_eq!(
            (names[0].as_str(), names[9_999].as_str(), names[10_000].as_str()),
            ("SKU-0", "00000000000000009999", "")
        );
        // Same length and first 16 bytes, different names.
        let mut i = Interner::default();
        let (a, b) = ("0123456789abcdefX", "0123456789abcdefY");
        assert_eq!((i.intern(a), i.intern(b), i.get(a), i.get(b)), (0, 1, Some(0), Some(1)));
    }

    #[test]
    fn codes_that_differ_anywhere_in_their_head_are_told_apart() {
        // Lengths about the two head words' edges, codes differing in one
        // byte of either word, a zero byte (the heads' padding) and
        // characters of several bytes; numbered as a map numbers them.
        let mut codes = vec!["", "\0", "a", "a\0", "\0a", "é", "e\u{301}", "€uro", "€urō"];
        let base = "0123456789abcdefghij";
        let mut owned = Vec::new();
        for len in [1, 7, 8, 9, 15, 16, 17, 20] {
            let code = &base[..len];
            owned.push(code.to_owned());
            for at in 0..len {
                let mut bytes = code.as_bytes().to_vec();
                bytes[at] = b'Z';
                owned.push(String::from_utf8(bytes).unwrap());
            }
        }
        codes.extend(owned.iter().map(String::as_str));
        // The slot's comparison itself (the hashes above keep most pairs
        // from reaching it).
        for a in &codes {
            for b in codes.iter().filter(|b| b.len() == a.len() && b.len() <= HEAD) {
                assert_eq!(head(a) == head(b), a == b, "{a:?} {b:?}");
            }
        }
        let mut interner = Interner::default();
        let mut map = std::collections::HashMap::new();
        for code in codes.iter().chain(codes.iter().rev()) {
            let next = map.len() as u32;
            let id = *map.entry(*code).or_insert(next);
            assert_eq!(interner.intern(code), id, "{code:?}");
            assert_eq!(interner.get(code), Some(id), "{code:?}");
        }
    }

    #[test]
    fn a_lookup_begun_ahead_numbers_as_one_at_once() {
        // Repeats (the last code), returns to earlier codes, and enough new
        // ones that the table grows between a look-ahead and its lookup.
        let codes: Vec<String> =
            (0..3_000).map(|n| format!("SO{:07}", (n / 3) * 7 % 1_001)).collect();
        let (mut at_once, mut ahead) = (Interner::default(), Interner::default());
        for pair in codes.chunks(2) {
            let begun: Vec<Ahead> = pair.iter().map(|c| ahead.look_ahead(c)).collect();
            for (code, begun) in pair.iter().zip(begun) {
                assert_eq!(ahead.intern_ahead(code, begun), at_once.intern(code), "{code}");
            }
        }
        assert_eq!(ahead.into_names(), at_once.into_names());
    }

    #[test]
    fn absorbed_codes_number_as_interning_them_would() {
        // Parts with codes of their own and codes shared with earlier
        // parts, absorbed one after another, then interning and lookups
        // that need the absorbed codes' slots; against a map's numbering.
        let part = |from: usize, to: usize| {
            let mut i = Interner::default();
            (from..to).for_each(|n| {
                i.intern(&format!("O{n}"));
            });
            i.names
        };
        let mut joined = Interner::default();
        let mut map = std::collections::HashMap::new();
        let number = |map: &mut std::collections::HashMap<String, u32>, code: String| {
            let next = map.len() as u32;
            *map.entry(code).or_insert(next)
        };
        for n in 0..1_000 {
            assert_eq!(joined.intern(&format!("O{n}")), number(&mut map, format!("O{n}")));
        }
        for (from, to) in [(900, 3_000), (2_500, 2_600), (2_900, 5_000)] {
            let other = part(from, to);
            let expected: Vec<u32> =
                (from..to).map(|n| number(&mut map, format!("O{n}"))).collect();
            assert_eq!(joined.absorb(&other), expected, "{from}..{to}");
            // Looked up before and after the absorbed codes get slots.
            assert_eq!(joined.get(&format!("O{}", to - 1)), Some(expected[expected.len() - 1]));
        }
        assert_eq!(joined.get("O5000"), None);
        for n in (4_990..5_010).rev() {
            assert_eq!(joined.intern(&format!("O{n}")), number(&mut map, format!("O{n}")), "{n}");
        }
        for n in 0..5_010 {
            assert_eq!(joined.get(&format!("O{n}")), map.get(&format!("O{n}")).copied(), "{n}");
        }
        assert_eq!(joined.len(), map.len());
    }

    /// `record_hash` field by field: the text given is one byte too long
    /// to be the fields joined.
    fn by_fields(fields: &[&str], skip: Option<usize>) -> u64 {
        let not_joined = "\"".repeat(fields.iter().map(|f| f.len() + 1).sum());
        let fields: Vec<Cow<'_, str>> = fields.iter().map(|&f| Cow::Borrowed(f)).collect();
        record_hash(&fields, skip, &not_joined, b',')
    }

    #[test]
    fn record_hash_separates_fields() {
        let h = by_fields;
        assert_ne!(h(&["a", "bc"], None), h(&["ab", "c"], None));
        assert_ne!(h(&["a", ""], None), h(&["a"], None));
        assert_eq!(h(&["1", "x"], Some(0)), h(&["2", "x"], Some(0)));
        assert_ne!(h(&["12345678", "9"], None), h(&["123456789"], None));
    }

    /// The hash read from a record's text, as the splitter gives it.
    fn from_text(text: &str, delimiter: u8) -> u64 {
        let mut splitter = crate::split::Splitter::new(text, delimiter, 0);
        let mut fields = Vec::new();
        let span = splitter.next_record(&mut fields).unwrap();
        record_hash(&fields, None, splitter.record_text(span), delimiter)
    }

    #[test]
    fn a_record_hashes_the_same_from_its_text_as_field_by_field() {
        // Lengths about the words' edges, empty fields, several bytes a
        // character, bytes next to the delimiter's value.
        for fields in [
            vec!["", ""],
            vec!["a"],
            vec!["abcdefg"],
            vec!["abcdefgh"],
            vec!["abcdefg", ""],
            vec!["SO0000001", "2023-01-02", "CU02081", "HH-44361", "17", "4.76", "80.92"],
            vec!["é€", "-+", "ü", "", "0123456789abcdef"],
        ] {
            for (delimiter, sep) in [(b',', ","), (b';', ";"), (b'\t', "\t")] {
                let text = fields.join(sep);
                assert_eq!(from_text(&text, delimiter), by_fields(&fields, None), "{text:?}");
            }
        }
        // Quoting does not change a record's hash.
        assert_eq!(from_text("\"a\",b,\"\"", b','), from_text("a,b,", b','));
        assert_eq!(from_text("\"a,b\",c", b','), by_fields(&["a,b", "c"], None));
    }

    #[test]
    fn codes_in_ascending_series_need_no_table() {
        let mut i = Interner::default();
        let codes = ["SO1", "SO1", "RT2", "SO3", "RT2", "R", "RT4", "SO3"];
        let ids: Vec<u32> = codes.iter().map(|c| i.intern(c)).collect();
        // A series' last code, not the last code numbered, is known too.
        assert_eq!(ids, [0, 0, 1, 2, 1, 3, 4, 2]);
        assert_eq!((i.series.as_ref().map(Vec::len), i.slots.len()), (Some(3), 0));
        assert_eq!(
            (i.get("SO4"), i.get("RT4"), i.get("X9"), i.series.is_some()),
            (None, Some(4), None, true)
        );
        // A part that carries on the series, its first code shared.
        let mut part = Interner::default();
        ["RT4", "SO5", "RT6"].iter().for_each(|c| {
            part.intern(c);
        });
        assert_eq!(i.absorb(&part.names), [4, 5, 6]);
        assert_eq!((i.series.is_some(), i.slots.len()), (true, 0));
        // A new code before its series' last: every name gets its slot.
        assert_eq!((i.intern("SO2"), i.series.is_some(), i.indexed), (7, false, 8));
        assert_eq!((i.get("SO5"), i.get("R"), i.intern("SO9")), (Some(5), Some(3), 8));
        // A lookup they cannot tell ends them too.
        let mut i = Interner::default();
        ["B1", "B3"].iter().for_each(|c| {
            i.intern(c);
        });
        assert_eq!((i.get("B1"), i.series.is_some(), i.get("B3")), (Some(0), false, Some(1)));
        // So do more series than kept, and prefixes of more than 8 bytes.
        let mut i = Interner::default();
        for prefix in ('A'..='Z').take(MAX_SERIES + 1) {
            assert!(i.series.is_some());
            i.intern(&format!("{prefix}1"));
        }
        assert!(i.series.is_none());
        let mut i = Interner::default();
        i.intern("ABCDEFGHI1");
        assert!(i.series.is_none());
    }

    /// Codes of three series, mostly in ascending order, from steps: a step
    /// up to 15 moves on by that much (0 repeats the last code), a bigger
    /// one goes back; each code goes to the series `series % 3`.
    fn mostly_ascending(steps: &[(u32, u8)]) -> Vec<String> {
        let mut at = 0u32;
        steps
            .iter()
            .map(|&(step, series)| {
                at = if step < 16 { at + step } else { at.saturating_sub(step * 2) };
                let prefix = ["SO", "RT", ""][usize::from(series % 3)];
                format!("{prefix}{at:05}")
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn codes_in_or_out_of_series_number_as_a_map_numbers_them(
            steps in proptest::collection::vec((0u32..17, 0u8..3), 0..300),
            cut in 0usize..300,
        ) {
            // The codes up to the cut interned (looked up ahead two at a
            // time), those after it interned apart and absorbed, then all
            // looked up; against a map's numbering in order.
            let codes = mostly_ascending(&steps);
            let (first, rest) = codes.split_at(cut.min(codes.len()));
            let mut map = std::collections::HashMap::new();
            let mut number = |code: &str| {
                let next = map.len() as u32;
                *map.entry(code.to_owned()).or_insert(next)
            };
            let mut joined = Interner::default();
            for pair in first.chunks(2) {
                let begun: Vec<Ahead> = pair.iter().map(|c| joined.look_ahead(c)).collect();
                for (code, begun) in pair.iter().zip(begun) {
                    proptest::prop_assert_eq!(joined.intern_ahead(code, begun), number(code));
                }
            }
            let mut part = Interner::default();
            rest.iter().for_each(|code| {
                part.intern(code);
            });
            let expected: Vec<u32> = (0..part.names.len()).map(|id| number(part.names.name(id))).collect();
            proptest::prop_assert_eq!(joined.absorb(&part.names), expected);
            for code in codes.iter().rev() {
                proptest::prop_assert_eq!(joined.get(code), map.get(code).copied());
            }
            proptest::prop_assert_eq!(joined.get("SO99999"), None);
            let names = joined.into_names();
            proptest::prop_assert_eq!(names.len(), map.len());
            for (id, name) in names.iter().enumerate() {
                proptest::prop_assert_eq!(map.get(name).copied(), Some(id as u32));
            }
        }

        #[test]
        fn any_unquoted_record_hashes_as_its_fields(fields in proptest::collection::vec("[a-z0-9 é,;-]{0,12}", 1..20)) {
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let text = fields.join("|");
            // A blank line is no record.
            proptest::prop_assume!(!text.is_empty());
            let split = from_text(&text, b'|');
            proptest::prop_assert_eq!(split, by_fields(&fields, None), "{:?}", text);
        }
    }
}
