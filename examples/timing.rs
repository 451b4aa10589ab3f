//! Timing reports (they print, they check nothing):
//!
//!   cargo run --release --example timing              # = ksg
//!   cargo run --release --example timing -- ksg       # one KSG pair at n = 1e3, 1e4, 1e5
//!   cargo run --release --example timing -- read FILE.csv
//!
//! `ksg`: milliseconds per pair for KSG-1 and KSG-2 through the app's preparation, and the
//! KSG-1 estimator alone with the strip search and with the k-d tree.
//! `read FILE` (or `read` with `MI_BIG_CSV=FILE`): rows, columns, time and warnings of
//! reading a large CSV; run it under `/usr/bin/time -v` for the memory.

#[path = "../tests/common/mod.rs"]
mod common;

// What only the (here absent) tests use is unused in this crate.
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/estimate_knn.rs"]
mod estimate_knn;

use common::{continuous, gaussian_pair};
use estimate_knn::estimate;
use mi_workbench::data::{ReadOptions, read_csv_path};
use mi_workbench::estimate::{Estimator, ksg};
use std::path::PathBuf;

const USAGE: &str = "usage: timing [ksg] | timing read FILE.csv (or MI_BIG_CSV=FILE.csv)";

fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        None | Some("ksg") => ksg_pair(),
        Some("read") => {
            let Some(path) = args
                .next()
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("MI_BIG_CSV").map(PathBuf::from))
            else {
                eprintln!("{USAGE}");
                std::process::exit(2);
            };
            read_file(&path);
        }
        Some(other) => {
            eprintln!("unknown report {other:?}; {USAGE}");
            std::process::exit(2);
        }
    }
}

/// One KSG pair of a ρ = 0.6 Gaussian at three sizes.
fn ksg_pair() {
    for n in [1_000, 10_000, 100_000] {
        let (x, y) = gaussian_pair(0.6, n, 1);
        let (xc, yc) = (continuous("x", x), continuous("y", y));
        for (name, est) in [("ksg1", Estimator::Ksg1), ("ksg2", Estimator::Ksg2)] {
            let reps = if n >= 100_000 { 3 } else { 10 };
            let start = std::time::Instant::now();
            let mut mi = 0.0;
            for _ in 0..reps {
                mi = estimate(&xc, &yc, est, 1).0;
            }
            let per = start.elapsed().as_secs_f64() / reps as f64;
            println!(
                "{name} n={n:>7}: {:8.2} ms per pair (mi {mi:.4})",
                per * 1e3
            );
        }
        let (a, b) = (xc.values.clone(), yc.values.clone());
        for search in [ksg::Search::Strips, ksg::Search::KdTree] {
            let start = std::time::Instant::now();
            let _ = ksg::mi_with(&a, &b, 3, ksg::Algorithm::One, search);
            println!(
                "ksg1 n={n:>7}: {:8.2} ms estimator alone with {search:?} (no preparation)",
                start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}

/// Reads a (large) CSV as the app does and says how long it took.
fn read_file(path: &std::path::Path) {
    let start = std::time::Instant::now();
    let d = match read_csv_path(path, &ReadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    println!(
        "{} rows × {} columns in {:.2?}; warnings: {:?}",
        d.n_rows,
        d.columns.len(),
        start.elapsed(),
        d.warnings
    );
}
