//! Where the body of a CSV file can be cut into parts that are read on
//! their own (on several threads, see `orders`): after a LF that lies
//! outside every quoted field, since such a LF always ends a record or a
//! blank line (see [`super::split`]).
//!
//! Whether a LF lies in a quoted field is told by quote parity: with `""`
//! as the escaped quote, the quotes before a LF outside quoted fields are
//! even in number. That holds while every quote is one that the splitter
//! treats as quoting: a quote with an even count before it (an opening
//! quote) must start a field (follow the delimiter, a line end, the start
//! or the quote before it, as in `""`), and one with an odd count before
//! it (a closing quote) must end the field (precede the delimiter, a line
//! end, the end of the text or another quote). A quote anywhere else
//! (`ab"c`, `"a"b`) is text to the splitter and would throw the count off,
//! so cutting stops at the first such quote: the cuts before it are exact.

/// The starts of up to `parts` parts of `text` from byte `from` on (`from`
/// must be a record start or a line end outside quoted fields): `from`,
/// then, for each of the `parts − 1` even shares of the rest, the byte
/// after the first LF outside quoted fields at or after the share's start.
/// Strictly rising, every start before the end of the text; fewer when the
/// text has fewer such LFs or a quote stops the cutting.
pub(crate) fn record_starts(text: &str, from: usize, delimiter: u8, parts: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![from];
    let Some(tail) = bytes.get(from..) else { return starts };
    let mut quotes = memchr::memchr_iter(b'"', tail).map(|i| i + from).peekable();
    // An odd number of quotes counted: the count stands inside a quoted field.
    let mut odd = false;
    // Counts the quotes before byte `to` (which only rises); `None` at a
    // quote that does not quote.
    let mut inside_at = |to: usize| -> Option<bool> {
        while let Some(&q) = quotes.peek().filter(|&&q| q < to) {
            let ends = |b: u8| b == delimiter || matches!(b, b'\n' | b'\r' | b'"');
            let quoting = if odd {
                bytes.get(q + 1).is_none_or(|&b| ends(b))
            } else {
                q == from || bytes.get(q - 1).is_some_and(|&b| ends(b))
            };
            if !quoting {
                return None;
            }
            odd = !odd;
            quotes.next();
        }
        Some(odd)
    };
    let rest = tail.len() as u64;
    for share in 1..parts as u64 {
        let target = from + (rest * share / parts as u64) as usize;
        let mut at = starts.last().map_or(target, |&s| target.max(s));
        let start = loop {
            let Some(lf) = bytes.get(at..).and_then(|b| memchr::memchr(b'\n', b)) else {
                return starts;
            };
            let lf = at + lf;
            match inside_at(lf) {
                None => return starts,
                Some(false) => break lf + 1,
                Some(true) => at = lf + 1,
            }
        };
        if start >= bytes.len() {
            break;
        }
        starts.push(start);
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::super::split::{Span, Splitter};
    use super::*;

    /// Records with their fields and spans.
    type Records = Vec<(Vec<String>, Span)>;

    /// Every record of `text` from `from` on, read in one go and read part
    /// by part from `starts` (each part's splitter given the text up to the
    /// next start and the LFs before its own start).
    fn whole_and_in_parts(text: &str, from: usize, starts: &[usize]) -> (Records, Records) {
        let read = |mut splitter: Splitter<'_>| {
            let mut fields = Vec::new();
            let mut out = Vec::new();
            while let Some(span) = splitter.next_record(&mut fields) {
                out.push((fields.iter().map(|f| f.to_string()).collect::<Vec<_>>(), span));
            }
            out
        };
        let whole = read(Splitter::new(text, b',', from));
        let mut parts = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let newlines = text.as_bytes()[from..start].iter().filter(|&&b| b == b'\n').count();
            parts.extend(read(Splitter::resume(&text[..end], b',', start, newlines as u64)));
        }
        (whole, parts)
    }

    /// Cuts `text` (after its first line) into `parts` and checks the parts
    /// read as the whole; returns the starts.
    fn check(text: &str, parts: usize) -> Vec<usize> {
        let from = text.find('\n').unwrap_or(text.len());
        let starts = record_starts(text, from, b',', parts);
        assert!(starts.len() <= parts.max(1), "{text:?}: {starts:?}");
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{text:?}: {starts:?}");
        assert!(starts.iter().skip(1).all(|&s| s < text.len() && text.as_bytes()[s - 1] == b'\n'));
        let (whole, in_parts) = whole_and_in_parts(text, from, &starts);
        assert_eq!(in_parts, whole, "{text:?} cut at {starts:?}");
        starts
    }

    #[test]
    fn cuts_follow_line_ends_outside_quotes() {
        let text = "h\na,b\nc,d\ne,f\ng,h\n";
        assert_eq!(check(text, 1), [1]);
        assert_eq!(check(text, 4), [1, 6, 10, 14]);
        // More parts than lines: each line end at most once.
        assert_eq!(check(text, 40), [1, 2, 6, 10, 14]);
        // A LF in a quoted field is no cut; the one after the record is.
        let text = "h\n\"a\n\n\nb\",\"\"\"\nx\"\"\"\nc\n";
        assert_eq!(check(text, 2), [1, text.len() - 2]);
        // CRLF line ends, blank lines.
        assert_eq!(check("h\r\na\r\n\r\n\r\nb\r\nc\r\n", 3), [2, 8, 13]);
    }

    #[test]
    fn a_quote_inside_a_field_stops_the_cutting() {
        // `ab"c` and `"a"b`: the splitter reads these quotes as text.
        for odd in ["ab\"c", "\"a\"b", "\"a\"\"\"b"] {
            let text = format!("h\n1,2\n3,4\n{odd}\n5,\"6\n7\"\n8,9\n");
            let starts = check(&text, 8);
            let stop = text.find(odd).unwrap();
            assert_eq!(starts, [1, 6, 10], "{text:?}");
            assert!(starts.iter().all(|&s| s <= stop));
        }
        // Quotes that quote let the cutting go on.
        let text = "h\n\"a\",\"\"\n\"b,\"\"c\"\"\",d\ne\n";
        assert_eq!(check(text, 8), [1, 9, 21]);
    }

    proptest::proptest! {
        #[test]
        fn parts_read_as_the_whole(
            text in "h[,\"]?\n([ab,\"\r\né]|ab\n|\"x\n\"){0,60}",
            parts in 1usize..9,
        ) {
            check(&text, parts);
        }
    }
}
