//! `matrix --target T`: one column against all others, the same rows the full matrix
//! has for T (same estimates, same orientation, same order).

use crate::binary;
use crate::cli::{records as table, run, stdout};
use mi_workbench::estimate::significance::benjamini_hochberg;

fn ok(args: &[&str]) -> String {
    stdout(&run(args))
}

/// The full matrix's rows with `t` as x or y, in their order.
fn filtered(full: &[csv::StringRecord], t: &str) -> Vec<csv::StringRecord> {
    full.iter()
        .filter(|r| &r[0] == t || &r[1] == t)
        .cloned()
        .collect()
}

#[test]
fn target_rows_equal_the_filtered_full_matrix() {
    // `target` is the last column (every pair has it as y), `flavanoids` a middle one
    // (x in some pairs, y in others): both orientations are checked.
    for t in ["target", "flavanoids"] {
        let full = ok(&["matrix", "sample_data/wine.csv", "--quiet"]);
        let one = ok(&["matrix", "sample_data/wine.csv", "--target", t, "--quiet"]);
        let (hf, rows_full) = table(&full);
        let (ht, rows_t) = table(&one);
        assert_eq!(hf, ht, "same header");
        let want = filtered(&rows_full, t);
        // 14 columns: 13 pairs with any one of them.
        assert_eq!(want.len(), 13, "{t}");
        assert_eq!(
            rows_t, want,
            "{t}: rows differ from the filtered full matrix"
        );
        assert!(rows_t.iter().all(|r| &r[0] == t || &r[1] == t));
    }
}

#[test]
fn target_with_permutations_keeps_p_values_and_adjusts_over_its_own_pairs() {
    let base = ["matrix", "sample_data/penguins.csv", "--permutations", "30"];
    let full = ok(&[&base[..], &["--quiet"]].concat());
    let one = ok(&[&base[..], &["--target", "species", "--quiet"]].concat());
    let (h, rows_full) = table(&full);
    let (_, rows_t) = table(&one);
    let want = filtered(&rows_full, "species");
    assert_eq!(rows_t.len(), want.len());
    assert!(
        rows_t.len() >= 5,
        "penguins has at least six columns analysed"
    );
    let adj = h
        .iter()
        .position(|c| c == "p_adjusted")
        .expect("p_adjusted");
    let pv = h.iter().position(|c| c == "p_value").expect("p_value");
    for (a, b) in rows_t.iter().zip(&want) {
        // Every field but the adjustment is the full matrix's (seeded per pair).
        for i in (0..h.len()).filter(|&i| i != adj) {
            assert_eq!(&a[i], &b[i], "field {}", &h[i]);
        }
    }
    // The adjustment is Benjamini–Hochberg over this run's pairs only.
    let p: Vec<f64> = rows_t
        .iter()
        .map(|r| r[pv].parse().expect("a p-value"))
        .collect();
    let expect = benjamini_hochberg(&p);
    for (r, e) in rows_t.iter().zip(expect) {
        let got: f64 = r[adj].parse().expect("an adjusted p-value");
        // Printed with round-trip precision: equal up to the last bit of the division.
        assert!((got - e).abs() <= 1e-12, "{got} vs {e}");
    }
}

#[test]
fn target_is_added_to_the_chosen_columns_and_must_exist() {
    let one = ok(&[
        "matrix",
        "sample_data/wine.csv",
        "--columns",
        "alcohol,hue",
        "--target",
        "proline",
        "--quiet",
    ]);
    let (_, rows) = table(&one);
    let pairs: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("alcohol".to_string(), "proline".to_string()),
            ("hue".to_string(), "proline".to_string())
        ]
    );
    let o = binary()
        .args([
            "matrix",
            "sample_data/wine.csv",
            "--target",
            "nope",
            "--quiet",
        ])
        .output()
        .expect("the binary runs");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no column named 'nope'"), "{err}");
}
