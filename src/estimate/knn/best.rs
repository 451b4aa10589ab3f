//! The k smallest distances seen so far, kept sorted by the strip searches.

/// `a` if greater, else `b`: one `maxsd`, no NaN handling (distances are never NaN).
#[inline]
pub(super) fn max_of(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// `a` if smaller, else `b`: one `minsd`.
#[inline]
fn min_of(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// Inserts `d` into the ascending `best`, dropping its largest value, without branches:
/// the new t-th smallest is max(old (t−1)-th, min(old t-th, d)).
#[inline]
pub(super) fn insert_sorted<const CAP: usize>(best: &mut [f64; CAP], d: f64) {
    for t in (1..CAP).rev() {
        best[t] = max_of(best[t - 1], min_of(best[t], d));
    }
    best[0] = min_of(best[0], d);
}

/// Keeps `best` as the `cap` smallest (distance, id) pairs seen, sorted by distance.
#[inline]
pub(super) fn insert_best(best: &mut Vec<(f64, u32)>, cap: usize, d: f64, id: u32) {
    if best.len() == cap {
        if d >= best[cap - 1].0 {
            return;
        }
        best.pop();
    }
    // Insert after every entry at distance ≤ d, shifting by hand: the list is a few
    // entries long, where `Vec::insert`'s memmove call costs more than the shift.
    best.push((d, id));
    let mut j = best.len() - 1;
    while j > 0 && best[j - 1].0 > d {
        best[j] = best[j - 1];
        j -= 1;
    }
    best[j] = (d, id);
}
