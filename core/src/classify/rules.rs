//! Business rules that pin or forbid classes (SPEC §3.6).
//!
//! A rule has a condition on product attributes, customer attributes or
//! computed figures, and an action that bounds the ABC or XYZ class or sets
//! the segment label. "At least" means at least as good: A is the best ABC
//! class and X the best XYZ class, so `"xyz_at_least": "Y"` forbids Z and
//! `"abc_at_most": "B"` forbids A. Rules apply in order after the computed classes; each
//! SKU records the last rule that changed it and why.
//!
//! ```json
//! "rules": [
//!   { "name": "strategic", "when": { "strategic": true }, "abc_at_least": "A" },
//!   { "name": "end of life", "when": { "lifecycle": "eol" }, "segment": "EOL" },
//!   { "name": "perishable", "when": { "perishable": true }, "xyz_at_least": "Y" }
//! ]
//! ```

use super::abc::AbcClass;
use super::xyz::XyzClass;
use crate::dataset::{Lifecycle, Product};
use serde::{Deserialize, Serialize};

/// What a SKU must satisfy for a rule to apply; every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Condition {
    /// This SKU code only (exact); a manual override is a rule on one SKU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Products file `strategic` flag.
    pub strategic: Option<bool>,
    /// Products file `perishable` flag.
    pub perishable: Option<bool>,
    /// Products file lifecycle.
    pub lifecycle: Option<Lifecycle>,
    /// Products file category (exact, case-insensitive).
    pub category: Option<String>,
    /// Sold to at least one customer flagged strategic in the customers file.
    pub sold_to_strategic_customer: Option<bool>,
    /// Revenue at least this.
    pub min_revenue: Option<f64>,
    /// Revenue at most this.
    pub max_revenue: Option<f64>,
    /// At least this many order lines.
    pub min_order_lines: Option<u64>,
    /// At most this many order lines.
    pub max_order_lines: Option<u64>,
}

/// One business rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// Name shown as the reason a SKU changed.
    pub name: String,
    /// When the rule applies.
    pub when: Condition,
    /// ABC class at least this good (A best).
    pub abc_at_least: Option<AbcClass>,
    /// ABC class no better than this.
    pub abc_at_most: Option<AbcClass>,
    /// XYZ class at least this steady (X best).
    pub xyz_at_least: Option<XyzClass>,
    /// XYZ class no steadier than this.
    pub xyz_at_most: Option<XyzClass>,
    /// Replace the segment label (e.g. `EOL`).
    pub segment: Option<String>,
    /// Set on a manual override (see `crate::governance`): the reason the
    /// user gave, so that the SKU's reason reads `overridden by <reason>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// The facts about one SKU that conditions look at.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// Its SKU code.
    pub sku: &'a str,
    /// Its products file row, if any.
    pub product: Option<&'a Product>,
    /// Sold to a strategic customer.
    pub sold_to_strategic_customer: bool,
    /// Net revenue.
    pub revenue: f64,
    /// Positive order lines.
    pub order_lines: u64,
}

impl Condition {
    /// Whether the SKU with these facts satisfies every given condition.
    pub fn holds(&self, f: &Facts<'_>) -> bool {
        let product = f.product;
        let flag = |want: Option<bool>, have: Option<bool>| {
            want.is_none_or(|w| have.unwrap_or(false) == w)
        };
        self.sku.as_ref().is_none_or(|s| s == f.sku)
            && flag(self.strategic, product.and_then(|p| p.strategic))
            && flag(self.perishable, product.and_then(|p| p.perishable))
            && self.lifecycle.is_none_or(|l| product.and_then(|p| p.lifecycle) == Some(l))
            && self.category.as_ref().is_none_or(|c| {
                product
                    .and_then(|p| p.category.as_deref())
                    .is_some_and(|pc| pc.eq_ignore_ascii_case(c))
            })
            && self.sold_to_strategic_customer.is_none_or(|w| f.sold_to_strategic_customer == w)
            && self.min_revenue.is_none_or(|m| f.revenue >= m)
            && self.max_revenue.is_none_or(|m| f.revenue <= m)
            && self.min_order_lines.is_none_or(|m| f.order_lines >= m)
            && self.max_order_lines.is_none_or(|m| f.order_lines <= m)
    }
}

/// A SKU's classes before or after rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// ABC class.
    pub abc: AbcClass,
    /// XYZ class.
    pub xyz: XyzClass,
    /// Segment label.
    pub segment: String,
}

/// Applies `rules` in order; returns the classes and, if any rule changed
/// them, the last such rule's name and a sentence saying what it did.
pub fn apply(
    rules: &[Rule],
    facts: &Facts<'_>,
    mut c: Classes,
) -> (Classes, Option<(String, String)>) {
    let mut changed = None;
    for rule in rules.iter().filter(|r| r.when.holds(facts)) {
        let before = c.clone();
        if let Some(best) = rule.abc_at_least {
            c.abc = c.abc.min(best);
        }
        if let Some(worst) = rule.abc_at_most {
            c.abc = c.abc.max(worst);
        }
        if let Some(best) = rule.xyz_at_least {
            c.xyz = c.xyz.min(best);
        }
        if let Some(worst) = rule.xyz_at_most {
            c.xyz = c.xyz.max(worst);
        }
        c.segment = match &rule.segment {
            Some(label) => label.clone(),
            None if c.abc != before.abc || c.xyz != before.xyz => {
                super::segment_label(c.abc, c.xyz)
            }
            None => c.segment,
        };
        if let Some(why) = &rule.override_reason {
            // An override is recorded even when it keeps the class: the
            // segment is then the user's decision, not the computation's.
            let reason = format!("overridden by {why}: {} to {}", before.segment, c.segment);
            changed = Some((rule.name.clone(), reason));
        } else if c != before {
            let reason =
                format!("rule '{}' changed {} to {}", rule.name, before.segment, c.segment);
            changed = Some((rule.name.clone(), reason));
        }
    }
    (c, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(abc: AbcClass, xyz: XyzClass) -> Classes {
        Classes { abc, xyz, segment: format!("{abc}{xyz}") }
    }

    fn rules(json: &str) -> Vec<Rule> {
        serde_json::from_str(json).unwrap()
    }

    fn facts(product: &Product) -> Facts<'_> {
        Facts {
            sku: "S1",
            product: Some(product),
            sold_to_strategic_customer: false,
            revenue: 100.0,
            order_lines: 3,
        }
    }

    #[test]
    fn strategic_skus_never_fall_below_a() {
        let r =
            rules(r#"[{"name": "strategic", "when": {"strategic": true}, "abc_at_least": "A"}]"#);
        let strategic = Product { strategic: Some(true), ..Default::default() };
        let (c, why) = apply(&r, &facts(&strategic), classes(AbcClass::C, XyzClass::Y));
        assert_eq!(c.segment, "AY");
        assert_eq!(why.unwrap().1, "rule 'strategic' changed CY to AY");
        // Non-strategic products are untouched, and an A stays A without a reason.
        let plain = Product::default();
        assert_eq!(apply(&r, &facts(&plain), classes(AbcClass::C, XyzClass::Y)).0.segment, "CY");
        assert!(apply(&r, &facts(&strategic), classes(AbcClass::A, XyzClass::Y)).1.is_none());
    }

    #[test]
    fn eol_gets_its_own_segment_and_perishables_are_never_z() {
        let r = rules(
            r#"[{"name": "eol", "when": {"lifecycle": "eol"}, "segment": "EOL"},
                {"name": "perishable", "when": {"perishable": true}, "xyz_at_least": "Y"}]"#,
        );
        let eol = Product { lifecycle: Some(Lifecycle::Eol), ..Default::default() };
        assert_eq!(apply(&r, &facts(&eol), classes(AbcClass::B, XyzClass::X)).0.segment, "EOL");
        let fresh = Product { perishable: Some(true), ..Default::default() };
        let (c, why) = apply(&r, &facts(&fresh), classes(AbcClass::B, XyzClass::Z));
        assert_eq!((c.xyz, c.segment.as_str()), (XyzClass::Y, "BY"));
        assert_eq!(why.unwrap().0, "perishable");
    }

    #[test]
    fn metric_conditions_bound_the_rule() {
        let r = rules(r#"[{"name": "tiny", "when": {"max_revenue": 50}, "abc_at_most": "C"}]"#);
        let p = Product::default();
        let small = Facts { revenue: 20.0, ..facts(&p) };
        assert_eq!(apply(&r, &small, classes(AbcClass::A, XyzClass::X)).0.abc, AbcClass::C);
        assert_eq!(apply(&r, &facts(&p), classes(AbcClass::A, XyzClass::X)).0.abc, AbcClass::A);
    }

    #[test]
    fn unknown_rule_keys_are_refused() {
        assert!(
            serde_json::from_str::<Vec<Rule>>(r#"[{"name": "x", "abc_atleast": "A"}]"#).is_err()
        );
    }
}
