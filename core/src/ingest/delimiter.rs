//! Which character separates the fields.
//!
//! An Excel `sep=;` first line names it outright. Otherwise each candidate —
//! `,` `;` TAB `|`, in that order of preference — splits the first records of
//! the file (quotes respected, through the `csv` crate itself), and the one
//! that gives the header more than one field and the most records with the
//! header's field count wins; ties go to more fields, then to the earlier
//! candidate. A file where no candidate splits the header is read as one
//! column of comma-separated text, which then fails the column mapping with a
//! message that lists the single header found.

/// The candidates, in order of preference on a tie.
pub(crate) const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How much of the file the detection looks at.
const SAMPLE_BYTES: usize = 64 * 1024;
/// How many records of the sample it compares.
const SAMPLE_RECORDS: usize = 50;

/// The detected delimiter and where the CSV data starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// The delimiter byte.
    pub delimiter: u8,
    /// Byte offset of the header row (after a `sep=` line, if any).
    pub start: usize,
    /// Physical lines before the header row (1 after a `sep=` line).
    pub lines_before: u64,
}

/// Detects the delimiter of `text`.
pub(crate) fn detect(text: &str) -> Dialect {
    if let Some((delimiter, start)) = excel_sep_line(text) {
        return Dialect { delimiter, start, lines_before: 1 };
    }
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = text.get(..end).unwrap_or_default();
    let truncated = end < text.len();
    let mut best = (b',', (0usize, 0usize));
    for candidate in CANDIDATES {
        let score = score(sample, candidate, truncated);
        // Strictly better only, so earlier candidates win ties.
        if score > best.1 {
            best = (candidate, score);
        }
    }
    Dialect { delimiter: best.0, start: 0, lines_before: 0 }
}

/// `(records matching the header's field count, header field count)`, or
/// zeros when the candidate does not split the header.
fn score(sample: &str, delimiter: u8, truncated: bool) -> (usize, usize) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(sample.as_bytes());
    let mut counts: Vec<usize> = Vec::new();
    let mut record = csv::ByteRecord::new();
    while counts.len() <= SAMPLE_RECORDS {
        match reader.read_byte_record(&mut record) {
            Ok(true) => counts.push(record.len()),
            _ => break,
        }
    }
    // The last record of a cut sample may itself be cut.
    if truncated && counts.len() <= SAMPLE_RECORDS {
        counts.pop();
    }
    let Some(&header) = counts.first() else { return (0, 0) };
    if header < 2 {
        return (0, 0);
    }
    let matching = counts.iter().filter(|&&n| n == header).count();
    (matching, header)
}

/// Excel's `sep=X` first line (optionally quoted): the delimiter and the
/// offset of the next line.
fn excel_sep_line(text: &str) -> Option<(u8, usize)> {
    let newline = text.find('\n')?;
    let line = text.get(..newline)?.trim_end_matches('\r').trim().trim_matches('"');
    let rest = line.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))?;
    let sep = line.get(rest.len()..)?;
    match sep.as_bytes() {
        [b] if b.is_ascii_punctuation() || *b == b'\t' => Some((*b, newline + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Detects the delimiter of `text` and compares.
    fn check(text: &str, expected: u8) {
        assert_eq!(detect(text).delimiter as char, expected as char, "{text:?}");
    }

    #[test]
    fn each_delimiter_is_detected() {
        check("order,sku,qty\n1,A,2\n2,B,3\n", b',');
        check("order;sku;qty\n1;A;2,5\n2;B;3,5\n", b';');
        check("order\tsku\tqty\n1\tA,x\t2\n", b'\t');
        check("order|sku|qty\n1|A;B|2\n", b'|');
        check("order;sku;price\r\n1;A;1,5\r\n", b';');
    }

    #[test]
    fn quoted_delimiters_do_not_count() {
        check("id;name;qty\n1;\"a, b, c\";2\n2;\"d, e\";3\n", b';');
        check("id,name,qty\n1,\"a;b;c;d\",2\n2,\"x;y;z\",3\n", b',');
        check("id,name,qty\n1,\"line one\nline; two; three\",2\n", b',');
    }

    #[test]
    fn consistent_field_counts_beat_more_fields() {
        // Commas inside unquoted decimal numbers give ragged rows.
        check("a;b\n1,5;2,25\n3;4,125\n", b';');
    }

    #[test]
    fn a_header_only_file_is_split_by_its_header() {
        check("order;sku;qty", b';');
        check("order,sku,qty", b',');
    }

    #[test]
    fn excel_sep_line_names_the_delimiter() {
        let d = detect("sep=;\norder;sku\n1;A\n");
        assert_eq!(d, Dialect { delimiter: b';', start: 6, lines_before: 1 });
        assert_eq!(detect("\"sep=|\"\r\na|b\n").delimiter, b'|');
        assert_eq!(detect("SEP=,\na,b\n").delimiter, b',');
    }

    #[test]
    fn one_column_text_defaults_to_comma() {
        check("just some text\nmore text\n", b',');
        check("", b',');
    }
}
