//! Writes a synthetic feature-selection file with known column roles
//! (`mi_workbench::data::synthetic`, in the style of scikit-learn's `make_classification`
//! and `make_regression`) and, beside it, `<OUT>.roles.csv` (`column,role`):
//!
//!   cargo run --release --example make_ranking_data -- OUT.csv [--task classification|regression]
//!       [--rows N] [--informative N] [--redundant N] [--repeated N] [--noise N]
//!       [--text N] [--missing FRACTION] [--classes N] [--seed S]
//!
//! The ranking benchmark (`benches/ranking/run.py`) generates its files with it.

use clap::Parser;
use mi_workbench::data::synthetic::{SyntheticSpec, Task, generate};
use std::path::PathBuf;

#[derive(Parser)]
struct Args {
    out: PathBuf,
    #[arg(long, default_value = "classification")]
    task: String,
    #[arg(long, default_value_t = 10_000)]
    rows: usize,
    #[arg(long, default_value_t = 5)]
    informative: usize,
    #[arg(long, default_value_t = 5)]
    redundant: usize,
    #[arg(long, default_value_t = 0)]
    repeated: usize,
    #[arg(long, default_value_t = 20)]
    noise: usize,
    /// Feature columns written as text levels.
    #[arg(long, default_value_t = 3)]
    text: usize,
    /// Fraction of feature cells left empty.
    #[arg(long, default_value_t = 0.0)]
    missing: f64,
    #[arg(long, default_value_t = 2)]
    classes: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

fn main() -> std::io::Result<()> {
    let a = Args::parse();
    let task = match a.task.as_str() {
        "regression" => Task::Regression { noise: 1.0 },
        _ => Task::Classification {
            classes: a.classes,
            clusters_per_class: 2,
            class_sep: 1.0,
        },
    };
    let spec = SyntheticSpec {
        task,
        rows: a.rows,
        informative: a.informative,
        redundant: a.redundant,
        repeated: a.repeated,
        noise: a.noise,
        text_coded: a.text,
        missing: a.missing,
        seed: a.seed,
    };
    let s = generate(&spec);
    std::fs::write(&a.out, s.to_csv())?;
    let mut roles = a.out.clone().into_os_string();
    roles.push(".roles.csv");
    std::fs::write(roles, s.roles_csv())
}
