//! One column against all (`matrix::run_target`, `matrix::target_row`) and the
//! dependence network's layout (`analysis::layout`).

use crate::common::normals;
use mi_workbench::analysis::matrix::{self, MatrixRequest};
use mi_workbench::analysis::{Progress, pairs_of};
use mi_workbench::data::{Column, Dataset};
use mi_workbench::estimate::Settings;
use mi_workbench::estimate::significance::benjamini_hochberg;

/// Five columns: b and c depend on a, d on c, e is noise.
fn chain(n: usize) -> Dataset {
    let a = normals(n, 11);
    let b: Vec<f64> = a
        .iter()
        .zip(normals(n, 12))
        .map(|(a, e)| a + 0.5 * e)
        .collect();
    let c: Vec<f64> = a.iter().zip(normals(n, 13)).map(|(a, e)| a - e).collect();
    let d: Vec<f64> = c.iter().zip(normals(n, 14)).map(|(c, e)| c + e).collect();
    Dataset::new(
        "chain",
        vec![
            Column::numeric("a", a),
            Column::numeric("b", b),
            Column::numeric("c", c),
            Column::numeric("d", d),
            Column::numeric("e", normals(n, 15)),
        ],
    )
}

fn request(permutations: usize) -> MatrixRequest {
    MatrixRequest {
        columns: vec![0, 1, 2, 3, 4],
        settings: Settings::default(),
        permutations,
    }
}

#[test]
fn a_target_run_has_the_full_matrix_cells_of_that_column() {
    let ds = chain(400);
    let full = matrix::run(&ds, &request(40), &Progress::new(), &|_, _| {}).unwrap();
    for t in 0..5 {
        let one = matrix::run_target(&ds, &request(40), t, &Progress::new()).unwrap();
        assert_eq!(one.cells.len(), 4, "m − 1 pairs");
        let from_full = matrix::target_row(&full, t, &[0, 1, 2, 3, 4]).expect("covered");
        // Same estimates and permutation p-values (seeded per pair) both ways.
        assert_eq!(one.cells, from_full.cells, "target {t}");
        let want: Vec<_> = full
            .cells
            .iter()
            .filter(|c| c.x == t || c.y == t)
            .cloned()
            .collect();
        assert_eq!(one.cells, want);
        // target_row keeps the full matrix's adjustment (over 10 tests), run_target
        // adjusts over its own 4.
        for (i, c) in from_full.cells.iter().enumerate() {
            let (k, _) = full.cell(c.x, c.y).expect("in full");
            assert_eq!(
                from_full.p_adjusted[i].to_bits(),
                full.p_adjusted[k].to_bits()
            );
        }
        let p: Vec<f64> = one
            .cells
            .iter()
            .map(|c| c.test.expect("tested").p_value)
            .collect();
        assert_eq!(one.p_adjusted, benjamini_hochberg(&p));
    }
}

#[test]
fn target_row_needs_the_target_and_every_column() {
    let ds = chain(200);
    let req = MatrixRequest {
        columns: vec![0, 1, 2],
        ..request(0)
    };
    let full = matrix::run(&ds, &req, &Progress::new(), &|_, _| {}).unwrap();
    assert!(
        matrix::target_row(&full, 4, &[0, 1, 4]).is_none(),
        "no target"
    );
    assert!(
        matrix::target_row(&full, 0, &[0, 1, 3]).is_none(),
        "d missing"
    );
    let sub = matrix::target_row(&full, 2, &[0, 2]).expect("covered");
    assert_eq!(sub.cells.len(), 1);
    assert_eq!((sub.cells[0].x, sub.cells[0].y), (0, 2));
    assert_eq!(matrix::target_pairs(&[0, 1, 2], 1), vec![(0, 1), (1, 2)]);
    assert_eq!(pairs_of(&[0, 1, 2]).len(), 3);
}

mod layout {
    use mi_workbench::analysis::Progress;
    use mi_workbench::analysis::layout::fruchterman_reingold;

    fn dist(p: &[[f64; 2]], a: usize, b: usize) -> f64 {
        ((p[a][0] - p[b][0]).powi(2) + (p[a][1] - p[b][1]).powi(2)).sqrt()
    }

    /// Two complete graphs of five nodes, not joined to each other.
    fn two_cliques() -> Vec<(usize, usize, f64)> {
        let mut e = Vec::new();
        for base in [0, 5] {
            for i in 0..5 {
                for j in i + 1..5 {
                    e.push((base + i, base + j, 1.0));
                }
            }
        }
        e
    }

    #[test]
    fn connected_nodes_end_closer_than_unconnected_ones() {
        // Over ten seeds (each a different start), every clique member is nearer its own
        // clique on average than the other clique: the springs, not the start, decide.
        for seed in 0..10 {
            let p = fruchterman_reingold(10, &two_cliques(), 300, seed, &Progress::new())
                .expect("not cancelled");
            let (mut within, mut across) = (Vec::new(), Vec::new());
            for a in 0..10 {
                for b in a + 1..10 {
                    if (a < 5) == (b < 5) {
                        within.push(dist(&p, a, b));
                    } else {
                        across.push(dist(&p, a, b));
                    }
                }
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            assert!(
                2.0 * mean(&within) < mean(&across),
                "seed {seed}: within {} across {}",
                mean(&within),
                mean(&across)
            );
        }
    }

    #[test]
    fn positions_are_seeded_finite_and_fill_the_unit_square() {
        // A 50-node path with weights 1..50 and five isolated nodes.
        let edges: Vec<(usize, usize, f64)> = (0..49).map(|i| (i, i + 1, 1.0 + i as f64)).collect();
        let a = fruchterman_reingold(55, &edges, 300, 7, &Progress::new()).expect("runs");
        let b = fruchterman_reingold(55, &edges, 300, 7, &Progress::new()).expect("runs");
        assert_eq!(a, b, "same seed, same picture");
        let c = fruchterman_reingold(55, &edges, 300, 8, &Progress::new()).expect("runs");
        assert_ne!(a, c, "another seed, another start");
        assert!(
            a.iter()
                .flatten()
                .all(|v| v.is_finite() && (0.0..=1.0).contains(v))
        );
        // Scaled so the longer side spans the square.
        let span = |k: usize| {
            let v: Vec<f64> = a.iter().map(|p| p[k]).collect();
            v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
        };
        assert!((span(0).max(span(1)) - 1.0).abs() < 1e-12);
        // No two nodes on top of each other (repulsion works).
        for i in 0..55 {
            for j in i + 1..55 {
                assert!(dist(&a, i, j) > 1e-4, "{i} and {j} coincide");
            }
        }
    }

    #[test]
    fn cancelling_stops_the_layout() {
        let p = Progress::new();
        p.cancel();
        assert!(fruchterman_reingold(10, &two_cliques(), 300, 1, &p).is_err());
        let one = fruchterman_reingold(1, &[], 300, 1, &Progress::new()).expect("runs");
        assert_eq!(one, vec![[0.5, 0.5]]);
    }
}

#[test]
fn network_edges_follow_the_rule_strongest_first() {
    use mi_workbench::analysis::network::{EdgeRule, Strength, edges};
    let ds = chain(600);
    let full = matrix::run(&ds, &request(60), &Progress::new(), &|_, _| {}).unwrap();
    let all = edges(
        &full,
        EdgeRule::Above(Strength::Mi, f64::NEG_INFINITY),
        Strength::Mi,
        100,
    );
    assert_eq!(all.len(), 10, "every pair passes an empty threshold");
    assert!(all.windows(2).all(|w| w[0].mi >= w[1].mi));
    // a–b (ρ ≈ 0.89) and a–c (ρ ≈ 0.71) are strong; e is noise: no edge with e at r_I ≥ 0.3.
    let strong = edges(
        &full,
        EdgeRule::Above(Strength::InfoCoefficient, 0.3),
        Strength::Mi,
        100,
    );
    let has = |a: usize, b: usize| strong.iter().any(|e| (e.a, e.b) == (a, b));
    assert!(has(0, 1) && has(0, 2), "{strong:?}");
    assert!(strong.iter().all(|e| e.a != 4 && e.b != 4), "{strong:?}");
    assert!(strong.iter().all(|e| e.r_i >= 0.3));
    let capped = edges(
        &full,
        EdgeRule::Above(Strength::Mi, f64::NEG_INFINITY),
        Strength::Mi,
        3,
    );
    assert_eq!(capped, all[..3].to_vec());
    let sig = edges(&full, EdgeRule::Significant(0.05), Strength::Mi, 100);
    assert!(sig.iter().all(|e| e.p_adjusted <= 0.05));
    assert_eq!(
        sig.len(),
        full.p_adjusted.iter().filter(|&&p| p <= 0.05).count()
    );
}

#[test]
fn the_edge_list_csv_has_one_row_per_edge() {
    use mi_workbench::analysis::network::{EdgeRule, Strength, edges};
    use mi_workbench::estimate::Units;
    let ds = chain(300);
    for perms in [0, 20] {
        let full = matrix::run(&ds, &request(perms), &Progress::new(), &|_, _| {}).unwrap();
        let e = edges(
            &full,
            EdgeRule::Above(Strength::InfoCoefficient, 0.3),
            Strength::Mi,
            100,
        );
        let csv = mi_workbench::export::network_edges_csv(&ds, &full, &e, Units::Bits);
        let mut lines = csv.lines();
        let header = if perms > 0 {
            "x,y,mi,unit,estimator,p_adjusted"
        } else {
            "x,y,mi,unit,estimator"
        };
        assert_eq!(lines.next(), Some(header));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), e.len());
        let first: Vec<&str> = rows[0].split(',').collect();
        let names = ["a", "b", "c", "d", "e"];
        let c = &full.cells[e[0].cell];
        assert_eq!((first[0], first[1]), (names[c.x], names[c.y]));
        let bits: f64 = first[2].parse().expect("a number");
        assert!((bits - e[0].mi / std::f64::consts::LN_2).abs() < 1e-12);
        assert_eq!((first[3], first[4]), ("bits", "ksg1"));
    }
}
