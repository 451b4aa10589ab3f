//! Everything the pair inspector shows about two columns: the MI by the chosen
//! estimator, |Pearson|, Spearman, the entropies of the information diagram, and the
//! data for a scatter plot, a contingency table or per-category strips.
//!
//! Entropies of continuous columns are computed on bins (the settings' bin rule and
//! strategy) and labelled "binned"; of discrete columns on counts ("plug-in"). They
//! describe the picture, not the headline MI, which uses the settings' estimator.

use super::{Cancelled, Progress};
use crate::data::order::{CategoryOrder, permutation};
use crate::data::{Column, ColumnKind, Dataset, NoSuchColumn};
use crate::estimate::pair::{PairEstimate, mi_pair_rows_until};
use crate::estimate::parallel::Cancel;
use crate::estimate::prepare::{complete_rows, gather};
use crate::estimate::{EstimateError, Settings, correlation, discrete, histogram};

/// Scatter plots keep at most this many points (an even stride through the rows).
pub const MAX_POINTS: usize = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntropyBasis {
    /// Both columns discrete: entropies from counts of their values.
    PlugIn,
    /// At least one continuous column, binned by the settings' rule.
    Binned,
}

impl EntropyBasis {
    pub fn label(self) -> &'static str {
        match self {
            EntropyBasis::PlugIn => "plug-in",
            EntropyBasis::Binned => "binned",
        }
    }
}

/// H(X), H(Y), H(X,Y) in nats; the rest of the diagram follows from them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entropies {
    pub h_x: f64,
    pub h_y: f64,
    pub h_xy: f64,
    pub basis: EntropyBasis,
    /// Bin counts used for continuous columns (`None` for a discrete column).
    pub bins_x: Option<usize>,
    pub bins_y: Option<usize>,
}

impl Entropies {
    pub fn h_x_given_y(&self) -> f64 {
        self.h_xy - self.h_y
    }
    pub fn h_y_given_x(&self) -> f64 {
        self.h_xy - self.h_x
    }
    /// I(X;Y) = H(X) + H(Y) − H(X,Y) on the same bins or counts.
    pub fn mi(&self) -> f64 {
        self.h_x + self.h_y - self.h_xy
    }
}

/// Joint counts of two discrete columns; rows are X's values, columns Y's.
#[derive(Clone, Debug, PartialEq)]
pub struct Contingency {
    pub x_labels: Vec<String>,
    pub y_labels: Vec<String>,
    /// Row-major: `counts[i * y_labels.len() + j]`.
    pub counts: Vec<u64>,
    pub row_totals: Vec<u64>,
    pub col_totals: Vec<u64>,
    pub n: u64,
}

impl Contingency {
    pub fn count(&self, i: usize, j: usize) -> u64 {
        self.counts
            .get(i * self.y_labels.len() + j)
            .copied()
            .unwrap_or(0)
    }
    /// Joint probability p(x_i, y_j).
    pub fn prob(&self, i: usize, j: usize) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        self.count(i, j) as f64 / self.n as f64
    }
    /// Pointwise MI log p(x,y)/(p(x)p(y)) in nats; −∞ for an empty cell.
    pub fn pmi(&self, i: usize, j: usize) -> f64 {
        let c = self.count(i, j);
        let (r, k) = (self.row_totals[i], self.col_totals[j]);
        if self.n == 0 || r == 0 || k == 0 {
            return f64::NAN;
        }
        if c == 0 {
            return f64::NEG_INFINITY;
        }
        (c as f64 * self.n as f64 / (r as f64 * k as f64)).ln()
    }
}

/// A continuous column split by the values of a discrete one (strip/box plot).
#[derive(Clone, Debug, PartialEq)]
pub struct Groups {
    /// True when X is the discrete column.
    pub discrete_is_x: bool,
    pub labels: Vec<String>,
    /// Values of the continuous column per group (each at most [`MAX_POINTS`] / groups).
    pub values: Vec<Vec<f64>>,
    /// Per group: minimum, lower quartile, median, upper quartile, maximum.
    pub five_numbers: Vec<[f64; 5]>,
    pub counts: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PairDetails {
    pub x: usize,
    pub y: usize,
    pub x_name: String,
    pub y_name: String,
    pub x_kind: ColumnKind,
    pub y_kind: ColumnKind,
    pub n_used: usize,
    pub settings: Settings,
    /// MI by the settings' estimator (nats), with the method it resolved to.
    pub estimate: Result<PairEstimate, EstimateError>,
    /// |Pearson ρ| and Spearman ρ_s; `None` for text columns or fewer than 3 rows.
    pub pearson_abs: Option<f64>,
    pub spearman: Option<f64>,
    pub entropies: Option<Entropies>,
    /// Both columns discrete.
    pub contingency: Option<Contingency>,
    /// Both columns numeric: (x, y) points, at most [`MAX_POINTS`].
    pub points: Vec<[f64; 2]>,
    /// One discrete, one continuous column.
    pub groups: Option<Groups>,
}

/// Computes everything the inspector shows; seconds at most for a million rows. The
/// estimate polls `progress` for cancellation as it goes (`Err(Cancelled)` then).
pub fn inspect_pair(
    ds: &Dataset,
    x: usize,
    y: usize,
    settings: &Settings,
    progress: &Progress,
) -> Result<Result<PairDetails, NoSuchColumn>, Cancelled> {
    let Some(cx) = ds.columns.get(x) else {
        return Ok(Err(NoSuchColumn(x)));
    };
    let Some(cy) = ds.columns.get(y) else {
        return Ok(Err(NoSuchColumn(y)));
    };
    let rows = complete_rows(&[cx, cy]);
    let n = rows.len();
    let is_cancelled = || progress.is_cancelled();
    let estimate =
        mi_pair_rows_until(cx, cy, &rows, settings, Cancel::new(&is_cancelled)).ok_or(Cancelled)?;
    let (ax, ay) = (gather(&cx.values, &rows), gather(&cy.values, &rows));
    let numeric = !cx.is_text() && !cy.is_text();
    let (pearson_abs, spearman) = if numeric && n >= 3 {
        let p = correlation::pearson(&ax, &ay);
        let s = correlation::spearman(&ax, &ay);
        (p.is_finite().then_some(p.abs()), s.is_finite().then_some(s))
    } else {
        (None, None)
    };

    let entropies = (n >= 2).then(|| entropies(cx, cy, &ax, &ay, settings));
    let (dx, dy) = (cx.kind.is_discrete(), cy.kind.is_discrete());
    let contingency = (dx && dy && n > 0).then(|| contingency(cx, cy, &ax, &ay));
    let points = if numeric && !(dx && dy) {
        let stride = n.div_ceil(MAX_POINTS).max(1);
        ax.iter()
            .zip(&ay)
            .step_by(stride)
            .map(|(&a, &b)| [a, b])
            .collect()
    } else {
        Vec::new()
    };
    let groups = match (dx, dy) {
        (true, false) => Some(groups(cx, &ax, &ay, true)),
        (false, true) => Some(groups(cy, &ay, &ax, false)),
        _ => None,
    };
    Ok(Ok(PairDetails {
        x,
        y,
        x_name: cx.name.clone(),
        y_name: cy.name.clone(),
        x_kind: cx.kind,
        y_kind: cy.kind,
        n_used: n,
        settings: settings.clone(),
        estimate,
        pearson_abs,
        spearman,
        entropies,
        contingency,
        points,
        groups,
    }))
}

/// Lists each discrete column's categories in the order the analyst chose (`orders`
/// for X and Y): the contingency table's rows and columns, the strips' groups. Only the
/// presentation changes; every number stays the same.
pub fn order_categories(d: &mut PairDetails, ds: &Dataset, orders: [CategoryOrder; 2]) {
    let text = |c: usize| ds.columns.get(c).is_some_and(Column::is_text);
    let (tx, ty) = (text(d.x), text(d.y));
    if let Some(t) = &mut d.contingency {
        let px = permutation(&t.x_labels, &t.row_totals, orders[0], tx);
        let py = permutation(&t.y_labels, &t.col_totals, orders[1], ty);
        let my = t.y_labels.len();
        let counts = px
            .iter()
            .flat_map(|&i| py.iter().map(move |&j| (i, j)))
            .map(|(i, j)| t.counts.get(i * my + j).copied().unwrap_or(0))
            .collect();
        t.counts = counts;
        t.x_labels = permute(&t.x_labels, &px);
        t.y_labels = permute(&t.y_labels, &py);
        t.row_totals = permute(&t.row_totals, &px);
        t.col_totals = permute(&t.col_totals, &py);
    }
    if let Some(g) = &mut d.groups {
        let (order, is_text) = if g.discrete_is_x {
            (orders[0], tx)
        } else {
            (orders[1], ty)
        };
        let counts: Vec<u64> = g.counts.iter().map(|&c| c as u64).collect();
        let p = permutation(&g.labels, &counts, order, is_text);
        g.labels = permute(&g.labels, &p);
        g.values = permute(&g.values, &p);
        g.five_numbers = permute(&g.five_numbers, &p);
        g.counts = permute(&g.counts, &p);
    }
}

fn permute<T: Clone>(v: &[T], p: &[usize]) -> Vec<T> {
    p.iter().filter_map(|&i| v.get(i).cloned()).collect()
}

/// Dense codes ordered by value, and the distinct values (so codes map back to labels).
fn sorted_codes(values: &[f64]) -> (Vec<u32>, Vec<f64>) {
    let mut distinct: Vec<f64> = values.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let codes = values
        .iter()
        .map(|v| distinct.binary_search_by(|d| d.total_cmp(v)).unwrap_or(0) as u32)
        .collect();
    (codes, distinct)
}

fn column_codes(col: &Column, values: &[f64], settings: &Settings) -> (Vec<u32>, Option<usize>) {
    if col.kind.is_discrete() {
        (sorted_codes(values).0, None)
    } else {
        let bins = histogram::bin_count(values, settings.bins).max(1);
        (
            histogram::bin_codes(values, bins, settings.strategy),
            Some(bins),
        )
    }
}

fn entropies(cx: &Column, cy: &Column, ax: &[f64], ay: &[f64], settings: &Settings) -> Entropies {
    let (kx, bins_x) = column_codes(cx, ax, settings);
    let (ky, bins_y) = column_codes(cy, ay, settings);
    let (kxy, _) = discrete::joint_codes(&kx, &ky);
    let mm = settings.miller_madow;
    Entropies {
        h_x: discrete::entropy(&kx, mm),
        h_y: discrete::entropy(&ky, mm),
        h_xy: discrete::entropy(&kxy, mm),
        basis: if bins_x.is_none() && bins_y.is_none() {
            EntropyBasis::PlugIn
        } else {
            EntropyBasis::Binned
        },
        bins_x,
        bins_y,
    }
}

fn contingency(cx: &Column, cy: &Column, ax: &[f64], ay: &[f64]) -> Contingency {
    let (kx, vx) = sorted_codes(ax);
    let (ky, vy) = sorted_codes(ay);
    let (mx, my) = (vx.len(), vy.len());
    let mut counts = vec![0u64; mx * my];
    let mut row_totals = vec![0u64; mx];
    let mut col_totals = vec![0u64; my];
    for (&a, &b) in kx.iter().zip(&ky) {
        let (a, b) = (a as usize, b as usize);
        counts[a * my + b] += 1;
        row_totals[a] += 1;
        col_totals[b] += 1;
    }
    Contingency {
        x_labels: vx.iter().map(|&v| cx.label_of(v)).collect(),
        y_labels: vy.iter().map(|&v| cy.label_of(v)).collect(),
        counts,
        row_totals,
        col_totals,
        n: kx.len() as u64,
    }
}

fn groups(discrete_col: &Column, d: &[f64], c: &[f64], discrete_is_x: bool) -> Groups {
    let (codes, distinct) = sorted_codes(d);
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); distinct.len()];
    for (&k, &v) in codes.iter().zip(c) {
        values[k as usize].push(v);
    }
    let counts: Vec<usize> = values.iter().map(Vec::len).collect();
    let five_numbers = values
        .iter()
        .map(|g| {
            let mut s = g.clone();
            s.sort_by(f64::total_cmp);
            [
                quantile(&s, 0.0),
                quantile(&s, 0.25),
                quantile(&s, 0.5),
                quantile(&s, 0.75),
                quantile(&s, 1.0),
            ]
        })
        .collect();
    let per_group = (MAX_POINTS / distinct.len().max(1)).max(50);
    for g in &mut values {
        let stride = g.len().div_ceil(per_group).max(1);
        if stride > 1 {
            *g = g.iter().copied().step_by(stride).collect();
        }
    }
    Groups {
        discrete_is_x,
        labels: distinct.iter().map(|&v| discrete_col.label_of(v)).collect(),
        values,
        five_numbers,
        counts,
    }
}

/// Linear-interpolation quantile of sorted values; NaN when empty.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let t = pos - lo as f64;
    sorted[lo] * (1.0 - t) + sorted[hi] * t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contingency_counts_probabilities_and_pmi() {
        let x = Column::with_kind("x", vec![0.0, 0.0, 1.0, 1.0, 0.0], ColumnKind::Discrete);
        let y = Column::with_kind("y", vec![0.0, 0.0, 1.0, 1.0, 1.0], ColumnKind::Discrete);
        let t = contingency(&x, &y, &x.values, &y.values);
        assert_eq!(t.count(0, 0), 2);
        assert_eq!(t.count(0, 1), 1);
        assert_eq!(t.count(1, 1), 2);
        assert_eq!(t.count(1, 0), 0);
        assert!((t.prob(0, 0) - 0.4).abs() < 1e-12);
        // p(0,0) = 0.4, p(x=0) = 0.6, p(y=0) = 0.4 → ln(0.4 / 0.24).
        assert!((t.pmi(0, 0) - (0.4f64 / 0.24).ln()).abs() < 1e-12);
        assert_eq!(t.pmi(1, 0), f64::NEG_INFINITY);
    }

    #[test]
    fn category_order_moves_rows_with_their_counts() {
        // x: 0 ×1, 1 ×3, 2 ×2; y: 0 ×4, 1 ×2.
        let x = Column::with_kind("x", vec![0., 1., 1., 1., 2., 2.], ColumnKind::Discrete);
        let y = Column::with_kind("y", vec![0., 0., 0., 1., 1., 0.], ColumnKind::Discrete);
        let ds = Dataset::new("t", vec![x, y]);
        let settings = Settings::default();
        let plain = inspect_pair(&ds, 0, 1, &settings, &Progress::new())
            .expect("not cancelled")
            .expect("two columns");
        let mut by_freq = plain.clone();
        order_categories(&mut by_freq, &ds, [CategoryOrder::Frequency; 2]);
        let (a, b) = (
            plain.contingency.as_ref().expect("discrete"),
            by_freq.contingency.as_ref().expect("discrete"),
        );
        assert_eq!(b.x_labels, ["1", "2", "0"]);
        assert_eq!(b.row_totals, [3, 2, 1]);
        assert_eq!(b.y_labels, a.y_labels);
        for (i, &pi) in [1usize, 2, 0].iter().enumerate() {
            for j in 0..2 {
                assert_eq!(b.count(i, j), a.count(pi, j), "cell ({i}, {j})");
            }
        }
        assert_eq!(by_freq.estimate, plain.estimate);
    }

    #[test]
    fn quartiles_interpolate() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&s, 0.5), 3.0);
        assert_eq!(quantile(&s, 0.25), 2.0);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
