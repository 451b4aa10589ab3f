//! The present values of a column in `f64::total_cmp` order, for the per-column
//! summary (distinct count, min, max, and the mean summed in that order).
//!
//! A radix sort of the values' total-order keys: a handful of linear passes instead
//! of a comparison sort's n log n comparisons, which made the summary of a
//! million-row file cost as much as reading it. Total order is a
//! key order, so the result is the same sequence as `sort_by(f64::total_cmp)` (equal
//! keys are equal bits).
//!
//! A column is sorted on one thread, in `batches` ranges of keys one after the other,
//! each in a buffer of about 1/batches of the column: columns are then summarised on
//! all threads at once, `batches` of them together holding about one column of keys,
//! as the one column sorted on all threads did before (whose passes waited on each
//! other: it kept the second thread half idle).

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

/// What the summary needs of the present (not NaN) values in sorted order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SortedFacts {
    /// Distinct values as `==` tells them (so -0.0 and 0.0 are one).
    pub distinct: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub finite: usize,
    /// The finite values summed from the smallest up.
    pub finite_sum: f64,
}

/// The facts of `values`, sorted in `batches` ranges of keys (at least one).
pub fn sorted_facts(values: &[f64], batches: usize) -> SortedFacts {
    let mut facts = SortedFacts {
        distinct: 0,
        min: None,
        max: None,
        finite: 0,
        // The identity `Iterator::sum` starts from, so sums match it bit for bit.
        finite_sum: std::iter::empty::<f64>().sum(),
    };
    let mut previous: Option<f64> = None;
    for_each_sorted(values, batches, |k| {
        let v = value(k);
        if previous != Some(v) {
            facts.distinct += 1;
        }
        previous = Some(v);
        facts.min.get_or_insert(v);
        if v.is_finite() {
            facts.finite += 1;
            facts.finite_sum += v;
        }
    });
    facts.max = previous;
    facts
}

/// The values that are not NaN, sorted by `f64::total_cmp` (the tests' view of the
/// order [`sorted_facts`] folds in).
#[cfg(test)]
fn sorted_present(values: &[f64], batches: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for_each_sorted(values, batches, |k| out.push(value(k)));
    out
}

/// Calls `f` with the key of every value that is not NaN, in increasing order.
fn for_each_sorted(values: &[f64], batches: usize, mut f: impl FnMut(u64)) {
    let present = || values.iter().filter(|v| !v.is_nan()).map(|&v| key(v));
    let top = |k: u64| (k >> (64 - TOP_BITS)) as usize;
    let mut starts = vec![0usize; (1 << TOP_BITS) + 1];
    for k in present() {
        starts[top(k) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let n = starts[1 << TOP_BITS];
    if n <= SMALL {
        let mut keys: Vec<u64> = present().collect();
        keys.sort_unstable();
        keys.into_iter().for_each(f);
        return;
    }
    // Ranges of top bits of about n / batches keys each.
    let batches = batches.clamp(1, n);
    let mut bounds = vec![0usize];
    for b in 1..batches {
        let want = n / batches * b;
        let at = starts.partition_point(|&s| s < want).min(1 << TOP_BITS);
        if at > bounds[bounds.len() - 1] {
            bounds.push(at);
        }
    }
    bounds.push(1 << TOP_BITS);
    let largest = bounds
        .windows(2)
        .map(|w| starts[w[1]] - starts[w[0]])
        .max()
        .unwrap_or(0);
    // One slot more than any range needs: keys outside the range go there, so the
    // scatter has no branch (which, for a range holding half the keys, would
    // mispredict half the time).
    let mut keys = vec![0u64; largest + 1];
    let mut scratch = Vec::new();
    let mut next = Vec::new();
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let (base, len) = (starts[lo], starts[hi] - starts[lo]);
        if len == 0 {
            continue;
        }
        let width = hi - lo;
        next.clear();
        next.extend(starts[lo..hi].iter().map(|s| s - base));
        next.push(largest);
        for k in present() {
            let t = top(k).wrapping_sub(lo);
            let inside = t < width;
            let slot = if inside { t } else { width };
            keys[next[slot]] = k;
            next[slot] += usize::from(inside);
        }
        let mut from = 0;
        for g in lo..hi {
            let until = starts[g + 1] - base;
            let group = &mut keys[from..until];
            match group.len() {
                0 | 1 => {}
                2..=SMALL => group.sort_unstable(),
                _ => sort_group(group, &mut scratch),
            }
            from = until;
        }
        keys[..len].iter().copied().for_each(&mut f);
    }
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
        match w[1] - w[0] {
            0 | 1 => {}
            2..=INSERTION_MAX => insertion_sort(&mut scratch[w[0]..w[1]]),
            _ => scratch[w[0]..w[1]].sort_unstable(),
        }
    }
    keys.copy_from_slice(scratch);
}

/// Runs up to this long are sorted by insertion: most runs hold two or three keys, for
/// which a library sort's set-up costs more than the sort.
const INSERTION_MAX: usize = 16;

fn insertion_sort(run: &mut [u64]) {
    for i in 1..run.len() {
        let k = run[i];
        let mut j = i;
        while j > 0 && run[j - 1] > k {
            run[j] = run[j - 1];
            j -= 1;
        }
        run[j] = k;
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
        for batches in [1, 2, 3, 64] {
            let got: Vec<u64> = sorted_present(&many, batches)
                .into_iter()
                .map(f64::to_bits)
                .collect();
            assert_eq!(got, reference(&many), "{batches} batches");
        }
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
            let column = crate::data::Column::with_kind("x", values.clone(), crate::data::ColumnKind::Continuous);
            let in_one = column.summary();
            let got = (in_one.distinct, in_one.min.map(f64::to_bits), in_one.max.map(f64::to_bits), in_one.mean.map(f64::to_bits));
            prop_assert_eq!(got, old_summary(&values));
            // Sorted in batches (as `Dataset::summaries` does), bit for bit the same.
            for batches in [2, 7] {
                let facts = (sorted_facts(&values, batches), sorted_facts(&values, 1));
                prop_assert_eq!(facts.0.distinct, facts.1.distinct);
                prop_assert_eq!(facts.0.min.map(f64::to_bits), facts.1.min.map(f64::to_bits));
                prop_assert_eq!(facts.0.max.map(f64::to_bits), facts.1.max.map(f64::to_bits));
                prop_assert_eq!(facts.0.finite, facts.1.finite);
                prop_assert_eq!(facts.0.finite_sum.to_bits(), facts.1.finite_sum.to_bits());
            }
        }

        #[test]
        fn same_order_as_total_cmp(values in prop::collection::vec(
            prop_oneof![any::<f64>(), (-3i32..3).prop_map(f64::from), Just(f64::NAN)], 0..3000)) {
            for batches in [1, 2, 5] {
                let got: Vec<u64> = sorted_present(&values, batches).into_iter().map(f64::to_bits).collect();
                prop_assert_eq!(got, reference(&values));
            }
        }
    }
}
