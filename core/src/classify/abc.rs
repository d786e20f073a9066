//! ABC classification (SPEC §3.1).
//!
//! SKUs are ranked by the criterion, descending, ties by SKU code. Over the
//! items with a positive criterion, `P_i` is the cumulative share of the items
//! before item `i`: A if `P_i < a_cut`, else B if `P_i < b_cut`, else C. The
//! item that crosses a boundary therefore belongs to the higher class and the
//! top item is always A. Items with equal criterion values share the class of
//! their group's first item; items with a criterion ≤ 0 are C with no share.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ABC class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AbcClass {
    /// The few items that make most of the value.
    A,
    /// The middle.
    B,
    /// The long tail.
    C,
}

impl AbcClass {
    /// The class letter.
    pub fn letter(self) -> char {
        match self {
            AbcClass::A => 'A',
            AbcClass::B => 'B',
            AbcClass::C => 'C',
        }
    }
}

impl fmt::Display for AbcClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// One item's ABC result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbcResult {
    /// The class.
    pub class: AbcClass,
    /// 0-based position in the ranking.
    pub rank: usize,
    /// `s_i`: the item's share of the positive total (0 for items ≤ 0).
    pub share: f64,
    /// `P_i`: the cumulative share of the items before it; `None` for items
    /// with a criterion ≤ 0, which take no share.
    pub cumulative_before: Option<f64>,
}

/// Classifies items by `values`; `codes[i]` breaks ties (ascending). Returns
/// one result per item, in input order.
///
/// # Example
/// ```
/// use segscope_core::classify::abc::{classify, AbcClass::*};
/// let r = classify(&[50.0, 30.0, 15.0, 5.0], &["a", "b", "c", "d"], 0.8, 0.95);
/// let classes: Vec<_> = r.iter().map(|r| r.class).collect();
/// assert_eq!(classes, [A, A, B, C]); // P = 0, 0.5, 0.8, 0.95
/// ```
pub fn classify<S: AsRef<str>>(
    values: &[f64],
    codes: &[S],
    a_cut: f64,
    b_cut: f64,
) -> Vec<AbcResult> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| {
        values[j].total_cmp(&values[i]).then_with(|| codes[i].as_ref().cmp(codes[j].as_ref()))
    });
    let total: f64 = values.iter().filter(|v| **v > 0.0).sum();
    let mut results =
        vec![
            AbcResult { class: AbcClass::C, rank: 0, share: 0.0, cumulative_before: None };
            values.len()
        ];
    let mut cumulative = 0.0;
    let mut group: Option<(f64, AbcClass)> = None;
    for (rank, &i) in order.iter().enumerate() {
        let v = values[i];
        let r = &mut results[i];
        r.rank = rank;
        if v <= 0.0 || v.is_nan() {
            continue;
        }
        r.share = v / total;
        r.cumulative_before = Some(cumulative);
        r.class = match group {
            Some((value, class)) if value == v => class,
            _ if cumulative < a_cut => AbcClass::A,
            _ if cumulative < b_cut => AbcClass::B,
            _ => AbcClass::C,
        };
        group = Some((v, r.class));
        cumulative += r.share;
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use AbcClass::*;

    fn classes(values: &[f64], a: f64, b: f64) -> String {
        let codes: Vec<String> = (0..values.len()).map(|i| format!("{i:03}")).collect();
        classify(values, &codes, a, b).iter().map(|r| r.class.letter()).collect()
    }

    #[test]
    fn heizer_render_silicon_chips_example() {
        // Heizer & Render, Operations Management, Example "Silicon Chips, Inc.":
        // annual volume × unit cost of 10 items, 70 % / 95 % cuts → A = 2 items,
        // B = 3, C = 5; cumulative dollar shares 38.78 %, 71.97 %, 83.32 %,
        // 89.78 %, 95.17 %, …
        let items = [
            ("#10286", 1_000.0 * 90.00),
            ("#11526", 500.0 * 154.00),
            ("#12760", 1_550.0 * 17.00),
            ("#10867", 350.0 * 42.86),
            ("#10500", 1_000.0 * 12.50),
            ("#12572", 600.0 * 14.17),
            ("#14075", 2_000.0 * 0.60),
            ("#01036", 100.0 * 8.50),
            ("#01307", 1_200.0 * 0.42),
            ("#10572", 250.0 * 0.60),
        ];
        let values: Vec<f64> = items.iter().map(|i| i.1).collect();
        let codes: Vec<&str> = items.iter().map(|i| i.0).collect();
        let r = classify(&values, &codes, 0.70, 0.95);
        let got: String = r.iter().map(|r| r.class.letter()).collect();
        assert_eq!(got, "AABBBCCCCC");
        let cumulative_after: Vec<f64> =
            r.iter().map(|r| r.cumulative_before.unwrap() + r.share).collect();
        for (got, published) in
            cumulative_after.iter().zip([0.3878, 0.7197, 0.8332, 0.8978, 0.9517])
        {
            assert!((got - published).abs() < 0.00005, "{got} vs {published}");
        }
    }

    #[test]
    fn boundary_item_belongs_to_the_higher_class() {
        // P = 0, 0.79, 0.99: the item starting at 0.79 crosses 0.8 and stays A.
        assert_eq!(classes(&[79.0, 20.0, 1.0], 0.8, 0.995), "AAB");
        assert_eq!(classes(&[10.0], 0.8, 0.95), "A");
    }

    #[test]
    fn non_positive_items_are_c_without_share() {
        let r = classify(&[10.0, 0.0, -5.0], &["a", "b", "c"], 0.8, 0.95);
        assert_eq!(r.iter().map(|r| r.class).collect::<Vec<_>>(), [A, C, C]);
        assert_eq!(r[1].cumulative_before, None);
        assert_eq!(r[2].share, 0.0);
    }

    #[test]
    fn ties_share_the_class_of_their_first_item() {
        // P = 0, 0.5, 0.7, 0.9: the third 20 would be B alone but ties with the A at P=0.5.
        assert_eq!(classes(&[50.0, 20.0, 20.0, 10.0], 0.6, 0.95), "AAAB");
    }

    #[test]
    fn equal_values_rank_by_code() {
        let r = classify(&[5.0, 5.0], &["b", "a"], 0.5, 0.95);
        assert_eq!((r[0].rank, r[1].rank), (1, 0));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn inputs() -> impl Strategy<Value = (Vec<f64>, f64, f64)> {
            // Values drawn from a small set so that ties happen often.
            let values = prop::collection::vec(
                prop_oneof![Just(0.0), Just(-1.0), Just(5.0), Just(5.0), 0.0..1000.0f64],
                0..60,
            );
            (values, 0.01..1.0f64, 0.0..1.0f64)
                .prop_map(|(v, a, extra)| (v, a, a + (1.0 - a) * extra))
        }

        fn codes(n: usize) -> Vec<String> {
            (0..n).map(|i| format!("sku{i:03}")).collect()
        }

        proptest! {
            #[test]
            fn shares_of_positive_items_sum_to_one((values, a, b) in inputs()) {
                let r = classify(&values, &codes(values.len()), a, b);
                let total: f64 = r.iter().map(|r| r.share).sum();
                if values.iter().any(|v| *v > 0.0) {
                    prop_assert!((total - 1.0).abs() < 1e-9);
                } else {
                    prop_assert_eq!(total, 0.0);
                }
            }

            #[test]
            fn every_item_gets_exactly_one_rank_and_the_top_item_is_a((values, a, b) in inputs()) {
                let r = classify(&values, &codes(values.len()), a, b);
                let mut ranks: Vec<usize> = r.iter().map(|r| r.rank).collect();
                ranks.sort();
                prop_assert_eq!(ranks, (0..values.len()).collect::<Vec<_>>());
                if let Some(top) = r.iter().find(|r| r.rank == 0) {
                    if top.share > 0.0 {
                        prop_assert_eq!(top.class, AbcClass::A);
                    }
                }
            }

            #[test]
            fn raising_a_cut_never_demotes_an_item((values, a, b) in inputs(), raise in 0.0..0.5f64) {
                let codes = codes(values.len());
                let before = classify(&values, &codes, a, b);
                let higher_b = (b + raise).min(1.0);
                let higher_a = (a + raise).min(higher_b);
                let after = classify(&values, &codes, higher_a, higher_b);
                for (x, y) in before.iter().zip(&after) {
                    prop_assert!(y.class <= x.class, "{:?} -> {:?}", x.class, y.class);
                }
            }

            #[test]
            fn equal_values_share_a_class((values, a, b) in inputs()) {
                let r = classify(&values, &codes(values.len()), a, b);
                for i in 0..values.len() {
                    for j in 0..values.len() {
                        if values[i] == values[j] {
                            prop_assert_eq!(r[i].class, r[j].class);
                        }
                    }
                }
            }
        }
    }
}
