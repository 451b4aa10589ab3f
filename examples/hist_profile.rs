use mi_workbench::analysis::Progress;
use mi_workbench::analysis::matrix::{MatrixRequest, run};
use mi_workbench::data::{ReadOptions, read_csv_path};
use mi_workbench::estimate::{BinRule, Estimator, Settings};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let ds = read_csv_path(std::path::Path::new(&path), &ReadOptions::default()).unwrap();
    let request = MatrixRequest { columns: (0..ds.columns.len()).collect(), settings: Settings { estimator: Estimator::Histogram, bins: BinRule::Fixed(32), ..Settings::default() }, permutations: 0 };
    let mut times = vec![];
    for _ in 0..40 {
        let t = Instant::now();
        let m = run(&ds, &request, &Progress::new(), &|_, _| {}).unwrap();
        times.push(t.elapsed().as_secs_f64());
        assert!(m.cells.len() > 0);
    }
    times.sort_by(f64::total_cmp);
    println!("min {:.4} median {:.4}", times[0], times[20]);
}
