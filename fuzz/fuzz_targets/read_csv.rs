//! Arbitrary bytes → the CSV reader → everything the window does with a fresh dataset:
//! column summaries, every kind override, and the default estimate of the first pairs.
//!
//! Run: `cargo +nightly fuzz run read_csv -- -max_len=4096` (see CONTRIBUTING.md, "Fuzzing").
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_workbench::data::{ColumnKind, ReadOptions, read_csv_bytes};
use mi_workbench::estimate::Settings;
use mi_workbench::estimate::pair::mi_pair;

fuzz_target!(|data: &[u8]| {
    exercise(data, &ReadOptions::default());
});

fn exercise(data: &[u8], options: &ReadOptions) {
    let Ok(mut dataset) = read_csv_bytes("fuzz.csv", data, options) else {
        return;
    };
    let n = dataset.columns.len();
    assert!(
        dataset
            .columns
            .iter()
            .all(|c| c.values.len() == dataset.n_rows)
    );
    let summaries = dataset.summaries();
    assert_eq!(summaries.len(), n);
    let settings = Settings::default();
    let pairs: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .take(6)
        .collect();
    for &(i, j) in &pairs {
        check(mi_pair(&dataset.columns[i], &dataset.columns[j], &settings));
    }
    for i in 0..n.min(4) {
        for kind in ColumnKind::ALL {
            if dataset.set_kind(i, kind).is_ok() {
                let _ = dataset.columns[i].summary();
                if n > 1 {
                    let j = (i + 1) % n;
                    check(mi_pair(&dataset.columns[i], &dataset.columns[j], &settings));
                }
            }
        }
    }
}

fn check(
    r: Result<mi_workbench::estimate::pair::PairEstimate, mi_workbench::estimate::EstimateError>,
) {
    if let Ok(e) = r {
        assert!(!e.mi.is_nan(), "NaN estimate {e:?}");
    }
}
