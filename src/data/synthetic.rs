//! Synthetic feature-selection files whose column roles are known, in the style of
//! scikit-learn's `make_classification` and `make_regression`: the ranking benchmark
//! (`benches/ranking/run.py`) and the mRMR tests score a ranking by how many of its top
//! features are not noise.
//!
//! - informative: classification: Gaussian clusters (sd 1) on vertices of a hypercube of
//!   side 2·`class_sep`, `clusters_per_class` per class; regression: independent N(0, 1)
//!   columns and a target y = X·w + `noise`·N(0, 1), w ~ U(1, 10);
//! - redundant: random linear combinations X_inf·B of the informative ones, B ~ U(−1, 1);
//! - repeated: exact copies of informative or redundant columns;
//! - noise: independent N(0, 1).
//!
//! Unlike scikit-learn, a vertex assignment in which some informative coordinate is the
//! same for every class is redrawn, and so are redundant weights B whose combination
//! nearly cancels the target's signal (class means less than ½·class_sep apart per unit
//! of noise, or |ρ| < ½ with the regression target): such a column is noise in all but
//! name (we measured redundant columns with I(f;T) ≈ 0.000 nats at n = 5000), and no
//! ranking could or should put it above noise. Every informative and redundant column
//! therefore carries marginal information about the target (a column informative only
//! jointly, as in XOR, is a different benchmark). `text_coded` columns (any role) are cut into four quantile bins
//! with text labels, as categorical survey answers are; `missing` blanks that fraction
//! of feature cells at random. Columns are shuffled and named `f00`, `f01`, … so that
//! neither position nor name gives a role away; [`Synthetic::roles`] keeps them.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Task {
    Classification {
        classes: usize,
        clusters_per_class: usize,
        class_sep: f64,
    },
    Regression {
        noise: f64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticSpec {
    pub task: Task,
    pub rows: usize,
    pub informative: usize,
    pub redundant: usize,
    pub repeated: usize,
    pub noise: usize,
    /// Feature columns written as four text levels.
    pub text_coded: usize,
    /// Fraction of feature cells left empty.
    pub missing: f64,
    pub seed: u64,
}

impl SyntheticSpec {
    /// The issue-15 shape: 5 informative, 5 redundant, `noise` noise columns, 3 of them
    /// text-coded, two classes with two clusters each.
    pub fn classification(rows: usize, noise: usize, seed: u64) -> Self {
        Self {
            task: Task::Classification {
                classes: 2,
                clusters_per_class: 2,
                class_sep: 1.0,
            },
            rows,
            informative: 5,
            redundant: 5,
            repeated: 0,
            noise,
            text_coded: 3,
            missing: 0.0,
            seed,
        }
    }

    pub fn regression(rows: usize, noise: usize, seed: u64) -> Self {
        Self {
            task: Task::Regression { noise: 1.0 },
            ..Self::classification(rows, noise, seed)
        }
    }

    pub fn features(&self) -> usize {
        self.informative + self.redundant + self.repeated + self.noise
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Informative,
    Redundant,
    Repeated,
    Noise,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Self::Informative => "informative",
            Self::Redundant => "redundant",
            Self::Repeated => "repeated",
            Self::Noise => "noise",
        }
    }
}

/// A generated table: the feature columns (shuffled) and the target, last.
#[derive(Clone, Debug)]
pub struct Synthetic {
    pub names: Vec<String>,
    pub roles: Vec<Role>,
    /// Column-major cells as written (text or number; empty = missing).
    pub cells: Vec<Vec<String>>,
    pub target: Vec<String>,
}

impl Synthetic {
    /// The CSV text: `f00,…,target`.
    pub fn to_csv(&self) -> String {
        let mut out = self.names.join(",");
        out.push_str(",target\n");
        for r in 0..self.target.len() {
            for c in &self.cells {
                out.push_str(&c[r]);
                out.push(',');
            }
            out.push_str(&self.target[r]);
            out.push('\n');
        }
        out
    }

    /// `column,role` for every feature.
    pub fn roles_csv(&self) -> String {
        let mut out = String::from("column,role\n");
        for (n, r) in self.names.iter().zip(&self.roles) {
            out.push_str(&format!("{n},{}\n", r.name()));
        }
        out
    }

    pub fn is_noise(&self, name: &str) -> Option<bool> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(self.roles[i] == Role::Noise)
    }
}

/// How much of the target's signal a combination of the informative columns keeps.
type Carry = dyn Fn(&[f64]) -> f64;

/// The least signal a redundant column keeps: class means ½·class_sep apart per unit
/// of noise sd, or |ρ| = ½ with the regression target (about 0.14 nats).
const MIN_CARRY: f64 = 0.5;

pub fn generate(spec: &SyntheticSpec) -> Synthetic {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let n = spec.rows;
    let normal = |rng: &mut ChaCha8Rng| -> f64 { rng.sample(StandardNormal) };
    let mut informative: Vec<Vec<f64>> = (0..spec.informative)
        .map(|_| (0..n).map(|_| normal(&mut rng)).collect())
        .collect();
    // How a combination b of the informative columns carries the target: its signal
    // (spread of class means, or |correlation| with y) per unit of noise.
    let carries: Box<Carry>;
    let target: Vec<String> = match spec.task {
        Task::Classification {
            classes,
            clusters_per_class,
            class_sep,
        } => {
            let clusters = (classes * clusters_per_class).max(1);
            let vertices = distinct_vertices(&mut rng, clusters, spec.informative, classes);
            let classes = classes.max(1);
            let means: Vec<Vec<f64>> = (0..classes)
                .map(|c| {
                    let ks: Vec<usize> = (c..clusters).step_by(classes).collect();
                    (0..spec.informative)
                        .map(|d| {
                            let sum: f64 = ks
                                .iter()
                                .map(|&k| {
                                    if vertices[k][d] {
                                        class_sep
                                    } else {
                                        -class_sep
                                    }
                                })
                                .sum();
                            sum / ks.len().max(1) as f64
                        })
                        .collect()
                })
                .collect();
            carries = Box::new(move |b: &[f64]| {
                let at: Vec<f64> = means
                    .iter()
                    .map(|m| m.iter().zip(b).map(|(m, b)| m * b).sum())
                    .collect();
                let spread = at.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - at.iter().copied().fold(f64::INFINITY, f64::min);
                spread / b.iter().map(|b| b * b).sum::<f64>().sqrt() / class_sep
            });
            (0..n)
                .map(|r| {
                    // Balanced classes, as make_classification's default weights.
                    let k = r % clusters;
                    for (d, col) in informative.iter_mut().enumerate() {
                        col[r] += if vertices[k][d] {
                            class_sep
                        } else {
                            -class_sep
                        };
                    }
                    format!("class_{}", k % classes.max(1))
                })
                .collect()
        }
        Task::Regression { noise } => {
            let w: Vec<f64> = (0..spec.informative)
                .map(|_| rng.random_range(1.0..10.0))
                .collect();
            let wn = w.iter().map(|w| w * w).sum::<f64>().sqrt();
            let w2 = w.clone();
            carries = Box::new(move |b: &[f64]| {
                let dot: f64 = b.iter().zip(&w2).map(|(b, w)| b * w).sum();
                dot.abs() / (wn * b.iter().map(|b| b * b).sum::<f64>().sqrt())
            });
            (0..n)
                .map(|r| {
                    let y: f64 = informative.iter().zip(&w).map(|(c, w)| c[r] * w).sum();
                    fmt(y + noise * normal(&mut rng))
                })
                .collect()
        }
    };
    let mut columns: Vec<(Role, Vec<f64>)> = informative
        .iter()
        .map(|c| (Role::Informative, c.clone()))
        .collect();
    for _ in 0..spec.redundant {
        let mut b: Vec<f64> = Vec::new();
        for _ in 0..100 {
            b = (0..spec.informative)
                .map(|_| rng.random_range(-1.0..1.0))
                .collect();
            if carries(&b) >= MIN_CARRY {
                break;
            }
        }
        let col = (0..n)
            .map(|r| informative.iter().zip(&b).map(|(c, b)| c[r] * b).sum())
            .collect();
        columns.push((Role::Redundant, col));
    }
    let copyable = columns.len();
    for _ in 0..spec.repeated {
        if copyable == 0 {
            break;
        }
        let j = rng.random_range(0..copyable);
        columns.push((Role::Repeated, columns[j].1.clone()));
    }
    for _ in 0..spec.noise {
        columns.push((Role::Noise, (0..n).map(|_| normal(&mut rng)).collect()));
    }
    columns.shuffle(&mut rng);
    let text: Vec<bool> = {
        let mut t: Vec<bool> = (0..columns.len()).map(|i| i < spec.text_coded).collect();
        t.shuffle(&mut rng);
        t
    };
    let mut cells: Vec<Vec<String>> = columns
        .iter()
        .zip(&text)
        .map(|((_, v), &t)| {
            if t {
                text_levels(v)
            } else {
                v.iter().map(|&x| fmt(x)).collect()
            }
        })
        .collect();
    if spec.missing > 0.0 {
        for col in &mut cells {
            for cell in col.iter_mut() {
                if rng.random_bool(spec.missing.clamp(0.0, 1.0)) {
                    cell.clear();
                }
            }
        }
    }
    Synthetic {
        names: (0..columns.len()).map(|i| format!("f{i:02}")).collect(),
        roles: columns.iter().map(|(r, _)| *r).collect(),
        cells,
        target,
    }
}

/// `clusters` random hypercube vertices (as bit vectors over `dims`), distinct while
/// there are enough vertices, redrawn until every coordinate differs between some two
/// classes (cluster k belongs to class k mod `classes`).
fn distinct_vertices(
    rng: &mut ChaCha8Rng,
    clusters: usize,
    dims: usize,
    classes: usize,
) -> Vec<Vec<bool>> {
    let classes = classes.max(1);
    let mut best = Vec::new();
    for _ in 0..1000 {
        let mut v: Vec<Vec<bool>> = Vec::new();
        while v.len() < clusters {
            let cand: Vec<bool> = (0..dims).map(|_| rng.random_bool(0.5)).collect();
            if !v.contains(&cand) || (dims < 63 && v.len() >= (1usize << dims)) {
                v.push(cand);
            }
        }
        let separates = |d: usize| {
            (0..classes).any(|a| {
                (0..classes).any(|b| {
                    let mean = |c: usize| {
                        let ks: Vec<usize> = (c..clusters).step_by(classes).collect();
                        ks.iter().filter(|&&k| v[k][d]).count() as f64 / ks.len().max(1) as f64
                    };
                    a != b && mean(a) != mean(b)
                })
            })
        };
        let ok = (0..dims).all(separates);
        best = v;
        if ok {
            break;
        }
    }
    best
}

/// Four quantile levels named by letter: a text-coded (categorical) copy of `v`.
fn text_levels(v: &[f64]) -> Vec<String> {
    if v.is_empty() {
        return Vec::new();
    }
    let mut sorted = v.to_vec();
    sorted.sort_by(f64::total_cmp);
    let q = |f: f64| sorted[((f * (sorted.len() - 1) as f64) as usize).min(sorted.len() - 1)];
    let cuts = [q(0.25), q(0.5), q(0.75)];
    v.iter()
        .map(|&x| {
            let level = cuts.iter().filter(|&&c| x > c).count();
            ["level_a", "level_b", "level_c", "level_d"][level].to_string()
        })
        .collect()
}

/// Six decimals: far below the noise every column carries, and a compact file.
fn fmt(x: f64) -> String {
    format!("{x:.6}")
}
