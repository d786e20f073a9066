//! The standard normal distribution: density, distribution function, its
//! inverse and the loss function, to double precision, with no dependency.

use std::f64::consts::PI;

/// φ(z), the standard normal density.
pub fn pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * PI).sqrt()
}

/// Φ(z), the standard normal distribution function.
///
/// Hart's (1968) double-precision algorithm 5666 as given by G. West,
/// "Better approximations to cumulative normal functions", Wilmott (2005):
/// accurate to double precision over the real line, and computed from the
/// tail so that 1 − Φ(z) keeps its relative precision for large z.
pub fn cdf(z: f64) -> f64 {
    let tail = upper_tail(z.abs());
    if z > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// 1 − Φ(x) for x ≥ 0 (Hart / West), without cancellation.
fn upper_tail(x: f64) -> f64 {
    if x > 37.0 {
        return 0.0;
    }
    let e = (-x * x / 2.0).exp();
    if x < 7.071_067_811_865_47 {
        let num = [
            3.526_249_659_989_11e-2,
            0.700_383_064_443_688,
            6.373_962_203_531_65,
            33.912_866_078_383,
            112.079_291_497_871,
            221.213_596_169_931,
            220.206_867_912_376,
        ];
        let den = [
            8.838_834_764_831_84e-2,
            1.755_667_163_182_64,
            16.064_177_579_207,
            86.780_732_202_946_1,
            296.564_248_779_674,
            637.333_633_378_831,
            793.826_512_519_948,
            440.413_735_824_752,
        ];
        let horner = |c: &[f64]| c.iter().fold(0.0, |acc, k| acc * x + k);
        e * horner(&num) / horner(&den)
    } else {
        // Laplace's continued fraction, 1 − Φ(x) = φ(x) / (x + 1/(x + 2/(x + …))),
        // taken deeper than West's four terms so the far tail keeps its digits.
        let mut b = x;
        for k in (1..=60).rev() {
            b = x + k as f64 / b;
        }
        e / b / (2.0 * PI).sqrt()
    }
}

/// 1 − Φ(z).
pub fn sf(z: f64) -> f64 {
    if z >= 0.0 {
        upper_tail(z)
    } else {
        1.0 - upper_tail(-z)
    }
}

/// Φ⁻¹(p) for 0 < p < 1; `NaN` outside.
///
/// P. J. Acklam's rational approximation (relative error 1.15e-9) refined
/// by one Halley step on [`cdf`], which brings it to double precision.
pub fn inverse_cdf(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.02425;
    let horner = |c: &[f64], x: f64| c.iter().fold(0.0, |acc, k| acc * x + k);
    let tail = |q: f64| horner(&C, q) / (horner(&D, q) * q + 1.0);
    let x = if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        horner(&A, r) * q / (horner(&B, r) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    };
    // One Halley step; in the upper half work with the tail to keep precision.
    let e = if p > 0.5 { (1.0 - p) - sf(x) } else { cdf(x) - p };
    let u = e * (2.0 * PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// The standard normal loss function `G(z) = φ(z) − z (1 − Φ(z))`: the
/// expected shortfall of a standard normal variable above z.
pub fn loss(z: f64) -> f64 {
    pdf(z) - z * sf(z)
}

/// `(Φ⁻¹(p), G(Φ⁻¹(p)))`: the safety factor of a cycle service level `p`
/// and its loss, bit for bit [`inverse_cdf`]'s and [`loss`]'s.
///
/// A policy stage asks for a handful of service levels, one per segment
/// (21 for an efficient frontier), for every one of tens of thousands of
/// SKUs; each pair costs four exponentials. The last pairs are remembered
/// per thread, one slot per few bits of `p`, so a level seen before is
/// looked up.
pub fn safety_factor(p: f64) -> (f64, f64) {
    const SLOTS: usize = 64;
    type Slot = (u64, f64, f64);
    fn compute(p: f64) -> Slot {
        let z = inverse_cdf(p);
        (p.to_bits(), z, loss(z))
    }
    thread_local! {
        // Every slot starts as a correct entry, so none can be mistaken.
        static SEEN: std::cell::RefCell<[Slot; SLOTS]> =
            std::cell::RefCell::new([compute(0.5); SLOTS]);
    }
    let bits = p.to_bits();
    // The bits that differ between nearby levels such as 0.95 and 0.96.
    let slot = ((bits ^ (bits >> 29) ^ (bits >> 47)) as usize) % SLOTS;
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        let entry = &mut seen[slot];
        if entry.0 != bits {
            *entry = compute(p);
        }
        (entry.1, entry.2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(got: f64, expected: f64, tolerance: f64) {
        assert!((got - expected).abs() <= tolerance, "got {got}, expected {expected}");
    }

    #[test]
    fn loss_function_matches_stockpyl() {
        // stockpyl 1.0.2 tests/test_loss_functions.py (Snyder & Shen), values
        // copied in shared/data/reference_cases.json, and the G(1.3).
        check(loss(-1.4), 1.436668142708465, 1e-12);
        check(loss(0.3), 0.26676124211721, 1e-12);
        check(loss(3.1), 0.0002672490952231408, 1e-15);
        check(loss(1.3), 0.04552796208651397, 1e-13);
        // L̄(z) = L(z) + z.
        check(loss(3.1) + 3.1, 3.100267249095223, 1e-12);
    }

    #[test]
    fn inverse_matches_published_quantiles() {
        // R's qnorm, as quoted by inventorize's examples (reference_cases.json).
        check(inverse_cdf(0.95), 1.6448536269514715, 1e-12);
        check(inverse_cdf(0.9), 1.2815515655446008, 1e-12);
        check(inverse_cdf(0.5), 0.0, 1e-15);
        check(inverse_cdf(0.975), 1.959963984540054, 1e-12);
        check(inverse_cdf(0.001), -3.090232306167813, 1e-12);
        check(inverse_cdf(0.999999), 4.753424308822899, 1e-9);
        assert!(inverse_cdf(0.0).is_nan() && inverse_cdf(1.0).is_nan());
    }

    #[test]
    fn inverse_inverts_the_cdf_to_1e_9_everywhere() {
        for i in 1..10_000 {
            let p = i as f64 / 10_000.0;
            check(cdf(inverse_cdf(p)), p, 1e-12);
        }
    }

    #[test]
    fn cdf_known_values() {
        check(cdf(0.0), 0.5, 1e-16);
        check(cdf(1.0), 0.8413447460685429, 1e-15);
        check(cdf(-1.96), 0.024997895148220435, 1e-15);
        check(sf(8.0), 6.22096057427178e-16, 1e-28);
    }

    #[test]
    fn the_remembered_safety_factor_is_the_computed_one_bit_for_bit() {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        // A thousand levels, many more than the slots, so that they evict
        // one another; each asked for again later, forwards and backwards.
        let levels: Vec<f64> =
            (1..1000).map(|i| i as f64 / 1000.0).chain([0.0, 1.0, -0.5]).collect();
        for _ in 0..3 {
            for &p in levels.iter().chain(levels.iter().rev()) {
                let (z, g) = safety_factor(p);
                assert!(same(z, inverse_cdf(p)), "z at {p}");
                assert!(same(g, loss(inverse_cdf(p))), "G at {p}");
            }
        }
    }
}
