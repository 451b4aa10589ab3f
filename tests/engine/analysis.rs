//! The analyses on synthetic data whose answer is known.

use crate::common::normals;
use mi_workbench::analysis::{
    self, Progress, matrix::MatrixRequest, mrmr::MrmrMethod, mrmr::MrmrOptions,
};
use mi_workbench::data::{Column, ColumnKind, Dataset};
use mi_workbench::estimate::{Estimator, Settings};
use std::sync::atomic::{AtomicUsize, Ordering};

/// target depends on a and c (independent of each other); b is a noisy copy of a.
fn feature_set(n: usize) -> Dataset {
    let a = normals(n, 1);
    let c = normals(n, 2);
    let e = normals(n, 3);
    let f = normals(n, 4);
    let b: Vec<f64> = a.iter().zip(&f).map(|(a, f)| a + 0.05 * f).collect();
    let t: Vec<f64> = (0..n).map(|i| a[i] + 0.8 * c[i] + 0.3 * e[i]).collect();
    let noise = normals(n, 5);
    Dataset::new(
        "synthetic",
        vec![
            Column::numeric("a", a),
            Column::numeric("b_copy_of_a", b),
            Column::numeric("c", c),
            Column::numeric("noise", noise),
            Column::numeric("target", t),
        ],
    )
}

#[test]
fn mrmr_prefers_new_information_over_a_redundant_copy() {
    let ds = feature_set(2000);
    for method in MrmrMethod::ALL {
        let r = analysis::mrmr::run(
            &ds,
            4,
            &[0, 1, 2, 3],
            &MrmrOptions {
                select: 3,
                method,
                ..MrmrOptions::default()
            },
            &Settings::default(),
            &Progress::new(),
        )
        .unwrap();
        let picked: Vec<&str> = r
            .rows
            .iter()
            .map(|row| ds.columns[row.feature].name.as_str())
            .collect();
        // a and its copy are equally relevant (≈ 0.9 nats) and c less (≈ 0.3): relevance
        // alone would pick the copy second; every method must pick c instead.
        assert!(
            picked[0] == "a" || picked[0] == "b_copy_of_a",
            "{method:?}: {picked:?}"
        );
        assert_eq!(picked[1], "c", "{method:?}: {picked:?}");
        assert_eq!(r.rows[0].redundancy, 0.0);
        // The first pick scores its relevance; MIQ's scores are ratios, R/ε from the first.
        let first = match method {
            MrmrMethod::Miq => r.rows[0].relevance / r.screen.noise_floor,
            _ => r.rows[0].relevance,
        };
        assert_eq!(r.rows[0].score, first, "{method:?}");
        assert_eq!(r.rows.len(), 3);
    }
}

#[test]
fn matrix_streams_every_cell_and_matches_single_pair_estimates() {
    let ds = feature_set(500);
    let request = MatrixRequest {
        columns: vec![0, 1, 2, 3, 4],
        settings: Settings::default(),
        permutations: 0,
    };
    let seen = AtomicUsize::new(0);
    let m = analysis::matrix::run(&ds, &request, &Progress::new(), &|_, _| {
        seen.fetch_add(1, Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(m.cells.len(), 10);
    assert_eq!(seen.load(Ordering::Relaxed), 10);
    for cell in &m.cells {
        let alone = mi_workbench::estimate::pair::mi_pair(
            &ds.columns[cell.x],
            &ds.columns[cell.y],
            &request.settings,
        )
        .unwrap();
        assert_eq!(cell.mi(), Some(alone.mi), "pair {}-{}", cell.x, cell.y);
    }
}

#[test]
fn permutation_test_separates_dependence_from_independence() {
    let ds = feature_set(300);
    let request = MatrixRequest {
        columns: vec![0, 2, 3],
        settings: Settings::default(),
        permutations: 99,
    };
    let m = analysis::matrix::run(&ds, &request, &Progress::new(), &|_, _| {}).unwrap();
    // a–c and a–noise and c–noise are independent; nothing should be significant after
    // BH at 1% except by a 1-in-100 chance per pair, and with 99 permutations the smallest
    // possible p is 0.01. Check the dependent pair on another set instead.
    let dep = analysis::matrix::run(
        &ds,
        &MatrixRequest {
            columns: vec![0, 1],
            ..request.clone()
        },
        &Progress::new(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(dep.cells[0].test.unwrap().p_value, 0.01);
    let independent_small = m
        .cells
        .iter()
        .filter(|c| c.test.unwrap().p_value <= 0.01)
        .count();
    assert!(independent_small <= 1, "{:?}", m.cells);
}

#[test]
fn cancelled_jobs_stop_and_say_so() {
    let ds = feature_set(300);
    let p = Progress::new();
    p.cancel();
    let request = MatrixRequest {
        columns: vec![0, 1, 2, 3, 4],
        settings: Settings::default(),
        permutations: 10,
    };
    assert!(analysis::matrix::run(&ds, &request, &p, &|_, _| {}).is_err());
    assert!(analysis::compare::run(&ds, &[0, 1, 2], &Settings::default(), &p).is_err());
    assert!(analysis::conditional::run(&ds, &[0, 1, 2], 3, &Settings::default(), &p).is_err());
}

#[test]
fn compare_flags_a_nonlinear_dependence_that_correlation_misses() {
    let x = normals(3000, 7);
    let e = normals(3000, 8);
    let y: Vec<f64> = x.iter().zip(&e).map(|(x, e)| x * x + 0.1 * e).collect();
    let lin: Vec<f64> = x.iter().zip(&e).map(|(x, e)| x + e).collect();
    let ds = Dataset::new(
        "nl",
        vec![
            Column::numeric("x", x),
            Column::numeric("y", y),
            Column::numeric("lin", lin),
        ],
    );
    let rows =
        analysis::compare::run(&ds, &[0, 1, 2], &Settings::default(), &Progress::new()).unwrap();
    let xy = rows.iter().find(|r| r.x == 0 && r.y == 1).unwrap();
    let xlin = rows.iter().find(|r| r.x == 0 && r.y == 2).unwrap();
    // y = x² is uncorrelated with x (|ρ| ~ 1/√n ≈ 0.02) but carries > 1 nat.
    assert!(xy.pearson.abs() < 0.08, "{xy:?}");
    assert!(xy.excess_over_gaussian() > 1.0, "{xy:?}");
    // x + e is Gaussian with ρ = 1/√2: MI ≈ ½ ln 2 ≈ 0.347, on the curve.
    assert!(xlin.excess_over_gaussian().abs() < 0.05, "{xlin:?}");
}

/// A text column given the kind "discrete" (`--kind rate=discrete`) is still labels: no
/// Pearson or Spearman on its alphabetical codes, Cramér's V / η instead (a review got
/// ρ for "fair, good, poor, very good, very poor" coded 0..4).
#[test]
fn compare_never_correlates_the_codes_of_text_labels() {
    let words = ["poor", "fair", "good", "very good"];
    let text = (0..400)
        .map(|i| {
            format!(
                "{},{}",
                words[i % 4],
                (i % 4) as f64 + 0.1 * ((i * 7) % 5) as f64
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let csv = format!("rate,score\n{text}\n");
    let mut ds = mi_workbench::data::read_csv_bytes(
        "likert.csv",
        csv.as_bytes(),
        &mi_workbench::data::ReadOptions::default(),
    )
    .expect("reads");
    ds.set_kind(0, ColumnKind::Discrete)
        .expect("labels may be counted as discrete");
    let rows =
        analysis::compare::run(&ds, &[0, 1], &Settings::default(), &Progress::new()).expect("runs");
    let r = &rows[0];
    assert!(r.pearson.is_nan() && r.spearman.is_nan(), "{r:?}");
    assert_eq!(
        r.association.map(|(m, _)| m),
        Some(mi_workbench::estimate::association::Measure::CorrelationRatio),
        "{r:?}"
    );
}

#[test]
fn sweep_covers_bins_k_and_sizes_with_seeded_bands() {
    let ds = feature_set(800);
    let mut req = analysis::sweep::SweepRequest::with_defaults(0, 4, 800, Settings::default());
    req.repeats = 5;
    let a = analysis::sweep::run(&ds, &req, &Progress::new()).unwrap();
    let b = analysis::sweep::run(&ds, &req, &Progress::new()).unwrap();
    assert_eq!(a, b, "sweeps are deterministic");
    use analysis::sweep::SweepParameter::*;
    for p in [Bins, K, SampleSize] {
        assert!(a.points.iter().any(|x| x.parameter == p), "{p:?}");
    }
    assert!(a.points.iter().all(|p| p.low <= p.mean && p.mean <= p.high));
    assert_eq!(a.rule_bins.len(), 4);
    assert!(a.gaussian.unwrap() > 0.3);
}

#[test]
fn explicit_estimators_fall_back_by_kind_and_say_so() {
    let n = 400;
    let x = normals(n, 11);
    let d: Vec<f64> = x.iter().map(|v| if *v > 0.0 { 1.0 } else { 0.0 }).collect();
    let ds = Dataset::new(
        "k",
        vec![
            Column::numeric("x", x),
            Column::with_kind("d", d, ColumnKind::Discrete),
        ],
    );
    for est in [
        Estimator::Ksg1,
        Estimator::Ksg2,
        Estimator::Gaussian,
        Estimator::Copula,
        Estimator::Auto,
    ] {
        let s = Settings {
            estimator: est,
            ..Settings::default()
        };
        let e = mi_workbench::estimate::pair::mi_pair(&ds.columns[0], &ds.columns[1], &s).unwrap();
        assert_eq!(e.method.name(), "ross", "{est:?}");
    }
    let s = Settings {
        estimator: Estimator::Histogram,
        ..Settings::default()
    };
    let e = mi_workbench::estimate::pair::mi_pair(&ds.columns[0], &ds.columns[1], &s).unwrap();
    assert_eq!(e.method.name(), "hist");
}

#[test]
fn conditional_rows_equal_each_triple_computed_alone() {
    // Continuous pairs given a continuous Z take the shared-conditioner strip search;
    // a discrete column, a column with missing values and a discrete Z take the
    // per-triple paths. Every row must be the triple's own estimate, bit for bit, and
    // the same again when I(X;Y) comes from a finished matrix.
    let mut ds = feature_set(1_500);
    let n = ds.n_rows;
    let mut gappy = normals(n, 9);
    for v in gappy.iter_mut().step_by(7) {
        *v = f64::NAN;
    }
    let level: Vec<f64> = normals(n, 10)
        .iter()
        .map(|v| (v * 1.5).round().clamp(-2.0, 2.0))
        .collect();
    ds = Dataset::new(
        "mixed",
        ds.columns
            .into_iter()
            .chain([
                Column::numeric("gappy", gappy),
                Column::with_kind("level", level, ColumnKind::Discrete),
            ])
            .collect(),
    );
    let columns: Vec<usize> = (0..ds.columns.len()).collect();
    for given in [4, 6] {
        for settings in [
            Settings::default(),
            Settings {
                k: 5,
                ..Settings::default()
            },
        ] {
            let rows =
                analysis::conditional::run(&ds, &columns, given, &settings, &Progress::new())
                    .unwrap();
            let request = MatrixRequest {
                columns: columns.clone(),
                settings: settings.clone(),
                permutations: 0,
            };
            let m = analysis::matrix::run(&ds, &request, &Progress::new(), &|_, _| {}).unwrap();
            let with_known = analysis::conditional::run_with(
                &ds,
                &columns,
                given,
                &settings,
                0,
                Some(&m),
                &Progress::new(),
            )
            .unwrap();
            assert_eq!(rows, with_known, "given {given}");
            let z = &ds.columns[given];
            for r in &rows {
                let alone = mi_workbench::estimate::triple::cmi_triple(
                    &ds.columns[r.x],
                    &ds.columns[r.y],
                    z,
                    &settings,
                );
                assert_eq!(r.estimate, alone, "{} {} | {}", r.x, r.y, given);
            }
        }
    }
}
