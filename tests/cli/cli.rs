//! The headless commands, run as a user runs them.

use crate::binary;
use std::path::Path;
use std::process::Output;

pub(crate) fn run(args: &[&str]) -> Output {
    binary().args(args).output().expect("the binary runs")
}

pub(crate) fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn records(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let rows = r.records().map(|x| x.unwrap()).collect();
    (h, rows)
}

/// The field of `row` under header `name`.
pub(crate) fn field<'a>(h: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = h
        .iter()
        .position(|x| x == name)
        .unwrap_or_else(|| panic!("no column {name} in {h:?}"));
    &row[i]
}

#[test]
fn info_reports_penguins_shape_kinds_and_missing() {
    let o = run(&["info", "sample_data/penguins.csv"]);
    let text = stdout(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("344 rows, 8 columns"), "{err}");
    let (h, rows) = records(&text);
    assert_eq!(rows.len(), 8);
    let mut checked = Vec::new();
    for r in &rows {
        assert_eq!(field(&h, r, "rows"), "344");
        let name = field(&h, r, "column");
        let kind = field(&h, r, "kind");
        if ["species", "island", "sex"].contains(&name) {
            assert_eq!(kind, "categorical", "{name}");
            checked.push(name);
        }
        if name == "sex" {
            assert_eq!(field(&h, r, "missing"), "11");
        }
    }
    // The checks above ran for each named column (a renamed column fails here).
    assert_eq!(checked, ["species", "island", "sex"]);
}

#[test]
fn matrix_on_breast_cancer_has_every_pair_and_discrete_target() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.csv");
    let o = run(&[
        "matrix",
        "sample_data/breast_cancer.csv",
        "--estimator",
        "auto",
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let (h, rows) = records(&text);
    assert_eq!(
        &h.iter().collect::<Vec<_>>(),
        &["x", "y", "n_used", "mi", "unit", "estimator", "settings"]
    );
    assert_eq!(rows.len(), 31 * 30 / 2);
    for r in &rows {
        let involves_target = field(&h, r, "x") == "target" || field(&h, r, "y") == "target";
        let est = field(&h, r, "estimator");
        // Every measurement column of this file repeats some values: the tie-aware forms.
        let expected = if involves_target {
            "mixed-ross"
        } else {
            "mixed-ksg"
        };
        assert_eq!(est, expected, "{r:?}");
        assert_eq!(field(&h, r, "n_used"), "569");
        let mi: f64 = field(&h, r, "mi").parse().unwrap();
        assert!(mi.is_finite());
    }
    // mean radius and mean perimeter are almost functionally related: large MI.
    let mp = rows
        .iter()
        .find(|r| field(&h, r, "x") == "mean radius" && field(&h, r, "y") == "mean perimeter")
        .unwrap();
    assert!(field(&h, mp, "mi").parse::<f64>().unwrap() > 1.5);
}

#[test]
fn same_input_and_settings_give_byte_identical_output() {
    let args = [
        "matrix",
        "sample_data/penguins.csv",
        "--permutations",
        "20",
        "--quiet",
    ];
    let a = stdout(&run(&args));
    let b = stdout(&run(&args));
    assert_eq!(a, b);
    let (h, rows) = records(&a);
    assert!(h.iter().any(|c| c == "p_adjusted"));
    assert!(!rows.is_empty());
}

#[test]
fn units_convert_between_bits_and_nats() {
    let nats = stdout(&run(&[
        "matrix",
        "sample_data/wine.csv",
        "--columns",
        "alcohol,target",
        "--quiet",
    ]));
    let bits = stdout(&run(&[
        "matrix",
        "sample_data/wine.csv",
        "--columns",
        "alcohol,target",
        "--units",
        "bits",
        "--quiet",
    ]));
    let (h, rn) = records(&nats);
    let (_, rb) = records(&bits);
    let n: f64 = field(&h, &rn[0], "mi").parse().unwrap();
    let b: f64 = field(&h, &rb[0], "mi").parse().unwrap();
    assert!(
        (b - n / std::f64::consts::LN_2).abs() < 1e-12,
        "{n} nats vs {b} bits"
    );
}

#[test]
fn malformed_file_fails_with_positioned_error_and_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("ragged.csv");
    std::fs::write(&bad, "a,b,c\n1,2,3\n4,5\n6,7,8\n").unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&["matrix", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ragged.csv") && err.contains("line 3"),
        "{err}"
    );
    assert!(!Path::new(&out).exists());
}

#[test]
fn unknown_column_names_the_available_ones() {
    let o = run(&["mrmr", "sample_data/wine.csv", "--target", "nope"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nope") && err.contains("alcohol"), "{err}");
}

#[test]
fn mrmr_lists_distinct_features_led_by_the_most_relevant() {
    let text = stdout(&run(&[
        "mrmr",
        "sample_data/breast_cancer.csv",
        "--target",
        "target",
        "--select",
        "10",
        "--method",
        "mid",
        "--quiet",
    ]));
    let (h, rows) = records(&text);
    assert_eq!(
        &h.iter().collect::<Vec<_>>(),
        &[
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
    // Ranked rows first; then the features the relevance screen left out, unranked.
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| !field(&h, r, "rank").is_empty())
        .collect();
    assert_eq!(rows.len(), 10);
    let mut names: Vec<&str> = rows.iter().map(|r| field(&h, r, "feature")).collect();
    let first_relevance: f64 = field(&h, &rows[0], "relevance").parse().unwrap();
    // The first pick is the most relevant of all features: check against the matrix.
    let m = stdout(&run(&[
        "matrix",
        "sample_data/breast_cancer.csv",
        "--quiet",
    ]));
    let (mh, mrows) = records(&m);
    let best = mrows
        .iter()
        .filter(|r| field(&mh, r, "y") == "target")
        .map(|r| field(&mh, r, "mi").parse::<f64>().unwrap())
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        (best - first_relevance).abs() < 1e-12,
        "{best} vs {first_relevance}"
    );
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 10);
}

#[test]
fn cmi_compare_and_sweep_write_their_contract_headers() {
    let c = stdout(&run(&[
        "cmi",
        "sample_data/penguins.csv",
        "--given",
        "species",
        "--quiet",
    ]));
    assert!(
        c.starts_with("x,y,given,n_used,mi,cmi,difference,unit,estimator,settings\n"),
        "{c}"
    );
    let c = stdout(&run(&["compare", "sample_data/penguins.csv", "--quiet"]));
    assert!(
        c.starts_with("x,y,n_used,pearson,spearman,mi,r_i,unit,cramers_v,correlation_ratio\n"),
        "{c}"
    );
    let c = stdout(&run(&[
        "sweep",
        "sample_data/penguins.csv",
        "--x",
        "bill_length_mm",
        "--y",
        "body_mass_g",
        "--bins-range",
        "2:10",
        "--k-range",
        "1,3,5",
        "--sizes",
        "50,100",
        "--repeats",
        "3",
        "--quiet",
    ]));
    let (h, rows) = records(&c);
    assert_eq!(
        &h.iter().collect::<Vec<_>>(),
        &[
            "parameter",
            "value",
            "estimate_mean",
            "estimate_low",
            "estimate_high",
            "estimator",
            "unit"
        ]
    );
    // 9 bin counts, 3 k values, 2 subsample sizes and the full sample.
    assert_eq!(rows.len(), 9 + 3 + 3);
}

#[test]
fn subcommand_help_explains_the_flags() {
    let o = run(&["matrix", "--help"]);
    let text = stdout(&o);
    for flag in [
        "--estimator",
        "--k",
        "--bins",
        "--units",
        "--permutations",
        "--seed",
        "--columns",
        "--kind",
        "--output",
    ] {
        assert!(text.contains(flag), "{flag} missing from help");
    }
}

#[test]
fn kind_override_changes_the_estimator_and_includes_the_column() {
    let base = stdout(&run(&[
        "matrix",
        "sample_data/penguins.csv",
        "--columns",
        "year,body_mass_g",
        "--quiet",
    ]));
    // body_mass_g repeats values (grams rounded to 25): the tie-aware Ross form.
    assert!(base.contains(",mixed-ross,"), "{base}");
    let over = stdout(&run(&[
        "matrix",
        "sample_data/penguins.csv",
        "--columns",
        "year,body_mass_g",
        "--kind",
        "year=continuous",
        "--quiet",
    ]));
    assert!(over.contains(",mixed-ksg,"), "{over}");
    let bad = run(&[
        "matrix",
        "sample_data/penguins.csv",
        "--kind",
        "species=continuous",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("species"));
}

#[test]
fn too_few_columns_is_an_error_that_says_why() {
    let o = run(&["matrix", "tests/fixtures/malformed/constant_column.csv"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("fewer than two columns") && err.contains("same"),
        "{err}"
    );
}

#[test]
fn runs_that_could_only_print_a_header_are_errors() {
    // One column beside the conditioner (or the target) makes no pair: an error naming
    // the file, not an empty table with exit code 0.
    for (command, role, name, other, says) in [
        (
            "cmi",
            "--given",
            "body_mass_g",
            "bill_length_mm",
            "conditional MI needs two columns besides the conditioner 'body_mass_g'",
        ),
        (
            "synergy",
            "--target",
            "species",
            "island",
            "synergy needs two columns besides the target 'species'",
        ),
    ] {
        let o = run(&[
            command,
            "sample_data/penguins.csv",
            role,
            name,
            "--columns",
            other,
        ]);
        assert!(!o.status.success(), "{command}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("penguins.csv") && err.contains(says), "{err}");
    }
    // Selecting no feature, or subsampling fewer than two rows, is refused up front.
    for args in [
        &[
            "mrmr",
            "sample_data/penguins.csv",
            "--target",
            "species",
            "--select",
            "0",
        ][..],
        &["info", "sample_data/penguins.csv", "--subsample", "1"][..],
    ] {
        let o = run(args);
        assert!(!o.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("invalid value"),
            "{args:?}"
        );
    }
}

#[test]
fn subsample_uses_the_asked_rows_and_is_seeded() {
    let args = [
        "matrix",
        "sample_data/breast_cancer.csv",
        "--columns",
        "mean radius,mean texture",
        "--subsample",
        "200",
        "--quiet",
    ];
    let a = stdout(&run(&args));
    assert_eq!(a, stdout(&run(&args)));
    let (h, rows) = records(&a);
    assert_eq!(field(&h, &rows[0], "n_used"), "200");
    let other = stdout(&run(&[&args[..], &["--subsample-seed", "7"]].concat()));
    assert_ne!(a, other);
}

#[test]
fn compare_gives_categorical_pairs_their_own_measure_not_correlations_of_codes() {
    let text = stdout(&run(&["compare", "sample_data/penguins.csv", "--quiet"]));
    let (h, rows) = records(&text);
    let header: Vec<&str> = h.iter().collect();
    assert_eq!(
        &header[8..],
        ["cramers_v", "correlation_ratio"],
        "new columns at the end"
    );
    let text_columns = ["species", "island", "sex"];
    let mut seen = [0usize; 3];
    for r in &rows {
        let cat = |c: &str| text_columns.contains(&field(&h, r, c));
        let (pearson, v, eta) = (
            field(&h, r, "pearson"),
            field(&h, r, "cramers_v"),
            field(&h, r, "correlation_ratio"),
        );
        let in01 = |s: &str| s.parse::<f64>().is_ok_and(|x| (0.0..=1.0).contains(&x));
        match (cat("x"), cat("y")) {
            (true, true) => {
                assert!(
                    pearson.is_empty() && field(&h, r, "spearman").is_empty(),
                    "{r:?}"
                );
                assert!(in01(v) && eta.is_empty(), "{r:?}");
                seen[0] += 1;
            }
            (true, false) | (false, true) => {
                assert!(
                    pearson.is_empty() && field(&h, r, "spearman").is_empty(),
                    "{r:?}"
                );
                assert!(v.is_empty() && in01(eta), "{r:?}");
                seen[1] += 1;
            }
            (false, false) => {
                assert!(
                    !pearson.is_empty() && v.is_empty() && eta.is_empty(),
                    "{r:?}"
                );
                seen[2] += 1;
            }
        }
    }
    // 3 categorical and 5 numeric columns: 3 + 15 + 10 pairs.
    assert_eq!(seen, [3, 15, 10]);
    // species determines island for Gentoo and Chinstrap: a strong V.
    let si = rows
        .iter()
        .find(|r| field(&h, r, "x") == "species" && field(&h, r, "y") == "island")
        .expect("species × island");
    assert!(field(&h, si, "cramers_v").parse::<f64>().unwrap() > 0.6);
}

#[test]
fn sweep_on_a_discrete_pair_shows_plugin_with_and_without_miller_madow_not_bins() {
    let text = stdout(&run(&[
        "sweep",
        "sample_data/penguins.csv",
        "--x",
        "species",
        "--y",
        "island",
        "--quiet",
    ]));
    let (h, rows) = records(&text);
    let params: Vec<&str> = rows.iter().map(|r| field(&h, r, "parameter")).collect();
    assert!(
        !params.contains(&"bins") && !params.contains(&"k"),
        "{params:?}"
    );
    let mm: Vec<f64> = rows
        .iter()
        .filter(|r| field(&h, r, "parameter") == "miller_madow")
        .map(|r| field(&h, r, "estimate_mean").parse().unwrap())
        .collect();
    // Miller–Madow subtracts (K_xy − K_x − K_y + 1)/2n: 5 of the 9 species × island
    // cells are filled, (5 − 3 − 3 + 1)/(2·344) = 0, so the two agree here.
    assert_eq!(mm.len(), 2);
    assert!((mm[1] - mm[0]).abs() < 1e-12 && mm[0] > 0.3, "{mm:?}");
    assert!(params.contains(&"n"), "the sample-size curve stays");
}

#[test]
fn cmi_and_compare_with_permutations_write_p_values() {
    for args in [
        &["cmi", "sample_data/penguins.csv", "--given", "species"][..],
        &["compare", "sample_data/penguins.csv"][..],
    ] {
        let mut full = args.to_vec();
        full.extend(["--permutations", "49", "--quiet"]);
        let text = stdout(&run(&full));
        let (h, rows) = records(&text);
        let header: Vec<&str> = h.iter().collect();
        assert_eq!(
            &header[header.len() - 2..],
            ["p_value", "p_adjusted"],
            "{args:?}"
        );
        let mut small = 0;
        for r in &rows {
            let p: f64 = field(&h, r, "p_value").parse().expect("a p-value per row");
            let q: f64 = field(&h, r, "p_adjusted").parse().expect("adjusted");
            // p = (1 + #{null ≥ observed}) / 50, never 0; BH never lowers a p-value.
            assert!((0.02 - 1e-12..=1.0).contains(&p) && q >= p - 1e-12, "{r:?}");
            small += usize::from(p <= 0.02 + 1e-12);
        }
        // Penguins' body measurements depend on each other even given species.
        assert!(small >= 3, "{args:?}: only {small} pairs at the smallest p");
    }
}

#[test]
fn columns_take_globs_and_regexes_beside_names() {
    let by_pattern = stdout(&run(&[
        "matrix",
        "sample_data/penguins.csv",
        "--columns",
        "bill*,/^flip/",
    ]));
    let by_name = stdout(&run(&[
        "matrix",
        "sample_data/penguins.csv",
        "--columns",
        "bill_length_mm,bill_depth_mm,flipper_length_mm",
    ]));
    assert_eq!(by_pattern, by_name);
    let (_, rows) = records(&by_pattern);
    assert_eq!(rows.len(), 3);

    let o = run(&["matrix", "sample_data/penguins.csv", "--columns", "zz*"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("no column matches 'zz*'"), "{err}");
    let o = run(&["matrix", "sample_data/penguins.csv", "--columns", "/bill(/"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("not a valid regular expression"), "{err}");
}

#[test]
fn an_estimator_that_does_not_apply_to_every_pair_is_noted() {
    // penguins has categorical columns and measurements with repeated values: asked for
    // KSG-1, those pairs take their own estimator, and stderr says how many.
    let o = run(&["matrix", "sample_data/penguins.csv", "--estimator", "ksg1"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("note: --estimator ksg1 applies to"), "{err}");
    let (h, rows) = records(&stdout(&o));
    let others = rows
        .iter()
        .filter(|r| field(&h, r, "estimator") != "ksg1")
        .count();
    assert!(
        others > 0 && err.contains(&format!("the other {others} ")),
        "{err}"
    );
    // The default (auto) says nothing of the kind, nor do counts, which bin
    // continuous columns and count discrete ones: every pair is counted as asked.
    for extra in [
        &[][..],
        &["--estimator", "plugin"],
        &["--estimator", "hist"],
    ] {
        let mut args = vec!["matrix", "sample_data/penguins.csv"];
        args.extend_from_slice(extra);
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("applies to"), "{extra:?}: {err}");
    }
}
