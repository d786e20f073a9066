//! Plain-language cluster labels: a value word and a demand word.
//!
//! The value word is relative — "high value" means high for this assortment
//! — because value has no absolute scale: it comes from the z-score of the
//! cluster's mean `ln(1 + revenue)` over all SKUs (±0.5 σ). The demand word
//! uses the absolute cut-offs of SPEC §3.2–3.3 on the cluster's mean cv,
//! ADI and CV² (over the members that have demand), so that a cluster called
//! "steady" is steady by the same yardstick as the XYZ and pattern columns
//! beside it, even in an assortment where everything is erratic.

use crate::classify::pattern::{ADI_CUT, CV2_CUT};

/// Distance from the overall mean, in standard deviations of log revenue,
/// beyond which a cluster is "high" or "low" value.
pub const VALUE_Z: f64 = 0.5;
/// SPEC §3.2's default X cut: a cv at most this is steady.
pub const STEADY_CV: f64 = 0.5;

/// "high value", "mid value" or "low value" from the z-score of a cluster's
/// mean log revenue.
pub fn value_word(z: f64) -> &'static str {
    if z >= VALUE_Z {
        "high value"
    } else if z <= -VALUE_Z {
        "low value"
    } else {
        "mid value"
    }
}

/// The demand word from a cluster's mean cv, ADI and CV² (`None` when no
/// member has demand): Syntetos–Boylan's quadrants, with the smooth one
/// split by cv into "steady demand" and "variable demand".
pub fn demand_word(cv: Option<f64>, adi: Option<f64>, cv2: Option<f64>) -> &'static str {
    let (Some(adi), Some(cv2)) = (adi, cv2) else {
        return "no demand";
    };
    match (adi >= ADI_CUT, cv2 >= CV2_CUT) {
        (true, true) => "lumpy",
        (true, false) => "intermittent",
        (false, true) => "erratic",
        (false, false) if cv.is_some_and(|cv| cv <= STEADY_CV) => "steady demand",
        (false, false) => "variable demand",
    }
}

/// `"{value} · {demand}"`; labels that repeat get " (2)", " (3)" … in
/// cluster order, so every cluster's label is unique.
pub fn labels(parts: &[(&str, &str)]) -> Vec<String> {
    let base: Vec<String> = parts.iter().map(|(v, d)| format!("{v} · {d}")).collect();
    base.iter()
        .enumerate()
        .map(|(i, label)| {
            let total = base.iter().filter(|l| *l == label).count();
            let nth = base[..i].iter().filter(|l| *l == label).count() + 1;
            if total > 1 && nth > 1 {
                format!("{label} ({nth})")
            } else {
                label.clone()
            }
        })
        .collect()
}
