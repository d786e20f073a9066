//! Bytes to text.
//!
//! A byte order mark decides: UTF-8, UTF-16LE or UTF-16BE. Without one, the
//! bytes are UTF-8 if they are valid UTF-8 and Windows-1252 otherwise (the
//! encoding of every Excel "CSV" saved on a Western Windows machine). Text is
//! never altered silently: when bytes had to be replaced, or the file was read
//! as Windows-1252, the caller gets a note saying so. A file that looks binary
//! (NUL bytes or many control characters near the start) is refused with a
//! hint about what it probably is.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// The text, without byte order mark.
    pub text: Cow<'a, str>,
    /// Encoding name as `encoding_rs` spells it (`UTF-8`, `windows-1252`, …).
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
        (decode_with(UTF_8, rest, &mut notes), UTF_8)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (decode_with(UTF_16LE, rest, &mut notes), UTF_16LE)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (decode_with(UTF_16BE, rest, &mut notes), UTF_16BE)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), UTF_8),
            Err(e) => {
                let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                notes.push(format!(
                    "The file is not valid UTF-8 (first at line {line}); it was read as \
                     Windows-1252. If accented letters look wrong, save it as \"CSV UTF-8\"."
                ));
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                (text, WINDOWS_1252)
            }
        }
    };
    check_is_text(&text, bytes)?;
    Ok(Decoded { text, encoding: encoding.name(), notes })
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
fn decode_with<'a>(
    encoding: &'static Encoding,
    bytes: &'a [u8],
    notes: &mut Vec<String>,
) -> Cow<'a, str> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
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
