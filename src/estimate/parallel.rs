//! Parallel loops over points whose results do not depend on thread scheduling, so
//! the same input gives byte-identical numbers in every run (GUI and CLI alike).
//!
//! The loops poll a [`Cancel`] check once per chunk of [`CHUNK`] points, so a long
//! single-pair estimate (a million rows: about a second) stops within a chunk's work
//! of being cancelled instead of running to the end.

use rayon::prelude::*;

/// Points summed per parallel task: large enough to amortise scheduling, small enough
/// to balance two to a few dozen cores at n = 10k.
const CHUNK: usize = 512;

/// A cancellation check for the per-point loops, polled once per chunk (one call per
/// 512 points costs nothing measurable). A loop that saw it return true stops and
/// reports `None`; one that finished reports its full result even if cancellation was
/// asked for afterwards, so a `Some` is always the complete, exact value.
#[derive(Clone, Copy)]
pub struct Cancel<'a>(Option<&'a (dyn Fn() -> bool + Sync)>);

impl<'a> Cancel<'a> {
    /// Never cancelled.
    pub const NEVER: Cancel<'static> = Cancel(None);

    /// Cancelled once `cancelled()` returns true.
    pub fn new(cancelled: &'a (dyn Fn() -> bool + Sync)) -> Self {
        Self(Some(cancelled))
    }

    #[inline]
    pub fn is_cancelled(self) -> bool {
        self.0.is_some_and(|f| f())
    }
}

/// Σ f(i) for i in 0..n, computed in parallel chunks of fixed size and added in chunk
/// order, so the floating-point result is the same however rayon schedules the work.
pub fn par_sum<F>(n: usize, f: F) -> f64
where
    F: Fn(usize) -> f64 + Sync,
{
    par_sum_with(n, || (), |_, i| f(i))
}

/// [`par_sum`] with per-task scratch state (a reusable buffer), created once per chunk
/// rather than once per point.
pub fn par_sum_with<S, I, F>(n: usize, init: I, f: F) -> f64
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, usize) -> f64 + Sync,
{
    // Never `None`: nothing cancels.
    par_sum_until(n, Cancel::NEVER, init, f).unwrap_or(f64::NAN)
}

/// [`par_sum_with`] that stops when `cancel` fires (checked before each chunk):
/// `None` if any chunk was skipped, else the same sum, bit for bit.
pub fn par_sum_until<S, I, F>(n: usize, cancel: Cancel, init: I, f: F) -> Option<f64>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, usize) -> f64 + Sync,
{
    let chunk_sum = |c: usize| {
        if cancel.is_cancelled() {
            return None;
        }
        let mut state = init();
        let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
        Some((lo..hi).map(|i| f(&mut state, i)).sum::<f64>())
    };
    let chunks = n.div_ceil(CHUNK);
    if chunks <= 1 {
        return (0..chunks).map(chunk_sum).sum();
    }
    let partial: Vec<Option<f64>> = (0..chunks).into_par_iter().map(chunk_sum).collect();
    partial.into_iter().sum()
}

/// Σ terms[at(i)] for i in 0..n with exactly the association of [`par_sum_with`]
/// (fixed chunks of original indices summed in order, then the chunk sums in order),
/// for per-point terms computed in another order (e.g. strip order, for locality).
pub fn ordered_sum(n: usize, term: impl Fn(usize) -> f64) -> f64 {
    let chunks = n.div_ceil(CHUNK);
    let chunk_sum = |c: usize| {
        let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
        (lo..hi).map(&term).sum::<f64>()
    };
    if chunks <= 1 {
        return (0..chunks).map(chunk_sum).sum();
    }
    let partial: Vec<f64> = (0..chunks).map(chunk_sum).collect();
    partial.iter().sum()
}

/// Fills a `u32` buffer chunk by chunk: `f(first, chunk)` fills the positions
/// `first..first + chunk.len()`, so it can carry state from one position to the next;
/// chunks are fixed (as in [`fill_with`]) and filled in parallel when `parallel`.
/// `false` when `cancel` fired before some chunk (left unfilled).
pub fn fill_u32_with(
    out: &mut [u32],
    parallel: bool,
    cancel: Cancel,
    f: impl Fn(usize, &mut [u32]) + Sync + Send,
) -> bool {
    fill_chunks_with(
        out,
        parallel,
        cancel,
        || (),
        |_, first, chunk| f(first, chunk),
    )
}

/// [`fill_u32_with`] for any element type, with per-task state as in [`fill_with`]:
/// `f(state, first, chunk)` fills the positions `first..first + chunk.len()`.
pub fn fill_chunks_with<T, S, I, F>(
    out: &mut [T],
    parallel: bool,
    cancel: Cancel,
    init: I,
    f: F,
) -> bool
where
    T: Send,
    S: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize, &mut [T]) + Sync + Send,
{
    let run = |c: usize, chunk: &mut [T], state: &mut S| {
        if cancel.is_cancelled() {
            return false;
        }
        f(state, c * CHUNK, chunk);
        true
    };
    if parallel && out.len() > CHUNK {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .map_init(&init, |state, (c, chunk)| run(c, chunk, state))
            .reduce(|| true, |a, b| a && b)
    } else {
        let mut state = init();
        out.chunks_mut(CHUNK)
            .enumerate()
            .all(|(c, chunk)| run(c, chunk, &mut state))
    }
}

/// Fills `out[p] = f(state, p)` for every position, in fixed chunks, in parallel
/// when `parallel` (each position is computed independently, so the result is the same).
/// `false` when `cancel` fired before some chunk (left unfilled).
pub fn fill_with<S, I, F>(out: &mut [f64], parallel: bool, cancel: Cancel, init: I, f: F) -> bool
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize) -> f64 + Sync + Send,
{
    let run = |c: usize, chunk: &mut [f64], state: &mut S| {
        if cancel.is_cancelled() {
            return false;
        }
        for (o, v) in chunk.iter_mut().enumerate() {
            *v = f(state, c * CHUNK + o);
        }
        true
    };
    if parallel && out.len() > CHUNK {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .map_init(&init, |state, (c, chunk)| run(c, chunk, state))
            .reduce(|| true, |a, b| a && b)
    } else {
        let mut state = init();
        out.chunks_mut(CHUNK)
            .enumerate()
            .all(|(c, chunk)| run(c, chunk, &mut state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn cancelled_loops_stop_and_say_so() {
        let n = 100 * CHUNK;
        let full = par_sum_with(n, || (), |_, i| (i as f64).sqrt());
        assert_eq!(
            par_sum_until(n, Cancel::new(&|| false), || (), |_, i| (i as f64).sqrt()),
            Some(full)
        );
        // Cancelled up front: no point is computed.
        let calls = AtomicUsize::new(0);
        let f = |_: &mut (), i: usize| {
            calls.fetch_add(1, Ordering::Relaxed);
            i as f64
        };
        assert_eq!(par_sum_until(n, Cancel::new(&|| true), || (), f), None);
        assert_eq!(calls.load(Ordering::Relaxed), 0);
        // Cancelled midway, by the points themselves so that no timing is involved: in
        // order, exactly the ten chunks before the check fires are computed; in a pool
        // of two threads at most two more chunks are under way when it fires.
        let done = AtomicUsize::new(0);
        let stop = || done.load(Ordering::Relaxed) >= 10 * CHUNK;
        let count = |_: &mut (), p: usize| {
            done.fetch_add(1, Ordering::Relaxed);
            p as f64
        };
        let mut out = vec![0.0; n];
        assert!(!fill_with(
            &mut out,
            false,
            Cancel::new(&stop),
            || (),
            count
        ));
        assert_eq!(done.load(Ordering::Relaxed), 10 * CHUNK);
        done.store(0, Ordering::Relaxed);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        assert_eq!(
            pool.install(|| par_sum_until(n, Cancel::new(&stop), || (), count)),
            None
        );
        assert!(done.load(Ordering::Relaxed) <= 12 * CHUNK);
        let mut counts = vec![0u32; n];
        assert!(!fill_u32_with(
            &mut counts,
            false,
            Cancel::new(&|| true),
            |_, c| c.fill(1)
        ));
        assert!(counts.iter().all(|&c| c == 0));
        assert!(fill_u32_with(&mut counts, true, Cancel::NEVER, |_, c| c.fill(1)));
        assert!(counts.iter().all(|&c| c == 1));
    }
}
