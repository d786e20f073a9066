//! Stability against a previous run (SPEC §3.6): hysteresis keeps an item in
//! its previous class while it stays near the boundary, so that a refresh
//! does not flip items that merely wobble around a cut; the migration matrix
//! counts how SKUs moved between segments.

use super::abc::AbcClass;
use super::xyz::XyzClass;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Hysteresis settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StabilityConfig {
    /// Band around an ABC cut on the cumulative share `P_i`.
    pub abc_band: f64,
    /// Band around an XYZ cut on cv.
    pub xyz_band: f64,
}

impl Default for StabilityConfig {
    fn default() -> Self {
        StabilityConfig { abc_band: 0.02, xyz_band: 0.05 }
    }
}

/// A previous run's classes, by SKU code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviousRun {
    /// SKU code → (ABC, XYZ, segment label).
    pub skus: HashMap<String, (Option<AbcClass>, Option<XyzClass>, String)>,
}

impl PreviousRun {
    /// Reads a previous `skus.csv` (columns `sku`, `abc`, `xyz`, `segment`;
    /// others are ignored).
    ///
    /// # Errors
    /// A message naming the file and what is missing when the file has no
    /// `sku` or `segment` column or is not CSV.
    pub fn from_csv(bytes: &[u8], name: &str) -> Result<PreviousRun, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers =
            reader.headers().map_err(|e| format!("{name}: not a previous skus.csv ({e})"))?.clone();
        let col = |c: &str| headers.iter().position(|h| h.trim() == c);
        let (Some(sku), Some(segment)) = (col("sku"), col("segment")) else {
            return Err(format!(
                "{name}: a previous run needs the columns `sku` and `segment` of a skus.csv; \
                 found: {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            ));
        };
        let (abc, xyz) = (col("abc"), col("xyz"));
        let mut skus = HashMap::new();
        for record in reader.records().flatten() {
            let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
            let abc = match cell(abc) {
                "A" => Some(AbcClass::A),
                "B" => Some(AbcClass::B),
                "C" => Some(AbcClass::C),
                _ => None,
            };
            let xyz = match cell(xyz) {
                "X" => Some(XyzClass::X),
                "Y" => Some(XyzClass::Y),
                "Z" => Some(XyzClass::Z),
                _ => None,
            };
            let code = cell(Some(sku));
            if !code.is_empty() {
                skus.insert(code.to_owned(), (abc, xyz, cell(Some(segment)).to_owned()));
            }
        }
        Ok(PreviousRun { skus })
    }
}

/// The ABC class after hysteresis. `raw` is the class the cuts give now,
/// `cumulative` its `P_i` (`None` for items ≤ 0, which are always C). The
/// item keeps `previous` unless `P_i` lies outside `±band` around the cut
/// next to the previous class in the direction it would move.
pub fn abc_with_hysteresis(
    raw: AbcClass,
    previous: AbcClass,
    cumulative: Option<f64>,
    cuts: (f64, f64),
    band: f64,
) -> AbcClass {
    let Some(p) = cumulative else { return raw };
    if raw == previous {
        return raw;
    }
    // The cut between the previous class and its neighbour towards `raw`.
    let cut = match (previous, raw > previous) {
        (AbcClass::A, _) => cuts.0,
        (AbcClass::B, true) => cuts.1,
        (AbcClass::B, false) => cuts.0,
        (AbcClass::C, _) => cuts.1,
    };
    if (p - cut).abs() <= band {
        previous
    } else {
        raw
    }
}

/// The XYZ class after hysteresis on cv (no cv is always Z).
pub fn xyz_with_hysteresis(
    raw: XyzClass,
    previous: XyzClass,
    cv: Option<f64>,
    cuts: (f64, f64),
    band: f64,
) -> XyzClass {
    let Some(cv) = cv else { return raw };
    if raw == previous {
        return raw;
    }
    let cut = match (previous, raw > previous) {
        (XyzClass::X, _) => cuts.0,
        (XyzClass::Y, true) => cuts.1,
        (XyzClass::Y, false) => cuts.0,
        (XyzClass::Z, _) => cuts.1,
    };
    if (cv - cut).abs() <= band {
        previous
    } else {
        raw
    }
}

/// Label of SKUs that were not in the previous run, or are not in the new one.
pub const NONE: &str = "(none)";

/// Counts of SKUs from each previous segment (rows) to each new segment
/// (columns); SKUs new in this run come from [`NONE`], SKUs gone go to it.
pub fn migration_matrix<'a>(
    previous: &PreviousRun,
    current: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<(String, String), usize> {
    let mut matrix = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (sku, segment) in current {
        seen.insert(sku);
        let from = previous.skus.get(sku).map_or(NONE, |p| p.2.as_str());
        *matrix.entry((from.to_owned(), segment.to_owned())).or_insert(0) += 1;
    }
    for (sku, (_, _, segment)) in &previous.skus {
        if !seen.contains(sku.as_str()) {
            *matrix.entry((segment.clone(), NONE.to_owned())).or_insert(0) += 1;
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;
    use AbcClass::*;
    use XyzClass::*;

    #[test]
    fn abc_hysteresis_keeps_items_inside_the_band() {
        let cuts = (0.80, 0.95);
        let check = |raw, prev, p, expected| {
            assert_eq!(abc_with_hysteresis(raw, prev, Some(p), cuts, 0.02), expected, "{p}");
        };
        // Was A, now B at P = 0.81: inside 0.80 ± 0.02 → stays A.
        check(B, A, 0.81, A);
        // At P = 0.83 it is outside the band → B.
        check(B, A, 0.83, B);
        // Was B, now A at P = 0.79 → stays B; at 0.77 → A.
        check(A, B, 0.79, B);
        check(A, B, 0.77, A);
        // Was B, now C at P = 0.96 → stays B (0.95 ± 0.02).
        check(C, B, 0.96, B);
        // Was C, now B at P = 0.945 → stays C.
        check(B, C, 0.945, C);
        // Was A, now C far away → C.
        check(C, A, 0.97, C);
        // Items with no share are C whatever they were.
        assert_eq!(abc_with_hysteresis(C, A, None, cuts, 0.02), C);
    }

    #[test]
    fn xyz_hysteresis_uses_a_band_on_cv() {
        let cuts = (0.5, 1.0);
        assert_eq!(xyz_with_hysteresis(Y, X, Some(0.54), cuts, 0.05), X);
        assert_eq!(xyz_with_hysteresis(Y, X, Some(0.56), cuts, 0.05), Y);
        assert_eq!(xyz_with_hysteresis(Y, Z, Some(0.96), cuts, 0.05), Z);
        assert_eq!(xyz_with_hysteresis(Z, X, None, cuts, 0.05), Z);
    }

    #[test]
    fn previous_run_reads_a_skus_csv() {
        let csv = b"sku,revenue,abc,xyz,segment\nA1,10,A,X,AX\nB2,5,B,Z,BZ\n";
        let p = PreviousRun::from_csv(csv, "prev.csv").unwrap();
        assert_eq!(p.skus["A1"], (Some(A), Some(X), "AX".to_owned()));
        let e = PreviousRun::from_csv(b"code,class\n1,A\n", "prev.csv").unwrap_err();
        assert!(e.contains("prev.csv") && e.contains("segment"), "{e}");
    }

    #[test]
    fn migration_counts_moves_new_and_gone() {
        let p = PreviousRun::from_csv(b"sku,segment\na,AX\nb,AX\nc,BY\n", "p").unwrap();
        let m = migration_matrix(&p, [("a", "AX"), ("b", "BX"), ("d", "CZ")]);
        assert_eq!(m[&("AX".into(), "AX".into())], 1);
        assert_eq!(m[&("AX".into(), "BX".into())], 1);
        assert_eq!(m[&(NONE.into(), "CZ".into())], 1);
        assert_eq!(m[&("BY".into(), NONE.into())], 1);
        assert_eq!(m.values().sum::<usize>(), 4);
    }
}
