//! Force-directed graph layout (Fruchterman & Reingold 1991) for the dependence
//! network: edges pull their ends together like springs (weighted), every pair of nodes
//! pushes apart, and a cooling step size settles the picture.
//!
//! Written here rather than taken from a crate: the graph-layout crates for Rust
//! (fdg, forceatlas2) pull in their own graph and vector types and are not released
//! in step with our toolchain, while this is ~100 lines, deterministic for a seed,
//! cancellable between iterations, and O(n²) per iteration, which is instant for the
//! hundreds of columns a network can show readably (500 nodes × 300 iterations is
//! 75 million pair steps).

use super::{Cancelled, Progress};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The pull toward the centre per unit distance (see the step below).
const GRAVITY: f64 = 4.0;

/// Positions in the unit square [0, 1]² of `n` nodes joined by `edges` (a, b, and a
/// positive weight: heavier pulls harder), after `iterations` steps from seeded random starts.
/// A pull toward the centre keeps unconnected parts on screen; the result is
/// scaled to fill the square (aspect kept).
pub fn fruchterman_reingold(
    n: usize,
    edges: &[(usize, usize, f64)],
    iterations: usize,
    seed: u64,
    progress: &Progress,
) -> Result<Vec<[f64; 2]>, Cancelled> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut pos: Vec<[f64; 2]> = (0..n)
        .map(|_| [rng.random::<f64>(), rng.random::<f64>()])
        .collect();
    if n < 2 {
        return Ok(pos.into_iter().map(|_| [0.5, 0.5]).collect());
    }
    // The ideal edge length for n nodes sharing the unit area.
    let k = (1.0 / n as f64).sqrt();
    let w_max = edges.iter().map(|e| e.2).fold(0.0f64, f64::max);
    let mut disp = vec![[0.0f64; 2]; n];
    progress.start("network layout", iterations);
    for it in 0..iterations {
        progress.check()?;
        disp.iter_mut().for_each(|d| *d = [0.0, 0.0]);
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]);
                let d2 = (dx * dx + dy * dy).max(1e-9);
                // Repulsion k²/d along the unit vector: (dx, dy)·k²/d².
                let f = k * k / d2;
                disp[i][0] += dx * f;
                disp[i][1] += dy * f;
                disp[j][0] -= dx * f;
                disp[j][1] -= dy * f;
            }
        }
        for &(a, b, w) in edges {
            if a >= n || b >= n || a == b {
                continue;
            }
            let (dx, dy) = (pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]);
            let d = (dx * dx + dy * dy).sqrt().max(1e-9);
            // Attraction d²/k, scaled by the edge's weight relative to the heaviest.
            let s = if w_max > 0.0 { w / w_max } else { 1.0 };
            let f = d / k * s;
            disp[a][0] -= dx * f;
            disp[a][1] -= dy * f;
            disp[b][0] += dx * f;
            disp[b][1] += dy * f;
        }
        // Step size cools linearly from a tenth of the square to nothing.
        let t = 0.1 * (1.0 - it as f64 / iterations as f64);
        for (p, d) in pos.iter_mut().zip(&disp) {
            // Gravity g·d toward the centre: against the k²/d push of n nodes an
            // unconnected node settles at d ≈ √(n k² / g) = √(1/g) ≈ 0.5 for g = 4,
            // on screen without squeezing the connected part into a corner.
            let gx = d[0] + (0.5 - p[0]) * GRAVITY;
            let gy = d[1] + (0.5 - p[1]) * GRAVITY;
            let len = (gx * gx + gy * gy).sqrt();
            if len > 0.0 {
                let step = len.min(t);
                p[0] += gx / len * step;
                p[1] += gy / len * step;
            }
        }
        progress.add(1);
    }
    Ok(fit_unit_square(pos))
}

/// Scales and shifts points to span [0, 1] along their longer side, centred.
fn fit_unit_square(pos: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in &pos {
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]);
    if !span.is_finite() || span <= 0.0 {
        return pos.into_iter().map(|_| [0.5, 0.5]).collect();
    }
    let off = [
        (span - (hi[0] - lo[0])) / 2.0,
        (span - (hi[1] - lo[1])) / 2.0,
    ];
    pos.into_iter()
        .map(|p| {
            [
                (p[0] - lo[0] + off[0]) / span,
                (p[1] - lo[1] + off[1]) / span,
            ]
        })
        .collect()
}
