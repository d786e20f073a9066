//! Numbers as exports write them (SPEC §1.6).
//!
//! A cell is trimmed; surrounding currency symbols or codes (`$`, `€`,
//! `EUR`, `kr` …) are dropped; `(12.5)`, a leading `-`/`−` or a trailing `-`
//! make it negative; spaces, non-breaking spaces and apostrophes between
//! digit groups are thousands separators. `NaN`, `inf`, text and anything
//! else are unparseable — never silently zero.
//!
//! # Which separator is the decimal mark
//!
//! Most cells say so themselves, and each is read by what it says:
//!
//! - both `.` and `,` present: the last one is the decimal mark
//!   (`1.234,56`, `1,234.56`);
//! - the same one twice or more: it groups thousands (`1,234,567`), so the
//!   other is the decimal mark;
//! - one separator beside space or apostrophe grouping: it is the decimal
//!   mark (`1 234,5`);
//! - a single separator that is not followed by exactly three digits, or is
//!   preceded by none, by more than three, or by a leading `0`: it is the
//!   decimal mark (`12,5`, `0.125`, `1234.567`, `,5`).
//!
//! Only a single `.` or `,` between one to three digits (not starting with
//! `0`) and exactly three digits — `1,234`, `22.368` — can be read either
//! way. Such cells are decided per column: by the separator that the
//! column's other cells prove, by majority; when the column proves nothing,
//! by the majority of the file's other number columns; when the whole file
//! proves nothing, `,` is the decimal mark in a `;`-separated file and `.`
//! otherwise (Excel writes `;` exactly where `,` is the decimal mark). The
//! loader notes every column whose ambiguous cells were decided by a
//! fallback, and every column that mixes both separators.
//!
//! A cell is parsed on its own into its `.`-reading plus, when ambiguous,
//! its `,`-reading; the column's decision is made after the pass and
//! swaps in the other reading where needed. Parsing thus stays one pass over
//! the file, and a sign or a zero never depends on the decision (both
//! readings of an ambiguous cell have the same sign and are non-zero).

/// The decimal mark a cell proves for its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The cell proves nothing (integers, ambiguous cells).
    Neither,
    /// `.` is the decimal mark.
    Dot,
    /// `,` is the decimal mark.
    Comma,
}

/// One parsed cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    /// Blank.
    Empty,
    /// Not a number.
    Invalid,
    /// A number.
    Value {
        /// The value with `.` as decimal mark.
        value: f64,
        /// The value with `,` as decimal mark, for an ambiguous cell.
        alt: Option<f64>,
        /// What the cell proves about its column.
        mark: Mark,
        /// Whether it ended in `%` (the value is not divided by 100).
        percent: bool,
    },
}

/// Currency symbols and codes dropped around a number, longest first where
/// one is a prefix of another.
const CURRENCIES: &[&str] = &[
    "US$", "NZ$", "HK$", "R$", "A$", "C$", "S$", "$", "€", "£", "¥", "₹", "₽", "₩", "₺", "₪", "฿",
    "₫", "₴", "₦", "₱", "¢", "CHF", "EUR", "USD", "GBP", "JPY", "CNY", "RMB", "INR", "AUD", "CAD",
    "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL", "MXN", "ZAR", "RUB", "TRY", "KRW",
    "SGD", "HKD", "ILS", "AED", "SAR", "kr.", "kr", "zł", "Kč", "Ft", "Fr.", "Rs.", "Rs",
];

/// Drops currency symbols and codes at either end.
fn strip_currency(mut s: &str) -> &str {
    // No currency starts or ends with a digit: most cells skip the search.
    let digit_at = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
    for _ in 0..2 {
        let before = s.len();
        if digit_at(s.as_bytes().first()) && digit_at(s.as_bytes().last()) {
            break;
        }
        if let Some(c) = CURRENCIES.iter().find(|c| s.starts_with(**c)) {
            s = s.get(c.len()..).unwrap_or_default().trim_start();
        }
        if let Some(c) = CURRENCIES.iter().find(|c| s.ends_with(**c)) {
            s = s.get(..s.len() - c.len()).unwrap_or_default().trim_end();
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// Parses one cell.
pub fn parse(cell: &str) -> Num {
    let s = crate::cell::trim(cell);
    if s.is_empty() {
        return Num::Empty;
    }
    plain(s).unwrap_or_else(|| written(s))
}

/// Exact powers of ten up to the most digits [`plain`] reads.
const POWERS_OF_TEN: [f64; 16] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// The cell most exports write — an optional `-`, then at most 15 digits
/// with at most one `.` that cannot be read as a thousands separator — read
/// without the general scan; `None` for any other cell. Up to 15 digits the
/// digits as an integer and the power of ten are exact doubles, so their
/// quotient is the correctly rounded value, as the standard parser gives
/// (Clinger's fast path); the result is thus the general path's, bit for bit.
fn plain(s: &str) -> Option<Num> {
    let (negative, body) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    let (mut mantissa, mut digits, mut dot) = (0u64, 0usize, None);
    for &b in body {
        match b {
            b'0'..=b'9' if digits < 15 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if dot.is_none() => dot = Some(digits),
            _ => return None,
        }
    }
    let leading_zero = body.iter().find(|b| b.is_ascii_digit()) == Some(&b'0');
    let (mark, alt) = match dot {
        _ if digits == 0 => return None,
        None => (Mark::Neither, None),
        // `1.234` is ambiguous: its `,`-reading groups thousands, so it is
        // the digits as an integer (at most six, exact).
        Some(at) if digits - at == 3 && (1..=3).contains(&at) && !leading_zero => {
            (Mark::Neither, Some(mantissa as f64))
        }
        Some(_) => (Mark::Dot, None),
    };
    let value = mantissa as f64 / POWERS_OF_TEN.get(digits - dot.unwrap_or(digits))?;
    let sign = if negative { -1.0 } else { 1.0 };
    let alt = alt.map(|a| sign * a);
    computable(value).then_some(Num::Value { value: sign * value, alt, mark, percent: false })
}

/// Parses a trimmed, non-blank cell however it is written.
fn written(cell: &str) -> Num {
    let mut s = cell;
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    s = strip_currency(s);
    if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
        if negative {
            return Num::Invalid;
        }
        negative = true;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_suffix(['-', '\u{2212}']) {
        if negative {
            return Num::Invalid;
        }
        negative = true;
        s = rest.trim_end();
    }
    s = strip_currency(s);
    let percent = match s.strip_suffix('%') {
        Some(rest) => {
            s = rest.trim_end();
            true
        }
        None => false,
    };
    let Some((value, alt, mark)) = unsigned(s) else { return Num::Invalid };
    let sign = if negative { -1.0 } else { 1.0 };
    Num::Value { value: sign * value, alt: alt.map(|a| sign * a), mark, percent }
}

/// Digits and separators of a number without sign, as scanned.
struct Scan {
    /// The digits, in order.
    digits: [u8; MAX_DIGITS],
    /// How many digits.
    n_digits: usize,
    /// Each separator: its kind (`.`, `,` or ` ` for any grouping space or
    /// apostrophe) and how many digits precede it.
    seps: [(u8, usize); MAX_SEPS],
    /// How many separators.
    n_seps: usize,
}

const MAX_DIGITS: usize = 64;
const MAX_SEPS: usize = 24;

/// Reads digits and separators; `None` on any other character.
fn scan(s: &str) -> Option<Scan> {
    let mut scan =
        Scan { digits: [0; MAX_DIGITS], n_digits: 0, seps: [(0, 0); MAX_SEPS], n_seps: 0 };
    for c in s.chars() {
        let sep = match c {
            '0'..='9' => {
                *scan.digits.get_mut(scan.n_digits)? = c as u8;
                scan.n_digits += 1;
                continue;
            }
            '.' => b'.',
            ',' => b',',
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\u{2019}' => b' ',
            _ => return None,
        };
        *scan.seps.get_mut(scan.n_seps)? = (sep, scan.n_digits);
        scan.n_seps += 1;
    }
    (scan.n_digits > 0).then_some(scan)
}

/// The `.`-reading, the `,`-reading if ambiguous, and the mark proven.
fn unsigned(s: &str) -> Option<(f64, Option<f64>, Mark)> {
    if let Some(e) = s.find(['e', 'E']) {
        return scientific(s.get(..e)?, s.get(e + 1..)?);
    }
    let scan = scan(s)?;
    let seps = &scan.seps[..scan.n_seps];
    let count = |kind: u8| seps.iter().filter(|(k, _)| *k == kind).count();
    let (dots, commas, spaces) = (count(b'.'), count(b','), count(b' '));
    // `decimal`: after how many digits the decimal mark of the `.`-reading
    // stands; `alt`: the same for the `,`-reading of an ambiguous cell.
    let (decimal, alt, mark): (Option<usize>, Option<Option<usize>>, Mark) = if dots + commas == 0 {
        (None, None, Mark::Neither)
    } else if dots > 0 && commas > 0 {
        let &(last, at) = seps.iter().rev().find(|(k, _)| *k != b' ')?;
        if count(last) != 1 {
            return None;
        }
        (Some(at), None, if last == b'.' { Mark::Dot } else { Mark::Comma })
    } else {
        let kind = if dots > 0 { b'.' } else { b',' };
        let proves = |mark_if_dot: Mark| if kind == b'.' { mark_if_dot } else { flip(mark_if_dot) };
        if dots + commas >= 2 {
            // Repeated, so it groups thousands.
            (None, None, proves(Mark::Comma))
        } else {
            let &(_, at) = seps.iter().find(|(k, _)| *k == kind)?;
            let ambiguous = spaces == 0
                && scan.n_digits - at == 3
                && (1..=3).contains(&at)
                && scan.digits[0] != b'0';
            match (ambiguous, kind) {
                (true, b'.') => (Some(at), Some(None), Mark::Neither),
                (true, _) => (None, Some(Some(at)), Mark::Neither),
                (false, _) => (Some(at), None, proves(Mark::Dot)),
            }
        }
    };
    if !grouping_is_valid(seps, decimal, scan.n_digits) {
        return None;
    }
    let value = assemble(&scan, decimal)?;
    let alt = match alt {
        Some(at) => Some(assemble(&scan, at)?),
        None => None,
    };
    Some((value, alt, mark))
}

fn flip(m: Mark) -> Mark {
    match m {
        Mark::Dot => Mark::Comma,
        Mark::Comma => Mark::Dot,
        Mark::Neither => Mark::Neither,
    }
}

/// Checks digit groups: before the decimal mark (at `decimal` digits), each
/// grouping separator must follow a first group of one to three digits and
/// separate groups of two or three digits (Indian grouping has twos), the
/// last exactly three; no grouping after the decimal mark.
fn grouping_is_valid(seps: &[(u8, usize)], decimal: Option<usize>, n_digits: usize) -> bool {
    let int_end = decimal.unwrap_or(n_digits);
    let mut previous: Option<usize> = None;
    for &(_, at) in seps {
        if Some(at) == decimal {
            continue;
        }
        if at > int_end || (decimal.is_some() && at == int_end) {
            return false;
        }
        match previous {
            None if !(1..=3).contains(&at) => return false,
            Some(p) if !(2..=3).contains(&(at - p)) => return false,
            _ => {}
        }
        previous = Some(at);
    }
    match previous {
        Some(p) => int_end - p == 3,
        None => true,
    }
}

/// The value of the digits with a decimal mark after `decimal` digits.
fn assemble(scan: &Scan, decimal: Option<usize>) -> Option<f64> {
    let mut buf = [0u8; MAX_DIGITS + 1];
    let mut n = 0;
    for (i, &d) in scan.digits[..scan.n_digits].iter().enumerate() {
        if Some(i) == decimal {
            buf[n] = b'.';
            n += 1;
        }
        buf[n] = d;
        n += 1;
    }
    if decimal == Some(scan.n_digits) {
        buf[n] = b'.';
        n += 1;
    }
    let text = std::str::from_utf8(&buf[..n]).ok()?;
    text.parse::<f64>().ok().filter(|v| computable(*v))
}

/// The largest magnitude read as a number: beyond any real amount or
/// quantity (a quadrillion), and small enough that sums, products and
/// squares over millions of lines stay finite. A larger value (`1e308`) is
/// reported like unreadable text; read as it is, it would make totals
/// infinite, and an infinite figure has no JSON form for the app's views.
const MAX_MAGNITUDE: f64 = 1e15;

/// Whether a parsed value can be computed with: finite and at most
/// [`MAX_MAGNITUDE`] in size.
fn computable(value: f64) -> bool {
    value.is_finite() && value.abs() <= MAX_MAGNITUDE
}

/// `1.5E+03`, `2,5e-2`: a mantissa with at most one separator (the decimal
/// mark) and an exponent of up to three digits.
fn scientific(mantissa: &str, exponent: &str) -> Option<(f64, Option<f64>, Mark)> {
    let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scan = scan(mantissa)?;
    let seps = &scan.seps[..scan.n_seps];
    let (decimal, mark) = match seps {
        [] => (None, Mark::Neither),
        [(b'.', at)] => (Some(*at), Mark::Dot),
        [(b',', at)] => (Some(*at), Mark::Comma),
        _ => return None,
    };
    let m = assemble(&scan, decimal)?;
    let e: i32 = exponent.parse().ok()?;
    let value = m * 10f64.powi(e);
    // Rounds like the standard parser where it matters: integers stay exact.
    let text = format!("{m}e{e}");
    let value = text.parse::<f64>().unwrap_or(value);
    computable(value).then_some((value, None, mark))
}

/// A column's numbers as they are read: the evidence for its decimal mark
/// and the ambiguous cells to swap if the mark turns out to be `,`.
#[derive(Clone, Debug, Default)]
pub struct NumberColumn {
    /// Cells proving `.`.
    pub dot: u64,
    /// Cells proving `,`.
    pub comma: u64,
    /// Ambiguous cells: row index and `,`-reading.
    pub ambiguous: Vec<(u32, f64)>,
    /// The first ambiguous cell as written, for the note.
    pub example: Option<String>,
}

/// The decimal mark chosen for a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decimal {
    /// `.`
    Dot,
    /// `,`
    Comma,
}

/// What decided a column's decimal mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// The column's own cells.
    Column,
    /// The file's other number columns.
    File,
    /// The file's delimiter.
    Delimiter,
}

impl NumberColumn {
    /// Takes in the cell of row `row` (a kept row).
    pub fn record(&mut self, row: u32, cell: &str, num: &Num) {
        if let Num::Value { mark, alt, .. } = *num {
            match mark {
                Mark::Dot => self.dot += 1,
                Mark::Comma => self.comma += 1,
                Mark::Neither => {}
            }
            if let Some(alt) = alt {
                self.ambiguous.push((row, alt));
                if self.example.is_none() {
                    self.example = Some(cell.trim().to_owned());
                }
            }
        }
    }

    /// Takes in `other`, the same column read from the rows that follow
    /// this one's first `rows` kept rows (a later part of the file).
    pub fn append(&mut self, other: NumberColumn, rows: u32) {
        self.dot += other.dot;
        self.comma += other.comma;
        // Row indices wrap as the reader's `len() as u32` numbering does.
        self.ambiguous
            .extend(other.ambiguous.into_iter().map(|(i, alt)| (i.wrapping_add(rows), alt)));
        if self.example.is_none() {
            self.example = other.example;
        }
    }

    /// The column's decimal mark, given the evidence of the whole file
    /// (`file_dot`, `file_comma`, counts over all its number columns) and its
    /// delimiter.
    pub fn decide(&self, file_dot: u64, file_comma: u64, delimiter: u8) -> (Decimal, Decided) {
        let pick = |dot: u64, comma: u64| match dot.cmp(&comma) {
            std::cmp::Ordering::Greater => Some(Decimal::Dot),
            std::cmp::Ordering::Less => Some(Decimal::Comma),
            std::cmp::Ordering::Equal => None,
        };
        if let Some(d) = pick(self.dot, self.comma) {
            (d, Decided::Column)
        } else if let Some(d) = pick(file_dot, file_comma) {
            (d, Decided::File)
        } else if delimiter == b';' {
            (Decimal::Comma, Decided::Delimiter)
        } else {
            (Decimal::Dot, Decided::Delimiter)
        }
    }

    /// Notes for the user about this column, given its decision.
    pub fn notes(&self, header: &str, decision: (Decimal, Decided)) -> Vec<String> {
        let mut notes = Vec::new();
        if self.dot > 0 && self.comma > 0 {
            notes.push(format!(
                "Column `{header}` mixes decimal separators: {} value(s) use `.` and {} use `,`; \
                 each was read with the separator it shows.",
                self.dot, self.comma
            ));
        }
        if let (Some(example), (decimal, how)) = (&self.example, decision) {
            if how != Decided::Column {
                let mark = if decimal == Decimal::Dot { "." } else { "," };
                let why = match how {
                    Decided::File => "as in the file's other number columns",
                    _ if decimal == Decimal::Comma => "because the file is separated by `;`",
                    _ => "because nothing in the file shows a decimal comma",
                };
                notes.push(format!(
                    "Column `{header}`: {} value(s) such as `{example}` could be read with \
                     either decimal separator; they were read with `{mark}` as the decimal \
                     separator, {why}. Check a few of them.",
                    self.ambiguous.len()
                ));
            }
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `cell` and compares its `.`-reading (`None` = unparseable).
    fn check(cell: &str, expected: Option<f64>) {
        let got = match parse(cell) {
            Num::Value { value, percent: false, .. } => Some(value),
            Num::Empty => Some(f64::NAN),
            _ => None,
        };
        match (got, expected) {
            (Some(g), Some(e)) if g.is_nan() && e.is_nan() => {}
            _ => assert_eq!(got, expected, "{cell:?}"),
        }
    }

    /// Parses `cell` and compares both readings and the evidence.
    fn readings(cell: &str, value: f64, alt: Option<f64>, mark: Mark) {
        assert_eq!(parse(cell), Num::Value { value, alt, mark, percent: false }, "{cell:?}");
    }

    #[test]
    fn numbers_as_exports_write_them() {
        check("1.234,56", Some(1234.56));
        check("1,234.56", Some(1234.56));
        check("€ 12,50", Some(12.5));
        check("12,50 €", Some(12.5));
        check("EUR 12,50", Some(12.5));
        check("12.50 USD", Some(12.5));
        check("(12.5)", Some(-12.5));
        check("($12.50)", Some(-12.5));
        check("-3", Some(-3.0));
        check("−3", Some(-3.0));
        check("3-", Some(-3.0));
        check("-$3", Some(-3.0));
        check("$-3", Some(-3.0));
        check("+4", Some(4.0));
        check("  7 ", Some(7.0));
        check("$1,000.00", Some(1000.0));
        check("$1,000", Some(1000.0));
        check("1 234,5", Some(1234.5));
        check("1\u{a0}234,5", Some(1234.5));
        check("1\u{202f}234.5", Some(1234.5));
        check("1'234.50", Some(1234.5));
        check("1.234.567,89", Some(1_234_567.89));
        check("1,234,567", Some(1_234_567.0));
        check("1.234.567", Some(1_234_567.0));
        check("12,5", Some(12.5));
        check("0,125", Some(0.125));
        check("1234,567", Some(1234.567));
        check(",5", Some(0.5));
        check("0.5", Some(0.5));
        check("261.96", Some(261.96));
        check("957.5775", Some(957.5775));
        check("-383.031", Some(-383.031));
        check("1.5E+03", Some(1500.0));
        check("2,5e-1", Some(0.25));
        check("1e3", Some(1000.0));
        check("12,34,567.5", Some(1_234_567.5));
        check("", Some(f64::NAN));
        check("   ", Some(f64::NAN));
    }

    #[test]
    fn non_numbers_are_unparseable() {
        for cell in [
            "1e308",
            "-1e16",
            "99999999999999999999",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "Infinity",
            "abc",
            "12abc",
            "1.2.3,4,5",
            "--5",
            "-(5)",
            "(-5)",
            "-",
            "$",
            "1e400",
            "1e",
            "1,23,4",
            "1 2",
            "2016-11-08",
            "12 - 3",
            "1.234,5.6",
            "0x10",
            "1/2",
        ] {
            check(cell, None);
        }
    }

    #[test]
    fn only_a_lone_separator_before_three_digits_is_ambiguous() {
        readings("1,234", 1234.0, Some(1.234), Mark::Neither);
        readings("22.368", 22.368, Some(22368.0), Mark::Neither);
        readings("-1,234", -1234.0, Some(-1.234), Mark::Neither);
        readings("1.234,5", 1234.5, None, Mark::Comma);
        readings("12,5", 12.5, None, Mark::Comma);
        readings("12.5", 12.5, None, Mark::Dot);
        readings("0.125", 0.125, None, Mark::Dot);
        readings("1,234,567", 1_234_567.0, None, Mark::Dot);
        readings("1.234.567", 1_234_567.0, None, Mark::Comma);
        readings("1 234,567", 1234.567, None, Mark::Comma);
        readings("1234", 1234.0, None, Mark::Neither);
    }

    #[test]
    fn percent_is_reported_not_applied() {
        assert_eq!(
            parse("25%"),
            Num::Value { value: 25.0, alt: None, mark: Mark::Neither, percent: true }
        );
        assert!(
            matches!(parse("12,5 %"), Num::Value { value, percent: true, .. } if value == 12.5)
        );
    }

    /// Reads a column of cells and returns the values after the decision.
    fn column(cells: &[&str], delimiter: u8) -> Vec<Option<f64>> {
        let mut col = NumberColumn::default();
        let mut values: Vec<Option<f64>> = Vec::new();
        for (row, cell) in cells.iter().enumerate() {
            let num = parse(cell);
            col.record(row as u32, cell, &num);
            values.push(match num {
                Num::Value { value, .. } => Some(value),
                _ => None,
            });
        }
        let (decimal, _) = col.decide(col.dot, col.comma, delimiter);
        if decimal == Decimal::Comma {
            for &(row, alt) in &col.ambiguous {
                values[row as usize] = Some(alt);
            }
        }
        values
    }

    #[test]
    fn ambiguous_cells_follow_their_column() {
        let cases: [(&[&str], u8, &[f64]); 7] = [
            (&["1,234", "12,5"], b',', &[1.234, 12.5]),
            (&["1,234", "12.5"], b';', &[1234.0, 12.5]),
            (&["1.234", "2,5"], b',', &[1234.0, 2.5]),
            (&["22.368", "261.96"], b',', &[22.368, 261.96]),
            (&["1,234", "1,000"], b',', &[1234.0, 1000.0]),
            (&["1,234", "1,000"], b';', &[1.234, 1.0]),
            (&["1,234", "2,345", "1,5", "1.5", "1,25"], b',', &[1.234, 2.345, 1.5, 1.5, 1.25]),
        ];
        for (cells, delimiter, expected) in cases {
            let got: Vec<f64> = column(cells, delimiter).into_iter().flatten().collect();
            assert_eq!(got, expected, "{cells:?}");
        }
    }

    #[test]
    fn file_evidence_decides_a_silent_column() {
        let col = NumberColumn { ambiguous: vec![(0, 1.234)], ..Default::default() };
        assert_eq!(col.decide(0, 5, b','), (Decimal::Comma, Decided::File));
        assert_eq!(col.decide(5, 0, b';'), (Decimal::Dot, Decided::File));
        assert_eq!(col.decide(0, 0, b';'), (Decimal::Comma, Decided::Delimiter));
        assert_eq!(col.decide(0, 0, b'\t'), (Decimal::Dot, Decided::Delimiter));
    }

    #[test]
    fn fallback_decisions_and_mixed_columns_are_noted() {
        let mut col = NumberColumn::default();
        col.record(0, "1,234", &parse("1,234"));
        let notes = col.notes("Price", col.decide(0, 0, b';'));
        assert!(notes[0].contains("`1,234`") && notes[0].contains("`;`"), "{notes:?}");
        col.record(1, "1.5", &parse("1.5"));
        col.record(2, "1,5", &parse("1,5"));
        let notes = col.notes("Price", col.decide(0, 0, b','));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("mixes"));
    }

    /// Whether the shortcut for plain cells agrees with the general path
    /// bit for bit, or leaves the cell to it.
    fn plain_agrees(cell: &str) -> bool {
        match plain(cell) {
            None => true,
            Some(Num::Value { value, alt, mark, percent }) => match written(cell) {
                Num::Value { value: v, alt: a, mark: m, percent: p } => {
                    let bits = |x: Option<f64>| x.map(f64::to_bits);
                    value.to_bits() == v.to_bits() && (bits(alt), mark, percent) == (bits(a), m, p)
                }
                _ => false,
            },
            Some(_) => false,
        }
    }

    #[test]
    fn plain_cells_read_as_the_general_path_reads_them() {
        for cell in [
            "0",
            "-0",
            "7",
            "0017",
            "4.76",
            "-4.76",
            "80.92",
            "2.6737",
            "0.423",
            "5.",
            ".5",
            "-.5",
            "1.234",
            "-1.234",
            "999.999",
            "1.000",
            "-100.001",
            "0.234",
            "1234.567",
            "123456789012345",
            "1234567890123.45",
            "0.1",
            "0.3",
            "999999999999999",
            "1.0000000000001",
            ".",
            "-",
            "",
            "--5",
            "1.2.3",
            "1,5",
        ] {
            assert!(plain_agrees(cell), "{cell:?}");
        }
        assert!(plain("1234567890123456").is_none());
        assert_eq!(
            plain("-1.523"),
            Some(Num::Value {
                value: -1.523,
                alt: Some(-1523.0),
                mark: Mark::Neither,
                percent: false
            })
        );
        assert_eq!(
            plain("12"),
            Some(Num::Value { value: 12.0, alt: None, mark: Mark::Neither, percent: false })
        );
    }

    proptest::proptest! {
        #[test]
        fn plain_cells_agree_with_the_general_path(cell in "-?[0-9]{0,9}[.]?[0-9]{0,9}") {
            proptest::prop_assert!(plain_agrees(&cell), "{:?}", cell);
        }
    }
}
