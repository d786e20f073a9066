//! How figures are written on the page: thousands separated by commas, a
//! point for decimals, sizes in KB / MB. Formatting only — the figures
//! themselves come from the engine.

/// A count: `12345` → `12,345`.
pub fn count(n: usize) -> String {
    group(&n.to_string())
}

/// An amount with two decimals: `-1234.5` → `-1,234.50`.
pub fn money(x: f64) -> String {
    fixed(x, 2)
}

/// A quantity: whole numbers without decimals, others with up to two.
pub fn quantity(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        fixed(x, 0)
    } else {
        let s = fixed(x, 2);
        s.trim_end_matches('0').to_owned()
    }
}

/// A share as a percentage with one decimal: `0.4567` → `45.7%`.
pub fn percent(x: f64) -> String {
    // Through `fixed`, so that a tiny negative share reads 0.0%, not -0.0%.
    format!("{}%", fixed(x * 100.0, 1))
}

/// A file size: `532` → `532 B`, `2_500_000` → `2.4 MB`.
pub fn bytes(n: u64) -> String {
    const KB: f64 = 1024.0;
    let x = n as f64;
    if x < KB {
        format!("{n} B")
    } else if x < KB * KB {
        format!("{:.1} KB", x / KB)
    } else {
        format!("{:.1} MB", x / (KB * KB))
    }
}

/// `x` with `decimals` decimals and grouped thousands. Not-a-number and
/// infinities are written as a dash.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    // `-0.00` reads as zero.
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let sign = if x < 0.0 && !zero { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{}.{f}", group(int)),
        None => format!("{sign}{}", group(int)),
    }
}

/// Inserts a comma every three digits from the right of a digit string.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        for (n, expected) in
            [(0, "0"), (999, "999"), (1000, "1,000"), (12345, "12,345"), (1234567, "1,234,567")]
        {
            assert_eq!(count(n), expected);
        }
    }

    #[test]
    fn money_has_two_decimals() {
        for (x, expected) in [
            (0.0, "0.00"),
            (1234.5, "1,234.50"),
            (-1234.567, "-1,234.57"),
            (-0.001, "0.00"),
            (999999.996, "1,000,000.00"),
            (f64::NAN, "–"),
        ] {
            assert_eq!(money(x), expected, "{x}");
        }
    }

    #[test]
    fn quantities_drop_needless_decimals() {
        for (x, expected) in [(12.0, "12"), (1500.0, "1,500"), (2.5, "2.5"), (-3.25, "-3.25")] {
            assert_eq!(quantity(x), expected, "{x}");
        }
    }

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(bytes(532), "532 B");
        assert_eq!(bytes(2048), "2.0 KB");
        assert_eq!(bytes(2_500_000), "2.4 MB");
    }

    #[test]
    fn percent_has_one_decimal() {
        assert_eq!(percent(0.4567), "45.7%");
        assert_eq!(percent(-0.00001), "0.0%");
        assert_eq!(percent(-0.25), "-25.0%");
    }
}
