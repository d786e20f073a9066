//! Civil (calendar) dates without a clock or time zone.
//!
//! The engine only ever needs whole days: order dates are bucketed into days,
//! weeks or months. A [`Date`] is the number of days since 1970-01-01, so
//! differences and week arithmetic are plain integer operations.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A proleptic Gregorian calendar day, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
#[repr(transparent)]
pub struct Date(pub i32);

impl Date {
    /// The date for a year, month (1–12) and day (1–31), if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The Monday that starts this date's week.
    pub fn week_start(self) -> Date {
        Date(self.0 - self.weekday() as i32)
    }

    /// A month index that increases by one each calendar month.
    pub fn month_index(self) -> i32 {
        let (y, m, _) = self.ymd();
        y * 12 + m as i32 - 1
    }

    /// The first day of the month with the given [`Date::month_index`].
    pub fn from_month_index(index: i32) -> Date {
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12) as u32 + 1;
        Date(days_from_civil(year, month, 1))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Date, String> {
        let mut parts = s.splitn(3, '-');
        let mut next = || parts.next().and_then(|p| p.parse::<i64>().ok());
        match (next(), next(), next()) {
            (Some(y), Some(m), Some(d)) if (0..=9999).contains(&y) && (1..=12).contains(&m) => {
                Date::from_ymd(y as i32, m as u32, d.clamp(0, 99) as u32)
                    .ok_or_else(|| format!("no such day: {s}"))
            }
            _ => Err(format!("not a yyyy-mm-dd date: {s}")),
        }
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month (1–12) of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`
// (http://howardhinnant.github.io/date_algorithms.html), exact for all i32 days.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_day_zero_and_a_thursday() {
        let d = Date::from_ymd(1970, 1, 1).unwrap();
        assert_eq!(d.0, 0);
        assert_eq!(d.weekday(), 3);
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = Date::from_ymd(1900, 1, 1).unwrap().0;
        for z in start..start + 146_097 {
            let (y, m, d) = Date(z).ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(Date(z)));
        }
    }

    #[test]
    fn rejects_impossible_days() {
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        assert!(Date::from_ymd(2024, 2, 29).is_some());
        assert_eq!(Date::from_ymd(2024, 13, 1), None);
        assert_eq!(Date::from_ymd(2024, 4, 31), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2016-11-08 was a Tuesday; its week starts Monday 2016-11-07.
        let d = Date::from_ymd(2016, 11, 8).unwrap();
        assert_eq!(d.week_start(), Date::from_ymd(2016, 11, 7).unwrap());
        let sunday = Date::from_ymd(2016, 11, 13).unwrap();
        assert_eq!(sunday.week_start(), Date::from_ymd(2016, 11, 7).unwrap());
    }

    #[test]
    fn month_index_round_trips() {
        let d = Date::from_ymd(2017, 12, 30).unwrap();
        assert_eq!(Date::from_month_index(d.month_index()), Date::from_ymd(2017, 12, 1).unwrap());
        assert_eq!(d.to_string(), "2017-12-30");
    }
}
