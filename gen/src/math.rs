//! Transcendental functions built from `+ - * /` only.
//!
//! `f64::ln`, `exp` and `cos` call the platform's libm: glibc natively, a
//! port of musl's in WebAssembly. They may differ in the last bit, and one bit
//! is enough to move a rounded price by a cent or a draw across a threshold.
//! Basic IEEE 754 arithmetic and `sqrt` are correctly rounded everywhere, so
//! these versions, written with nothing else, give the same bits on every
//! target. They are accurate to a few ulps, far more than synthetic data needs.

use std::f64::consts::{LN_2, LOG2_E, PI, SQRT_2};

/// ln 2 split in two, so that `k * LN2_HI` is exact for |k| < 2^20 (fdlibm's
/// `ln2_hi` and `ln2_lo`, given by their bits).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// The natural logarithm of a positive, finite `x`.
pub(crate) fn ln(x: f64) -> f64 {
    debug_assert!(x > 0.0 && x.is_finite(), "ln of {x}");
    let mut bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    if exponent == -1023 {
        // Subnormal: scale into the normal range first.
        bits = (x * (1u64 << 54) as f64).to_bits();
        exponent = ((bits >> 52) & 0x7ff) as i64 - 1023 - 54;
    }
    // x = m * 2^exponent with m in [1, 2); fold m into [sqrt(1/2), sqrt(2)).
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = s;
    let mut k = 3.0;
    while k < 24.0 {
        term *= s2;
        sum += term / k;
        k += 2.0;
    }
    exponent as f64 * LN_2 + 2.0 * sum
}

/// e^x, for x in about [-700, 700] (clamped beyond).
pub(crate) fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    // x = k ln 2 + r with |r| <= ln2 / 2.
    let k = (x * LOG2_E).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series in Horner form; r^14 / 14! < 1e-17.
    let mut p = 1.0;
    let mut i = 13.0;
    while i > 0.5 {
        p = 1.0 + p * r / i;
        i -= 1.0;
    }
    p * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// `base^power` for a positive base.
pub(crate) fn pow(base: f64, power: f64) -> f64 {
    exp(power * ln(base))
}

/// cos(2π t): the cosine of `t` turns.
pub(crate) fn cos_turns(t: f64) -> f64 {
    // Reduce to [0, 1/4] turn using the symmetries of the cosine.
    let mut t = t - t.floor();
    if t > 0.5 {
        t = 1.0 - t;
    }
    let (t, sign) = if t > 0.25 { (0.5 - t, -1.0) } else { (t, 1.0) };
    let x = 2.0 * PI * t;
    let x2 = x * x;
    // Taylor series to x^20; (π/2)^22 / 22! < 1e-16.
    let mut p = 1.0;
    let mut n = 20.0;
    while n > 1.0 {
        p = 1.0 - p * x2 / (n * (n - 1.0));
        n -= 2.0;
    }
    sign * p
}

/// The standard normal quantile Φ⁻¹(p) for p in (0, 1), by Acklam's rational
/// approximation (relative error below 1.2e-9: ample for drawing weights).
///
/// `segscope-core` has the same approximation in `normal::inverse_cdf`, but
/// refines it with the platform's `exp`, whose last bit may differ between
/// native and WebAssembly builds; the generator must give byte-identical
/// files everywhere, so it keeps this copy built only on its own arithmetic.
pub(crate) fn inv_normal(p: f64) -> f64 {
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
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    if p < 0.02425 {
        tail((-2.0 * ln(p)).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * ln(1.0 - p)).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1e-300)
    }

    #[test]
    fn ln_agrees_with_libm_to_a_few_ulps() {
        for &x in
            &[1e-300, 1e-10, 0.001, 0.1, 0.5, 0.7072, 1.0, 1.5, 2.0, 3.0, 10.0, 12345.678, 1e300]
        {
            assert!(close(ln(x), x.ln()) || (ln(x) - x.ln()).abs() < 1e-15, "ln({x})");
        }
        assert_eq!(ln(1.0), 0.0);
    }

    #[test]
    fn ln_handles_subnormals() {
        let x = 1e-310;
        assert!((ln(x) - x.ln()).abs() < 1e-12);
    }

    #[test]
    fn exp_agrees_with_libm_to_a_few_ulps() {
        for &x in &[-700.0, -50.0, -1.0, -0.3, 0.0, 1e-9, 0.3, 1.0, 2.5, 50.0, 700.0] {
            assert!(close(exp(x), x.exp()), "exp({x}) = {} vs {}", exp(x), x.exp());
        }
    }

    #[test]
    fn pow_agrees_with_powf() {
        for &(b, p) in &[(0.2, 0.1386), (0.0025, -0.861), (5.0, 0.75), (1000.0, 0.25)] {
            let want: f64 = f64::powf(b, p);
            assert!((pow(b, p) - want).abs() < 1e-13 * want, "{b}^{p}");
        }
    }

    #[test]
    fn inv_normal_matches_table_values() {
        // Standard normal quantiles, e.g. NIST/SEMATECH e-Handbook §1.3.6.7.1.
        for &(p, z) in &[
            (0.5, 0.0),
            (0.8, 0.841_621),
            (0.95, 1.644_854),
            (0.975, 1.959_964),
            (0.999, 3.090_232),
            (0.001, -3.090_232),
            (0.01, -2.326_348),
        ] {
            assert!((inv_normal(p) - z).abs() < 1e-6, "Φ⁻¹({p}) = {}", inv_normal(p));
        }
    }

    #[test]
    fn cos_turns_agrees_with_cos() {
        for i in -40..=40 {
            let t = i as f64 / 13.0;
            let want = (2.0 * PI * t).cos();
            assert!((cos_turns(t) - want).abs() < 1e-14, "cos_turns({t})");
        }
        assert_eq!(cos_turns(0.0), 1.0);
    }
}
