//! The seeded repetitions behind the estimator tests' tolerances: bias and spread of every
//! quantity the tests in `tests/engine/estimate_*.rs` check, over many seeds. The tests
//! quote these figures beside each tolerance; rerun this after changing an estimator.
//!
//!   cargo run --release --example calibration -- [knn] [cmi] [counts] [gaussian]
//!
//! With no argument, all four in that order.
//! - `knn`: KSG-1/2 and Ross against closed forms, 20 seeds (`estimate_knn.rs`);
//! - `cmi`: conditional MI in continuous, discrete and mixed forms, 20 seeds
//!   (`estimate_cmi.rs`);
//! - `counts`: plug-in and Miller–Madow on discrete tables (`estimate_counts.rs`);
//! - `gaussian`: histogram, Gaussian and copula estimators, 100 seeds
//!   (`estimate_gaussian.rs`).
//!
//! The data generators and the estimator calls are the tests' own: their modules are
//! compiled in here (without their `#[test]` functions).

#[path = "../tests/common/mod.rs"]
mod common;

// What only the (here absent) tests use is unused in this crate.
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/estimate_cmi.rs"]
mod estimate_cmi;
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/estimate_counts.rs"]
mod estimate_counts;
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/estimate_gaussian.rs"]
mod estimate_gaussian;
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/estimate_knn.rs"]
mod estimate_knn;
#[allow(dead_code, unused_imports)]
#[path = "../tests/engine/estimate_ties.rs"]
mod estimate_ties;

use common::{bivariate_gaussian_mi, gaussian_pair, mean_sd};
use mi_workbench::estimate::correlation::{copula_mi, gaussian_mi, pearson};
use mi_workbench::estimate::discrete::{cmi, mi};
use mi_workbench::estimate::triple::CmiEstimate;
use mi_workbench::estimate::{BinRule, BinStrategy, histogram, ksg};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const PARTS: [(&str, fn()); 5] = [
    ("knn", knn),
    ("ties", ties),
    ("cmi", cmi_scenarios),
    ("counts", counts),
    ("gaussian", gaussian),
];

fn main() {
    let asked: Vec<String> = std::env::args().skip(1).collect();
    if let Some(name) = asked
        .iter()
        .find(|a| !PARTS.iter().any(|(part, _)| part == a))
    {
        eprintln!(
            "unknown part {name:?}; usage: calibration [knn] [ties] [cmi] [counts] [gaussian]"
        );
        std::process::exit(2);
    }
    for (name, run) in PARTS {
        if asked.is_empty() || asked.iter().any(|a| a == name) {
            run();
        }
    }
}

/// KSG-1/2 on Gaussians and independent uniforms, monotone invariance and Ross on two
/// classes: 20 seeds each.
fn knn() {
    use estimate_knn::{
        N, ksg_gaussian, monotone_difference, ross_two_class, two_class_mi, uniform_pair,
    };
    let seeds = 100..120u64;
    let report = |name: &str, truth: f64, f: &dyn Fn(u64) -> f64| {
        let v: Vec<f64> = seeds.clone().map(f).collect();
        let (m, sd) = mean_sd(&v);
        let worst = v.iter().map(|e| (e - truth).abs()).fold(0.0, f64::max);
        println!(
            "{name:32} truth {truth:.5} bias {:+.5} sd {sd:.5} worst |err| {worst:.5}",
            m - truth
        );
    };
    for rho in [0.0, 0.3, 0.6, 0.9] {
        for alg in [ksg::Algorithm::One, ksg::Algorithm::Two] {
            report(
                &format!("gaussian rho={rho} {alg:?}"),
                bivariate_gaussian_mi(rho),
                &|s| ksg_gaussian(rho, alg, s),
            );
        }
    }
    for alg in [ksg::Algorithm::One, ksg::Algorithm::Two] {
        report(&format!("uniform independent {alg:?}"), 0.0, &|s| {
            let (x, y) = uniform_pair(N, s);
            ksg::mi(&x, &y, 3, alg)
        });
    }
    report("monotone x^3", 0.0, &|s| monotone_difference(s).0);
    report("monotone exp(y)", 0.0, &|s| monotone_difference(s).1);
    report("ross two-class mu=2", two_class_mi(2.0), &ross_two_class);
}

/// The lattices of `estimate_ties.rs` at every size: the tie-aware estimate (columns
/// read as continuous, what the app does) against reading both as discrete (plug-in,
/// with and without Miller–Madow), 20 seeds (5 at n = 20,000); then the point-mass
/// mixtures and the class × count pair. The kind-detection rule in the README rests on
/// the first table.
fn ties() {
    use estimate_ties::*;
    for t in tables() {
        let exact = t.exact_mi();
        for &n in &SIZES {
            let seeds = if n > 5000 { 0..5u64 } else { 0..20u64 };
            let mut rows: [Vec<f64>; 3] = Default::default();
            for s in seeds {
                let (x, y) = t.sample(n, s);
                rows[0].push(continuous_estimate(x.clone(), y.clone(), s).0 - exact);
                rows[1].push(discrete_estimate(x.clone(), y.clone(), false) - exact);
                rows[2].push(discrete_estimate(x, y, true) - exact);
            }
            let line: Vec<String> = rows
                .iter()
                .map(|r| {
                    let (m, sd) = mean_sd(r);
                    format!("bias {m:+.4} sd {sd:.4}")
                })
                .collect();
            println!(
                "{:20} exact {exact:.4} n={n:6}  mixed-ksg {}  plugin {}  miller-madow {}",
                t.name, line[0], line[1], line[2]
            );
        }
    }
    for p in [0.1, 0.3, 0.5] {
        let errs: Vec<f64> = (0..20u64)
            .map(|s| {
                let (x, y, exact) = point_mass_mixture(p, 2000, s);
                continuous_estimate(x, y, s).0 - exact
            })
            .collect();
        let (m, sd) = mean_sd(&errs);
        println!("point mass p={p} n=2000  bias {m:+.4} sd {sd:.4}");
    }
    let errs: Vec<f64> = (0..20u64)
        .map(|s| {
            let (c, y, exact) = class_and_count(2000, s);
            let e = mi_workbench::estimate::pair::mi_pair(&c, &y, &Default::default());
            e.map_or(f64::NAN, |e| e.mi - exact)
        })
        .collect();
    let (m, sd) = mean_sd(&errs);
    println!("class and count n=2000  bias {m:+.4} sd {sd:.4}");
    for n in [153, 1000] {
        let errs: Vec<f64> = (0..20u64)
            .map(|s| {
                let (m, d, exact) = month_and_day(n, s);
                let e = mi_workbench::estimate::pair::mi_pair(&m, &d, &Default::default());
                e.map_or(f64::NAN, |e| e.mi - exact)
            })
            .collect();
        let (m, sd) = mean_sd(&errs);
        let low = errs.iter().copied().fold(f64::INFINITY, f64::min);
        println!("month (discrete) x day n={n}  bias {m:+.4} sd {sd:.4} lowest error {low:+.4}");
    }
}

/// Every conditional-MI scenario of `estimate_cmi.rs` under 20 seeds: I(X;Y) and
/// I(X;Y|Z) against the truth, and the method chosen.
fn cmi_scenarios() {
    use estimate_cmi::*;
    type Scenario = (&'static str, fn(u64) -> Case);
    let scenarios: [Scenario; 9] = [
        ("continuous synergy", continuous_synergy),
        ("continuous common cause", continuous_common_cause),
        ("discrete xor", discrete_xor),
        ("discrete common cause", discrete_common_cause),
        ("xor, discrete z", mixed_xor_discrete_z),
        ("common cause, discrete z", mixed_common_cause_discrete_z),
        ("xor, discrete x", mixed_xor_discrete_x),
        ("common cause, discrete x", mixed_common_cause_discrete_x),
        ("discrete x,y, continuous z", discrete_xy_continuous_z),
    ];
    for (name, make) in scenarios {
        let runs: Vec<(CmiEstimate, Case)> = (100..120u64)
            .map(|s| {
                let c = make(s);
                (run(&c.x, &c.y, &c.z, s), c)
            })
            .collect();
        let (mi, truth_mi) = (
            runs.iter().map(|r| r.0.mi).collect::<Vec<_>>(),
            runs[0].1.mi,
        );
        let cmi: Vec<f64> = runs.iter().map(|r| r.0.cmi).collect();
        let (m1, s1) = mean_sd(&mi);
        let (m2, s2) = mean_sd(&cmi);
        println!(
            "{name:28} MI mean {m1:.5} (truth {truth_mi:.5}) sd {s1:.5} | CMI mean {m2:.5} \
             (truth {:.5}) bias {:+.5} sd {s2:.5} | {:?}",
            runs[0].1.cmi,
            m2 - runs[0].1.cmi,
            runs[0].0.method
        );
    }
}

/// Plug-in and Miller–Madow MI and CMI on the discrete tables of `estimate_counts.rs`.
fn counts() {
    use estimate_counts::{
        diagonal_4x4, sample_common_cause, sample_table, table_mi, table_mi_sd, two_by_two,
        uniform_codes,
    };
    let p = two_by_two();
    let e: Vec<f64> = (0..100)
        .map(|s| {
            let (x, y) = sample_table(&p, 20_000, 1000 + s);
            mi(&x, &y, false) - table_mi(&p)
        })
        .collect();
    println!(
        "2x2 n=20000: err {:?}, theory sd {:.5}",
        mean_sd(&e),
        table_mi_sd(&p, 20_000)
    );

    // Plug-in and Miller–Madow MI of `reps` independent pairs of n uniform codes.
    let independent = |rng: &mut ChaCha8Rng, reps: usize, n: usize, mx: u32, my: u32| {
        let (mut pl, mut mm) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let x = uniform_codes(n, mx, rng);
            let y = uniform_codes(n, my, rng);
            pl.push(mi(&x, &y, false));
            mm.push(mi(&x, &y, true));
        }
        (pl, mm)
    };
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (pl, mm) = independent(&mut rng, 200, 200, 10, 10);
    println!(
        "10x10 indep n=200: plug-in {:?} MM {:?} theory bias {:.5}",
        mean_sd(&pl),
        mean_sd(&mm),
        81.0 / 400.0
    );

    let p = diagonal_4x4();
    let (mut pl, mut mm) = (Vec::new(), Vec::new());
    for s in 0..500 {
        let (x, y) = sample_table(&p, 100, 2000 + s);
        pl.push(mi(&x, &y, false) - table_mi(&p));
        mm.push(mi(&x, &y, true) - table_mi(&p));
    }
    println!(
        "4x4 diag n=100: exact {:.5} plug-in err {:?} MM err {:?}",
        table_mi(&p),
        mean_sd(&pl),
        mean_sd(&mm)
    );

    let (pl, mm) = independent(&mut rng, 100, 5000, 5, 4);
    println!(
        "5x4 indep n=5000: plug-in {:?} MM {:?} theory {:.6} sd {:.6}",
        mean_sd(&pl),
        mean_sd(&mm),
        12.0 / 10000.0,
        24f64.sqrt() / 10000.0
    );

    let (mut i, mut c) = (Vec::new(), Vec::new());
    for s in 0..100 {
        let (x, y, z) = sample_common_cause(20_000, 3000 + s);
        i.push(mi(&x, &y, false));
        c.push(cmi(&x, &y, &z, false));
    }
    println!(
        "common cause n=20000: I {:?} CMI {:?} theory CMI mean {:.6}",
        mean_sd(&i),
        mean_sd(&c),
        12.0 / 40000.0
    );
}

/// Mean and sd of (estimate − truth) over 100 seeds for the histogram, Gaussian and
/// copula estimators of `estimate_gaussian.rs`.
fn gaussian() {
    use estimate_gaussian::{N, RHOS, hist_fd};
    const SEEDS: u64 = 100;
    type Est = fn(&[f64], &[f64]) -> f64;
    let estimators: [(&str, Est); 5] = [
        ("hist-fd-ef", |x, y| {
            histogram::mi(
                x,
                y,
                BinRule::FreedmanDiaconis,
                BinStrategy::EqualFrequency,
                false,
            )
        }),
        ("gauss", |x, y| gaussian_mi(pearson(x, y))),
        ("copula", copula_mi),
        ("hist-fd", hist_fd),
        ("hist-fd-mm", |x, y| {
            histogram::mi(
                x,
                y,
                BinRule::FreedmanDiaconis,
                BinStrategy::EqualWidth,
                true,
            )
        }),
    ];
    let (x, _) = gaussian_pair(0.0, N, 1);
    println!(
        "FD bins at n = {N}: {}",
        histogram::bin_count(&x, BinRule::FreedmanDiaconis)
    );
    for (name, est) in estimators {
        for rho in RHOS {
            let errs: Vec<f64> = (0..SEEDS)
                .map(|s| {
                    let (x, y) = gaussian_pair(rho, N, 1000 + s);
                    est(&x, &y) - bivariate_gaussian_mi(rho)
                })
                .collect();
            let (mean, sd) = mean_sd(&errs);
            println!(
                "{name:10} rho={rho:.1} bias={mean:+.5} sd={sd:.5} (rho/sqrt n = {:.5})",
                rho / (N as f64).sqrt()
            );
        }
    }
}
