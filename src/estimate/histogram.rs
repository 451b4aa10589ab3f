//! Histogram MI for continuous columns: bin, then count.
//!
//! Bin-count rules (n values, range = max − min over the finite values):
//! - `Fixed(k)`: k (at least 1);
//! - `Sqrt`: ⌈√n⌉;
//! - `Sturges`: ⌈log₂ n⌉ + 1;
//! - `Scott`: width 3.49·σ·n^(−1/3) (σ the sample standard deviation);
//! - `FreedmanDiaconis`: width 2·IQR·n^(−1/3) (IQR from linearly interpolated quartiles,
//!   as numpy's default).
//!
//! For the width rules bins = ⌈range / width⌉. Data-driven counts are clamped to
//! [1, min(n, [`MAX_BINS`])]: more bins than values only adds empty cells (and bias), and the
//! cap keeps a pathological column (one far outlier) from producing millions of bins.
//! Degenerate data never yields 0 or NaN: zero range (a constant column, or n ≤ 1) gives 1
//! bin for every data-driven rule (any other bin would stay empty); a zero IQR with a
//! positive range (most values tied, e.g. a spike plus a few outliers) makes
//! Freedman–Diaconis fall back to Sturges, since its width would be 0.

use super::{BinRule, BinStrategy, discrete};

/// Upper bound on a data-driven bin count.
pub const MAX_BINS: usize = 10_000;

/// Bin count the rule chooses for these values (at least 1).
pub fn bin_count(values: &[f64], rule: BinRule) -> usize {
    let n = values.len();
    let limit = n.clamp(1, MAX_BINS);
    let sturges = || {
        if n <= 1 {
            1
        } else {
            (n as f64).log2().ceil() as usize + 1
        }
    };
    if let BinRule::Fixed(k) = rule {
        return k.max(1);
    }
    // Widths and the range only enter as a ratio, so they are computed on the finite values
    // times an exact power of two, which keeps max − min and the IQR finite even for
    // ±f64::MAX.
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let factor = super::correlation::power_of_two_scale(&finite);
    finite.iter_mut().for_each(|v| *v *= factor);
    let Some((lo, hi)) = min_max(&finite) else {
        return 1;
    };
    let range = hi - lo;
    if range <= 0.0 || finite.len() < 2 {
        return 1;
    }
    let raw = match rule {
        BinRule::Fixed(_) | BinRule::Sturges => sturges(),
        BinRule::Sqrt => (n as f64).sqrt().ceil() as usize,
        BinRule::Scott | BinRule::FreedmanDiaconis => {
            let m = finite.len() as f64;
            let spread = match rule {
                BinRule::Scott => 3.49 * std_dev(&finite),
                _ => 2.0 * iqr(finite),
            };
            let width = spread * m.powf(-1.0 / 3.0);
            if width.is_finite() && width > 0.0 {
                let bins = (range / width).ceil();
                if bins.is_finite() {
                    bins.min(MAX_BINS as f64) as usize
                } else {
                    MAX_BINS
                }
            } else {
                sturges()
            }
        }
    };
    raw.clamp(1, limit)
}

/// Bin index of each value, in 0..bins.
///
/// Equal-width: `bins` intervals of equal width over [min, max] of the finite values, the
/// maximum in the last bin (−∞ goes to the first bin, +∞ to the last, NaN to the first;
/// callers pass complete rows only). Equal-frequency: values are sorted and a run of
/// equal values goes, as a whole, to the bin floor(p·bins/n) of its first position p, so
/// ties are never split and bins hold about n/bins values each; heavy ties leave some bins
/// empty rather than separating identical values.
pub fn bin_codes(values: &[f64], bins: usize, strategy: BinStrategy) -> Vec<u32> {
    let n = values.len();
    let bins = bins.clamp(1, u32::MAX as usize);
    if bins == 1 || n == 0 {
        return vec![0; n];
    }
    match strategy {
        BinStrategy::EqualWidth => match equal_width(values, bins) {
            Some(bin) => values.iter().map(|&v| bin(v)).collect(),
            None => vec![0; n],
        },
        BinStrategy::EqualFrequency => {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_unstable_by(|&i, &j| values[i].total_cmp(&values[j]));
            let mut out = vec![0u32; n];
            let mut start = 0;
            while start < n {
                let v = values[order[start]];
                let mut end = start + 1;
                while end < n
                    && (values[order[end]] == v || values[order[end]].total_cmp(&v).is_eq())
                {
                    end += 1;
                }
                let bin = (start as u128 * bins as u128 / n as u128) as u32;
                for &i in &order[start..end] {
                    out[i] = bin;
                }
                start = end;
            }
            out
        }
    }
}

/// [`bin_codes`] as bytes, for up to 256 equal-width bins (`None` otherwise): a matrix
/// keeps a column's codes this way without ever holding the `u32` codes.
pub fn bin_codes_bytes(values: &[f64], bins: usize, strategy: BinStrategy) -> Option<Vec<u8>> {
    if bins > 256 || strategy != BinStrategy::EqualWidth {
        return None;
    }
    if bins <= 1 || values.is_empty() {
        return Some(vec![0; values.len()]);
    }
    Some(match equal_width(values, bins) {
        // Codes are below `bins` ≤ 256.
        Some(bin) => values.iter().map(|&v| bin(v) as u8).collect(),
        None => vec![0; values.len()],
    })
}

/// The equal-width bin of a value, for `bins` ≥ 2 intervals over [min, max] of the finite
/// values; `None` when no value is finite (everything goes to bin 0).
fn equal_width(values: &[f64], bins: usize) -> Option<impl Fn(f64) -> u32> {
    let (lo, hi) = finite_min_max(values)?;
    // An exact power-of-two scale keeps max − min finite even for ±f64::MAX; the largest
    // magnitude among the finite values is that of min or max.
    let factor = super::correlation::power_of_two_scale(&[lo, hi]);
    let (lo, range) = (lo * factor, hi * factor - lo * factor);
    let last = (bins - 1) as u32;
    let bins = bins as f64;
    Some(move |v: f64| {
        let t = if range > 0.0 {
            (v * factor - lo) / range
        } else {
            0.0
        };
        // `as` truncates (the floor, for t ≥ 0), saturates, and maps negatives and NaN to
        // 0, so every value lands in 0..bins without a libm call.
        ((t * bins) as u32).min(last)
    })
}

/// Histogram MI in nats, each column binned by its own rule.
pub fn mi(x: &[f64], y: &[f64], rule: BinRule, strategy: BinStrategy, miller_madow: bool) -> f64 {
    let bx = bin_codes(x, bin_count(x, rule), strategy);
    let by = bin_codes(y, bin_count(y, rule), strategy);
    discrete::mi(&bx, &by, miller_madow)
}

/// Histogram MI with given bin counts for x and y (sensitivity sweeps).
pub fn mi_bins(
    x: &[f64],
    y: &[f64],
    bins_x: usize,
    bins_y: usize,
    strategy: BinStrategy,
    miller_madow: bool,
) -> f64 {
    discrete::mi(
        &bin_codes(x, bins_x, strategy),
        &bin_codes(y, bins_y, strategy),
        miller_madow,
    )
}

/// [`min_max`] of the finite values, without collecting them; `None` when there are
/// none. Non-finite values are replaced by the neutral ±∞ instead of being filtered
/// out, and four running extremes are kept, so the loop has neither branches nor one
/// long dependency chain. (A −0.0/+0.0 tie may keep either zero, as `f64::min` may;
/// both give the same bins.)
fn finite_min_max(values: &[f64]) -> Option<(f64, f64)> {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut take = |lane: usize, v: f64| {
        let finite = v.is_finite();
        let a = if finite { v } else { f64::INFINITY };
        let b = if finite { v } else { f64::NEG_INFINITY };
        lo[lane] = if a < lo[lane] { a } else { lo[lane] };
        hi[lane] = if b > hi[lane] { b } else { hi[lane] };
    };
    let quads = values.chunks_exact(4);
    for &v in quads.remainder() {
        take(0, v);
    }
    for q in quads {
        for (lane, &v) in q.iter().enumerate() {
            take(lane, v);
        }
    }
    let lo = lo
        .into_iter()
        .fold(f64::INFINITY, |m, v| if v < m { v } else { m });
    let hi = hi
        .into_iter()
        .fold(f64::NEG_INFINITY, |m, v| if v > m { v } else { m });
    (lo <= hi).then_some((lo, hi))
}

fn min_max(values: &[f64]) -> Option<(f64, f64)> {
    let first = *values.first()?;
    Some(
        values
            .iter()
            .fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v))),
    )
}

/// Sample standard deviation (n − 1) with a corrected mean (two-pass); callers pass
/// values already scaled into a safe range.
fn std_dev(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let mean = mean + values.iter().map(|v| v - mean).sum::<f64>() / n;
    let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    (ss / (n - 1.0)).sqrt()
}

/// Interquartile range with linear interpolation between order statistics.
fn iqr(mut values: Vec<f64>) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let q = |p: f64| {
        let h = p * (values.len() - 1) as f64;
        let i = h.floor() as usize;
        let frac = h - i as f64;
        match values.get(i + 1) {
            Some(&next) => values[i] + frac * (next - values[i]),
            None => values[i],
        }
    };
    q(0.75) - q(0.25)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_count_rules() {
        let v: Vec<f64> = (0..100).map(|i| i as f64).collect();
        assert_eq!(bin_count(&v, BinRule::Fixed(7)), 7);
        assert_eq!(bin_count(&v, BinRule::Sqrt), 10);
        assert_eq!(bin_count(&v, BinRule::Sturges), 8);
        // FD: IQR = 49.5, width = 99 / 100^(1/3) = 21.33…, range 99 → ⌈4.64⌉ = 5.
        assert_eq!(bin_count(&v, BinRule::FreedmanDiaconis), 5);
        // Scott: σ = 28.87, width = 3.49·28.87/4.6416 = 21.70 → ⌈4.56⌉ = 5.
        assert_eq!(bin_count(&v, BinRule::Scott), 5);
        for rule in [
            BinRule::Sqrt,
            BinRule::Sturges,
            BinRule::Scott,
            BinRule::FreedmanDiaconis,
        ] {
            assert_eq!(bin_count(&[], rule), 1);
            assert_eq!(bin_count(&[3.0], rule), 1);
            assert_eq!(bin_count(&[2.0; 50], rule), 1);
        }
        // Zero IQR, positive range: FD falls back to Sturges.
        let mut spike = vec![1.0; 99];
        spike.push(100.0);
        assert_eq!(bin_count(&spike, BinRule::FreedmanDiaconis), 8);
        // One far outlier: capped at n.
        let mut outlier: Vec<f64> = (0..20).map(|i| i as f64 * 1e-9).collect();
        outlier.push(1e300);
        assert_eq!(bin_count(&outlier, BinRule::FreedmanDiaconis), 21);
        assert!(bin_count(&[f64::MAX, -f64::MAX, 0.0], BinRule::Scott) >= 1);
    }

    #[test]
    fn equal_width_codes() {
        let c = bin_codes(&[0.0, 0.5, 1.0, 0.25, 0.75], 4, BinStrategy::EqualWidth);
        assert_eq!(c, vec![0, 2, 3, 1, 3]);
        assert_eq!(
            bin_codes(&[5.0; 3], 4, BinStrategy::EqualWidth),
            vec![0, 0, 0]
        );
        let c = bin_codes(&[f64::MAX, -f64::MAX, 0.0], 2, BinStrategy::EqualWidth);
        assert_eq!(c, vec![1, 0, 1]);
    }

    #[test]
    fn equal_frequency_keeps_ties_together() {
        let c = bin_codes(&[4.0, 3.0, 2.0, 1.0], 2, BinStrategy::EqualFrequency);
        assert_eq!(c, vec![1, 1, 0, 0]);
        let c = bin_codes(&[1.0, 1.0, 1.0, 2.0], 2, BinStrategy::EqualFrequency);
        assert_eq!(c, vec![0, 0, 0, 1]);
    }

    #[test]
    fn histogram_mi_of_copy_is_entropy() {
        let x: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.37).sin()).collect();
        let bx = bin_codes(&x, bin_count(&x, BinRule::Sturges), BinStrategy::EqualWidth);
        let want = discrete::entropy(&bx, false);
        let got = mi(&x, &x, BinRule::Sturges, BinStrategy::EqualWidth, false);
        assert!((got - want).abs() < 1e-12);
    }
}
