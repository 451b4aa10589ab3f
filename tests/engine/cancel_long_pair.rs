//! Cancelling inside one long pair estimate: the kNN estimators poll a cancel check
//! once per chunk of points, in every pass, and a cut-short estimate is reported as
//! cancelled (never as a number); the inspector, the sweep and the matrix pass it on
//! as `Cancelled`. Event-based: the check fires after a given number of polls, so no
//! timing is involved.

use crate::common::{continuous, discrete, gaussian_pair};
use mi_workbench::analysis::{self, Cancelled, Progress, matrix::MatrixRequest};
use mi_workbench::data::{Column, Dataset};
use mi_workbench::estimate::pair::{PreparedColumns, PreparedPair};
use mi_workbench::estimate::parallel::Cancel;
use mi_workbench::estimate::{Estimator, Settings};
use std::sync::atomic::{AtomicUsize, Ordering};

const N: usize = 20_000;

fn pairs() -> Vec<(&'static str, Column, Column, Estimator)> {
    let (x, y) = gaussian_pair(0.6, N, 5);
    let classes: Vec<f64> = (0..N).map(|i| (i % 7) as f64).collect();
    // Rounded to a grid: repeated values, so the tie-aware (mixed) methods run.
    let tied_x: Vec<f64> = x.iter().map(|v| (v * 20.0).round()).collect();
    let tied_y: Vec<f64> = y.iter().map(|v| (v * 20.0).round()).collect();
    vec![
        (
            "ksg1",
            continuous("x", x.clone()),
            continuous("y", y.clone()),
            Estimator::Ksg1,
        ),
        (
            "ksg2",
            continuous("x", x.clone()),
            continuous("y", y.clone()),
            Estimator::Ksg2,
        ),
        (
            "ross",
            continuous("x", x.clone()),
            discrete("d", classes.clone()),
            Estimator::Auto,
        ),
        (
            "mixed ksg",
            continuous("x", tied_x.clone()),
            continuous("y", tied_y),
            Estimator::Ksg1,
        ),
        (
            "mixed ross",
            continuous("x", tied_x),
            discrete("d", classes),
            Estimator::Auto,
        ),
    ]
}

#[test]
fn a_long_estimate_stops_at_any_poll_and_says_so() {
    for (name, x, y, estimator) in pairs() {
        let settings = Settings {
            estimator,
            ..Settings::default()
        };
        let rows: Vec<usize> = (0..N).collect();
        let p = PreparedPair::new(&x, &y, &rows, &settings).expect("enough rows");
        // Not cancelled: the same number as the plain estimate.
        let polls = AtomicUsize::new(0);
        let count = || {
            polls.fetch_add(1, Ordering::Relaxed);
            false
        };
        let full = p.estimate_until(Cancel::new(&count));
        assert_eq!(
            full.map(f64::to_bits),
            Some(p.estimate().to_bits()),
            "{name}"
        );
        let total = polls.load(Ordering::Relaxed);
        // Polled throughout: once per 512 points (per 512 distinct points for the
        // tie-aware form, whose rounded data have fewer).
        assert!(total >= 10, "{name}: {total} polls");
        // Cancelled at the first poll, halfway and at the very last one: no number.
        for fire_at in [0, total / 2, total - 1] {
            let seen = AtomicUsize::new(0);
            let fire = || seen.fetch_add(1, Ordering::Relaxed) >= fire_at;
            assert_eq!(
                p.estimate_until(Cancel::new(&fire)),
                None,
                "{name} at {fire_at}"
            );
        }
    }
}

#[test]
fn a_cached_matrix_pair_stops_midway() {
    let (x, y) = gaussian_pair(0.6, N, 7);
    let ds = Dataset::new("t", vec![continuous("x", x), continuous("y", y)]);
    for estimator in [Estimator::Ksg1, Estimator::Ksg2] {
        let settings = Settings {
            estimator,
            ..Settings::default()
        };
        let cache = PreparedColumns::new(&ds.columns, &[0, 1]);
        let (a, b) = ((0, &ds.columns[0]), (1, &ds.columns[1]));
        let polls = AtomicUsize::new(0);
        let count = || {
            polls.fetch_add(1, Ordering::Relaxed);
            false
        };
        let full = cache
            .estimate(a, b, &settings, true, Cancel::new(&count))
            .expect("cacheable")
            .expect("not cancelled")
            .expect("enough rows")
            .0;
        let alone =
            mi_workbench::estimate::pair::mi_pair(&ds.columns[0], &ds.columns[1], &settings)
                .expect("enough rows");
        assert_eq!(full.mi.to_bits(), alone.mi.to_bits());
        let half = polls.load(Ordering::Relaxed) / 2;
        let seen = AtomicUsize::new(0);
        let fire = || seen.fetch_add(1, Ordering::Relaxed) >= half;
        let cut = cache.estimate(a, b, &settings, true, Cancel::new(&fire));
        assert!(matches!(cut, Some(None)), "{estimator:?}");
    }
}

#[test]
fn cancelled_pairs_give_cancelled_analyses() {
    let (x, y) = gaussian_pair(0.6, N, 6);
    let ds = Dataset::new("t", vec![continuous("x", x), continuous("y", y)]);
    let cancelled = Progress::new();
    cancelled.cancel();
    let settings = Settings::default();
    assert_eq!(
        analysis::inspect::inspect_pair(&ds, 0, 1, &settings, &cancelled).err(),
        Some(Cancelled)
    );
    assert!(
        analysis::inspect::inspect_pair(&ds, 0, 1, &settings, &Progress::new())
            .expect("not cancelled")
            .is_ok()
    );
    let request = analysis::sweep::SweepRequest::with_defaults(0, 1, N, settings.clone());
    assert_eq!(
        analysis::sweep::run(&ds, &request, &cancelled).err(),
        Some(Cancelled)
    );
    // One pair: its points are spread over the pool, and the cell is never reported.
    let seen = AtomicUsize::new(0);
    let request = MatrixRequest {
        columns: vec![0, 1],
        settings,
        permutations: 0,
    };
    let run = analysis::matrix::run(&ds, &request, &cancelled, &|_, _| {
        seen.fetch_add(1, Ordering::Relaxed);
    });
    assert_eq!(run.err(), Some(Cancelled));
    assert_eq!(seen.load(Ordering::Relaxed), 0);
}
