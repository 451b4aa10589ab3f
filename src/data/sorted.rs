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
/// The first pass groups by the top bits (sign, exponent and up to 4 bits of
/// mantissa): about log2(n) of them, 8 to 16, so a short column (of a file with
/// thousands of columns) does not pay for 65,536 groups.
const TOP_BITS: std::ops::RangeInclusive<u32> = 8..=16;
/// A group is then scattered by its next log2(size) bits (4 to 16), which leaves
/// runs of a key or two for measured data; each run is finished with a comparison
/// sort, which keeps the result right for any data (where the bits do not spread
/// the keys, it is about as fast as sorting the group outright).
const NEXT_BITS: std::ops::RangeInclusive<u32> = 4..=16;

/// Scratch slots of the scatter (a power of two).
const DUMMIES: usize = 8;

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
    for_each_sorted(values, batches, |keys| {
        // Locals, not the struct's fields, so the sum stays in a register.
        let (mut distinct, mut finite, mut sum) = (facts.distinct, facts.finite, facts.finite_sum);
        let mut last = previous;
        for &k in keys {
            let v = value(k);
            distinct += usize::from(last != Some(v));
            last = Some(v);
            if v.is_finite() {
                finite += 1;
                sum += v;
            }
        }
        if facts.min.is_none() {
            facts.min = keys.first().map(|&k| value(k));
        }
        (facts.distinct, facts.finite, facts.finite_sum) = (distinct, finite, sum);
        previous = last;
    });
    facts.max = previous;
    facts
}

/// The values that are not NaN, sorted by `f64::total_cmp` (the tests' view of the
/// order [`sorted_facts`] folds in).
#[cfg(test)]
fn sorted_present(values: &[f64], batches: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for_each_sorted(values, batches, |keys| {
        out.extend(keys.iter().map(|&k| value(k)))
    });
    out
}

/// Calls `f` with the keys of the values that are not NaN, in increasing order, a
/// sorted run at a time.
fn for_each_sorted(values: &[f64], batches: usize, mut f: impl FnMut(&[u64])) {
    let present = || values.iter().filter(|v| !v.is_nan()).map(|&v| key(v));
    let top_bits = values
        .len()
        .max(1)
        .ilog2()
        .clamp(*TOP_BITS.start(), *TOP_BITS.end());
    let groups = 1usize << top_bits;
    let top = |k: u64| (k >> (64 - top_bits)) as usize;
    let mut starts = vec![0usize; groups + 1];
    for k in present() {
        starts[top(k) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let n = starts[groups];
    if n <= SMALL {
        let mut keys: Vec<u64> = present().collect();
        keys.sort_unstable();
        f(&keys);
        return;
    }
    // Ranges of top bits of about n / batches keys each.
    let batches = batches.clamp(1, n);
    let mut bounds = vec![0usize];
    for b in 1..batches {
        let want = n / batches * b;
        let at = starts.partition_point(|&s| s < want).min(groups);
        if at > bounds[bounds.len() - 1] {
            bounds.push(at);
        }
    }
    bounds.push(groups);
    let largest = bounds
        .windows(2)
        .map(|w| starts[w[1]] - starts[w[0]])
        .max()
        .unwrap_or(0);
    // Slots beyond any range's keys: keys outside the range go there, so the scatter
    // has no branch (which, for a range holding half the keys, would mispredict half
    // the time); several, picked by the key's low bits, so that their offsets are not
    // one chain of dependent updates.
    let mut keys = vec![0u64; largest + DUMMIES];
    let mut scratch = Scratch::default();
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
        next.extend((0..DUMMIES).map(|d| largest + d));
        for k in present() {
            let t = top(k).wrapping_sub(lo);
            let inside = t < width;
            let slot = if inside {
                t
            } else {
                width + (k as usize & (DUMMIES - 1))
            };
            keys[next[slot]] = k;
            next[slot] += usize::from(inside);
        }
        // Small groups are sorted in place and handed on together; a large one is
        // sorted into the scratch buffer and handed on from there, while in cache.
        let (mut from, mut pending) = (0, 0);
        for g in lo..hi {
            let until = starts[g + 1] - base;
            let group = &mut keys[from..until];
            match group.len() {
                0 | 1 => {}
                2..=SMALL => group.sort_unstable(),
                _ => {
                    f(&keys[pending..from]);
                    f(sort_group(&keys[from..until], top_bits, &mut scratch));
                    pending = until;
                }
            }
            from = until;
        }
        f(&keys[pending..len]);
    }
}

/// Keys that share their top `top_bits` bits, sorted (in `scratch`).
fn sort_group<'a>(keys: &[u64], top_bits: u32, scratch: &'a mut Scratch) -> &'a [u64] {
    let bits = keys
        .len()
        .ilog2()
        .clamp(*NEXT_BITS.start(), *NEXT_BITS.end());
    let shift = 64 - top_bits - bits;
    let digit = |k: u64| ((k >> shift) as usize) & ((1 << bits) - 1);
    let Scratch {
        keys: out,
        starts,
        next,
    } = scratch;
    starts.clear();
    starts.resize((1 << bits) + 1, 0);
    for &k in keys.iter() {
        starts[digit(k) + 1] += 1;
    }
    let widest = starts.iter().copied().max().unwrap_or(0);
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    out.clear();
    out.resize(keys.len(), 0);
    next.clear();
    next.extend_from_slice(&starts[..1 << bits]);
    for &k in keys.iter() {
        let d = digit(k);
        out[next[d]] = k;
        next[d] += 1;
    }
    if widest <= INSERTION_MAX {
        // Keys are out of order only within their run, so one insertion pass over the
        // group costs a compare per key and at most INSERTION_MAX² / 2 moves per run,
        // without a branch per run on its length (which mispredicts on random data).
        insertion_sort(out);
    } else {
        for w in starts.windows(2) {
            match w[1] - w[0] {
                0 | 1 => {}
                2..=INSERTION_MAX => insertion_sort(&mut out[w[0]..w[1]]),
                _ => out[w[0]..w[1]].sort_unstable(),
            }
        }
    }
    out
}

/// Buffers of [`sort_group`], kept from group to group.
#[derive(Default)]
struct Scratch {
    keys: Vec<u64>,
    starts: Vec<usize>,
    next: Vec<usize>,
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

    /// Large groups (radix passes within a group): spread keys, sorted by one insertion
    /// pass, and crowded ones (runs of equal or near keys), sorted run by run.
    #[test]
    fn large_groups_sort_like_total_cmp() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut uniform = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let spread: Vec<f64> = (0..200_000).map(|_| 1.0 + uniform()).collect();
        let crowded: Vec<f64> = (0..60_000)
            .map(|i| 1.0 + (i % 700) as f64 * 1e-13 + if i % 3 == 0 { uniform() } else { 0.0 })
            .collect();
        for values in [spread, crowded] {
            for batches in [1, 3] {
                let got: Vec<u64> = sorted_present(&values, batches)
                    .into_iter()
                    .map(f64::to_bits)
                    .collect();
                assert!(got == reference(&values), "{batches} batches");
            }
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
