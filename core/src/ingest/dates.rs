//! Dates as exports write them (SPEC §1.6).
//!
//! Accepted, each with or without a time after a space or `T` (seconds,
//! fractions, `AM`/`PM` and a time-zone suffix such as `Z` or `+01:00` are
//! allowed and ignored: the calendar day is taken as written):
//!
//! - year first: `2016-11-08` (ISO 8601), `2016/11/08`, `2016.11.08`, and
//!   the ISO basic form `20161108`;
//! - year last, with `/`, `-` or `.`: `8/11/2016`, `08-11-2016`,
//!   `8.11.2016`, 1- or 2-digit day and month; a 2-digit year is read in
//!   1969–2068 (the POSIX `%y` rule).
//!
//! Dotted dates are always day-first. For `/` and `-`, a first number above
//! 12 proves the column day-first and a second number above 12 proves it
//! month-first; each such cell is read as it proves. Cells that could be
//! either (`4/5/2016`) follow the column: the order most of its cells prove,
//! month-first when none proves anything. The loader notes the order it used
//! for every such column, and says so when it only assumed it.

use crate::date::Date;

/// Which order a cell proves for its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Nothing (year-first, dotted, or day equal to month).
    Neither,
    /// Day before month.
    DayFirst,
    /// Month before day.
    MonthFirst,
}

/// One parsed cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateCell {
    /// Blank.
    Empty,
    /// Not a date.
    Invalid,
    /// A date.
    Value {
        /// The date, month-first where the cell is ambiguous.
        date: Date,
        /// The day-first reading of an ambiguous cell.
        alt: Option<Date>,
        /// What the cell proves about its column.
        order: Order,
        /// Whether the cell has the day/month form whose order matters.
        day_month: bool,
    },
}

/// Reads up to `max` ASCII digits at the start of `s`: value, digit count, rest.
fn digits(s: &[u8], max: usize) -> (u32, usize, &[u8]) {
    let n = s.iter().take(max + 1).take_while(|b| b.is_ascii_digit()).count();
    let value = s.iter().take(n).fold(0u32, |v, b| v * 10 + u32::from(b - b'0'));
    (value, n, s.get(n..).unwrap_or_default())
}

/// Whether `rest` is empty or a time part.
fn is_time(rest: &[u8]) -> bool {
    match rest {
        [] => true,
        [b' ' | b'T', time @ ..] => {
            let time = time.trim_ascii();
            time.first().is_some_and(u8::is_ascii_digit)
                && time.iter().all(|&b| {
                    b.is_ascii_digit()
                        || matches!(
                            b,
                            b':' | b'.'
                                | b','
                                | b'+'
                                | b'-'
                                | b' '
                                | b'Z'
                                | b'z'
                                | b'A'
                                | b'a'
                                | b'P'
                                | b'p'
                                | b'M'
                                | b'm'
                                | b'U'
                                | b'T'
                                | b'C'
                        )
                })
        }
        _ => false,
    }
}

/// Parses one cell.
pub(crate) fn parse(cell: &str) -> DateCell {
    let s = super::cell::trim(cell).as_bytes();
    if s.is_empty() {
        return DateCell::Empty;
    }
    parse_bytes(s).unwrap_or(DateCell::Invalid)
}

fn parse_bytes(s: &[u8]) -> Option<DateCell> {
    let value =
        |date: Date| DateCell::Value { date, alt: None, order: Order::Neither, day_month: false };
    let (first, n1, rest) = digits(s, 8);
    // ISO basic: 8 digits.
    if n1 == 8 {
        if !is_time(rest) {
            return None;
        }
        return Date::from_ymd((first / 10_000) as i32, first / 100 % 100, first % 100).map(value);
    }
    let (&sep, rest) = rest.split_first()?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let (second, n2, rest) = digits(rest, 2);
    let rest = rest.strip_prefix(&[sep])?;
    if n1 == 4 {
        let (third, n3, rest) = digits(rest, 2);
        if !(1..=2).contains(&n2) || !(1..=2).contains(&n3) || !is_time(rest) {
            return None;
        }
        return Date::from_ymd(first as i32, second, third).map(value);
    }
    let (year, n3, rest) = digits(rest, 4);
    if !(1..=2).contains(&n1) || !(1..=2).contains(&n2) || !is_time(rest) {
        return None;
    }
    let year = match n3 {
        4 => year as i32,
        2 if year >= 69 => 1900 + year as i32,
        2 => 2000 + year as i32,
        _ => return None,
    };
    if sep == b'.' {
        return Date::from_ymd(year, second, first).map(value);
    }
    let (order, date, alt) = if first > 12 {
        (Order::DayFirst, Date::from_ymd(year, second, first)?, None)
    } else if second > 12 {
        (Order::MonthFirst, Date::from_ymd(year, first, second)?, None)
    } else if first == second {
        (Order::Neither, Date::from_ymd(year, first, second)?, None)
    } else {
        let month_first = Date::from_ymd(year, first, second)?;
        (Order::Neither, month_first, Some(Date::from_ymd(year, second, first)?))
    };
    Some(DateCell::Value { date, alt, order, day_month: true })
}

/// A column's dates as they are read: the evidence for day/month order and
/// the ambiguous cells to swap if the column turns out day-first.
#[derive(Clone, Debug, Default)]
pub(crate) struct DateColumn {
    /// Cells proving day-first.
    pub day_first: u64,
    /// Cells proving month-first.
    pub month_first: u64,
    /// Cells in day/month form.
    pub day_month: u64,
    /// Ambiguous cells: row index and day-first reading.
    pub ambiguous: Vec<(u32, Date)>,
    /// First cell of each kind as written: proving day-first, proving
    /// month-first, ambiguous.
    pub examples: [Option<String>; 3],
    /// The last cell parsed ([`DateColumn::parse`]).
    last: LastCell,
}

/// A cell of up to 16 bytes and how it parsed.
#[derive(Clone, Debug, Default)]
struct LastCell {
    text: [u8; 16],
    /// The cell's length; `None` before the first cell and after a longer one.
    len: Option<usize>,
    parsed: Option<DateCell>,
}

impl DateColumn {
    /// [`parse`], remembering the last cell: consecutive order lines mostly
    /// carry the same dates, and comparing a cell with the last one costs
    /// less than parsing it again.
    pub fn parse(&mut self, cell: &str) -> DateCell {
        let bytes = cell.as_bytes();
        let last = &mut self.last;
        if let (Some(len), Some(parsed)) = (last.len, last.parsed) {
            if len == bytes.len() && last.text.get(..len) == Some(bytes) {
                return parsed;
            }
        }
        let parsed = parse(cell);
        last.len = last.text.get_mut(..bytes.len()).map(|to| {
            to.copy_from_slice(bytes);
            bytes.len()
        });
        last.parsed = Some(parsed);
        parsed
    }

    /// Takes in the cell of row `row` (a kept row).
    pub fn record(&mut self, row: u32, cell: &str, parsed: &DateCell) {
        let DateCell::Value { alt, order, day_month, .. } = *parsed else { return };
        if day_month {
            self.day_month += 1;
        }
        let slot = match order {
            Order::DayFirst => {
                self.day_first += 1;
                0
            }
            Order::MonthFirst => {
                self.month_first += 1;
                1
            }
            Order::Neither => 2,
        };
        if let Some(alt) = alt {
            self.ambiguous.push((row, alt));
        }
        if (order != Order::Neither || alt.is_some()) && self.examples[slot].is_none() {
            self.examples[slot] = Some(cell.trim().to_owned());
        }
    }

    /// Takes in `other`, the same column read from the rows that follow
    /// this one's first `rows` kept rows (a later part of the file).
    pub fn append(&mut self, other: DateColumn, rows: u32) {
        self.day_first += other.day_first;
        self.month_first += other.month_first;
        self.day_month += other.day_month;
        // Row indices wrap as the reader's `len() as u32` numbering does.
        self.ambiguous
            .extend(other.ambiguous.into_iter().map(|(i, alt)| (i.wrapping_add(rows), alt)));
        for (mine, theirs) in self.examples.iter_mut().zip(other.examples) {
            if mine.is_none() {
                *mine = theirs;
            }
        }
    }

    /// Whether ambiguous cells are read day-first.
    pub fn day_first(&self) -> bool {
        self.day_first > self.month_first
    }

    /// What the user should know about this column's order, if anything.
    pub fn note(&self, header: &str) -> Option<String> {
        if self.day_month == 0 {
            return None;
        }
        let ex = |i: usize| self.examples[i].as_deref().unwrap_or("");
        let (order, proof) = if self.day_first() {
            (
                "day/month/year",
                format!("{} value(s) such as `{}` can only be day-first", self.day_first, ex(0)),
            )
        } else if self.month_first > 0 {
            (
                "month/day/year",
                format!(
                    "{} value(s) such as `{}` can only be month-first",
                    self.month_first,
                    ex(1)
                ),
            )
        } else if self.ambiguous.is_empty() {
            return None;
        } else {
            return Some(format!(
                "Column `{header}`: no date decides between day/month/year and \
                 month/day/year (for example `{}`); month/day/year was assumed. If the \
                 file is day-first, its dates are wrong: check them.",
                ex(2)
            ));
        };
        let mut note = format!("Column `{header}`: dates read as {order} ({proof}).");
        if self.day_first > 0 && self.month_first > 0 {
            note.push_str(&format!(
                " The column also has {} value(s) such as `{}` that can only be read the \
                 other way; they were read that way. Check the column.",
                self.day_first.min(self.month_first),
                if self.day_first() { ex(1) } else { ex(0) }
            ));
        }
        Some(note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn a_column_remembering_its_last_cell_parses_as_each_cell_alone() {
        let cells = [
            "2024-03-01",
            "2024-03-01",
            "03/04/2024",
            "03/04/2024",
            "",
            "",
            "not a date",
            "not a date",
            // Longer than the 16 bytes remembered, then a shorter one that
            // is its beginning.
            "2024-03-01T10:00:00",
            "2024-03-01T10:00:00",
            "2024-03-01",
            " 2024-03-01",
            "2024-03-02",
        ];
        let mut column = DateColumn::default();
        for cell in cells {
            assert_eq!(column.parse(cell), parse(cell), "{cell:?}");
        }
    }

    /// Parses `cell` and compares its (month-first where ambiguous) date.
    fn check(cell: &str, expected: Option<(i32, u32, u32)>) {
        let got = match parse(cell) {
            DateCell::Value { date, .. } => Some(date.ymd()),
            _ => None,
        };
        assert_eq!(got, expected, "{cell:?}");
    }

    #[test]
    fn every_accepted_format() {
        check("2016-11-08", Some((2016, 11, 8)));
        check("2016-11-08 14:30:00", Some((2016, 11, 8)));
        check("2016-11-08T14:30:00Z", Some((2016, 11, 8)));
        check("2016-11-08T14:30:00.123+01:00", Some((2016, 11, 8)));
        check("2016-11-08T14:30", Some((2016, 11, 8)));
        check("2016-1-8", Some((2016, 1, 8)));
        check("20161108", Some((2016, 11, 8)));
        check("2016/11/08", Some((2016, 11, 8)));
        check("2016.11.08", Some((2016, 11, 8)));
        check("25/12/2016", Some((2016, 12, 25)));
        check("12/25/2016", Some((2016, 12, 25)));
        check("11/8/2016", Some((2016, 11, 8)));
        check("1/3/2014", Some((2014, 1, 3)));
        check("25.12.2016", Some((2016, 12, 25)));
        check("8.11.2016", Some((2016, 11, 8)));
        check("08.11.2016 14:30", Some((2016, 11, 8)));
        check("25-12-2016", Some((2016, 12, 25)));
        check("25-12-2016 08:00", Some((2016, 12, 25)));
        check("12/25/2016 2:30 PM", Some((2016, 12, 25)));
        check("12/25/16", Some((2016, 12, 25)));
        check("12/25/99", Some((1999, 12, 25)));
        check(" 2016-11-08 ", Some((2016, 11, 8)));
    }

    #[test]
    fn non_dates_are_invalid() {
        for cell in [
            "2016-13-01",
            "2016-02-30",
            "31.02.2016",
            "13/13/2016",
            "2016-11",
            "11/2016",
            "2016-11-08x",
            "2016-11/08",
            "next tuesday",
            "42682",
            "123/1/2016",
            "1/1/201",
            "2016-11-08 noon",
            "1.5",
        ] {
            check(cell, None);
        }
        assert_eq!(parse("  "), DateCell::Empty);
    }

    #[test]
    fn dotted_dates_are_always_day_first() {
        assert_eq!(
            parse("5.4.2016"),
            DateCell::Value {
                date: ymd(2016, 4, 5),
                alt: None,
                order: Order::Neither,
                day_month: false
            }
        );
    }

    #[test]
    fn a_number_above_twelve_proves_the_order() {
        let DateCell::Value { order, .. } = parse("13/1/2016") else { panic!() };
        assert_eq!(order, Order::DayFirst);
        let DateCell::Value { order, .. } = parse("1/13/2016") else { panic!() };
        assert_eq!(order, Order::MonthFirst);
        let DateCell::Value { order, alt, .. } = parse("4/5/2016") else { panic!() };
        assert_eq!((order, alt), (Order::Neither, Some(ymd(2016, 5, 4))));
        let DateCell::Value { alt, .. } = parse("4/4/2016") else { panic!() };
        assert_eq!(alt, None);
    }

    /// Reads a column and returns its dates after the decision, and the note.
    fn column(cells: &[&str]) -> (Vec<(i32, u32, u32)>, Option<String>) {
        let mut col = DateColumn::default();
        let mut dates = Vec::new();
        for (row, cell) in cells.iter().enumerate() {
            let parsed = parse(cell);
            col.record(row as u32, cell, &parsed);
            if let DateCell::Value { date, .. } = parsed {
                dates.push(date);
            }
        }
        if col.day_first() {
            for &(row, alt) in &col.ambiguous {
                dates[row as usize] = alt;
            }
        }
        (dates.iter().map(|d| d.ymd()).collect(), col.note("Date"))
    }

    #[test]
    fn ambiguous_dates_follow_their_column() {
        let (dates, note) = column(&["4/5/2016", "25/5/2016"]);
        assert_eq!(dates, [(2016, 5, 4), (2016, 5, 25)]);
        assert!(note.unwrap().contains("day/month/year"));
        let (dates, note) = column(&["4/5/2016", "5/25/2016"]);
        assert_eq!(dates, [(2016, 4, 5), (2016, 5, 25)]);
        assert!(note.unwrap().contains("month/day/year"));
        let (dates, note) = column(&["4-5-2016", "25-5-2016"]);
        assert_eq!(dates, [(2016, 5, 4), (2016, 5, 25)]);
        assert!(note.is_some());
    }

    #[test]
    fn an_undecided_column_is_month_first_and_noted() {
        let (dates, note) = column(&["4/5/2016", "1/2/2016"]);
        assert_eq!(dates, [(2016, 4, 5), (2016, 1, 2)]);
        let note = note.unwrap();
        assert!(note.contains("assumed") && note.contains("`4/5/2016`"), "{note}");
    }

    #[test]
    fn columns_without_day_month_dates_get_no_note() {
        assert_eq!(column(&["2016-05-04", "2016-05-25"]).1, None);
        assert_eq!(column(&["4.5.2016"]).1, None);
        assert_eq!(column(&["4/4/2016"]).1, None);
    }

    #[test]
    fn mixed_columns_read_each_proving_cell_its_way_and_say_so() {
        let (dates, note) = column(&["25/5/2016", "26/5/2016", "5/27/2016", "1/2/2016"]);
        assert_eq!(dates, [(2016, 5, 25), (2016, 5, 26), (2016, 5, 27), (2016, 2, 1)]);
        assert!(note.unwrap().contains("other way"));
    }
}
