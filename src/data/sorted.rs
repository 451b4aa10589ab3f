//! The present values of a column in `f64::total_cmp` order, for the per-column
//! summary (distinct count, min, max, and the mean summed in that order).
//!
//! A radix sort of the values' total-order keys: a handful of linear passes instead
//! of a comparison sort's n log n comparisons, which made the summary of a
//! million-row file cost as much as reading it. Total order is a
//! key order, so the result is the same sequence as `sort_by(f64::total_cmp)` (equal
//! keys are equal bits).

use rayon::prelude::*;

/// Below this many values a comparison sort is quicker than radix passes.
const SMALL: usize = 128;
/// The first pass groups by the top 16 bits (sign, exponent and 4 bits of mantissa),
/// reading the column itself, so only the groups need a second buffer, one at a time.
const TOP_BITS: u32 = 16;
/// A group is then scattered by its next log2(size) bits (4 to 16), which leaves
/// runs of a key or two for measured data; each run is finished with a comparison
/// sort, which keeps the result right for any data (where the bits do not spread
/// the keys, it is about as fast as sorting the group outright).
const NEXT_BITS: std::ops::RangeInclusive<u32> = 4..=16;

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
/// Memory: the result plus, per thread, a buffer as large as the largest group of
/// values sharing their top 16 bits (a small fraction of the column for measured
/// data). The groups are sorted on all threads, so callers take columns one at a
/// time and hold one sorted copy, not one per thread.
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
    // The groups are independent: sorted on all threads, each with its own buffer.
    let mut groups = Vec::new();
    let mut rest = &mut keys[..];
    for w in starts.windows(2) {
        let (group, tail) = rest.split_at_mut(w[1] - w[0]);
        if group.len() > 1 {
            groups.push(group);
        }
        rest = tail;
    }
    groups
        .into_par_iter()
        .with_min_len(64)
        .for_each_init(Vec::new, |scratch, group| {
            if group.len() <= SMALL {
                group.sort_unstable();
            } else {
                sort_group(group, scratch);
            }
        });
    keys.into_iter().map(value).collect()
}

/// Sorts keys that share their top [`TOP_BITS`] bits.
fn sort_group(keys: &mut [u64], scratch: &mut Vec<u64>) {
    let bits = keys
        .len()
        .ilog2()
        .clamp(*NEXT_BITS.start(), *NEXT_BITS.end());
    let shift = 64 - TOP_BITS - bits;
    let digit = |k: u64| ((k >> shift) as usize) & ((1 << bits) - 1);
    let mut starts = vec![0usize; (1 << bits) + 1];
    for &k in keys.iter() {
        starts[digit(k) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    scratch.clear();
    scratch.resize(keys.len(), 0);
    let mut next = starts.clone();
    for &k in keys.iter() {
        let d = digit(k);
        scratch[next[d]] = k;
        next[d] += 1;
    }
    for w in starts.windows(2) {
        if w[1] - w[0] > 1 {
            scratch[w[0]..w[1]].sort_unstable();
        }
    }
    keys.copy_from_slice(scratch);
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

    /// `Column::summary` as it was, with a stable comparison sort and sorted copies.
    fn old_summary(values: &[f64]) -> (usize, Option<u64>, Option<u64>, Option<u64>) {
        let mut present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        present.sort_by(f64::total_cmp);
        let distinct = if present.is_empty() {
            0
        } else {
            1 + present.windows(2).filter(|w| w[0] != w[1]).count()
        };
        let finite: Vec<f64> = present.iter().copied().filter(|v| v.is_finite()).collect();
        let mean = (!finite.is_empty()).then(|| finite.iter().sum::<f64>() / finite.len() as f64);
        (
            distinct,
            present.first().map(|v| v.to_bits()),
            present.last().map(|v| v.to_bits()),
            mean.map(f64::to_bits),
        )
    }

    proptest! {
        #[test]
        fn summaries_are_bit_identical_to_the_old_ones(values in prop::collection::vec(
            prop_oneof![any::<f64>(), (-1e3f64..1e3), (-3i32..3).prop_map(f64::from), Just(f64::NAN), Just(f64::INFINITY)], 0..3000)) {
            let s = crate::data::Column::with_kind("x", values.clone(), crate::data::ColumnKind::Continuous).summary();
            let got = (s.distinct, s.min.map(f64::to_bits), s.max.map(f64::to_bits), s.mean.map(f64::to_bits));
            prop_assert_eq!(got, old_summary(&values));
        }

        #[test]
        fn same_order_as_total_cmp(values in prop::collection::vec(
            prop_oneof![any::<f64>(), (-3i32..3).prop_map(f64::from), Just(f64::NAN)], 0..3000)) {
            let got: Vec<u64> = sorted_present(&values).into_iter().map(f64::to_bits).collect();
            prop_assert_eq!(got, reference(&values));
        }
    }
}
