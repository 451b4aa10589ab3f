//! `mi-workbench mrmr` on generated files with known roles: the screen in the export,
//! `--no-screen`, `--permutations` and `--stability` (issue 15).

use crate::cli::{field, records, run, stdout};
use mi_workbench::data::synthetic::{Synthetic, SyntheticSpec, generate};

fn write(dir: &tempfile::TempDir, s: &Synthetic) -> String {
    let path = dir.path().join("ranking.csv");
    std::fs::write(&path, s.to_csv()).expect("write");
    path.to_string_lossy().into_owned()
}

/// `mrmr FILE --target target --quiet` with `extra` flags: the parsed CSV.
fn mrmr(file: &str, extra: &[&str]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut args = vec!["mrmr", file, "--target", "target", "--quiet"];
    args.extend_from_slice(extra);
    records(&stdout(&run(&args)))
}

#[test]
fn the_default_ranking_is_jmi_screened_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generate(&SyntheticSpec::classification(3000, 20, 5));
    let file = write(&dir, &s);
    let (h, rows) = mrmr(&file, &[]);
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "rank",
            "feature",
            "relevance",
            "redundancy",
            "score",
            "method",
            "unit",
            "screen",
            "p_value",
            "p_adjusted"
        ]
    );
    // Every feature is in the file once: ranked ones with a rank, the rest screened out.
    assert_eq!(rows.len(), s.names.len());
    let mut ranked = 0;
    for r in &rows {
        assert_eq!(field(&h, r, "method"), "jmi");
        let p: f64 = field(&h, r, "p_value").parse().expect("p");
        assert!(p > 0.0 && p <= 1.0);
        let noise = s.is_noise(field(&h, r, "feature")).expect("known column");
        match field(&h, r, "screen") {
            "passed" => {
                ranked += 1;
                assert!(!field(&h, r, "rank").is_empty());
                // 30 permutations: a feature that passes exceeded every one of them.
                assert!((p - 1.0 / 31.0).abs() < 1e-12, "{p}");
            }
            // Screened out on its relevance alone, picked by JMI on what it adds given
            // the features before it.
            "conditional" => {
                ranked += 1;
                assert!(!noise, "noise picked on its conditional score: {r:?}");
            }
            "out" => {
                assert!(field(&h, r, "rank").is_empty() && field(&h, r, "score").is_empty());
                assert!(noise, "a non-noise feature was screened out: {r:?}");
            }
            other => panic!("screen = {other}"),
        }
    }
    assert_eq!(
        ranked, 10,
        "the 10 non-noise features, and no noise, ranked"
    );

    let (h, rows) = mrmr(&file, &["--no-screen"]);
    assert!(
        !h.iter().any(|c| c == "p_value"),
        "no test without the screen"
    );
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| field(&h, r, "screen") == "off"));
}

#[test]
fn stability_writes_a_frequency_near_one_for_robust_picks_and_near_zero_for_noise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generate(&SyntheticSpec::classification(1000, 12, 21));
    let file = write(&dir, &s);
    let (h, rows) = mrmr(
        &file,
        &["--no-screen", "--select", "10", "--stability", "50"],
    );
    assert_eq!(h.iter().next_back(), Some("frequency"));
    // No screen: every feature is a candidate and has a frequency.
    assert_eq!(rows.len(), s.names.len());
    let mut noise = Vec::new();
    let mut ranked = Vec::new();
    for r in &rows {
        let freq: f64 = field(&h, r, "frequency").parse().expect("frequency");
        if s.is_noise(field(&h, r, "feature")).expect("known") {
            noise.push(freq);
        } else if !field(&h, r, "rank").is_empty() {
            ranked.push(freq);
        }
    }
    // 50 halves: a frequency is a multiple of 0.02. Noise fills a top-10 place only when
    // it beats one of the 10 non-noise features on that half.
    assert!(noise.iter().all(|&f| f <= 0.2), "noise {noise:?}");
    let mean_ranked = ranked.iter().sum::<f64>() / ranked.len() as f64;
    assert!(mean_ranked >= 0.9, "ranked non-noise {ranked:?}");
    assert!(ranked.len() >= 9);
}

#[test]
fn permutations_set_the_p_value_resolution() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generate(&SyntheticSpec::regression(600, 5, 2));
    let file = write(&dir, &s);
    let (h, rows) = mrmr(&file, &["--permutations", "99", "--method", "mid"]);
    let first = &rows[0];
    assert_eq!(field(&h, first, "rank"), "1");
    assert_eq!(field(&h, first, "p_value"), "0.01");
    let adj: f64 = field(&h, first, "p_adjusted").parse().expect("adjusted");
    assert!((0.01..=1.0).contains(&adj));
}

/// `--permutations 49`: each feature's relevance p-value is uniform where the feature is
/// pure noise (true null) and at its floor 1/50 where it is informative. Tolerances from
/// the uniform law: 40 noise p-values have a mean with sd 0.289/√40 = 0.046, so
/// [0.33, 0.67] is about ±3.7 sd; at most 20% of them (expected 10%) at or below 0.1.
#[test]
fn relevance_p_values_are_uniform_for_noise_and_small_for_signal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generate(&SyntheticSpec::classification(2000, 40, 11));
    let file = write(&dir, &s);
    let (h, rows) = mrmr(
        &file,
        &["--permutations", "49", "--no-screen", "--select", "60"],
    );
    let mut noise_p = Vec::new();
    for r in &rows {
        let p: f64 = field(&h, r, "p_value").parse().expect("p");
        let name = field(&h, r, "feature");
        if s.is_noise(name).expect("known column") {
            noise_p.push(p);
        } else if s
            .names
            .iter()
            .position(|n| n == name)
            .is_some_and(|i| s.roles[i].name() == "informative")
        {
            assert!((p - 0.02).abs() < 1e-12, "{name}: p = {p}");
        }
    }
    assert_eq!(noise_p.len(), 40, "every noise feature has a p-value");
    let mean = noise_p.iter().sum::<f64>() / noise_p.len() as f64;
    assert!((0.33..=0.67).contains(&mean), "mean noise p = {mean}");
    let small = noise_p.iter().filter(|&&p| p <= 0.1).count();
    assert!(small <= 8, "{small} of 40 noise p-values at or below 0.1");
}

#[test]
fn miq_scores_are_ratios_in_every_unit_from_the_first_rank() {
    // The first pick's score was its relevance in nats, printed in a column the export
    // leaves unconverted for MIQ: under --units bits it read as bits and was not.
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generate(&SyntheticSpec::classification(1500, 12, 9));
    let file = write(&dir, &s);
    let (h, nats) = mrmr(&file, &["--method", "miq", "--select", "4"]);
    let (_, bits) = mrmr(
        &file,
        &["--method", "miq", "--select", "4", "--units", "bits"],
    );
    let ranked = |rows: &[csv::StringRecord]| -> Vec<(String, f64, f64)> {
        rows.iter()
            .filter(|r| !field(&h, r, "rank").is_empty())
            .map(|r| {
                let num = |c: &str| field(&h, r, c).parse::<f64>().expect(c);
                (
                    field(&h, r, "feature").to_owned(),
                    num("relevance"),
                    num("score"),
                )
            })
            .collect()
    };
    let (nats, bits) = (ranked(&nats), ranked(&bits));
    assert_eq!(nats.len(), 4);
    for ((fa, ra, sa), (fb, rb, sb)) in nats.iter().zip(&bits) {
        assert_eq!(fa, fb);
        // Relevance is information: converted. The score is a ratio: the same.
        assert!((ra / std::f64::consts::LN_2 - rb).abs() < 1e-12 * ra.abs().max(1.0));
        assert_eq!(sa, sb, "{fa}: score {sa} nats vs {sb} bits");
    }
    // The first score is R/ε, above 1 for a relevant feature (not R itself, < 1 nat).
    assert!(nats[0].2 > nats[0].1 * 10.0, "{:?}", nats[0]);
}
