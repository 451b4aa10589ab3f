//! `multi`, `synergy` and `tc`: headers, rows, sorting, units, p-values and errors, and
//! the same numbers as the library (what the window shows).

use crate::cli::{field, records, run, stdout};
use mi_workbench::analysis::Progress;
use mi_workbench::analysis::higher_order::{MultiRequest, run_multi};
use mi_workbench::data::{ReadOptions, read_csv_path};
use mi_workbench::estimate::Settings;
use std::path::Path;

const WINE: &str = "sample_data/wine.csv";

fn ok(args: &[&str]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    records(&stdout(&run(args)))
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: '{s}'"))
}

#[test]
fn multi_writes_one_row_with_the_sets_joined_and_the_librarys_number() {
    let (h, rows) = ok(&[
        "multi",
        WINE,
        "--x",
        "alcohol,malic_acid",
        "--y",
        "proline",
        "-q",
    ]);
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "x",
            "y",
            "given",
            "n_used",
            "mi",
            "unit",
            "estimator",
            "settings"
        ]
    );
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(&r[0], "alcohol;malic_acid");
    assert_eq!(&r[1], "proline");
    assert_eq!(&r[2], "");
    assert_eq!(field(&h, r, "n_used"), "178");
    assert_eq!(field(&h, r, "estimator"), "ksg1");
    assert_eq!(field(&h, r, "settings"), "k=3;seed=42");
    // The window's number: the same analysis on the same file.
    let ds = read_csv_path(Path::new(WINE), &ReadOptions::default()).expect("wine");
    let ix = |n: &str| ds.column_index(n).expect("column");
    let lib = run_multi(
        &ds,
        &MultiRequest {
            x: vec![ix("alcohol"), ix("malic_acid")],
            y: vec![ix("proline")],
            given: vec![],
            settings: Settings::default(),
            permutations: 0,
        },
        &Progress::new(),
    )
    .expect("not cancelled");
    let nats = num(field(&h, r, "mi"));
    assert_eq!(nats, lib.estimate.expect("estimate").mi);
    // Bits: the same estimate divided by ln 2.
    let (hb, rb) = ok(&[
        "multi",
        WINE,
        "--x",
        "alcohol,malic_acid",
        "--y",
        "proline",
        "--units",
        "bits",
        "-q",
    ]);
    assert_eq!(field(&hb, &rb[0], "unit"), "bits");
    let bits = num(field(&hb, &rb[0], "mi"));
    assert!((bits - nats / std::f64::consts::LN_2).abs() < 1e-12);
}

#[test]
fn multi_given_a_set_with_permutations_adds_a_p_value() {
    let (h, rows) = ok(&[
        "multi",
        WINE,
        "--x",
        "alcohol",
        "--y",
        "proline,hue",
        "--given",
        "flavanoids,ash",
        "--permutations",
        "19",
        "-q",
    ]);
    assert_eq!(h.iter().next_back(), Some("p_value"));
    let r = &rows[0];
    assert_eq!(field(&h, r, "y"), "proline;hue");
    assert_eq!(field(&h, r, "given"), "flavanoids;ash");
    assert_eq!(field(&h, r, "estimator"), "frenzel-pompe");
    assert_eq!(field(&h, r, "settings"), "k=3;seed=42;permutations=19");
    let p = num(field(&h, r, "p_value"));
    assert!((0.05..=1.0).contains(&p), "{p}");
    // A discrete Y: Ross on a vector; Gaussian asked for continuous sets.
    let (h, rows) = ok(&["multi", WINE, "--x", "alcohol,hue", "--y", "target", "-q"]);
    assert_eq!(field(&h, &rows[0], "estimator"), "ross");
    let (h, rows) = ok(&[
        "multi",
        WINE,
        "--x",
        "alcohol,hue",
        "--y",
        "ash",
        "--estimator",
        "gauss",
        "-q",
    ]);
    assert_eq!(field(&h, &rows[0], "estimator"), "gauss");
    assert_eq!(field(&h, &rows[0], "settings"), "");
}

#[test]
fn synergy_lists_every_pair_sorted_by_interaction() {
    let (h, rows) = ok(&["synergy", WINE, "--target", "target", "-q"]);
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "x1",
            "x2",
            "target",
            "n_used",
            "mi_x1",
            "mi_x2",
            "mi_joint",
            "interaction",
            "unit",
            "estimator",
            "settings"
        ]
    );
    // 13 features besides the target: 78 pairs.
    assert_eq!(rows.len(), 78);
    let ii: Vec<f64> = rows
        .iter()
        .map(|r| num(field(&h, r, "interaction")))
        .collect();
    assert!(ii.windows(2).all(|w| w[0] >= w[1]), "sorted, largest first");
    for r in &rows {
        assert_eq!(field(&h, r, "target"), "target");
        let (a, b, j) = (
            num(field(&h, r, "mi_x1")),
            num(field(&h, r, "mi_x2")),
            num(field(&h, r, "mi_joint")),
        );
        assert!((num(field(&h, r, "interaction")) - (j - a - b)).abs() < 1e-12);
        assert!(field(&h, r, "settings").ends_with("candidates=all 13"));
    }
}

#[test]
fn synergy_top_n_and_tested_pairs() {
    let (h, rows) = ok(&[
        "synergy",
        WINE,
        "--target",
        "target",
        "--top",
        "5",
        "--permutations",
        "9",
        "--tested",
        "3",
        "-q",
    ]);
    assert_eq!(rows.len(), 10, "5 candidates make 10 pairs");
    assert_eq!(
        h.iter().rev().take(2).collect::<Vec<_>>(),
        ["p_adjusted", "p_value"]
    );
    let tested: Vec<&str> = rows.iter().map(|r| field(&h, r, "p_value")).collect();
    assert!(tested[..3].iter().all(|p| !p.is_empty()), "{tested:?}");
    assert!(tested[3..].iter().all(|p| p.is_empty()), "{tested:?}");
    // BH over the three tested pairs: never below the raw p, at most 1.
    for r in &rows[..3] {
        let (p, q) = (
            num(field(&h, r, "p_value")),
            num(field(&h, r, "p_adjusted")),
        );
        assert!(q >= p - 1e-12 && q <= 1.0, "p {p}, p_adjusted {q}");
    }
    assert!(
        rows[3..]
            .iter()
            .all(|r| field(&h, r, "p_adjusted").is_empty())
    );
    assert!(
        field(&h, &rows[0], "settings")
            .ends_with("candidates=top 5 of 13 by relevance;permutations=9")
    );
    // --columns picks the candidates (globs as in `matrix`).
    let (_, rows) = ok(&[
        "synergy",
        WINE,
        "--target",
        "target",
        "--columns",
        "a*",
        "-q",
    ]);
    // alcohol, ash, alcalinity_of_ash: three pairs.
    assert_eq!(rows.len(), 3);
}

#[test]
fn tc_writes_tc_dtc_and_o_information() {
    let (h, rows) = ok(&[
        "tc",
        WINE,
        "--columns",
        "alcohol,flavanoids,total_phenols",
        "-q",
    ]);
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "columns",
            "n_used",
            "total_correlation",
            "dual_total_correlation",
            "o_information",
            "unit",
            "estimator",
            "settings"
        ]
    );
    let r = &rows[0];
    assert_eq!(&r[0], "alcohol;flavanoids;total_phenols");
    assert_eq!(field(&h, r, "estimator"), "ksg1");
    let tc = num(field(&h, r, "total_correlation"));
    let dtc = num(field(&h, r, "dual_total_correlation"));
    let o = num(field(&h, r, "o_information"));
    assert!((o - (tc - dtc)).abs() < 1e-12);
    assert!(
        tc > 0.0,
        "flavanoids and total_phenols are strongly related: {tc}"
    );
}

#[test]
fn unknown_or_repeated_columns_fail_with_a_clear_error_and_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.csv");
    let o_arg = out.to_str().expect("utf-8 path");
    for args in [
        vec!["multi", WINE, "--x", "alcohol,nope", "--y", "ash"],
        vec!["multi", WINE, "--x", "alcohol", "--y", "nope"],
        vec![
            "multi", WINE, "--x", "alcohol", "--y", "ash", "--given", "nope",
        ],
        vec!["synergy", WINE, "--target", "nope"],
        vec![
            "synergy",
            WINE,
            "--target",
            "target",
            "--columns",
            "alcohol,nope",
        ],
        vec!["tc", WINE, "--columns", "alcohol,nope"],
    ] {
        let o = run(&[&args[..], &["-o", o_arg]].concat());
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("no column named 'nope'") && err.contains("wine.csv"),
            "{args:?}: {err}"
        );
        assert!(!out.exists());
    }
    let o = run(&["multi", WINE, "--x", "alcohol", "--y", "alcohol,ash"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("wine.csv") && err.contains("'alcohol' is in both X and Y"),
        "{err}"
    );
    let o = run(&["tc", WINE, "--columns", "alcohol"]);
    assert!(!o.status.success());
}
