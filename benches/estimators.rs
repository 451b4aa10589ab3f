//! Criterion benchmarks of the hot paths: one KSG-1 pair (n = 1k, 10k, 100k), the full
//! pair path with preparation, one histogram pair, one conditional-MI pair, and a whole
//! 20-column KSG matrix at n = 10k. Small sample counts keep `cargo bench` to a few
//! minutes; the side-by-side comparison with other tools is `benches/peers/run.py`.
//!
//!   cargo bench --bench estimators [-- FILTER]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use mi_workbench::analysis::Progress;
use mi_workbench::analysis::matrix::{MatrixRequest, run};
use mi_workbench::data::{Column, Dataset};
use mi_workbench::estimate::cmi_knn::{Coord, cmi};
use mi_workbench::estimate::pair::mi_pair;
use mi_workbench::estimate::prepare::{knn_ready, standard_normal};
use mi_workbench::estimate::{BinRule, BinStrategy, Estimator, Settings, histogram, ksg};

/// `cols` correlated Gaussian columns of `n` rows (shared latent factor), deterministic.
fn gaussian(cols: usize, n: usize) -> Vec<Vec<f64>> {
    let latent: Vec<f64> = (0..n).map(|i| standard_normal(1, i as u64)).collect();
    (0..cols)
        .map(|c| {
            let load = 0.2 + 0.6 * (c as f64 / cols.max(1) as f64);
            (0..n)
                .map(|i| load * latent[i] + standard_normal(100 + c as u64, i as u64))
                .collect()
        })
        .collect()
}

fn prepared(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let cols = gaussian(3, n);
    let rows: Vec<usize> = (0..n).collect();
    let p = |i: usize| {
        knn_ready(
            &Column::numeric(format!("c{i}"), cols[i].clone()),
            &rows,
            42,
        )
    };
    (p(0), p(1), p(2))
}

fn ksg_pair(c: &mut Criterion) {
    let mut g = c.benchmark_group("ksg1_pair");
    g.sample_size(10).warm_up_time(Duration::from_millis(500));
    for n in [1_000, 10_000, 100_000] {
        let (x, y, _) = prepared(n);
        g.bench_function(format!("n={n}"), |b| {
            b.iter(|| ksg::mi(black_box(&x), black_box(&y), 3, ksg::Algorithm::One))
        });
    }
    g.finish();
}

fn pair_path(c: &mut Criterion) {
    let mut g = c.benchmark_group("mi_pair_ksg1_with_preparation");
    g.sample_size(10).warm_up_time(Duration::from_millis(500));
    for n in [10_000, 100_000] {
        let cols = gaussian(2, n);
        let (a, b) = (
            Column::numeric("a", cols[0].clone()),
            Column::numeric("b", cols[1].clone()),
        );
        let s = Settings {
            estimator: Estimator::Ksg1,
            ..Settings::default()
        };
        g.bench_function(format!("n={n}"), |bch| {
            bch.iter(|| mi_pair(black_box(&a), black_box(&b), &s).unwrap().mi)
        });
    }
    g.finish();
}

fn histogram_pair(c: &mut Criterion) {
    let mut g = c.benchmark_group("histogram_pair");
    g.sample_size(20);
    let cols = gaussian(2, 100_000);
    g.bench_function("n=100000 fd", |b| {
        b.iter(|| {
            histogram::mi(
                black_box(&cols[0]),
                black_box(&cols[1]),
                BinRule::FreedmanDiaconis,
                BinStrategy::EqualWidth,
                false,
            )
        })
    });
    g.finish();
}

fn cmi_pair(c: &mut Criterion) {
    let mut g = c.benchmark_group("cmi_pair");
    g.sample_size(10).warm_up_time(Duration::from_millis(500));
    let (x, y, z) = prepared(10_000);
    g.bench_function("n=10000 continuous", |b| {
        b.iter(|| {
            cmi(
                Coord::Continuous(black_box(&x)),
                Coord::Continuous(black_box(&y)),
                black_box(&z),
                3,
            )
        })
    });
    g.finish();
}

fn matrix(c: &mut Criterion) {
    let mut g = c.benchmark_group("matrix");
    g.sample_size(10).warm_up_time(Duration::from_millis(500));
    let columns: Vec<Column> = gaussian(20, 10_000)
        .into_iter()
        .enumerate()
        .map(|(i, v)| Column::numeric(format!("c{i:02}"), v))
        .collect();
    let ds = Dataset::new("bench", columns);
    for (name, estimator) in [("ksg1", Estimator::Ksg1), ("hist", Estimator::Histogram)] {
        let request = MatrixRequest {
            columns: (0..20).collect(),
            settings: Settings {
                estimator,
                ..Settings::default()
            },
            permutations: 0,
        };
        g.bench_function(format!("20 columns x 10000 rows {name}"), |b| {
            b.iter(|| {
                run(black_box(&ds), &request, &Progress::new(), &|_, _| {})
                    .unwrap()
                    .cells
                    .len()
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    ksg_pair,
    pair_path,
    histogram_pair,
    cmi_pair,
    matrix
);
criterion_main!(benches);
