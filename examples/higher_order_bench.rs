//! Measurements for the higher-order analyses (issue 14): the seeded repetitions behind
//! the tolerances of `tests/engine/higher_order.rs`, and their speed.
//!
//!   cargo run --release --example higher_order_bench -- calibrate
//!   cargo run --release --example higher_order_bench -- speed
//!
//! `calibrate` runs every closed-form case of the tests under seeds 1..=20 and prints
//! truth, mean, sd and the tolerance |mean − truth| + 4·sd (rounded up to 0.001), then
//! the `TOLERANCES` table the tests read. `speed` times the synergy finder on 30
//! features × 10,000 rows (435 pairs), with a continuous and with a discrete target,
//! and multivariate MI at 2×2 and 4×4 dimensions on 10,000 rows (median of 3 runs).
//!
//! The cases, generators and estimator calls are the tests' own: the test module is
//! compiled in here (without its `#[test]` functions).

#[path = "../tests/common/mod.rs"]
mod common;
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/higher_order.rs"]
mod higher_order;
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/higher_order_synergy.rs"]
mod higher_order_synergy;

use higher_order::{
    Case, TEST_SEED, cmi_cases, mi_cases, multi_estimate, tc_cases, tc_estimate, tc_truth,
};
use mi_workbench::analysis::Progress;
use mi_workbench::analysis::higher_order::{MultiRequest, SynergyRequest, run_multi, run_synergy};
use mi_workbench::data::{Column, ColumnKind, Dataset};
use mi_workbench::estimate::{Estimator, Settings};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::time::Instant;

const SEEDS: u64 = 20;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    match mode.as_str() {
        "calibrate" => calibrate(),
        "speed" => speed(),
        _ => eprintln!("usage: higher_order_bench calibrate|speed"),
    }
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (m, var.sqrt())
}

struct Row {
    case: String,
    label: String,
    tol: f64,
}

fn report(rows: &mut Vec<Row>, case: &str, label: &str, truth: f64, values: &[f64]) {
    let (m, sd) = mean_sd(values);
    let tol = (((m - truth).abs() + 4.0 * sd) * 1000.0).ceil() / 1000.0;
    let tol = tol.max(0.001);
    println!(
        "{case:<22} {label:<16} truth {truth:>9.5} mean {m:>9.5} bias {:>+9.5} sd {sd:>8.5} tol {tol:.3}",
        m - truth
    );
    rows.push(Row {
        case: case.into(),
        label: label.into(),
        tol,
    });
}

fn calibrate() {
    let started = Instant::now();
    let mut rows = Vec::new();
    let seeds = 1..=SEEDS;
    for case in mi_cases() {
        let truth = case.truth();
        for (est, label, monotone) in [
            (Estimator::Ksg1, "ksg1", false),
            (Estimator::Ksg2, "ksg2", false),
            (Estimator::Gaussian, "gauss", false),
            (Estimator::Copula, "copula", false),
            (Estimator::Ksg1, "ksg1 monotone", true),
            (Estimator::Ksg2, "ksg2 monotone", true),
        ] {
            let v: Vec<f64> = seeds
                .clone()
                .map(|s| multi_estimate(&case, est, s, monotone))
                .collect();
            report(&mut rows, &case.name, label, truth, &v);
        }
    }
    for case in cmi_cases() {
        let truth = case.truth();
        for (est, label) in [
            (Estimator::Ksg1, "frenzel-pompe"),
            (Estimator::Gaussian, "gauss"),
            (Estimator::Copula, "copula"),
        ] {
            let v: Vec<f64> = seeds
                .clone()
                .map(|s| multi_estimate(&case, est, s, false))
                .collect();
            report(&mut rows, &case.name, label, truth, &v);
        }
    }
    for case in tc_cases() {
        let (tc, dtc, o) = tc_truth(&case);
        for (est, label) in [(Estimator::Ksg1, "ksg1"), (Estimator::Gaussian, "gauss")] {
            let v: Vec<(f64, f64, f64)> =
                seeds.clone().map(|s| tc_estimate(&case, est, s)).collect();
            let pick = |f: fn(&(f64, f64, f64)) -> f64| v.iter().map(f).collect::<Vec<_>>();
            report(
                &mut rows,
                &case.name,
                &format!("{label} tc"),
                tc,
                &pick(|t| t.0),
            );
            report(
                &mut rows,
                &case.name,
                &format!("{label} dtc"),
                dtc,
                &pick(|t| t.1),
            );
            report(
                &mut rows,
                &case.name,
                &format!("{label} o"),
                o,
                &pick(|t| t.2),
            );
        }
    }
    let runs: Vec<(f64, bool)> = seeds
        .clone()
        .map(higher_order_synergy::sign_of_product_interaction)
        .collect();
    let ii: Vec<f64> = runs.iter().map(|r| r.0).collect();
    let firsts = runs.iter().filter(|r| r.1).count();
    let ln2 = std::f64::consts::LN_2;
    report(&mut Vec::new(), "sign of product", "synergy II", ln2, &ii);
    println!("sign of product: planted pair ranked first in {firsts} of {SEEDS}");
    let (_, truth) = higher_order_synergy::mixed_case(1);
    for (inside, label) in [(false, "stratified-ksg1"), (true, "matched-knn")] {
        let v: Vec<f64> = seeds
            .clone()
            .map(|s| higher_order_synergy::mixed_estimate(s, inside).0)
            .collect();
        report(&mut Vec::new(), "mixed coin", label, truth, &v);
    }
    println!(
        "\n// seeds 1..={SEEDS}, n = {}, k = 3 (test seed {TEST_SEED})",
        higher_order::N
    );
    println!("pub const TOLERANCES: &[(&str, &str, f64)] = &[");
    for r in &rows {
        println!("    ({:?}, {:?}, {:.3}),", r.case, r.label, r.tol);
    }
    println!("];");
    eprintln!("calibration took {:.1} s", started.elapsed().as_secs_f64());
}

fn median_time(mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..3)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[1]
}

/// 30 standard normal features; the target is sign(x0·x1) (discrete) or x0·x1 + noise.
fn synergy_data(n: usize, discrete_target: bool) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut cols: Vec<Vec<f64>> = (0..30)
        .map(|_| (0..n).map(|_| rng.sample(StandardNormal)).collect())
        .collect();
    let t: Vec<f64> = (0..n)
        .map(|i| {
            let p = cols[0][i] * cols[1][i];
            if discrete_target {
                f64::from(u8::from(p > 0.0))
            } else {
                let e: f64 = rng.sample(StandardNormal);
                p + 0.3 * e
            }
        })
        .collect();
    cols.push(t);
    let kind = |i: usize| {
        if i == 30 && discrete_target {
            ColumnKind::Discrete
        } else {
            ColumnKind::Continuous
        }
    };
    Dataset::new(
        "synergy",
        cols.into_iter()
            .enumerate()
            .map(|(i, v)| Column::with_kind(format!("c{i}"), v, kind(i)))
            .collect(),
    )
}

fn speed() {
    let threads = rayon::current_num_threads();
    println!("rayon threads: {threads}");
    let n = 10_000;
    for discrete_target in [false, true] {
        let ds = synergy_data(n, discrete_target);
        let request = SynergyRequest::new(30, (0..30).collect(), Settings::default());
        let mut pairs = 0;
        let t = median_time(|| {
            let r = run_synergy(&ds, &request, &Progress::new()).expect("not cancelled");
            pairs = r.pairs.len();
        });
        println!(
            "synergy, 30 features x {n} rows ({pairs} pairs), {} target: {t:.2} s",
            if discrete_target {
                "discrete"
            } else {
                "continuous"
            }
        );
    }
    for (dx, dy) in [(2, 2), (4, 4)] {
        let d = dx + dy;
        let case = Case {
            name: format!("bench {dx}x{dy}"),
            dims: (dx, dy, 0),
            cov: (0..d * d)
                .map(|k| 0.5f64.powi(((k / d) as i32 - (k % d) as i32).abs()))
                .collect(),
        };
        let ds = case.sample(n, 1);
        for est in [Estimator::Ksg1, Estimator::Ksg2, Estimator::Gaussian] {
            let request = MultiRequest {
                x: (0..dx).collect(),
                y: (dx..d).collect(),
                given: Vec::new(),
                settings: Settings {
                    estimator: est,
                    ..Settings::default()
                },
                permutations: 0,
            };
            let t = median_time(|| {
                run_multi(&ds, &request, &Progress::new()).expect("not cancelled");
            });
            println!("multi {dx}x{dy}, {n} rows, {}: {:.3} s", est.name(), t);
        }
    }
}
