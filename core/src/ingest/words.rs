//! Yes/no cells and lifecycle stages, in the words exports use.

use crate::dataset::Lifecycle;

/// A yes/no cell: `Ok(None)` when blank, `Err(())` when not a yes/no word.
///
/// True: `true`, `yes`, `y`, `1`, `x`, `t`, `on`, `ja`, `oui`, `si`/`sí`.
/// False: `false`, `no`, `n`, `0`, `f`, `off`, `nein`, `non`. Case-insensitive.
/// A blank cell is unknown, which callers treat as false where a plain flag
/// is needed (a column of `x` marks leaves the other cells blank).
pub(crate) fn parse_bool(cell: &str) -> Result<Option<bool>, ()> {
    let s = super::cell::trim(cell);
    if s.is_empty() {
        return Ok(None);
    }
    // The spellings exports mostly write, before comparing with every word.
    match s {
        "false" | "FALSE" | "0" => return Ok(Some(false)),
        "true" | "TRUE" | "1" => return Ok(Some(true)),
        _ => {}
    }
    const TRUE: [&str; 11] = ["true", "yes", "y", "1", "x", "t", "on", "ja", "oui", "si", "sí"];
    const FALSE: [&str; 8] = ["false", "no", "n", "0", "f", "off", "nein", "non"];
    // Lowercased once, and only for the rare cell that is not ASCII.
    let lower = (!s.is_ascii()).then(|| s.to_lowercase());
    let is = |words: &[&str]| {
        words.iter().any(|w| w.eq_ignore_ascii_case(s) || lower.as_deref() == Some(w))
    };
    if is(&TRUE) {
        Ok(Some(true))
    } else if is(&FALSE) {
        Ok(Some(false))
    } else {
        Err(())
    }
}

/// A lifecycle cell: `Ok(None)` when blank, `Err(())` when unknown.
///
/// `new` (also `launch`, `introduction`); `active` (also `mature`,
/// `growth`); `eol` (also `end of life`, `discontinued`, `obsolete`,
/// `phase out`). Case, spaces, `-` and `_` are ignored.
pub(crate) fn parse_lifecycle(cell: &str) -> Result<Option<Lifecycle>, ()> {
    let key: String = cell
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "" => Ok(None),
        "new" | "launch" | "introduction" => Ok(Some(Lifecycle::New)),
        "active" | "mature" | "growth" => Ok(Some(Lifecycle::Active)),
        "eol" | "endoflife" | "discontinued" | "obsolete" | "phaseout" => Ok(Some(Lifecycle::Eol)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cell: &str, expected: Result<Option<bool>, ()>) {
        assert_eq!(parse_bool(cell), expected, "{cell:?}");
    }

    #[test]
    fn yes_no_words() {
        for cell in ["true", "TRUE", "Yes", "y", "1", "x", "X", " x ", "T", "ja", "Oui"] {
            check(cell, Ok(Some(true)));
        }
        for cell in ["false", "FALSE", "False", "NO", "n", "0", "f", "nein", "non"] {
            check(cell, Ok(Some(false)));
        }
        check("", Ok(None));
        check("  ", Ok(None));
        for cell in ["maybe", "2", "yess", "-1"] {
            check(cell, Err(()));
        }
    }

    #[test]
    fn lifecycle_words() {
        for (cell, expected) in [
            ("new", Ok(Some(Lifecycle::New))),
            ("Active", Ok(Some(Lifecycle::Active))),
            ("EOL", Ok(Some(Lifecycle::Eol))),
            ("end of life", Ok(Some(Lifecycle::Eol))),
            ("End-of-Life", Ok(Some(Lifecycle::Eol))),
            ("Discontinued", Ok(Some(Lifecycle::Eol))),
            ("", Ok(None)),
            ("blocked", Err(())),
        ] {
            assert_eq!(parse_lifecycle(cell), expected, "{cell:?}");
        }
    }
}
