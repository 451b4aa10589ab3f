//! Conditional MI: I(X;Y|Z) beside I(X;Y) for every pair given one conditioner Z, and
//! their difference. A large negative difference is a dependence Z explains away (a
//! common cause); a large positive one is a dependence Z reveals (collider, synergy
//! such as XOR). Both get a badge in the table and a colour in the difference matrix.

mod matrices;
mod table;

use super::run_panel::{RunPanel, Work};
use super::{Command, Messages, PanelCtx, SharedMatrix, perform, units_and_actions};
use crate::analysis::conditional::{self, CmiRow};
use crate::app::colormap::{diverging, paint_vertical_scale, text_on, viridis};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem, fmt, num_cell};
use crate::estimate::{Settings, Units};
use egui::{
    Align, Align2, Color32, FontId, Layout, Pos2, Rect, RichText, Sense, Stroke, StrokeKind, Vec2,
};
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<ConditionalResult> = JobKey::new("conditional");

/// Below this (nats) a dependence is too weak to call explained away or revealed.
pub const BADGE_MIN_NATS: f64 = 0.05;

/// Above this many columns the three matrices are replaced by a note.
const MAX_MATRIX: usize = 150;

/// What Z does to a pair's dependence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// I(X;Y|Z) ≤ half of I(X;Y): Z accounts for most of it (common cause, mediator).
    ExplainedAway,
    /// I(X;Y|Z) ≥ twice I(X;Y): the pair shares information only given Z (collider, XOR).
    Revealed,
    None,
}

impl Effect {
    pub fn of(mi: f64, cmi: f64) -> Self {
        if mi >= BADGE_MIN_NATS && cmi <= 0.5 * mi {
            Effect::ExplainedAway
        } else if cmi >= BADGE_MIN_NATS && cmi >= 2.0 * mi.max(0.0) {
            Effect::Revealed
        } else {
            Effect::None
        }
    }

    pub fn badge(self) -> &'static str {
        match self {
            Effect::ExplainedAway => "explained away by Z",
            Effect::Revealed => "revealed by Z",
            Effect::None => "",
        }
    }

    /// Blue for explained away, red for revealed: the ends of the diverging map.
    fn color(self, ui: &egui::Ui) -> Color32 {
        let dark = ui.visuals().dark_mode;
        match (self, dark) {
            (Effect::ExplainedAway, false) => Color32::from_rgb(33, 102, 172),
            (Effect::ExplainedAway, true) => Color32::from_rgb(110, 170, 235),
            (Effect::Revealed, false) => Color32::from_rgb(178, 24, 43),
            (Effect::Revealed, true) => Color32::from_rgb(240, 110, 110),
            (Effect::None, _) => ui.visuals().text_color(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    X,
    Y,
    Mi,
    Cmi,
    Difference,
    /// |difference|: the pairs Z changes most, either way.
    #[default]
    AbsDifference,
    N,
    /// Benjamini–Hochberg adjusted p of I(X;Y|Z) (with permutations).
    P,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConditionalSettings {
    /// The conditioner by column name (names survive reopening the file).
    pub given: Option<String>,
    pub estimate: Settings,
    /// Conditional permutations per pair for a p-value of I(X;Y|Z) (0: no test).
    pub permutations: usize,
    pub sort: SortBy,
    pub descending: bool,
}

impl Default for ConditionalSettings {
    fn default() -> Self {
        Self {
            given: None,
            estimate: Settings::default(),
            permutations: 0,
            sort: SortBy::AbsDifference,
            descending: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConditionalRequest {
    pub columns: Vec<usize>,
    pub given: usize,
    pub settings: Settings,
    pub permutations: usize,
    /// The heatmap's matrix when it is of this dataset generation and these settings:
    /// its I(X;Y) cells are not computed again.
    pub known: KnownMatrix,
}

/// A matrix the job may take I(X;Y) from. Equal to any other: the numbers are the
/// same from either source, so a result computed before the heatmap finished is not
/// stale once it has.
#[derive(Clone, Default)]
pub struct KnownMatrix(pub Option<SharedMatrix>);

impl PartialEq for KnownMatrix {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for KnownMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "KnownMatrix(heatmap)"
        } else {
            "KnownMatrix(none)"
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConditionalResult {
    pub request: ConditionalRequest,
    pub rows: Vec<CmiRow>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConditionalPanel {
    pub settings: ConditionalSettings,
    #[serde(skip)]
    view: ConditionalView,
}

/// What the panel keeps between frames besides its settings.
struct ConditionalView {
    run: Computation<ConditionalRequest, ConditionalResult>,
    selected: Option<(usize, usize)>,
    matrices_rect: Option<Rect>,
    /// The pair under the matrices' last right-click (x, y dataset columns).
    menu_pair: Option<(usize, usize)>,
    /// The table's row order for (sort, direction, result serial).
    sorted: Option<((SortBy, bool, u64), Vec<usize>)>,
}

impl Default for ConditionalView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            selected: None,
            matrices_rect: None,
            menu_pair: None,
            sorted: None,
        }
    }
}

impl ConditionalPanel {
    pub const TITLE: &'static str = "Conditional MI";
    pub const EXPLAIN: &'static str =
        "What a third column explains away or reveals: I(X;Y|Z) beside I(X;Y)";

    pub fn new(settings: ConditionalSettings) -> Self {
        Self {
            settings,
            view: ConditionalView::default(),
        }
    }

    /// The conditioner: the chosen name if the file has it, else the first discrete
    /// included column (a grouping variable is the usual suspect), else the first column.
    pub fn given_column(&self, data: &Loaded) -> Option<usize> {
        if let Some(i) = self
            .settings
            .given
            .as_deref()
            .and_then(|n| data.ds.column_index(n))
        {
            return Some(i);
        }
        let included = data.included_columns();
        included
            .iter()
            .copied()
            .find(|&i| data.ds.columns[i].kind.is_discrete())
            .or_else(|| included.first().copied())
            .or_else(|| (!data.ds.columns.is_empty()).then_some(0))
    }

    run_panel_accessors!(ConditionalResult);
}

impl RunPanel for ConditionalPanel {
    run_panel_basics!(
        ConditionalRequest,
        ConditionalResult,
        "the conditional MI",
        "cmi_matrices"
    );
    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, ConditionalRequest)> {
        let data = cx.data?;
        let given = self.given_column(data)?;
        let mut columns = data.included_columns();
        if !columns.contains(&given) {
            columns.push(given);
        }
        let settings = self.settings.estimate.clone();
        let known = cx
            .heatmap
            .as_ref()
            .filter(|h| {
                h.generation == data.generation && h.result.matrix.request.settings == settings
            })
            .cloned();
        Some((
            data.generation,
            ConditionalRequest {
                columns,
                given,
                settings,
                permutations: self.settings.permutations,
                known: KnownMatrix(known),
            },
        ))
    }

    fn refuse(&self, r: &ConditionalRequest) -> Option<&'static str> {
        (r.columns.len() < 3).then_some("Include at least two columns besides Z (Data tab).")
    }

    fn job(&self, data: &Loaded, r: &ConditionalRequest) -> (String, Work<ConditionalResult>) {
        let (ds, r) = (data.ds.clone(), r.clone());
        let m = r.columns.len() - 1;
        let label = format!(
            "I(X;Y|{}), {}{} on {} rows",
            data.column_name(r.given),
            widgets::pairs_label(m * (m - 1) / 2),
            widgets::permutations_label(r.permutations),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<ConditionalResult> = Box::new(move |h| {
            let (cols, p) = (&r.columns, r.permutations);
            let known = r.known.0.as_ref().map(|m| &m.result.matrix);
            let rows =
                conditional::run_with(&ds, cols, r.given, &r.settings, p, known, &h.progress)?;
            Ok(ConditionalResult { request: r, rows })
        });
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.matrices_rect
    }

    fn export(&self, data: &Loaded, res: &ConditionalResult, units: Units) -> Table {
        let z = file_stem(data.column_name(res.request.given));
        Table {
            file_name: format!("{}_cmi_given_{z}.csv", file_stem(&data.name)),
            csv: crate::export::conditional_csv(&data.ds, &res.rows, &res.request.settings, units),
        }
    }
    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        widgets::estimator_settings(ui, "conditional", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let current = self.given_column(data);
                let words = (
                    "cmi-given",
                    "Conditioner Z",
                    "The column to condition on: any column, continuous or discrete",
                );
                widgets::column_setting(ui, words, data, current, &mut self.settings.given);
                let m = data.included_columns().len().saturating_sub(1);
                widgets::permutations_field(
                    ui,
                    &mut self.settings.permutations,
                    m * m.saturating_sub(1) / 2,
                    "Conditional permutations per pair for a p-value of I(X;Y|Z) (0 = no test): X is \
                     shuffled within strata of a discrete Z, among near neighbours in Z otherwise; BH over the pairs",
                );
            }
            let run = ("Run conditional MI", "Compute I(X;Y) and I(X;Y|Z) for every pair of included columns except Z");
            let tips = ("Save the table as CSV: x, y, given, n used, mi, cmi, difference, unit, estimator, settings (and p_value, p_adjusted with permutations)", "Save the three matrices as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, cx: &PanelCtx) -> Messages<'static> {
        let shown_given = self
            .view
            .run
            .shown()
            .zip(cx.data)
            .map(|(r, d)| d.column_name(r.request.given).to_string());
        Messages {
            failed: "Conditional MI failed",
            computing: "Computing I(X;Y) and I(X;Y|Z) for every pair…",
            idle: "Choose a conditioner Z and press “Run conditional MI”.",
            stale: format!(
                "Shown: the last run (given {}). The settings changed since: press Run to update.",
                shown_given.unwrap_or_default()
            ),
        }
    }

    fn header(&self, data: &Loaded, res: &ConditionalResult) -> String {
        format!(
            "Shown: given {} · {} · {} · {}",
            data.column_name(res.request.given),
            widgets::settings_summary(&res.request.settings),
            widgets::permutations_summary(res.request.permutations),
            widgets::rows_summary(data)
        )
    }

    fn body(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelCtx,
        data: &Loaded,
        res: &ConditionalResult,
    ) {
        self.matrices(ui, cx, data, res);
        ui.separator();
        self.table_view(ui, (data, res), cx);
    }

    fn forget_selection(&mut self) {
        self.view.selected = None;
    }
}

/// The row's badge. "Revealed" claims I(X;Y|Z) > 0, so a tested row whose I(X;Y|Z)
/// cannot be told from zero (inside the null, or not passing BH) gets none: a review
/// found "revealed by Z" beside an I(X;Y|Z) shown as ≈ 0.
fn effect_of(r: &CmiRow) -> Effect {
    match &r.estimate {
        Ok(e) => match Effect::of(e.mi, e.cmi) {
            Effect::Revealed if !cmi_distinguishable(r, e.cmi) => Effect::None,
            effect => effect,
        },
        Err(_) => Effect::None,
    }
}

/// Whether the row's I(X;Y|Z) is told from zero: never when negative; with a test, only
/// above the null and passing BH.
fn cmi_distinguishable(r: &CmiRow, cmi: f64) -> bool {
    !widgets::indistinguishable(cmi, r.test.as_ref())
        && r.p_adjusted.is_none_or(|q| q <= widgets::ALPHA)
}

fn res_dmax(res: &ConditionalResult) -> f64 {
    res.rows
        .iter()
        .filter_map(CmiRow::difference)
        .fold(0.0f64, |a, d| a.max(d.abs()))
        .max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects() {
        // XOR: no pairwise information, ln 2 given Z.
        assert_eq!(Effect::of(0.0, std::f64::consts::LN_2), Effect::Revealed);
        // Common cause: strong pairwise, gone given Z.
        assert_eq!(Effect::of(0.5, 0.02), Effect::ExplainedAway);
        assert_eq!(Effect::of(0.3, 0.28), Effect::None);
        // Noise around zero is neither.
        assert_eq!(Effect::of(0.001, 0.01), Effect::None);
    }

    fn row(mi: f64, cmi: f64, test: Option<(f64, f64)>) -> CmiRow {
        use crate::estimate::significance::PermutationResult;
        use crate::estimate::triple::CmiEstimate;
        CmiRow {
            x: 0,
            y: 1,
            given: 2,
            estimate: Ok(CmiEstimate {
                cmi,
                mi,
                n_used: 900,
                method: crate::estimate::Method::PlugIn,
                mi_method: crate::estimate::Method::PlugIn,
            }),
            test: test.map(|(p, null_high)| PermutationResult {
                p_value: p,
                null_mean: null_high / 2.0,
                null_sd: null_high / 4.0,
                null_low: 0.0,
                null_high,
                permutations: 200,
            }),
            p_adjusted: test.map(|(p, _)| p),
        }
    }

    #[test]
    fn a_tested_rise_to_an_indistinguishable_cmi_is_no_revealed_badge() {
        // Untested: the rise alone makes the badge (the header then says "untested").
        assert_eq!(effect_of(&row(0.02, 0.15, None)), Effect::Revealed);
        // Tested and significant above its null.
        assert_eq!(
            effect_of(&row(0.02, 0.15, Some((0.005, 0.08)))),
            Effect::Revealed
        );
        // Inside the null (the review's TVnews × educ given PID: p_adj 0.896).
        assert_eq!(
            effect_of(&row(0.02, 0.15, Some((0.896, 0.2)))),
            Effect::None
        );
        // Above the null's 97.5% point but not passing BH across the pairs.
        assert_eq!(
            effect_of(&row(0.02, 0.15, Some((0.283, 0.1)))),
            Effect::None
        );
        // Explained away needs no test of I(X;Y|Z) against zero.
        assert_eq!(
            effect_of(&row(0.5, 0.01, Some((0.9, 0.05)))),
            Effect::ExplainedAway
        );
    }
}
