//! Special functions: digamma, the normal CDF and its inverse.
//!
//! Hand-written rather than pulled from a crate because the kNN estimators call `digamma`
//! millions of times on small integers (looked up: [`digamma_count`]) and the copula
//! estimator needs Φ⁻¹ to full double precision; both are short and are checked against
//! tabulated values below.

/// Euler–Mascheroni constant γ = −ψ(1).
pub const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// Arguments below this have ψ looked up by [`digamma_count`] (a table of 512 KiB, built
/// once): the kNN estimators take ψ of two or more counts per point, millions of times
/// per matrix.
const DIGAMMA_TABLE: usize = 1 << 16;

/// From here on the asymptotic series alone is used (below, the argument is lifted to
/// it, or a positive integer is summed exactly).
const ASYMPTOTIC_FROM: f64 = 16.0;

/// Digamma function ψ(x).
///
/// Positive integers below 16 are exact sums, ψ(n) = −γ + Σ_{j<n} 1/j; from 16 on, the
/// asymptotic series to x⁻⁸ (first omitted term 1/(132 x¹⁰): under 7e-15 at 16 and
/// falling fast). Other x below 16 are lifted there by ψ(x) = ψ(x + 1) − 1/x. Negative
/// non-integers use the reflection formula; 0 and negative integers are poles (−∞ at 0,
/// NaN below). NaN in, NaN out.
///
/// The kNN estimators' values at integer counts are these exact sums and series, so
/// their results do not depend on how ψ is reached ([`digamma_count`] is the same
/// function, looked up).
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x < 0.0 {
        if x == x.floor() {
            return f64::NAN;
        }
        // ψ(1 − x) − ψ(x) = π cot(πx)
        return digamma(1.0 - x) - std::f64::consts::PI / (std::f64::consts::PI * x).tan();
    }
    if x < ASYMPTOTIC_FROM && x == x.floor() {
        let mut acc = -EULER_GAMMA;
        for j in 1..x as usize {
            acc += 1.0 / j as f64;
        }
        return acc;
    }
    let mut x = x;
    let mut acc = 0.0;
    while x < ASYMPTOTIC_FROM {
        acc -= 1.0 / x;
        x += 1.0;
    }
    // Bernoulli-number series: ψ(x) ~ ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ). For x ≥ 16 `acc`
    // is 0 and adding it changes no bit.
    let inv2 = 1.0 / (x * x);
    acc + (x.ln()
        - 0.5 / x
        - inv2 * (1.0 / 12.0 - inv2 * (1.0 / 120.0 - inv2 * (1.0 / 252.0 - inv2 / 240.0))))
}

/// ψ(n) of a count n (ψ(0) = −∞: a count of zero means "no data"), looked up for n
/// below [`DIGAMMA_TABLE`]; the table holds [`digamma`]'s own values.
#[inline]
pub fn digamma_count(n: usize) -> f64 {
    digamma_counts()
        .get(n)
        .copied()
        .unwrap_or_else(|| digamma(n as f64))
}

/// The table behind [`digamma_count`]: ψ(n) for n below [`DIGAMMA_TABLE`], for loops
/// that look up millions of counts (fetched once, not once per count).
pub fn digamma_counts() -> &'static [f64] {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..DIGAMMA_TABLE).map(|n| digamma(n as f64)).collect())
}

/// Standard normal CDF Φ(x).
///
/// Absolute error below 1e-15 everywhere and relative error below ~1e-13 in the lower tail:
/// Marsaglia's (2004) Taylor series for |x| < 3 (no cancellation problem there because
/// Φ ≥ 1e-3) and the Laplace continued fraction for the Mills ratio beyond.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x >= 0.0 {
        return 1.0 - lower_tail(-x);
    }
    lower_tail(x)
}

/// Φ(x) for x ≤ 0.
fn lower_tail(x: f64) -> f64 {
    const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
    if x < -38.5 {
        // Below the smallest positive double.
        return 0.0;
    }
    let pdf = INV_SQRT_2PI * (-0.5 * x * x).exp();
    if x > -3.0 {
        // Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …); all terms share x's sign.
        let x2 = x * x;
        let mut term = x;
        let mut sum = x;
        let mut k = 1.0;
        loop {
            k += 2.0;
            term *= x2 / k;
            let next = sum + term;
            if next == sum {
                break;
            }
            sum = next;
        }
        return 0.5 + pdf * sum;
    }
    // Mills ratio R(t) = 1/(t + 1/(t + 2/(t + 3/(t + …)))), evaluated from the tail. At
    // t = 3 the fraction has converged to double precision well before 200 levels.
    let t = -x;
    let mut frac = t;
    for k in (1..=200).rev() {
        frac = t + k as f64 / frac;
    }
    pdf / frac
}

/// Φ⁻¹(p) for 0 < p < 1 (Wichura's AS 241, PPND16: relative error about 1e-16).
///
/// p ≤ 0 gives −∞, p ≥ 1 gives +∞, NaN gives NaN.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 { -z } else { z }
}

/// Horner evaluation, coefficients from the constant term up.
fn poly(coef: &[f64; 8], x: f64) -> f64 {
    coef.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

// AS 241 coefficients (Wichura 1988, Applied Statistics 37(3), 477–484), with every
// published digit so they can be checked against the paper's hash sums.
#[allow(clippy::excessive_precision)]
const A: [f64; 8] = [
    3.387_132_872_796_366_608,
    1.331_416_678_917_843_774_5e2,
    1.971_590_950_306_551_442_7e3,
    1.373_169_376_550_946_112_5e4,
    4.592_195_393_154_987_145_7e4,
    6.726_577_092_700_870_085_3e4,
    3.343_057_558_358_812_810_5e4,
    2.509_080_928_730_122_672_7e3,
];
#[allow(clippy::excessive_precision)]
const B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091_125_2e1,
    6.871_870_074_920_579_083e2,
    5.394_196_021_424_751_107_7e3,
    2.121_379_430_158_659_586_7e4,
    3.930_789_580_009_271_061e4,
    2.872_908_573_572_194_267_4e4,
    5.226_495_278_852_854_561e3,
];
#[allow(clippy::excessive_precision)]
const C: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    2.417_807_251_774_506_117_7e-1,
    2.272_384_498_926_918_458_33e-2,
    7.745_450_142_783_414_076_4e-4,
];
#[allow(clippy::excessive_precision)]
const D: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    6.897_673_349_851_000_045_5e-1,
    1.481_039_764_274_800_745_9e-1,
    1.519_866_656_361_645_719_66e-2,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
#[allow(clippy::excessive_precision)]
const E: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    2.965_605_718_285_048_912_3e-1,
    2.653_218_952_657_612_309_3e-2,
    1.242_660_947_388_078_438_6e-3,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
#[allow(clippy::excessive_precision)]
const F: [f64; 8] = [
    1.0,
    5.998_322_065_558_879_376_9e-1,
    1.369_298_809_227_358_053_1e-1,
    1.487_536_129_085_061_485_25e-2,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_known_values() {
        let ln2 = std::f64::consts::LN_2;
        assert!((digamma(1.0) + EULER_GAMMA).abs() < 1e-14);
        assert!((digamma(0.5) - (-EULER_GAMMA - 2.0 * ln2)).abs() < 1e-13);
        // ψ(n) = H_{n−1} − γ
        let mut h = 0.0;
        for n in 1..200 {
            assert!(
                (digamma(n as f64) - (h - EULER_GAMMA)).abs() < 1e-12,
                "n = {n}"
            );
            h += 1.0 / n as f64;
        }
        // ψ(1/3) = −γ − π/(2√3) − (3/2) ln 3
        let third = -EULER_GAMMA - std::f64::consts::PI / (2.0 * 3f64.sqrt()) - 1.5 * 3f64.ln();
        assert!((digamma(1.0 / 3.0) - third).abs() < 1e-13);
        // Reflection with cot(−π/2) = 0: ψ(−0.5) = ψ(1.5) = 2 − γ − 2 ln 2.
        assert!((digamma(-0.5) - (2.0 - EULER_GAMMA - 2.0 * ln2)).abs() < 1e-12);
        assert_eq!(digamma(0.0), f64::NEG_INFINITY);
        assert!(digamma(-2.0).is_nan());
    }

    #[test]
    fn digamma_matches_recurrence_across_the_switch() {
        // Integers take the exact sum below 16 and the series from 16 on; the step
        // between them must not show. Non-integers near the switch are lifted to it.
        let mut psi = -EULER_GAMMA;
        for n in 1..2000usize {
            let d = digamma(n as f64);
            assert!(
                (d - psi).abs() < 1e-12 * psi.abs().max(1.0),
                "n={n}: {d} vs {psi}"
            );
            let half = digamma(n as f64 + 0.5) - 1.0 / (n as f64 - 0.5);
            assert!((digamma(n as f64 - 0.5) - half).abs() < 1e-13, "n={n}");
            psi += 1.0 / n as f64;
        }
    }

    #[test]
    fn count_lookup_is_digamma() {
        for n in (0..DIGAMMA_TABLE + 10).chain([1 << 40, usize::MAX]) {
            assert_eq!(
                digamma_count(n).to_bits(),
                digamma(n as f64).to_bits(),
                "n={n}"
            );
        }
    }

    #[test]
    fn normal_cdf_known_values() {
        // Reference values from mpmath (50 digits), rounded to double.
        let cases = [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.0, 0.158_655_253_931_457_05),
            (1.959_963_984_540_054, 0.975),
            (-2.5, 0.006_209_665_325_776_132),
            (-3.0, 0.001_349_898_031_630_094_6),
            (-5.0, 2.866_515_718_791_939e-7),
            (-10.0, 7.619_853_024_160_527e-24),
        ];
        for (x, want) in cases {
            let got = normal_cdf(x);
            assert!(
                ((got - want) / want).abs() < 1e-13,
                "Φ({x}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn inverse_normal_known_values() {
        assert!((inverse_normal_cdf(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((inverse_normal_cdf(0.025) + 1.959_963_984_540_054).abs() < 1e-14);
        assert_eq!(inverse_normal_cdf(0.5), 0.0);
        assert!((inverse_normal_cdf(0.841_344_746_068_542_9) - 1.0).abs() < 1e-13);
        assert!((inverse_normal_cdf(2.866_515_718_791_939e-7) + 5.0).abs() < 1e-12);
        assert!((inverse_normal_cdf(7.619_853_024_160_527e-24) + 10.0).abs() < 1e-12);
        assert_eq!(inverse_normal_cdf(0.0), f64::NEG_INFINITY);
        assert_eq!(inverse_normal_cdf(1.0), f64::INFINITY);
    }

    #[test]
    fn inverse_is_inverse() {
        for i in 1..1000 {
            let p = i as f64 / 1000.0;
            let x = inverse_normal_cdf(p);
            assert!((normal_cdf(x) - p).abs() < 1e-14, "p = {p}");
        }
    }
}
