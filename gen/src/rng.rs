//! A tiny, fixed pseudo-random number generator.
//!
//! The generator's output must never change with a dependency upgrade, so the
//! PRNG lives here: SplitMix64 (Steele, Lea and Flood, "Fast splittable
//! pseudorandom number generators", OOPSLA 2014), the same mixer that seeds
//! the xoshiro family. Its quality is ample for synthetic data and its state is
//! a single `u64`, which makes deriving independent streams cheap.
//!
//! Streams are derived from `(seed, tag, index)` by hashing, so the attributes
//! of SKU 17 do not depend on how many SKUs come before it, and one week's
//! noise does not depend on the order in which weeks are visited.

use crate::math;

/// The 64-bit golden ratio, SplitMix64's increment.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: a strong 64-bit mixer (a bijection).
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stream tags: one per kind of entity, so their streams never coincide.
pub(crate) mod tag {
    pub const RANK: u64 = 1;
    pub const SKU: u64 = 2;
    pub const SKU_WEEK: u64 = 3;
    pub const CUSTOMER: u64 = 4;
    pub const WEEK: u64 = 5;
}

/// A SplitMix64 generator.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// The stream for entity `index` of kind `tag` under `seed`.
    pub(crate) fn stream(seed: u64, tag: u64, index: u64) -> Rng {
        Rng(mix(mix(seed.wrapping_add(tag.wrapping_mul(GOLDEN))) ^ index))
    }

    /// The stream for a pair of indices, such as (SKU, week).
    pub(crate) fn stream2(seed: u64, tag: u64, a: u64, b: u64) -> Rng {
        Rng::stream(seed, tag, mix(a.wrapping_add(GOLDEN)) ^ b)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub(crate) fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    pub(crate) fn open01(&mut self) -> f64 {
        1.0 - self.f64()
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Uniform integer in [0, n), by Lemire's multiply-shift (the bias is
    /// below 2^-40 for the small `n` used here). `n` must be positive.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// A standard normal deviate (Marsaglia's polar method, which needs only
    /// a logarithm and a square root, both deterministic here).
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.f64() - 1.0;
            let v = 2.0 * self.f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * math::ln(s) / s).sqrt();
            }
        }
    }

    /// A log-normal deviate with mean 1 and log-scale standard deviation `sigma`.
    pub(crate) fn lognormal_mean1(&mut self, sigma: f64) -> f64 {
        math::exp(sigma * self.normal() - 0.5 * sigma * sigma)
    }

    /// Log-uniform in [lo, hi): every order of magnitude equally likely.
    pub(crate) fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let (a, b) = (math::ln(lo), math::ln(hi));
        math::exp(a + (b - a) * self.f64())
    }

    /// An exponential deviate with the given mean.
    pub(crate) fn exponential(&mut self, mean: f64) -> f64 {
        -mean * math::ln(self.open01())
    }

    /// An index drawn with probability proportional to `weights` (a short list).
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
    }

    /// A uniformly chosen element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Draws indices with probability proportional to a weight, by binary search
/// over the running sums. Rebuilt once per week, so it keeps its buffer.
#[derive(Debug, Default)]
pub(crate) struct Sampler {
    cumulative: Vec<f64>,
    last_positive: usize,
}

impl Sampler {
    /// Replaces the weights (all finite and non-negative).
    pub(crate) fn rebuild(&mut self, weights: impl Iterator<Item = f64>) {
        self.cumulative.clear();
        let mut sum = 0.0;
        for (i, w) in weights.enumerate() {
            if w > 0.0 {
                sum += w;
                self.last_positive = i;
            }
            self.cumulative.push(sum);
        }
    }

    /// The sum of the weights.
    pub(crate) fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// `count` indices by systematic sampling: index i appears ⌊c⌋ or ⌈c⌉
    /// times, c = count × weight_i / total, instead of a Poisson-like number
    /// of times as with [`Sampler::sample`]. Appended to `out` in index order.
    pub(crate) fn systematic(&self, count: usize, rng: &mut Rng, out: &mut Vec<u32>) {
        if count == 0 {
            return;
        }
        let step = self.total() / count as f64;
        let offset = rng.f64();
        let mut i = 0;
        for j in 0..count {
            let x = (j as f64 + offset) * step;
            while i < self.last_positive && self.cumulative[i] <= x {
                i += 1;
            }
            out.push(i as u32);
        }
    }

    /// An index with probability proportional to its weight; the total must
    /// be positive.
    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.f64() * self.total();
        let i = self.cumulative.partition_point(|&c| c <= x);
        // Rounding can put `x` at the very top; the last positive weight owns it.
        i.min(self.last_positive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference_sequence() {
        // Reference: Rosetta Code, "Pseudo-random numbers/Splitmix64", the first
        // outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = Rng(1234567);
        let expected: [u64; 3] = [6457827717110365317, 3203168211198807973, 9817491932198370423];
        for e in expected {
            assert_eq!(rng.next_u64(), e);
        }
    }

    #[test]
    fn streams_differ_by_tag_and_index() {
        let a = Rng::stream(42, tag::SKU, 0).next_u64();
        let b = Rng::stream(42, tag::SKU, 1).next_u64();
        let c = Rng::stream(42, tag::CUSTOMER, 0).next_u64();
        let d = Rng::stream(43, tag::SKU, 0).next_u64();
        assert!(a != b && a != c && a != d && b != c);
    }

    #[test]
    fn unit_floats_stay_in_range() {
        let mut rng = Rng::stream(7, 0, 0);
        for _ in 0..10_000 {
            let x = rng.f64();
            assert!((0.0..1.0).contains(&x));
            let y = rng.open01();
            assert!(y > 0.0 && y <= 1.0);
            assert!(rng.below(7) < 7);
        }
    }

    #[test]
    fn normal_has_mean_zero_and_unit_variance() {
        let mut rng = Rng::stream(1, 0, 0);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "variance {var}");
    }

    #[test]
    fn sampler_never_draws_zero_weights() {
        let mut s = Sampler::default();
        s.rebuild([0.0, 2.0, 0.0, 1.0, 0.0].into_iter());
        let mut rng = Rng::stream(3, 0, 0);
        let mut counts = [0usize; 5];
        for _ in 0..30_000 {
            counts[s.sample(&mut rng)] += 1;
        }
        assert_eq!((counts[0], counts[2], counts[4]), (0, 0, 0));
        let ratio = counts[1] as f64 / counts[3] as f64;
        assert!((ratio - 2.0).abs() < 0.1, "ratio {ratio}");
    }

    #[test]
    fn systematic_sampling_gives_floor_or_ceiling_counts() {
        let mut s = Sampler::default();
        let weights = [0.0, 2.5, 0.0, 1.0, 0.5, 6.0, 0.0];
        s.rebuild(weights.into_iter());
        let mut rng = Rng::stream(4, 0, 0);
        for count in [1, 7, 10, 33, 1000] {
            let mut out = Vec::new();
            s.systematic(count, &mut rng, &mut out);
            assert_eq!(out.len(), count);
            for (i, w) in weights.iter().enumerate() {
                let n = out.iter().filter(|&&x| x as usize == i).count() as f64;
                let expected = count as f64 * w / 10.0;
                assert!(n >= expected.floor() && n <= expected.ceil(), "{i}: {n} vs {expected}");
            }
        }
    }
}
