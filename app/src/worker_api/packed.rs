//! Number columns of the big views packed as base64 text of their bytes.
//!
//! A view of 49,256 SKUs carries a dozen columns of numbers. As JSON
//! numbers the page parsed every one of them digit by digit, on the main
//! thread (~60 ms of a 49,256-SKU Segments view in Chromium, issue #7). As
//! the little-endian bytes of each value in base64 the page decodes a
//! column at memory speed, and every `f64` arrives bit for bit as it was
//! sent, where JSON could not carry an infinity at all.
//!
//! Used as `#[serde(with = "packed::f64s")]` and the like on the columns;
//! the rest of a message stays JSON. Columns of text ([`super::Texts`])
//! travel as one JSON string of their texts end to end and the packed
//! bytes of their lengths: one string for JSON to escape and to read
//! instead of 49,256. A missing figure (`None`) travels as
//! NaN, which a figure never is (JSON turned NaN into `null`, read back as
//! `None`, so the meaning is unchanged); a missing byte as 255.
//!
//! Between the worker and the page the bytes do not even go through base64:
//! [`encode_beside`] puts every packed column's bytes in one buffer beside
//! the JSON, which names them as `@offset+length` (base64 has no `@`), and
//! [`decode_beside`] reads them from there — no base64 to write or read, and
//! no long string for JSON to scan (issue #7: a 49,256-SKU Segments view is
//! 4.8 MB, mostly these columns). Anything else (a saved workspace, a test)
//! still writes and reads base64.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::de::{Error, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// The byte that stands for a missing value in a column of bytes.
const NO_BYTE: u8 = u8::MAX;

thread_local! {
    /// The bytes written beside the JSON by [`encode_beside`] (`None`: base64).
    static WRITING: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
    /// The bytes read beside the JSON by [`decode_beside`].
    static READING: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// Serialises `value` to JSON with its packed columns' bytes in a buffer
/// beside it (see the module's notes).
pub fn encode_beside<T: Serialize>(value: &T) -> (String, Vec<u8>) {
    WRITING.with(|w| *w.borrow_mut() = Some(Vec::new()));
    // Serialising plain data structs to JSON cannot fail (see `encode`).
    let json = serde_json::to_string(value).unwrap_or_default();
    let beside = WRITING.with(|w| w.borrow_mut().take()).unwrap_or_default();
    (json, beside)
}

/// Reads what [`encode_beside`] wrote.
///
/// # Errors
/// When the JSON is not a `T`, or names bytes that `beside` does not hold.
pub fn decode_beside<T: DeserializeOwned>(json: &[u8], beside: Vec<u8>) -> serde_json::Result<T> {
    READING.with(|r| *r.borrow_mut() = Some(beside));
    let value = serde_json::from_slice(json);
    READING.with(|r| r.borrow_mut().take());
    value
}

fn write<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    let at = WRITING.with(|w| {
        let mut w = w.borrow_mut();
        let beside = w.as_mut()?;
        let at = beside.len();
        beside.extend_from_slice(bytes);
        Some(at)
    });
    match at {
        Some(at) => s.serialize_str(&format!("@{at}+{}", bytes.len())),
        None => s.serialize_str(&STANDARD_NO_PAD.encode(bytes)),
    }
}

fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    read_with(d, <[u8]>::to_vec)
}

/// `column` of the packed bytes, read where they are: beside the JSON,
/// they are not copied first (issue #7: the page decodes the big views'
/// columns on its main thread).
fn read_with<'de, D: Deserializer<'de>, T>(
    d: D,
    column: impl FnOnce(&[u8]) -> T,
) -> Result<T, D::Error> {
    let text = Text::deserialize(d)?;
    match text.0.strip_prefix('@') {
        Some(place) => {
            beside(place, column).ok_or_else(|| D::Error::custom("packed bytes not beside"))
        }
        None => {
            STANDARD_NO_PAD.decode(text.0.as_bytes()).map(|b| column(&b)).map_err(D::Error::custom)
        }
    }
}

/// `column` of the bytes at `offset+length` of what [`decode_beside`] was
/// given.
fn beside<T>(place: &str, column: impl FnOnce(&[u8]) -> T) -> Option<T> {
    let (at, len) = place.split_once('+')?;
    let (at, len) = (at.parse::<usize>().ok()?, len.parse::<usize>().ok()?);
    READING.with(|r| r.borrow().as_ref()?.get(at..at.checked_add(len)?).map(column))
}

/// A JSON string read in place when it has no escapes (base64 never has),
/// rather than copied into a `String` of its own first.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visit)
    }
}

/// A column of numbers, each made a `T` by `value`.
fn read_f64s<'de, D: Deserializer<'de>, T>(
    d: D,
    value: impl Fn(f64) -> T,
) -> Result<Vec<T>, D::Error> {
    let values = read_with(d, |bytes| {
        (bytes.len() % 8 == 0)
            .then(|| {
                let each = |b: &[u8]| value(f64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
                bytes.chunks_exact(8).map(each).collect()
            })
            .ok_or(bytes.len())
    })?;
    values.map_err(|len| {
        D::Error::custom(format!("a packed number column of {len} bytes is not whole numbers"))
    })
}

/// `Vec<f64>`.
pub mod f64s {
    use super::*;

    /// Writes the column.
    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        write(&bytes, s)
    }

    /// Reads the column.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        read_f64s(d, |v| v)
    }
}

/// `Vec<Option<f64>>`, `None` as NaN.
pub mod opt_f64s {
    use super::*;

    /// Writes the column.
    pub fn serialize<S: Serializer>(values: &[Option<f64>], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> =
            values.iter().flat_map(|v| v.unwrap_or(f64::NAN).to_le_bytes()).collect();
        write(&bytes, s)
    }

    /// Reads the column.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Option<f64>>, D::Error> {
        read_f64s(d, |v| (!v.is_nan()).then_some(v))
    }
}

/// `Vec<u8>`.
pub mod bytes {
    use super::*;

    /// Writes the column.
    pub fn serialize<S: Serializer>(values: &[u8], s: S) -> Result<S::Ok, S::Error> {
        write(values, s)
    }

    /// Reads the column.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        read(d)
    }
}

/// `Vec<Option<u8>>`, `None` as 255 (cluster numbers stay far below it).
pub mod opt_bytes {
    use super::*;

    /// Writes the column.
    pub fn serialize<S: Serializer>(values: &[Option<u8>], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().map(|v| v.unwrap_or(NO_BYTE)).collect();
        write(&bytes, s)
    }

    /// Reads the column.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Option<u8>>, D::Error> {
        read_with(d, |bytes| bytes.iter().map(|&b| (b != NO_BYTE).then_some(b)).collect())
    }
}

/// `Vec<bool>`, one byte each.
pub mod bools {
    use super::*;

    /// Writes the column.
    pub fn serialize<S: Serializer>(values: &[bool], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().map(|&v| u8::from(v)).collect();
        write(&bytes, s)
    }

    /// Reads the column.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<bool>, D::Error> {
        read_with(d, |bytes| bytes.iter().map(|&b| b != 0).collect())
    }
}

/// `Vec<(f64, f64, u8)>` (the points of a scatter), as three columns.
pub mod points {
    use super::*;

    /// Writes the points.
    pub fn serialize<S: Serializer>(points: &[(f64, f64, u8)], s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let column = |f: fn(&(f64, f64, u8)) -> f64| -> Vec<u8> {
            points.iter().flat_map(|p| f(p).to_le_bytes()).collect()
        };
        let kinds: Vec<u8> = points.iter().map(|p| p.2).collect();
        let mut three = s.serialize_tuple(3)?;
        three.serialize_element(&Packed(&column(|p| p.0)))?;
        three.serialize_element(&Packed(&column(|p| p.1)))?;
        three.serialize_element(&Packed(&kinds))?;
        three.end()
    }

    /// Reads the points.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(f64, f64, u8)>, D::Error> {
        let (Xs(x), Xs(y), Unpacked(kinds)) = <(Xs, Xs, Unpacked)>::deserialize(d)?;
        if x.len() != y.len() || x.len() != kinds.len() {
            return Err(D::Error::custom("a packed scatter's columns differ in length"));
        }
        Ok(x.into_iter().zip(y).zip(kinds).map(|((x, y), k)| (x, y, k)).collect())
    }

    struct Xs(Vec<f64>);
    impl<'de> Deserialize<'de> for Xs {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            read_f64s(d, |v| v).map(Xs)
        }
    }
}

/// Bytes written as a packed column, inside a tuple.
pub(super) struct Packed<'a>(pub(super) &'a [u8]);

impl Serialize for Packed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        write(self.0, s)
    }
}

/// Bytes read as a packed column, inside a tuple.
pub(super) struct Unpacked(pub(super) Vec<u8>);

impl<'de> Deserialize<'de> for Unpacked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d).map(Unpacked)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Columns {
        #[serde(with = "super::f64s")]
        a: Vec<f64>,
        #[serde(with = "super::opt_f64s")]
        b: Vec<Option<f64>>,
        #[serde(with = "super::bytes")]
        c: Vec<u8>,
        #[serde(with = "super::opt_bytes")]
        d: Vec<Option<u8>>,
        #[serde(with = "super::bools")]
        e: Vec<bool>,
    }

    #[test]
    fn columns_come_back_bit_for_bit() {
        let sent = Columns {
            a: vec![0.1 + 0.2, -0.0, f64::INFINITY, f64::MIN_POSITIVE, 1e308, -123456.789],
            b: vec![Some(2.5), None, Some(f64::NEG_INFINITY), Some(0.0)],
            c: vec![0, 1, 4, 254, 255],
            d: vec![Some(0), None, Some(11)],
            e: vec![true, false, true],
        };
        let json = serde_json::to_string(&sent).unwrap();
        let back: Columns = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sent);
        // Read in place from the text, or copied from a reader that cannot
        // lend its text: the same columns.
        let read: Columns = serde_json::from_reader(json.as_bytes()).unwrap();
        assert_eq!(read, sent);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.a), bits(&sent.a), "-0.0 and 0.1 + 0.2 keep every bit");
        // Six f64 = 48 bytes = 64 base64 characters, no padding.
        assert!(json.contains(r#""a":""#));
        assert_eq!(json.split('"').nth(3).unwrap().len(), 64);
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Scatter {
        #[serde(with = "super::points")]
        p: Vec<(f64, f64, u8)>,
    }

    #[test]
    fn scatter_points_come_back_bit_for_bit() {
        let sent = Scatter { p: vec![(1.0, 0.49, 0), (1.32, 0.1 + 0.2, 3), (57.5, 0.0, 4)] };
        let json = serde_json::to_string(&sent).unwrap();
        assert_eq!(serde_json::from_str::<Scatter>(&json).unwrap(), sent);
        let empty = Scatter { p: Vec::new() };
        let json = serde_json::to_string(&empty).unwrap();
        assert_eq!(json, r#"{"p":["","",""]}"#);
        assert_eq!(serde_json::from_str::<Scatter>(&json).unwrap(), empty);
        // Columns of different lengths are an error, not a panic.
        let short = r#"{"p":["AAAAAAAA8D8","AAAAAAAA8D8",""]}"#;
        assert!(serde_json::from_str::<Scatter>(short).is_err());
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Texts {
        t: super::super::Texts,
    }

    fn texts(t: &[&str]) -> Texts {
        Texts { t: t.iter().collect() }
    }

    #[test]
    fn text_columns_come_back_as_they_were() {
        let sent = texts(&[
            "SKU-1",
            "",
            "Ünïcødé ✓",
            "a \"quoted\", back\\slash",
            "line\nbreak",
            "",
            "AX",
        ]);
        let json = serde_json::to_string(&sent).unwrap();
        assert_eq!(serde_json::from_str::<Texts>(&json).unwrap(), sent);
        // One string of the texts end to end, after their lengths.
        assert!(
            json.contains(r#""SKU-1Ünïcødé ✓a \"quoted\", back\\slashline\nbreakAX""#),
            "{json}"
        );
        // Without escapes the text is read in place; from a reader, copied.
        let plain = texts(&["SKU-1", "", "AX"]);
        let json = serde_json::to_string(&plain).unwrap();
        assert_eq!(serde_json::from_str::<Texts>(&json).unwrap(), plain);
        assert_eq!(serde_json::from_reader::<_, Texts>(json.as_bytes()).unwrap(), plain);
        let empty = texts(&[]);
        let json = serde_json::to_string(&empty).unwrap();
        assert_eq!(json, r#"{"t":["",""]}"#);
        assert_eq!(serde_json::from_str::<Texts>(&json).unwrap(), empty);
    }

    #[test]
    fn a_broken_text_column_is_an_error_not_a_panic() {
        let lengths = |ls: &[u32]| {
            use base64::Engine;
            let bytes: Vec<u8> = ls.iter().flat_map(|l| l.to_le_bytes()).collect();
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
        };
        let cases = [
            // Longer than the text.
            format!(r#"{{"t":["{}","abc"]}}"#, lengths(&[2, 5])),
            // Text left over.
            format!(r#"{{"t":["{}","abc"]}}"#, lengths(&[1])),
            // A length that ends inside a character (`é` is two bytes).
            format!(r#"{{"t":["{}","é"]}}"#, lengths(&[1, 1])),
            // Lengths that are not whole u32s.
            r#"{"t":["AAA","abc"]}"#.to_owned(),
            format!(r#"{{"t":["{}","abc"]}}"#, lengths(&[u32::MAX, 3])),
        ];
        for json in cases {
            assert!(serde_json::from_str::<Texts>(&json).is_err(), "{json}");
        }
    }

    #[test]
    fn columns_beside_the_json_come_back_bit_for_bit() {
        use super::{decode_beside, encode_beside};
        let sent = Columns {
            a: vec![0.1 + 0.2, -0.0, f64::INFINITY, 1e308],
            b: vec![Some(2.5), None],
            c: vec![0, 255],
            d: vec![Some(3), None],
            e: vec![true, false],
        };
        let (json, beside) = encode_beside(&sent);
        assert_eq!(json, r#"{"a":"@0+32","b":"@32+16","c":"@48+2","d":"@50+2","e":"@52+2"}"#);
        assert_eq!(beside.len(), 54);
        let back: Columns = decode_beside(json.as_bytes(), beside.clone()).unwrap();
        assert_eq!(back, sent);
        assert_eq!(back.a[1].to_bits(), (-0.0f64).to_bits());
        // Texts and scatters put their bytes beside too.
        let texts = texts(&["SKU-1", "", "Ünïcødé"]);
        let (json, beside) = encode_beside(&texts);
        assert_eq!(json, r#"{"t":["@0+12","SKU-1Ünïcødé"]}"#);
        assert_eq!(decode_beside::<Texts>(json.as_bytes(), beside).unwrap(), texts);
        let scatter = Scatter { p: vec![(1.0, 0.49, 0), (57.5, 0.0, 4)] };
        let (json, beside) = encode_beside(&scatter);
        assert_eq!(decode_beside::<Scatter>(json.as_bytes(), beside).unwrap(), scatter);
        // Base64 outside `encode_beside`, as before, read either way.
        let plain = serde_json::to_string(&sent).unwrap();
        assert!(!plain.contains('@'), "{plain}");
        assert_eq!(decode_beside::<Columns>(plain.as_bytes(), Vec::new()).unwrap(), sent);
    }

    #[test]
    fn bytes_named_but_not_beside_are_an_error_not_a_panic() {
        use super::decode_beside;
        let (json, beside) = super::encode_beside(&Columns {
            a: vec![1.0],
            b: vec![],
            c: vec![],
            d: vec![],
            e: vec![],
        });
        for (json, beside) in [
            (json.clone(), Vec::new()),
            (json.clone(), beside[..7].to_vec()),
            (json.replace("@0+8", "@18446744073709551615+8"), beside.clone()),
            (json.replace("@0+8", "@x+8"), beside.clone()),
            (json.replace("@0+8", "@0-8"), beside.clone()),
        ] {
            assert!(decode_beside::<Columns>(json.as_bytes(), beside).is_err(), "{json}");
        }
        // Without `decode_beside` a named place is no column either.
        assert!(serde_json::from_str::<Columns>(&json).is_err());
    }

    #[test]
    fn empty_columns_are_empty_strings() {
        let sent = Columns { a: vec![], b: vec![], c: vec![], d: vec![], e: vec![] };
        let json = serde_json::to_string(&sent).unwrap();
        assert_eq!(json, r#"{"a":"","b":"","c":"","d":"","e":""}"#);
        assert_eq!(serde_json::from_str::<Columns>(&json).unwrap(), sent);
    }

    #[test]
    fn a_column_of_broken_bytes_is_an_error_not_a_panic() {
        // 7 bytes: not a whole f64.
        let json = r#"{"a":"AAAAAAAAAA","b":"","c":"","d":"","e":""}"#;
        let err = serde_json::from_str::<Columns>(json).unwrap_err().to_string();
        assert!(err.contains("not whole numbers"), "{err}");
        let json = r#"{"a":"!!","b":"","c":"","d":"","e":""}"#;
        assert!(serde_json::from_str::<Columns>(json).is_err());
    }
}
