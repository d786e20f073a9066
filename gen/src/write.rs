//! Writing CSV bytes directly: RFC 4180 with `\n` line ends, quoting only
//! when a field needs it, and numbers from integers so that no float is ever
//! formatted (integer text is the same on every platform and much faster).

/// A CSV file being written into one growing buffer.
pub(crate) struct CsvOut {
    pub(crate) buf: Vec<u8>,
    at_line_start: bool,
}

impl CsvOut {
    /// An empty file with room for `capacity` bytes, starting with `header`
    /// (comma-separated names that need no quoting).
    pub(crate) fn with_header(capacity: usize, header: &str) -> CsvOut {
        let mut buf = Vec::with_capacity(capacity.max(header.len() + 1));
        buf.extend_from_slice(header.as_bytes());
        buf.push(b'\n');
        CsvOut { buf, at_line_start: true }
    }

    #[inline]
    fn sep(&mut self) {
        if !self.at_line_start {
            self.buf.push(b',');
        }
        self.at_line_start = false;
    }

    /// Ends the record.
    #[inline]
    pub(crate) fn end(&mut self) {
        self.buf.push(b'\n');
        self.at_line_start = true;
    }

    /// A field known to need no quoting (codes, enums, dates).
    #[inline]
    pub(crate) fn raw(&mut self, field: &[u8]) {
        self.sep();
        self.buf.extend_from_slice(field);
    }

    /// An empty field.
    #[inline]
    pub(crate) fn empty(&mut self) {
        self.sep();
    }

    /// Free text, quoted when it holds a comma, quote, CR or LF (RFC 4180 §2).
    pub(crate) fn text(&mut self, field: &str) {
        self.sep();
        if field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.buf.push(b'"');
            for b in field.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(field.as_bytes());
        }
    }

    /// An integer.
    #[inline]
    pub(crate) fn int(&mut self, v: i64) {
        self.sep();
        push_int(&mut self.buf, v);
    }

    /// `true` or `false`.
    #[inline]
    pub(crate) fn bool(&mut self, v: bool) {
        self.raw(if v { b"true" } else { b"false" });
    }

    /// A fixed-point number: `v / 10^scale`, written with `scale` decimals and
    /// then trailing zeros trimmed down to `min_decimals`.
    #[inline]
    pub(crate) fn fixed(&mut self, v: i64, scale: u32, min_decimals: u32) {
        self.sep();
        push_fixed(&mut self.buf, v, scale, min_decimals);
    }

    /// Money in cents: always two decimals.
    #[inline]
    pub(crate) fn cents(&mut self, v: i64) {
        self.fixed(v, 2, 2);
    }
}

/// Appends the decimal text of `v`.
#[inline]
pub(crate) fn push_int(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    push_u64(buf, v.unsigned_abs());
}

#[inline]
fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Appends `v / 10^scale` (see [`CsvOut::fixed`]).
#[inline]
pub(crate) fn push_fixed(buf: &mut Vec<u8>, v: i64, scale: u32, min_decimals: u32) {
    if v < 0 {
        buf.push(b'-');
    }
    let unit = 10u64.pow(scale);
    let a = v.unsigned_abs();
    push_u64(buf, a / unit);
    if scale == 0 {
        return;
    }
    let mut frac = a % unit;
    let mut digits = scale;
    while digits > min_decimals && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    if digits == 0 {
        return;
    }
    buf.push(b'.');
    let mut tmp = [b'0'; 20];
    let mut i = digits as usize;
    while i > 0 {
        i -= 1;
        tmp[i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    buf.extend_from_slice(&tmp[..digits as usize]);
}

/// Appends `v` zero-padded to at least `width` digits (for codes like `SO0000042`).
pub(crate) fn push_padded(buf: &mut Vec<u8>, v: u64, width: usize) {
    let start = buf.len();
    push_u64(buf, v);
    let len = buf.len() - start;
    if len < width {
        let pad = width - len;
        buf.splice(start..start, std::iter::repeat_n(b'0', pad));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(v: i64, scale: u32, min: u32) -> String {
        let mut b = Vec::new();
        push_fixed(&mut b, v, scale, min);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn fixed_point_numbers_are_written_exactly() {
        let cases: &[(i64, u32, u32, &str)] = &[
            (0, 2, 2, "0.00"),
            (5, 2, 2, "0.05"),
            (-5, 2, 2, "-0.05"),
            (123_456, 2, 2, "1234.56"),
            (-100, 2, 2, "-1.00"),
            (123_400, 4, 2, "12.34"),
            (123_450, 4, 2, "12.345"),
            (123_456, 4, 2, "12.3456"),
            (1_000, 3, 1, "1.0"),
            (125, 3, 1, "0.125"),
            (1_500, 3, 0, "1.5"),
            (2_000, 3, 0, "2"),
            (i64::MIN + 1, 0, 0, "-9223372036854775807"),
        ];
        for &(v, scale, min, want) in cases {
            assert_eq!(fixed(v, scale, min), want, "{v} at scale {scale}");
        }
    }

    #[test]
    fn padded_codes_have_the_requested_width() {
        let mut b = Vec::new();
        push_padded(&mut b, 42, 7);
        b.push(b' ');
        push_padded(&mut b, 12_345_678, 7);
        assert_eq!(b, b"0000042 12345678");
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = CsvOut::with_header(0, "a,b,c,d");
        out.text("plain");
        out.text("comma, inside");
        out.text("say \"hi\"");
        out.int(-7);
        out.end();
        out.empty();
        out.bool(true);
        out.cents(1999);
        out.text("two\nlines");
        out.end();
        assert_eq!(
            String::from_utf8(out.buf).unwrap(),
            "a,b,c,d\nplain,\"comma, inside\",\"say \"\"hi\"\"\",-7\n,true,19.99,\"two\nlines\"\n"
        );
    }
}
