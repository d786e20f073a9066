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
}

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
        Splitter { text, delimiter, pos: start, newlines: 0 }
    }

    /// Records of `text` from byte `start` on, as [`Splitter::new`], with
    /// `newlines` LF bytes counted before `start` (a later part of a text
    /// whose start another splitter reads; see `Sheet::into_parts`).
    pub fn resume(text: &'t str, delimiter: u8, start: usize, newlines: u64) -> Splitter<'t> {
        Splitter { text, delimiter, pos: start, newlines }
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

    /// The field starting at byte `start` and where it ends (at a
    /// delimiter, a line end or the end of the text).
    fn field(&mut self, start: usize) -> (Cow<'t, str>, usize) {
        let bytes = self.text.as_bytes();
        let slice = |from: usize, to: usize| self.text.get(from..to).unwrap_or_default();
        let unquoted_end = |from: usize| unquoted_end(bytes, from, self.delimiter);
        if bytes.get(start) != Some(&b'"') {
            let end = unquoted_end(start);
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
        let end = unquoted_end(after_quote);
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

/// The first delimiter, CR or LF at or after byte `from` (else the end).
///
/// Eight bytes at a time: `x - 0x01…01 & !x & 0x80…80` flags the zero bytes
/// of `x` (bytes above a zero may be flagged wrongly, never below), so the
/// lowest flag of the word xor-ed with each wanted byte is the first match.
fn unquoted_end(bytes: &[u8], from: usize, delimiter: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let (every_delimiter, every_lf, every_cr) =
        (ONES * u64::from(delimiter), ONES * u64::from(b'\n'), ONES * u64::from(b'\r'));
    let mut i = from;
    while let Some(Ok(chunk)) = bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let word = u64::from_le_bytes(chunk);
        let found = zeros(word ^ every_delimiter) | zeros(word ^ every_lf) | zeros(word ^ every_cr);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = bytes.get(i..).unwrap_or_default();
    let ends = |b: &u8| *b == delimiter || *b == b'\n' || *b == b'\r';
    i + rest.iter().position(ends).unwrap_or(rest.len())
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
    fn field_ends_are_found_eight_bytes_at_a_time_as_one_by_one() {
        for text in ["", "abcdefghijklmnop,q", "ÿÿÿÿÿÿÿÿÿ;\r", "0123456\n89abcdefg", "é€ü,ßéé\rxx"]
        {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let naive = (from..bytes.len())
                    .find(|&i| matches!(bytes[i], b',' | b'\n' | b'\r'))
                    .unwrap_or(bytes.len());
                assert_eq!(unquoted_end(bytes, from, b','), naive, "{text:?} from {from}");
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
