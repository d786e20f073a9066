//! Bytes to text.
//!
//! A byte order mark decides: UTF-8, UTF-16LE or UTF-16BE. Without one, the
//! bytes are UTF-8 if they are valid UTF-8 and Windows-1252 otherwise (the
//! encoding of every Excel "CSV" saved on a Western Windows machine). Text is
//! never altered silently: when bytes had to be replaced, or the file was read
//! as Windows-1252, the caller gets a note saying so. A file that looks binary
//! (NUL bytes or many control characters near the start) is refused with a
//! hint about what it probably is.
//!
//! The four decoders are written here, as the WHATWG Encoding Standard
//! defines them (the tests compare them with `encoding_rs` byte for byte):
//! `encoding_rs` decodes through one function for every encoding it
//! knows, so using it for these four linked its Chinese, Japanese and
//! Korean tables into the browser's worker as well (issue #7: the gzipped
//! wasm's budget).

use std::borrow::Cow;

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// The text, without byte order mark.
    pub text: Cow<'a, str>,
    /// Encoding name as the Encoding Standard spells it (`UTF-8`,
    /// `UTF-16LE`, `UTF-16BE`, `windows-1252`).
    pub encoding: &'static str,
    /// Things the user should know about the decoding.
    pub notes: Vec<String>,
}

/// How many leading characters are inspected to tell text from binary.
const SNIFF_CHARS: usize = 8_000;

/// Decodes a whole file; `Err` carries a message saying why it is not text
/// and what to do.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err("this is a zip archive or an Excel workbook (.xlsx), not a CSV file; \
                    open it in Excel and save it as \"CSV UTF-8\", then load that file"
            .into());
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err("this is an old Excel workbook (.xls), not a CSV file; open it in Excel \
                    and save it as \"CSV UTF-8\", then load that file"
            .into());
    }
    if let Some(what) = other_format(bytes) {
        return Err(format!(
            "this is {what}, not a CSV file; export the data as CSV (text with one row \
             per line) and load that file"
        ));
    }
    let mut notes = Vec::new();
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (decode_with(Encoding::Utf8, rest, &mut notes), Encoding::Utf8)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (decode_with(Encoding::Utf16Le, rest, &mut notes), Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (decode_with(Encoding::Utf16Be, rest, &mut notes), Encoding::Utf16Be)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), Encoding::Utf8),
            Err(e) => {
                let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                notes.push(format!(
                    "The file is not valid UTF-8 (first at line {line}); it was read as \
                     Windows-1252. If accented letters look wrong, save it as \"CSV UTF-8\"."
                ));
                (Cow::Owned(windows_1252(bytes)), Encoding::Windows1252)
            }
        }
    };
    check_is_text(&text, bytes)?;
    Ok(Decoded { text, encoding: encoding.name(), notes })
}

/// The encodings a file is read in.
#[derive(Clone, Copy)]
enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// Windows-1252's characters for the bytes 0x80–0x9F (the Encoding
/// Standard's index; its five unassigned bytes are the C1 controls of the
/// same number). Every other byte is the code point of its value.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// `bytes` read as Windows-1252 (no byte is invalid in it): runs of ASCII
/// copied as they are, each other byte looked up.
fn windows_1252(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    let mut rest = bytes;
    loop {
        let ascii = rest.iter().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let (run, after) = rest.split_at(ascii);
        // ASCII is UTF-8 as it is.
        text.push_str(std::str::from_utf8(run).unwrap_or_default());
        let Some((&b, after)) = after.split_first() else { return text };
        text.push(match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        });
        rest = after;
    }
}

/// `bytes` read as UTF-16 in either byte order: an unpaired surrogate, or
/// an odd byte at the end, becomes U+FFFD. Whether anything was replaced.
fn utf16(bytes: &[u8], big_endian: bool) -> (String, bool) {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut replaced = false;
    let mut text = String::with_capacity(bytes.len() / 2 + 1);
    text.extend(char::decode_utf16(units).map(|c| {
        c.unwrap_or_else(|_| {
            replaced = true;
            char::REPLACEMENT_CHARACTER
        })
    }));
    // An odd byte at the end is one more U+FFFD, unless it follows a lead
    // surrogate, unpaired at the end: both make one (the Standard's end of
    // the queue).
    let last_unit = bytes.len().checked_sub(3).and_then(|at| bytes.get(at..at + 2));
    let after_lead = last_unit.is_some_and(|u| {
        let high = if big_endian { u[0] } else { u[1] };
        (0xD8..0xDC).contains(&high)
    });
    if bytes.len() % 2 == 1 && !after_lead {
        text.push(char::REPLACEMENT_CHARACTER);
        replaced = true;
    }
    (text, replaced)
}

/// What a file that is surely not a table is, from its first bytes: the
/// images, documents, archives, web pages and JSON people drop by mistake.
/// Without this they would be refused as "NUL bytes" or for a missing
/// column, which does not tell the user what went wrong.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 6] = [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(what);
    }
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = start.get(..start.len().min(64)).unwrap_or_default();
    let head = String::from_utf8_lossy(head).trim_start().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Some("a web page (HTML)")
    } else if head.starts_with("<?xml") {
        Some("an XML document")
    } else if head.starts_with("[{") || head.starts_with("{\"") || head.starts_with("[\n") {
        Some("JSON data")
    } else {
        None
    }
}

/// Decodes after a byte order mark; replaced bytes are noted, never hidden.
fn decode_with<'a>(encoding: Encoding, bytes: &'a [u8], notes: &mut Vec<String>) -> Cow<'a, str> {
    let (text, had_errors) = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let (text, replaced) = utf16(bytes, matches!(encoding, Encoding::Utf16Be));
            (Cow::Owned(text), replaced)
        }
        Encoding::Windows1252 => (Cow::Owned(windows_1252(bytes)), false),
        Encoding::Utf8 => {
            let text = String::from_utf8_lossy(bytes);
            let replaced = matches!(text, Cow::Owned(_));
            (text, replaced)
        }
    };
    if had_errors {
        let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
        notes.push(format!(
            "The file starts with a {} byte order mark but {replaced} byte sequence(s) are not \
             valid {}; they were replaced by \u{FFFD}. Check the rows that contain \u{FFFD}.",
            encoding.name(),
            encoding.name()
        ));
    }
    text
}

/// Refuses text that is really binary data: a NUL byte, or more than one
/// character in ten a control character, in the first [`SNIFF_CHARS`].
fn check_is_text(text: &str, bytes: &[u8]) -> Result<(), String> {
    let mut chars = 0usize;
    let mut nul = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(SNIFF_CHARS) {
        chars += 1;
        if c == '\0' {
            nul += 1;
        } else if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            control += 1;
        }
    }
    if nul > 0 {
        let head = &bytes[..bytes.len().min(SNIFF_CHARS)];
        let odd_nul = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let even_nul = head.iter().step_by(2).filter(|&&b| b == 0).count();
        if odd_nul.max(even_nul) * 4 > head.len() {
            return Err("the file looks like UTF-16 text without a byte order mark; save it \
                        again as \"CSV UTF-8\" and load that file"
                .into());
        }
        return Err("the file contains NUL bytes, so it is not a text (CSV) file; export the \
                    data as CSV and load that file"
            .into());
    }
    if control * 10 > chars {
        return Err("the file is mostly control characters, so it is not a text (CSV) file; \
                    export the data as CSV and load that file"
            .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `bytes` and compares text and encoding name.
    fn check(bytes: &[u8], text: &str, encoding: &str) {
        let d = decode(bytes).unwrap_or_else(|e| panic!("{bytes:?}: {e}"));
        assert_eq!((d.text.as_ref(), d.encoding), (text, encoding), "{bytes:?}");
    }

    #[test]
    fn each_encoding_decodes_to_the_same_text() {
        check(b"sku;qty\nA\xC3\xA9;1", "sku;qty\nAé;1", "UTF-8");
        check(b"\xEF\xBB\xBFsku;qty\nA\xC3\xA9;1", "sku;qty\nAé;1", "UTF-8");
        check(b"\xFF\xFEs\0k\0u\0;\0\xE9\0", "sku;é", "UTF-16LE");
        check(b"\xFE\xFF\0s\0k\0u\0;\0\xE9", "sku;é", "UTF-16BE");
        check(b"sku;price\nA\xE9;\x80 5", "sku;price\nAé;€ 5", "windows-1252");
        check(b"", "", "UTF-8");
    }

    /// The reference: `encoding_rs`'s encoding of the same name.
    fn reference(encoding: Encoding) -> &'static encoding_rs::Encoding {
        match encoding {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
        }
    }

    /// `encoding_rs`'s decoding of `bytes` (no BOM handling) and whether
    /// it replaced anything.
    fn by_encoding_rs(encoding: Encoding, bytes: &[u8]) -> (String, bool) {
        let (text, replaced) = reference(encoding).decode_without_bom_handling(bytes);
        (text.into_owned(), replaced)
    }

    fn ours(encoding: Encoding, bytes: &[u8]) -> (String, bool) {
        let mut notes = Vec::new();
        let text = decode_with(encoding, bytes, &mut notes).into_owned();
        (text, !notes.is_empty())
    }

    const ENCODINGS: [Encoding; 4] =
        [Encoding::Utf8, Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Windows1252];

    #[test]
    fn every_byte_and_pair_decodes_as_encoding_rs_does() {
        for encoding in ENCODINGS {
            assert_eq!(encoding.name(), reference(encoding).name());
            for a in 0..=255u8 {
                assert_eq!(ours(encoding, &[a]), by_encoding_rs(encoding, &[a]), "{a:#x}");
                for b in 0..=255u8 {
                    let bytes = [a, b, b'x', a];
                    let (mine, theirs) = (ours(encoding, &bytes), by_encoding_rs(encoding, &bytes));
                    assert_eq!(mine, theirs, "{} {bytes:?}", encoding.name());
                }
            }
        }
        // Surrogates paired, unpaired, reversed and at the end, both orders.
        let units: [u16; 7] = [0xD83D, 0xDE00, 0xDE00, 0xD83D, 0x41, 0xD83D, 0xDBFF];
        for big_endian in [false, true] {
            let bytes: Vec<u8> = units
                .iter()
                .flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() })
                .collect();
            let encoding = if big_endian { Encoding::Utf16Be } else { Encoding::Utf16Le };
            for end in 0..=bytes.len() {
                let part = &bytes[..end];
                assert_eq!(ours(encoding, part), by_encoding_rs(encoding, part), "{part:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_as_encoding_rs_does(bytes in proptest::collection::vec(
            proptest::prop_oneof![proptest::num::u8::ANY, 0x80u8..0xC0, 0xD8u8..0xE0], 0..40)
        ) {
            for encoding in ENCODINGS {
                proptest::prop_assert_eq!(ours(encoding, &bytes), by_encoding_rs(encoding, &bytes));
            }
        }
    }

    #[test]
    fn windows_1252_is_noted_with_the_first_bad_line() {
        let d = decode(b"a\nb\nc\xE9").unwrap();
        assert_eq!(d.notes.len(), 1);
        assert!(d.notes[0].contains("line 3"), "{}", d.notes[0]);
    }

    #[test]
    fn utf8_is_not_noted() {
        assert!(decode("sku\nÄ".as_bytes()).unwrap().notes.is_empty());
    }

    #[test]
    fn replaced_bytes_after_a_bom_are_noted() {
        let d = decode(b"\xEF\xBB\xBFsku\nA\xFF").unwrap();
        assert_eq!(d.text, "sku\nA\u{FFFD}");
        assert!(d.notes[0].contains("replaced"), "{:?}", d.notes);
    }

    #[test]
    fn binary_files_are_refused_with_advice() {
        let cases: [(&[u8], &str); 11] = [
            (b"PK\x03\x04\x14\0\0\0", "xlsx"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "JPEG image"),
            (b"%PDF-1.7\n%\xE2\xE3", "PDF document"),
            (b"\x1F\x8B\x08\0", "gzip archive"),
            (b"\n  <!DOCTYPE html>\n<html>", "web page (HTML)"),
            (b"[{\"sku\": \"A\", \"qty\": 1}]", "JSON"),
            (b"\xD0\xCF\x11\xE0\xA1\xB1", ".xls"),
            (b"s\0k\0u\0;\0q\0t\0y\0\n\0", "UTF-16"),
            (b"sku\nA\0B", "NUL"),
            (b"\x01\x02\x03\x04\x05\x06\x07\x08abc", "control"),
        ];
        for (bytes, hint) in cases {
            let e = decode(bytes).unwrap_err();
            assert!(e.contains(hint), "{bytes:?}: {e}");
        }
    }

    #[test]
    fn tables_that_merely_start_like_other_formats_are_read() {
        check(b"[Order ID],sku\n1,A", "[Order ID],sku\n1,A", "UTF-8");
        check(b"<sku>;qty\nA;1", "<sku>;qty\nA;1", "UTF-8");
        check(b"GIF;sku\n1;A", "GIF;sku\n1;A", "UTF-8");
    }
}
