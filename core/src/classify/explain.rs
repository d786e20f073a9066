//! Plain-language explanations of a SKU's classes, so an analyst can defend
//! each one in a workshop: which figure, which cut, and which rule.

use super::abc::AbcClass;
use super::pattern::{Pattern, ADI_CUT, CV2_CUT};
use super::xyz::XyzClass;
use super::SkuClass;
use crate::config::{Config, Criterion};

pub(crate) fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// The criterion's name in a sentence.
pub(crate) fn criterion_name(c: Criterion) -> &'static str {
    match c {
        Criterion::Revenue => "revenue",
        Criterion::Margin => "margin",
        Criterion::Quantity => "quantity",
        Criterion::OrderLines => "order lines",
    }
}

/// One sentence per class: ABC, XYZ, demand pattern, then the rule that
/// changed the computed class, if any.
///
/// # Example
/// ```
/// # use segscope_core::classify::explain::explain;
/// # use segscope_core::classify::{abc::*, xyz::XyzClass, pattern::*, SkuClass};
/// # use segscope_core::Config;
/// let c = SkuClass {
///     criterion: 10.0,
///     abc: AbcResult { class: AbcClass::A, rank: 3, share: 0.1, cumulative_before: Some(0.612) },
///     xyz_mean: 5.0, cv: Some(0.31), xyz: XyzClass::X,
///     pattern: PatternResult { adi: Some(1.0), cv2: Some(0.1), pattern: Pattern::Smooth },
///     capped_buckets: 0, segment: "AX".into(), rule: None, reason: None,
/// };
/// let text = explain(&c, &Config::default());
/// assert_eq!(text[0], "A: cumulative revenue share before it 61.2 % < 80.0 %");
/// assert_eq!(text[1], "X: cv 0.310 ≤ 0.5");
/// ```
pub fn explain(c: &SkuClass, config: &Config) -> Vec<String> {
    let (a_cut, b_cut) = (config.abc.a_cut, config.abc.b_cut);
    let name = criterion_name(config.abc.criterion);
    let mut lines = Vec::new();
    lines.push(match c.abc.cumulative_before {
        None => format!("C: its {name} is not positive, so it takes no share"),
        Some(p) => {
            let computed = if p < a_cut {
                AbcClass::A
            } else if p < b_cut {
                AbcClass::B
            } else {
                AbcClass::C
            };
            let base = match computed {
                AbcClass::A => {
                    format!("cumulative {name} share before it {} < {}", pct(p), pct(a_cut))
                }
                AbcClass::B => format!(
                    "cumulative {name} share before it {} is in [{}, {})",
                    pct(p),
                    pct(a_cut),
                    pct(b_cut)
                ),
                AbcClass::C => {
                    format!("cumulative {name} share before it {} ≥ {}", pct(p), pct(b_cut))
                }
            };
            if computed != c.abc.class && c.rule.is_none() {
                // Only the tie rule moves a class without a named rule.
                format!(
                    "{}: {base}, but it ties with a higher-ranked item of class {}",
                    c.abc.class, c.abc.class
                )
            } else {
                format!("{computed}: {base}")
            }
        }
    });
    let (x_cut, y_cut) = (config.xyz.x_cut, config.xyz.y_cut);
    lines.push(match c.cv {
        None => "Z: no demand in the horizon, so no cv".to_owned(),
        Some(cv) => match super::xyz::class(Some(cv), x_cut, y_cut) {
            XyzClass::X => format!("X: cv {cv:.3} ≤ {x_cut}"),
            XyzClass::Y => format!("Y: cv {cv:.3} is in ({x_cut}, {y_cut}]"),
            XyzClass::Z => format!("Z: cv {cv:.3} > {y_cut}"),
        },
    });
    let p = &c.pattern;
    lines.push(match (p.pattern, p.adi, p.cv2) {
        (Pattern::None, _, _) | (_, None, _) | (_, _, None) => {
            "none: no bucket with demand".to_owned()
        }
        (pattern, Some(adi), Some(cv2)) => {
            let adi_cmp = if adi < ADI_CUT { "<" } else { "≥" };
            let cv2_cmp = if cv2 < CV2_CUT { "<" } else { "≥" };
            format!(
                "{}: ADI {adi:.2} {adi_cmp} {ADI_CUT}, CV² {cv2:.2} {cv2_cmp} {CV2_CUT}",
                pattern.name()
            )
        }
    });
    if c.capped_buckets > 0 {
        lines.push(format!(
            "{} bucket(s) capped as outliers before XYZ and pattern",
            c.capped_buckets
        ));
    }
    if let Some(reason) = &c.reason {
        lines.push(reason.clone());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::abc::AbcResult;
    use crate::classify::pattern::PatternResult;

    fn class(abc: AbcClass, p: Option<f64>, cv: Option<f64>) -> SkuClass {
        SkuClass {
            criterion: 1.0,
            abc: AbcResult { class: abc, rank: 0, share: 0.1, cumulative_before: p },
            xyz_mean: 1.0,
            cv,
            xyz: crate::classify::xyz::class(cv, 0.5, 1.0),
            pattern: PatternResult { adi: Some(2.0), cv2: Some(0.64), pattern: Pattern::Lumpy },
            capped_buckets: 0,
            segment: String::new(),
            rule: None,
            reason: None,
        }
    }

    #[test]
    fn each_class_names_its_figure_and_cut() {
        let config = Config::default();
        let check = |c: SkuClass, expected: [&str; 3]| assert_eq!(explain(&c, &config), expected);
        check(
            class(AbcClass::B, Some(0.9), Some(0.7)),
            [
                "B: cumulative revenue share before it 90.0 % is in [80.0 %, 95.0 %)",
                "Y: cv 0.700 is in (0.5, 1]",
                "lumpy: ADI 2.00 ≥ 1.32, CV² 0.64 ≥ 0.49",
            ],
        );
        check(
            class(AbcClass::C, None, None),
            [
                "C: its revenue is not positive, so it takes no share",
                "Z: no demand in the horizon, so no cv",
                "lumpy: ADI 2.00 ≥ 1.32, CV² 0.64 ≥ 0.49",
            ],
        );
    }

    #[test]
    fn ties_and_rules_are_explained() {
        let config = Config::default();
        let tie = explain(&class(AbcClass::A, Some(0.85), Some(0.2)), &config);
        assert!(tie[0].starts_with("A: ") && tie[0].contains("ties"), "{tie:?}");
        let mut ruled = class(AbcClass::A, Some(0.97), Some(0.2));
        ruled.rule = Some("strategic".into());
        ruled.reason = Some("rule 'strategic' changed CX to AX".into());
        let text = explain(&ruled, &config);
        assert!(text[0].starts_with("C: "), "{text:?}");
        assert_eq!(text.last().unwrap(), "rule 'strategic' changed CX to AX");
    }
}
