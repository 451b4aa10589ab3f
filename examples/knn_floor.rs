//! The k-NN query floor of a KSG matrix: for every pair of columns of a CSV, only the
//! kiddo k-d tree max-norm k-nearest-neighbour queries (k = 4 including the point
//! itself, i.e. KSG with k = 3), on the same prepared (scaled, jittered) values and the
//! same rayon pool (pairs in parallel) as `mi-workbench matrix`. No marginal counts, no
//! digamma, no output: what any tree-based KSG must at least spend.
//!
//!   cargo run --release --example knn_floor -- FILE.csv [k]
//!
//! Prints the wall time of building the trees alone, of building and querying, and
//! their difference (the queries alone), in seconds; then, for comparison on the same
//! loaded data, the in-process compute time of our whole KSG-1 matrix and of the
//! histogram matrix with 32 equal-width bins (loading excluded; median of five runs), as
//! `compute ksg1 S` / `compute hist32 S` lines.

use std::num::NonZeroUsize;
use std::path::Path;
use std::time::Instant;

use kiddo::ImmutableKdTree;
use kiddo::dist::Chebyshev;
use mi_workbench::analysis::Progress;
use mi_workbench::analysis::matrix::{MatrixRequest, run};
use mi_workbench::data::{ReadOptions, read_csv_path};
use mi_workbench::estimate::prepare::knn_ready;
use mi_workbench::estimate::{BinRule, Estimator, Settings};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: knn_floor FILE.csv [k (default 3)]");
    let k: usize = args.next().map_or(3, |s| s.parse().expect("k"));
    let t_load = Instant::now();
    let ds = read_csv_path(Path::new(&path), &ReadOptions::default()).expect("read CSV");
    let load = t_load.elapsed().as_secs_f64();
    let n = ds.columns.iter().map(|c| c.values.len()).min().unwrap_or(0);
    let rows: Vec<usize> = (0..n).collect();
    let t_prep = Instant::now();
    let cols: Vec<Vec<f64>> = ds
        .columns
        .par_iter()
        .map(|c| knn_ready(c, &rows, 42))
        .collect();
    let prep = t_prep.elapsed().as_secs_f64();
    let p = cols.len();
    let pairs: Vec<(usize, usize)> = (0..p)
        .flat_map(|i| (i + 1..p).map(move |j| (i, j)))
        .collect();
    let qty = NonZeroUsize::new(k + 1).expect("k + 1 > 0");
    let tree_of = |i: usize, j: usize| {
        let points: Vec<[f64; 2]> = cols[i]
            .iter()
            .zip(&cols[j])
            .map(|(&a, &b)| [a, b])
            .collect();
        let tree = ImmutableKdTree::<f64, 2>::new_from_slice(&points).expect("tree");
        (points, tree)
    };
    // Pass 1: trees only.
    let t_build = Instant::now();
    let built: usize = pairs.par_iter().map(|&(i, j)| tree_of(i, j).1.size()).sum();
    let build = t_build.elapsed().as_secs_f64();
    // Pass 2: trees and every point's (k+1)-nearest query.
    let t_all = Instant::now();
    let check: f64 = pairs
        .par_iter()
        .map(|&(i, j)| {
            let (points, tree) = tree_of(i, j);
            points
                .iter()
                .map(|q| {
                    tree.query(q)
                        .nearest_n::<Chebyshev<f64>>(qty)
                        .execute()
                        .iter()
                        .fold(0.0f64, |m, r| m.max(r.distance))
                })
                .sum::<f64>()
        })
        .sum();
    let all = t_all.elapsed().as_secs_f64();
    println!(
        "{} pairs, n = {n}, k = {k}, {} threads; load {load:.3} s, prepare {prep:.3} s",
        pairs.len(),
        rayon::current_num_threads()
    );
    println!("trees only {build:.3} s ({built} points indexed)");
    println!("trees + queries {all:.3} s (checksum {check:.6e})");
    println!("queries alone (floor) {:.3} s", (all - build).max(0.0));
    let columns: Vec<usize> = (0..p).collect();
    for (name, settings) in [
        (
            "ksg1",
            Settings {
                estimator: Estimator::Ksg1,
                k,
                ..Settings::default()
            },
        ),
        (
            "hist32",
            Settings {
                estimator: Estimator::Histogram,
                bins: BinRule::Fixed(32),
                ..Settings::default()
            },
        ),
    ] {
        let request = MatrixRequest {
            columns: columns.clone(),
            settings,
            permutations: 0,
        };
        // The histogram matrix takes milliseconds, where one run's time is mostly noise
        // (page faults of fresh buffers, frequency ramps): report the median of five runs
        // (the numpy reference reports its median of five too).
        let repeats = if name == "hist32" { 5 } else { 1 };
        let mut times = Vec::new();
        let mut cells = 0;
        for _ in 0..repeats {
            let t = Instant::now();
            let m = run(&ds, &request, &Progress::new(), &|_, _| {}).expect("matrix");
            times.push(t.elapsed().as_secs_f64());
            cells = m.cells.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "compute {name} {:.4} s ({cells} cells; median of {repeats})",
            times[repeats / 2]
        );
    }
}
