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
