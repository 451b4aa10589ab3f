//! How often a pure-noise feature passes the mRMR relevance screen (it prints, it checks
//! nothing):
//!
//!   cargo run --release --example screen_calibration [-- FEATURES]
//!
//! For each target kind (two classes: Ross for a continuous feature, plug-in for a
//! text-coded one; continuous: KSG-1 and Ross) and n ∈ {500, 2000, 10000}, FEATURES noise
//! features (default 200) are tested with the screen's 30 permutations, and the share
//! whose standardised relevance (R − μ₀)/σ₀ exceeds z is printed beside the Gaussian tail
//! 1 − Φ(z), for z = 2.33, 3.09 and the screen's Bonferroni z at m = 30. The screen
//! relies on the Gaussian tail; this shows where that holds.

use mi_workbench::analysis::Progress;
use mi_workbench::analysis::mrmr::screen::{critical_z, relevances};
use mi_workbench::data::synthetic::{SyntheticSpec, Task, generate};
use mi_workbench::data::{ReadOptions, read_csv_bytes};
use mi_workbench::estimate::Settings;
use mi_workbench::estimate::special::normal_cdf;

fn main() {
    let features: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let zs = [2.33, 3.09, critical_z(30)];
    println!(
        "target          n      feature      z=2.33 (1%)   z=3.09 (0.1%)   z={:.2} ({:.2}%)",
        zs[2],
        100.0 * (1.0 - normal_cdf(zs[2]))
    );
    for (label, task) in [
        (
            "two classes",
            Task::Classification {
                classes: 2,
                clusters_per_class: 1,
                class_sep: 1.0,
            },
        ),
        ("continuous", Task::Regression { noise: 1.0 }),
    ] {
        for n in [500, 2000, 10_000] {
            // All noise: half written as numbers, half as four text levels.
            let spec = SyntheticSpec {
                task,
                rows: n,
                informative: 1,
                redundant: 0,
                repeated: 0,
                noise: features,
                text_coded: features / 2,
                missing: 0.0,
                seed: n as u64,
            };
            let s = generate(&spec);
            let ds =
                match read_csv_bytes("noise.csv", s.to_csv().as_bytes(), &ReadOptions::default()) {
                    Ok(ds) => ds,
                    Err(e) => return eprintln!("{e}"),
                };
            let Some(target) = ds.column_index("target") else {
                return eprintln!("no target column");
            };
            let noise: Vec<usize> = (0..ds.columns.len())
                .filter(|&c| s.is_noise(&ds.columns[c].name) == Some(true))
                .collect();
            let Ok(rel) = relevances(
                &ds,
                target,
                &noise,
                30,
                &Settings::default(),
                &Progress::new(),
            ) else {
                return;
            };
            for text in [false, true] {
                let z: Vec<f64> = rel
                    .iter()
                    .filter(|r| ds.columns[r.feature].is_text() == text)
                    .filter_map(|r| r.null.map(|n| (r.relevance - n.null_mean) / n.null_sd))
                    .collect();
                let share =
                    |t: f64| z.iter().filter(|&&v| v > t).count() as f64 / z.len().max(1) as f64;
                println!(
                    "{label:14} {n:6}  {:10} {:>8.3}%      {:>8.3}%        {:>8.3}%   ({} features)",
                    if text { "text-coded" } else { "numeric" },
                    100.0 * share(zs[0]),
                    100.0 * share(zs[1]),
                    100.0 * share(zs[2]),
                    z.len()
                );
            }
        }
    }
}
