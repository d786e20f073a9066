//! How the Policies page writes its figures and reads service levels:
//! values with thousands separators (in the currency of the unit costs),
//! quantities in units, days, and service levels and fill rates as
//! percentages. Formatting and input parsing only.

use crate::format;

/// The lowest service level the page accepts, in percent.
pub const MIN_LEVEL: f64 = 50.0;
/// The highest service level the page accepts, in percent.
pub const MAX_LEVEL: f64 = 99.9;

/// A service level or fill rate: `0.98` → `98.0 %`.
pub fn pct(share: f64, decimals: usize) -> String {
    if !share.is_finite() {
        return "–".into();
    }
    format!("{} %", format::fixed(share * 100.0, decimals))
}

/// An optional share as a percentage, a dash when missing.
pub fn pct_opt(share: Option<f64>, decimals: usize) -> String {
    share.map_or_else(|| "–".into(), |s| pct(s, decimals))
}

/// A value in whole currency units with grouped thousands: `12345.6` →
/// `12,346`.
pub fn value(x: f64) -> String {
    format::fixed(x, 0)
}

/// An optional value with two decimals (one SKU's), a dash when missing.
pub fn value_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), format::money)
}

/// A quantity in units with at most one decimal, a dash when missing.
pub fn units(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |x| format::fixed(x, if x.abs() >= 100.0 { 0 } else { 1 }))
}

/// A change with its sign: `+1,234`, `−56` (a true minus sign), `0`.
pub fn signed(x: f64, decimals: usize) -> String {
    let text = format::fixed(x.abs(), decimals);
    if text.bytes().all(|b| b == b'0' || b == b'.' || b == b',') {
        text
    } else if x > 0.0 {
        format!("+{text}")
    } else {
        format!("−{text}")
    }
}

/// A change of a share in percentage points: `0.0123` → `+1.23 pp`.
pub fn signed_pp(delta: f64) -> String {
    format!("{} pp", signed(delta * 100.0, 2))
}

/// A service level as typed into a field: `98`, `98.5`, `98,5`, `98 %`.
/// The share in (0, 1), or why it is refused.
///
/// # Errors
/// A sentence for the person: not a number, or outside
/// [`MIN_LEVEL`]–[`MAX_LEVEL`] %.
pub fn parse_level(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let Ok(v) = t.parse::<f64>() else {
        return Err("Enter a percentage, e.g. 98.".into());
    };
    if !(MIN_LEVEL..=MAX_LEVEL).contains(&v) {
        return Err(format!("Use a level from {MIN_LEVEL} % to {MAX_LEVEL} %."));
    }
    // Whole tenths of a percent: the field's precision, without float noise.
    Ok((v * 10.0).round() / 1000.0)
}

/// A share as a field's text: `0.98` → `98`, `0.995` → `99.5`.
pub fn level_text(share: f64) -> String {
    let s = format!("{:.1}", share * 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_as_percentages_within_bounds() {
        for (text, expected) in
            [("98", 0.98), ("99.5", 0.995), ("99,5 %", 0.995), (" 50 ", 0.5), ("99.9", 0.999)]
        {
            assert_eq!(parse_level(text), Ok(expected), "{text}");
        }
        for text in ["", "abc", "49.9", "100", "99.95", "-5"] {
            assert!(parse_level(text).is_err(), "{text}");
        }
    }

    #[test]
    fn level_texts_round_trip() {
        for share in [0.98, 0.995, 0.5, 0.999, 0.85] {
            assert_eq!(parse_level(&level_text(share)), Ok(share), "{share}");
        }
        assert_eq!(level_text(0.98), "98");
    }

    #[test]
    fn figures_carry_units_and_signs() {
        assert_eq!(pct(0.98, 1), "98.0 %");
        assert_eq!(pct_opt(None, 1), "–");
        assert_eq!(value(12_345.6), "12,346");
        assert_eq!(value_opt(Some(3.456)), "3.46");
        assert_eq!(units(Some(1234.4)), "1,234");
        assert_eq!(units(Some(12.34)), "12.3");
        assert_eq!(signed(1234.4, 0), "+1,234");
        assert_eq!(signed(-56.0, 0), "−56");
        assert_eq!(signed(-0.2, 0), "0");
        assert_eq!(signed_pp(0.0123), "+1.23 pp");
    }
}
