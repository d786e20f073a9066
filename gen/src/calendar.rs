//! Civil dates as day numbers, and their ISO text cached once.
//!
//! The generator never reads a clock: every date is an offset from
//! `Params::start`. The conversions are Howard Hinnant's `days_from_civil` and
//! `civil_from_days` ("chrono-Compatible Low-Level Date Algorithms").

/// Days since 1970-01-01 of a proleptic Gregorian date. Out-of-range months
/// and days are not checked; they roll over arithmetically.
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day of a day number.
pub(crate) fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub(crate) fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

/// The ISO text (`yyyy-mm-dd`) of every day from the first order day to a
/// margin past the last one, so that writing a date is a copy.
pub(crate) struct Calendar {
    /// Day number of day 0 (the first day of week 0).
    pub(crate) start: i64,
    text: Vec<[u8; 10]>,
}

impl Calendar {
    /// Dates for `days` days from `start`.
    pub(crate) fn new(start: i64, days: usize) -> Calendar {
        let text = (0..days as i64).map(|d| iso(start + d)).collect();
        Calendar { start, text }
    }

    /// The ISO text of day `offset` (days after `start`).
    pub(crate) fn iso(&self, offset: usize) -> &[u8] {
        &self.text[offset]
    }

    /// Day of the week of day `offset`, 0 = Monday.
    pub(crate) fn weekday(&self, offset: usize) -> u32 {
        weekday(self.start + offset as i64)
    }

    /// Month and day of day `offset`.
    pub(crate) fn month_day(&self, offset: usize) -> (u32, u32) {
        let (_, m, d) = civil_from_days(self.start + offset as i64);
        (m, d)
    }

    /// Day of the year (0-based) of day `offset`.
    pub(crate) fn day_of_year(&self, offset: usize) -> i64 {
        let days = self.start + offset as i64;
        let (y, _, _) = civil_from_days(days);
        days - days_from_civil(y, 1, 1)
    }
}

/// `yyyy-mm-dd`; years outside 0..=9999 are clamped, which no caller reaches.
fn iso(days: i64) -> [u8; 10] {
    let (y, m, d) = civil_from_days(days);
    let y = y.clamp(0, 9999) as u32;
    let digit = |v: u32| b'0' + (v % 10) as u8;
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_known_dates() {
        for &(days, ymd) in &[
            (0, (1970, 1, 1)),
            (-1, (1969, 12, 31)),
            (11_016, (2000, 2, 29)),
            (19_359, (2023, 1, 2)),
            (19_782, (2024, 2, 29)),
            (20_086, (2024, 12, 29)),
        ] {
            assert_eq!(civil_from_days(days), ymd);
            assert_eq!(days_from_civil(ymd.0, ymd.1, ymd.2), days);
        }
    }

    #[test]
    fn civil_round_trips_every_day_for_decades() {
        for days in -20_000..40_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn demo_start_is_a_monday() {
        assert_eq!(weekday(days_from_civil(2023, 1, 2)), 0);
        assert_eq!(weekday(0), 3);
    }

    #[test]
    fn calendar_writes_iso_dates() {
        let cal = Calendar::new(days_from_civil(2023, 12, 30), 4);
        assert_eq!(cal.iso(0), b"2023-12-30");
        assert_eq!(cal.iso(3), b"2024-01-02");
        assert_eq!(cal.day_of_year(2), 0);
        assert_eq!(cal.month_day(1), (12, 31));
    }
}
