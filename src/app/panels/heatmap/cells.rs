//! What the grid shows: the cells of a running job or a finished result, the display
//! order (file or cluster order), and each cell's value on the chosen scale.

use super::{HeatmapResult, Scale};
use crate::analysis::matrix::{MatrixRequest, PairCell};
use crate::analysis::pair_index;
use crate::app::cluster::average_linkage_order;
use crate::estimate::normalised::{NmiForm, normalised_mi};
use crate::estimate::{Units, info_coefficient};

/// Cluster ordering is skipped above this many columns (it is O(m³)).
const MAX_CLUSTER: usize = 800;

/// The cells of the running job, filled as they arrive.
pub(super) struct Streaming {
    request: MatrixRequest,
    cells: Vec<Option<PairCell>>,
    /// As [`HeatmapResult::dense_mi`], filled as cells arrive.
    dense_mi: Vec<f32>,
}

impl Streaming {
    pub(super) fn new(request: MatrixRequest) -> Self {
        let m = request.columns.len();
        let pairs = m * m.saturating_sub(1) / 2;
        Self {
            request,
            cells: vec![None; pairs],
            dense_mi: vec![f32::NAN; pairs],
        }
    }

    pub(super) fn insert(&mut self, i: usize, cell: PairCell) {
        if let Some(slot) = self.dense_mi.get_mut(i) {
            *slot = cell.mi().map_or(f32::NAN, |v| v as f32);
        }
        if let Some(slot) = self.cells.get_mut(i) {
            *slot = Some(cell);
        }
    }

    pub(super) fn received(&self) -> usize {
        self.cells.iter().filter(|c| c.is_some()).count()
    }
}

pub(super) enum CellsView<'a> {
    Streaming(&'a Streaming),
    Done(&'a HeatmapResult),
}

impl CellsView<'_> {
    pub(super) fn request(&self) -> &MatrixRequest {
        match self {
            CellsView::Streaming(s) => &s.request,
            CellsView::Done(r) => &r.matrix.request,
        }
    }
    pub(super) fn cell(&self, i: usize) -> Option<&PairCell> {
        match self {
            CellsView::Streaming(s) => s.cells.get(i).and_then(Option::as_ref),
            CellsView::Done(r) => r.matrix.cells.get(i),
        }
    }
    pub(super) fn p_adjusted(&self, i: usize) -> Option<f64> {
        match self {
            CellsView::Streaming(_) => None,
            CellsView::Done(r) => r.matrix.p_adjusted.get(i).copied().filter(|p| !p.is_nan()),
        }
    }
    pub(super) fn dense_mi(&self) -> &[f32] {
        match self {
            CellsView::Streaming(s) => &s.dense_mi,
            CellsView::Done(r) => &r.dense_mi,
        }
    }
    pub(super) fn entropy(&self, pos: usize) -> f64 {
        match self {
            CellsView::Streaming(_) => f64::NAN,
            CellsView::Done(r) => r.entropies.get(pos).copied().unwrap_or(f64::NAN),
        }
    }
}

/// Dataset columns in display order: file order, or cluster order for a finished result.
pub(super) fn display_order(
    cache: &mut Option<(u64, MatrixRequest, Vec<usize>)>,
    cluster: bool,
    generation: u64,
    view: &CellsView,
) -> Vec<usize> {
    let columns = view.request().columns.clone();
    let m = columns.len();
    let CellsView::Done(res) = view else {
        return columns;
    };
    if !cluster || m > MAX_CLUSTER {
        return columns;
    }
    if let Some((g, r, order)) = cache.as_ref()
        && *g == generation
        && *r == res.matrix.request
    {
        return order.iter().map(|&p| columns[p]).collect();
    }
    let order = average_linkage_order(m, |a, b| {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let mi = res.matrix.cells[pair_index(m, lo, hi)]
            .mi()
            .unwrap_or(f64::NAN);
        1.0 - info_coefficient(mi)
    });
    let out = order.iter().map(|&p| columns[p]).collect();
    *cache = Some((generation, res.matrix.request.clone(), order));
    out
}

/// The value a cell shows on the current scale (None: no value for this scale).
pub(super) fn scaled(
    view: &CellsView,
    scale: Scale,
    units: Units,
    i: usize,
    pa: usize,
    pb: usize,
) -> Option<f64> {
    let mi = view.cell(i)?.mi()?;
    scale_value(mi, scale, units, view.entropy(pa), view.entropy(pb))
}

/// MI (nats) on the chosen scale; `None` where the scale has no value (NMI of a pair
/// with a continuous column). `ha`, `hb`: the columns' entropies (NaN if continuous).
pub(super) fn scale_value(mi: f64, scale: Scale, units: Units, ha: f64, hb: f64) -> Option<f64> {
    let form = match scale {
        Scale::Raw => return Some(units.from_nats(mi)),
        Scale::InfoCoefficient => return Some(info_coefficient(mi)),
        Scale::NmiMin => NmiForm::Min,
        Scale::NmiSqrt => NmiForm::Sqrt,
        Scale::NmiMean => NmiForm::Mean,
    };
    normalised_mi(mi, ha, hb, form)
}

/// [`crate::app::widgets::sparse_table_note`] for a heatmap cell, from the columns'
/// distinct counts.
pub(super) fn sparse_table(
    summaries: &[crate::data::ColumnSummary],
    x: Option<&usize>,
    y: Option<&usize>,
    e: &crate::estimate::pair::PairEstimate,
    units: Units,
) -> Option<String> {
    let distinct = |c: Option<&usize>| c.and_then(|&c| summaries.get(c)).map(|s| s.distinct.max(1));
    let cells = distinct(x)?.saturating_mul(distinct(y)?);
    crate::app::widgets::sparse_table_note(cells, e, units)
}

#[cfg(test)]
mod tests {
    use super::sparse_table;
    use crate::data::{ColumnKind, ColumnSummary};
    use crate::estimate::pair::PairEstimate;
    use crate::estimate::{Method, Units};

    fn summary(distinct: usize) -> ColumnSummary {
        ColumnSummary {
            name: "c".into(),
            kind: ColumnKind::Categorical,
            detected: ColumnKind::Categorical,
            missing: 0,
            distinct,
            min: None,
            max: None,
            mean: None,
            excluded_reason: None,
        }
    }

    #[test]
    fn plug_in_cells_on_sparse_tables_are_flagged() {
        let s = [summary(65), summary(5), summary(3)];
        let plug_in = |n_used| PairEstimate {
            mi: 1.3,
            n_used,
            method: Method::PlugIn,
        };
        // The review's case: 65 × 5 cells for 199 rows.
        let note =
            sparse_table(&s, Some(&0), Some(&1), &plug_in(199), Units::Nats).expect("flagged");
        assert!(note.contains("325 cells for 199 rows"), "{note}");
        // 3 × 5 = 15 cells for 199 rows is a usable table.
        assert!(sparse_table(&s, Some(&2), Some(&1), &plug_in(199), Units::Nats).is_none());
        // kNN cells are not counts.
        let knn = PairEstimate {
            method: Method::Ksg1,
            ..plug_in(199)
        };
        assert!(sparse_table(&s, Some(&0), Some(&1), &knn, Units::Nats).is_none());
    }
}
