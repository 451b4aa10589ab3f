//! Parallel loops over points whose results do not depend on thread scheduling, so
//! the same input gives byte-identical numbers in every run (GUI and CLI alike).

use rayon::prelude::*;

/// Points summed per parallel task: large enough to amortise scheduling, small enough
/// to balance two to a few dozen cores at n = 10k.
const CHUNK: usize = 512;

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
    let chunk_sum = |c: usize| {
        let mut state = init();
        let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
        (lo..hi).map(|i| f(&mut state, i)).sum::<f64>()
    };
    let chunks = n.div_ceil(CHUNK);
    if chunks <= 1 {
        return (0..chunks).map(chunk_sum).sum();
    }
    let partial: Vec<f64> = (0..chunks).into_par_iter().map(chunk_sum).collect();
    partial.iter().sum()
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
pub fn fill_u32_with(out: &mut [u32], parallel: bool, f: impl Fn(usize, &mut [u32]) + Sync) {
    if parallel && out.len() > CHUNK {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| f(c * CHUNK, chunk));
    } else {
        for (c, chunk) in out.chunks_mut(CHUNK).enumerate() {
            f(c * CHUNK, chunk);
        }
    }
}

/// Fills `out[p] = f(state, p)` for every position, in fixed chunks, in parallel
/// when `parallel` (each position is computed independently, so the result is the same).
pub fn fill_with<S, I, F>(out: &mut [f64], parallel: bool, init: I, f: F)
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize) -> f64 + Sync + Send,
{
    let run = |c: usize, chunk: &mut [f64], state: &mut S| {
        for (o, v) in chunk.iter_mut().enumerate() {
            *v = f(state, c * CHUNK + o);
        }
    };
    if parallel && out.len() > CHUNK {
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each_init(&init, |state, (c, chunk)| run(c, chunk, state));
    } else {
        let mut state = init();
        for (c, chunk) in out.chunks_mut(CHUNK).enumerate() {
            run(c, chunk, &mut state);
        }
    }
}
