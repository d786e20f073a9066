//! Splitting decoded text into records and fields, as the `csv` crate
//! splits it, without copying.
//!
//! The text is already valid UTF-8 and every byte that splits it (the
//! delimiter, `"`, CR, LF) is ASCII, so each field is a slice of the text:
//! nothing is copied and no cell is checked for UTF-8 again. Only a quoted
//! field with a doubled quote (`"a ""b"""`) or with text after its closing
//! quote (`"a"b`) is put together in a `String`.
//!
//! The rules are `csv`'s with quoting on, `""` as the escaped quote and CR,
//! LF or CRLF ending a record (its `ReaderBuilder` defaults, `flexible`):
//! a `"` opens a quoted field only as the field's first character and is an
//! ordinary character anywhere else; in a quoted field the delimiter, CR and
//! LF are text; after the closing quote, text up to the next delimiter or
//! line end is added as written; blank lines are passed over; a file ending
//! inside a quoted field ends the field there. The tests compare every
//! record and line number with `csv` itself.

use std::borrow::Cow;

/// Reads records one after another from a position in the text.
pub struct Splitter<'t> {
    text: &'t str,
    delimiter: u8,
    /// Where the next record is looked for.
    pos: usize,
    /// LF bytes before `pos`.
    newlines: u64,
    /// Where the window of [`WINDOW`] bytes last looked at starts, and its
    /// field ends ([`field_ends`]): the fields of a record are found from
    /// the bits of one or two windows, not byte by byte.
    window: usize,
    ends: u64,
}

/// The bytes looked at together for field ends.
const WINDOW: usize = 64;

/// Where a record lies in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of its first character.
    pub start: usize,
    /// LF bytes before it: a record on the text's first line has 0.
    pub newlines: u64,
    /// Byte offset just past its last field (its line end, or the end of
    /// the text).
    pub end: usize,
}

impl<'t> Splitter<'t> {
    /// Records of `text` from byte `start` on (which must be the start of
    /// a line or of a record).
    pub fn new(text: &'t str, delimiter: u8, start: usize) -> Splitter<'t> {
        Splitter::resume(text, delimiter, start, 0)
    }

    /// Records of `text` from byte `start` on, as [`Splitter::new`], with
    /// `newlines` LF bytes counted before `start` (a later part of a text
    /// whose start another splitter reads; see `Sheet::into_parts`).
    pub fn resume(text: &'t str, delimiter: u8, start: usize, newlines: u64) -> Splitter<'t> {
        // No window yet: one starting past every position.
        Splitter { text, delimiter, pos: start, newlines, window: usize::MAX - WINDOW, ends: 0 }
    }

    /// How far reading has come, in bytes.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'t [u8] {
        self.text.as_bytes().get(self.pos..).unwrap_or_default()
    }

    /// LF bytes before [`Splitter::position`] (counted from the start it
    /// was given, plus the `newlines` of [`Splitter::resume`]).
    pub fn newlines(&self) -> u64 {
        self.newlines
    }

    /// Puts the fields of the next record into `fields` (cleared first) and
    /// says where it starts; `None` at the end of the text.
    pub fn next_record(&mut self, fields: &mut Vec<Cow<'t, str>>) -> Option<Span> {
        fields.clear();
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        // Line ends before a record (blank lines) are passed over.
        loop {
            match bytes.get(i) {
                Some(b'\n') => self.newlines += 1,
                Some(b'\r') => {}
                Some(_) => break,
                None => {
                    self.pos = i;
                    return None;
                }
            }
            i += 1;
        }
        let start = i;
        let newlines = self.newlines;
        loop {
            let (field, end) = self.field(i);
            fields.push(field);
            i = end;
            match bytes.get(i) {
                Some(&b) if b == self.delimiter => i += 1,
                // A line end (left for the next call to pass over) or the end.
                _ => break,
            }
        }
        self.pos = i;
        Some(Span { start, newlines, end: i })
    }

    /// The text of a record, as written (quotes included).
    pub fn record_text(&self, span: Span) -> &'t str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    /// The first delimiter, CR or LF at or after byte `from` (else the
    /// end of the text), from the bits of the window that holds `from`.
    fn unquoted_end(&mut self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = from;
        loop {
            if !(self.window..self.window + WINDOW).contains(&at) {
                if at >= bytes.len() {
                    return bytes.len();
                }
                (self.window, self.ends) = (at, field_ends(bytes, at, self.delimiter));
            }
            let ends = self.ends >> (at - self.window);
            if ends != 0 {
                return at + ends.trailing_zeros() as usize;
            }
            at = self.window + WINDOW;
        }
    }

    /// The field starting at byte `start` and where it ends (at a
    /// delimiter, a line end or the end of the text).
    fn field(&mut self, start: usize) -> (Cow<'t, str>, usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let slice = |from: usize, to: usize| text.get(from..to).unwrap_or_default();
        if bytes.get(start) != Some(&b'"') {
            let end = self.unquoted_end(start);
            return (Cow::Borrowed(slice(start, end)), end);
        }
        // A quoted field: its text runs in pieces between doubled quotes.
        let mut owned: Option<String> = None;
        let mut piece = start + 1;
        let mut i = piece;
        let text_end = loop {
            match bytes.get(i) {
                None => break i,
                Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                    // `""` is one quote: keep the piece with its first quote.
                    owned.get_or_insert_with(String::new).push_str(slice(piece, i + 1));
                    i += 2;
                    piece = i;
                }
                Some(b'"') => break i,
                Some(b) => {
                    if *b == b'\n' {
                        self.newlines += 1;
                    }
                    i += 1;
                }
            }
        };
        let after_quote = (text_end + 1).min(bytes.len());
        let end = self.unquoted_end(after_quote);
        let last = slice(piece, text_end);
        let trailing = slice(after_quote, end);
        let field = match owned {
            None if trailing.is_empty() => Cow::Borrowed(last),
            owned => {
                let mut s = owned.unwrap_or_default();
                s.push_str(last);
                s.push_str(trailing);
                Cow::Owned(s)
            }
        };
        (field, end)
    }
}

/// Bit `k` set where byte `from + k` of `bytes` is the delimiter, CR or
/// LF, for the [`WINDOW`] bytes from `from` (fewer at the end of the text,
/// the bits past it clear): where unquoted fields end.
fn field_ends(bytes: &[u8], from: usize, delimiter: u8) -> u64 {
    match bytes.get(from..from + WINDOW).map(<&[u8; WINDOW]>::try_from) {
        Some(Ok(window)) => window_ends(window, delimiter),
        _ => {
            let rest = bytes.get(from..).unwrap_or_default();
            rest.iter()
                .enumerate()
                .fold(0, |ends, (k, &b)| ends | u64::from(is_end(b, delimiter)) << k)
        }
    }
}

fn is_end(b: u8, delimiter: u8) -> bool {
    b == delimiter || b == b'\n' || b == b'\r'
}

/// [`field_ends`] of a whole window, sixteen bytes at a time (SSE2, part
/// of every x86-64 processor).
#[cfg(target_arch = "x86_64")]
fn window_ends(window: &[u8; WINDOW], delimiter: u8) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut ends = 0u64;
    // SAFETY: SSE2 is part of every x86-64 processor; each load reads 16
    // bytes of the window and needs no alignment.
    unsafe {
        let (d, lf, cr) = (
            _mm_set1_epi8(delimiter as i8),
            _mm_set1_epi8(b'\n' as i8),
            _mm_set1_epi8(b'\r' as i8),
        );
        for (k, sixteen) in window.chunks_exact(16).enumerate() {
            let v = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
            let hits = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)),
                _mm_cmpeq_epi8(v, cr),
            );
            ends |= u64::from(_mm_movemask_epi8(hits) as u16) << (16 * k);
        }
    }
    ends
}

/// [`field_ends`] of a whole window, sixteen bytes at a time (WebAssembly's
/// 128-bit SIMD, which `.cargo/config.toml` enables for the browser build).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn window_ends(window: &[u8; WINDOW], delimiter: u8) -> u64 {
    use std::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load, v128_or};
    let (d, lf, cr) = (u8x16_splat(delimiter), u8x16_splat(b'\n'), u8x16_splat(b'\r'));
    let mut ends = 0u64;
    for (k, sixteen) in window.chunks_exact(16).enumerate() {
        // SAFETY: `sixteen` is 16 readable bytes; the load needs no alignment.
        let v = unsafe { v128_load(sixteen.as_ptr().cast::<v128>()) };
        let hits = v128_or(v128_or(u8x16_eq(v, d), u8x16_eq(v, lf)), u8x16_eq(v, cr));
        ends |= u64::from(u8x16_bitmask(hits)) << (16 * k);
    }
    ends
}

/// [`field_ends`] of a whole window, byte by byte (other processors).
#[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
fn window_ends(window: &[u8; WINDOW], delimiter: u8) -> u64 {
    let mut ends = 0u64;
    for (k, &b) in window.iter().enumerate() {
        ends |= u64::from(is_end(b, delimiter)) << k;
    }
    ends
}

/// The fields of the record at byte `start` of `text`.
pub fn record_at(text: &str, delimiter: u8, start: usize) -> Vec<Cow<'_, str>> {
    let mut fields = Vec::new();
    Splitter::new(text, delimiter, start).next_record(&mut fields);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text` as `csv` reads it: fields, and the line
    /// count before and byte offset of its first character.
    fn by_csv(text: &str, delimiter: u8) -> Vec<(Vec<String>, Span)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let pos = record.position().unwrap();
            let from = pos.byte() as usize;
            let blank = &text.as_bytes()[from..];
            let skipped = blank.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            let newlines = blank[..skipped].iter().filter(|&&b| b == b'\n').count() as u64;
            let fields = record.iter().map(|f| String::from_utf8(f.to_vec()).unwrap()).collect();
            // Where a record ends is checked in `by_splitter`.
            let span = Span { start: from + skipped, newlines: pos.line() - 1 + newlines, end: 0 };
            out.push((fields, span));
        }
        out
    }

    fn by_splitter(text: &str, delimiter: u8) -> Vec<(Vec<String>, Span)> {
        let mut splitter = Splitter::new(text, delimiter, 0);
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(span) = splitter.next_record(&mut fields) {
            // A record ends at a line end or the text's end, and its text
            // alone splits into the same fields.
            let after = text.as_bytes().get(span.end);
            assert!(matches!(after, None | Some(b'\r' | b'\n')), "{text:?} {span:?}");
            assert_eq!(record_at(splitter.record_text(span), delimiter, 0), fields, "{text:?}");
            assert_eq!(record_at(text, delimiter, span.start), fields, "{text:?}");
            out.push((fields.iter().map(|f| f.to_string()).collect(), Span { end: 0, ..span }));
        }
        assert_eq!(splitter.position(), text.len());
        out
    }

    fn check(text: &str, delimiter: u8) {
        assert_eq!(by_splitter(text, delimiter), by_csv(text, delimiter), "{text:?}");
    }

    #[test]
    fn records_split_as_csv_splits_them() {
        for text in [
            "",
            "\n\r\n",
            "a,b\nc,d",
            "a,b\r\nc,d\r\n",
            "a,b\rc\n\n\nd,",
            ",\n,,\n",
            "\"a,b\",c\n",
            "\"a\nb\",\"c\r\nd\"\ne",
            "\"a \"\"q\"\" b\",\"\"\"\"\n",
            "\"a\"b,c\n",
            "\"a\"\"b\"c\"d,e",
            "ab\"c,\"d\n",
            "\"open\n,field",
            "x,\"\"\n\"\"",
            "é,\"ü\"\"ß\"\n€",
            "0123456789abcdef,0123456\r\n01234567;89\n\"0123456789\"abcdefgh,x",
        ] {
            check(text, b',');
            check(&text.replace(',', ";"), b';');
        }
    }

    #[test]
    fn field_ends_are_found_a_window_at_a_time_as_one_by_one() {
        let long = "0123456789abcdef,".repeat(9) + "\r\n;é€ü,ßéé\rxx" + &"ÿ".repeat(70);
        for text in ["", "abcdefghijklmnop,q", "ÿÿÿÿÿÿÿÿÿ;\r", "0123456\n89abcdefg", &long]
        {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let naive = (0..WINDOW)
                    .filter(|&k| {
                        bytes.get(from + k).is_some_and(|&b| matches!(b, b',' | b'\n' | b'\r'))
                    })
                    .fold(0u64, |ends, k| ends | 1 << k);
                assert_eq!(field_ends(bytes, from, b','), naive, "{text:?} from {from}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_splits_as_csv_splits_it(text in "([ab,;\"\r\né]|abcdefgh){0,40}") {
            check(&text, b',');
            check(&text, b';');
        }
    }
}
