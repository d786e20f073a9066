//! The command line's clock: the core has none, so the run time and the
//! load day (for the "date after the load day" rule) come from here.

use segscope_core::Date;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
fn now_seconds() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Today's date in UTC.
pub fn today() -> Date {
    Date(now_seconds().div_euclid(86_400) as i32)
}

/// Now as RFC 3339 in UTC, e.g. `2026-11-21T22:05:00Z`.
pub fn now_rfc3339() -> String {
    let s = now_seconds();
    let secs = s.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", today(), secs / 3600, secs / 60 % 60, secs % 60)
}
