//! The present values of a column in `f64::total_cmp` order, for the per-column
//! summary (distinct count, min, max, and the mean summed in that order).
//!
//! A radix sort of the values' total-order keys: a handful of linear passes instead
//! of a comparison sort's n log n comparisons, which made the summary of a
//! million-row file cost as much as reading it. Total order is a
//! key order, so the result is the same sequence as `sort_by(f64::total_cmp)` (equal
//! keys are equal bits).

/// Below this many values a comparison sort is quicker than radix passes.
const SMALL: usize = 128;
/// The first pass groups by the top 16 bits (sign, exponent and 4 bits of mantissa),
/// reading the column itself, so only the groups need a second buffer, one at a time.
const TOP_BITS: u32 = 16;
/// The groups, a few thousand keys for measured data, are then sorted by the other
/// 48 bits in six passes of 8 (small digits: a pass costs its buckets too).
const LOW_DIGIT_BITS: u32 = 8;
const LOW_PASSES: u32 = (64 - TOP_BITS) / LOW_DIGIT_BITS;

/// An unsigned key that orders like `f64::total_cmp`.
fn key(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn value(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// The values that are not NaN, sorted by `f64::total_cmp`.
///
/// Memory: the result plus a buffer as large as the largest group of values sharing
/// their top 16 bits (a small fraction of the column for measured data).
pub fn sorted_present(values: &[f64]) -> Vec<f64> {
    let present = || values.iter().filter(|v| !v.is_nan()).map(|&v| key(v));
    let n = present().count();
    if n <= SMALL {
        let mut keys: Vec<u64> = present().collect();
        keys.sort_unstable();
        return keys.into_iter().map(value).collect();
    }
    let top = |k: u64| (k >> (64 - TOP_BITS)) as usize;
    let mut starts = vec![0usize; (1 << TOP_BITS) + 1];
    for k in present() {
        starts[top(k) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut keys = vec![0u64; n];
    let mut next = starts.clone();
    for k in present() {
        let t = top(k);
        keys[next[t]] = k;
        next[t] += 1;
    }
    let mut scratch = Vec::new();
    for w in starts.windows(2) {
        let group = &mut keys[w[0]..w[1]];
        if group.len() <= SMALL {
            group.sort_unstable();
        } else {
            sort_low_bits(group, &mut scratch);
        }
    }
    keys.into_iter().map(value).collect()
}

/// Least-significant-digit radix sort of keys that share their top bits.
fn sort_low_bits(keys: &mut [u64], scratch: &mut Vec<u64>) {
    const BUCKETS: usize = 1 << LOW_DIGIT_BITS;
    let digit = |k: u64, pass: u32| ((k >> (pass * LOW_DIGIT_BITS)) as usize) & (BUCKETS - 1);
    let mut counts = vec![[0usize; BUCKETS]; LOW_PASSES as usize];
    for &k in keys.iter() {
        for (pass, c) in (0..LOW_PASSES).zip(counts.iter_mut()) {
            c[digit(k, pass)] += 1;
        }
    }
    scratch.clear();
    scratch.resize(keys.len(), 0);
    // Passes alternate between `keys` and `scratch`; `in_keys` says where the data is.
    let mut in_keys = true;
    for (pass, c) in (0..LOW_PASSES).zip(counts.iter()) {
        // A digit that every key shares leaves the order as it is.
        if c.iter().any(|&n| n == keys.len()) {
            continue;
        }
        let mut next = [0usize; BUCKETS];
        let mut sum = 0;
        for (slot, &n) in next.iter_mut().zip(c.iter()) {
            *slot = sum;
            sum += n;
        }
        let (from, to): (&[u64], &mut [u64]) = if in_keys {
            (keys, scratch)
        } else {
            (scratch, keys)
        };
        for &k in from {
            let d = digit(k, pass);
            to[next[d]] = k;
            next[d] += 1;
        }
        in_keys = !in_keys;
    }
    if !in_keys {
        keys.copy_from_slice(scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(values: &[f64]) -> Vec<u64> {
        let mut v: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        v.sort_by(f64::total_cmp);
        v.into_iter().map(f64::to_bits).collect()
    }

    #[test]
    fn keys_round_trip_and_order() {
        let specials = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            f64::MIN_POSITIVE,
            1.0,
            1e300,
            f64::INFINITY,
        ];
        for w in specials.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{w:?}");
        }
        for v in specials {
            assert_eq!(value(key(v)).to_bits(), v.to_bits());
        }
        let many: Vec<f64> = (0..5000)
            .map(|i| specials[i % specials.len()] * (i as f64))
            .collect();
        let got: Vec<u64> = sorted_present(&many)
            .into_iter()
            .map(f64::to_bits)
            .collect();
        assert_eq!(got, reference(&many));
    }

    proptest! {
        #[test]
        fn same_order_as_total_cmp(values in prop::collection::vec(
            prop_oneof![any::<f64>(), (-3i32..3).prop_map(f64::from), Just(f64::NAN)], 0..3000)) {
            let got: Vec<u64> = sorted_present(&values).into_iter().map(f64::to_bits).collect();
            prop_assert_eq!(got, reference(&values));
        }
    }
}
