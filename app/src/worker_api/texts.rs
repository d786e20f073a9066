//! A column of texts stored end to end: the SKU codes, segment labels and
//! customer names of the big views' tables.
//!
//! As a `Vec<String>`, a column of 49,256 SKU codes was 49,256 allocations
//! on each side: made one by one when the worker built the view, joined
//! into one string to travel, then cut up again and each copied into a
//! `String` of its own on the page (11 ms of the page's 43 ms decoding
//! of the big Segments view, issue #7). As [`Texts`] it is one string and
//! the ends of its texts: built by appending, sent as it is, read back
//! with one copy of the string.
//!
//! It travels as `[lengths, text]`: the packed bytes of each text's length
//! in bytes (`u32`, little-endian; see [`super::packed`]) and the texts end
//! to end, as one JSON string (tested with the other packed columns).

use super::packed;
use serde::de::Error;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::TryReserveError;
use std::ops::{Index, Range};

/// Texts end to end, each found by its end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    text: String,
    /// Where each text ends in `text` (each starts where the one before
    /// ends). Always at a character boundary of `text`.
    ends: Vec<u32>,
}

impl Texts {
    /// An empty column with room for `texts` texts of `bytes` bytes
    /// together.
    pub fn with_capacity(texts: usize, bytes: usize) -> Texts {
        Texts { text: String::with_capacity(bytes), ends: Vec::with_capacity(texts) }
    }

    /// The number of texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// How many texts there is room for without moving the ends.
    pub fn capacity(&self) -> usize {
        self.ends.capacity()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Text `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Adds `text` at the end.
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// Every text, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| &self[i])
    }

    /// A copy of the texts in `range` (clamped to the column), as
    /// `rows::Part` copies a `Vec`'s.
    pub fn part(&self, range: &Range<usize>) -> Texts {
        let to = range.end.min(self.len());
        let from = range.start.min(to);
        let start = |i: usize| i.checked_sub(1).map_or(0, |before| self.ends[before]);
        let (first, last) = (start(from), start(to));
        Texts {
            text: self.text[first as usize..last as usize].to_owned(),
            ends: self.ends[from..to].iter().map(|end| end - first).collect(),
        }
    }

    /// The texts at the places `order` names, in that order (places past
    /// the last left out).
    pub fn permuted(&self, order: &[usize]) -> Texts {
        order.iter().filter_map(|&i| self.get(i)).collect()
    }

    /// Makes room for `more` texts as long as those here on average, as
    /// `Vec::try_reserve_exact` does for `more` values.
    ///
    /// # Errors
    /// When the memory is not there.
    pub fn try_reserve_exact(&mut self, more: usize) -> Result<(), TryReserveError> {
        let bytes = more.saturating_mul(self.text.len() / self.len().max(1));
        self.ends.try_reserve_exact(more)?;
        self.text.try_reserve_exact(bytes)
    }

    /// Moves the texts of `more` to the end, as `Vec::append` moves values.
    pub fn append(&mut self, more: &mut Texts) {
        let more = std::mem::take(more);
        let offset = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(&more.text);
        self.ends.extend(more.ends.iter().map(|end| end.saturating_add(offset)));
    }
}

impl Index<usize> for Texts {
    type Output = str;

    /// Text `i`; empty past the last.
    fn index(&self, i: usize) -> &str {
        self.get(i).unwrap_or_default()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Texts {
    fn eq(&self, texts: &[&str; N]) -> bool {
        self.len() == N && self.iter().zip(texts).all(|(a, b)| a == *b)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Texts {
    fn from_iter<I: IntoIterator<Item = S>>(texts: I) -> Texts {
        let mut column = Texts::default();
        texts.into_iter().for_each(|text| column.push(text.as_ref()));
        column
    }
}

impl Serialize for Texts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut lengths = Vec::with_capacity(4 * self.len());
        let mut start = 0;
        for &end in &self.ends {
            lengths.extend_from_slice(&(end - start).to_le_bytes());
            start = end;
        }
        (packed::Packed(&lengths), &self.text).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Texts, D::Error> {
        let (packed::Unpacked(lengths), text) = <(packed::Unpacked, String)>::deserialize(d)?;
        if lengths.len() % 4 != 0 {
            return Err(D::Error::custom("a packed text column's lengths are not whole numbers"));
        }
        let mut ends = Vec::with_capacity(lengths.len() / 4);
        let mut at = 0u32;
        for length in lengths.chunks_exact(4) {
            let length = u32::from_le_bytes(length.try_into().unwrap_or([0; 4]));
            at = at
                .checked_add(length)
                .filter(|&end| text.is_char_boundary(end as usize))
                .ok_or_else(|| {
                    D::Error::custom("a packed text column's lengths do not fit its text")
                })?;
            ends.push(at);
        }
        if at as usize != text.len() {
            return Err(D::Error::custom("a packed text column has text after its last value"));
        }
        Ok(Texts { text, ends })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(texts: &[&str]) -> Texts {
        texts.iter().collect()
    }

    #[test]
    fn texts_are_found_by_their_place() {
        let t = column(&["SKU-1", "", "Ünïcødé €", "x"]);
        assert_eq!(t.len(), 4);
        assert_eq!(t.iter().collect::<Vec<_>>(), ["SKU-1", "", "Ünïcødé €", "x"]);
        assert_eq!((&t[2], t.get(4), &t[9]), ("Ünïcødé €", None, ""));
        assert_eq!(t.part(&(1..3)), column(&["", "Ünïcødé €"]));
        assert_eq!(t.part(&(3..9)), column(&["x"]));
        assert_eq!(t.permuted(&[3, 0, 7]), column(&["x", "SKU-1"]));
        let mut joined = t.part(&(0..2));
        let mut rest = t.part(&(2..4));
        joined.append(&mut rest);
        assert_eq!((joined, rest), (t, Texts::default()));
    }
}
