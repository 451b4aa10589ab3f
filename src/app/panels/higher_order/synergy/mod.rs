//! The synergy finder: for a target T, the interaction information
//! II = I(Xi,Xj;T) − I(Xi;T) − I(Xj;T) of every pair of candidate features, as a
//! heatmap and a sorted table; a pair picked in either opens the three-variable view.
//! Wide files are cut to the top N candidates by relevance I(X;T), and the header says
//! so ("top N of M").

mod grid;
mod table;

use super::triple::Triple;
use crate::analysis::higher_order::{self as ho, SynergyRequest, SynergyResult};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::panels::run_panel::{RunPanel, Work};
use crate::app::panels::{Messages, PanelCtx, SharedMatrix, perform, units_and_actions};
use crate::app::widgets::{self, file_stem, number_field};
use crate::estimate::{Settings, Units};
use egui::Rect;
use serde::{Deserialize, Serialize};

pub const JOB: JobKey<SynergyResult> = JobKey::new("synergy finder");

/// Candidates by default: 30 give 435 pairs, a few seconds on 10,000 rows.
const DEFAULT_TOP: usize = 30;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    X1,
    X2,
    N,
    MiX1,
    MiX2,
    MiJoint,
    #[default]
    Interaction,
    P,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SynergySettings {
    /// The target by column name; `None`: a guess (a column named like a label, else
    /// the last discrete one).
    pub target: Option<String>,
    /// Candidates kept, by relevance to the target.
    pub top: usize,
    pub estimate: Settings,
    /// Permutations for the p-values of the top pairs (0: no test).
    pub permutations: usize,
    pub sort: SortBy,
    pub descending: bool,
}

impl Default for SynergySettings {
    fn default() -> Self {
        Self {
            target: None,
            top: DEFAULT_TOP,
            estimate: Settings::default(),
            permutations: 0,
            sort: SortBy::Interaction,
            descending: true,
        }
    }
}

/// One pair as the views draw it (information in nats).
#[derive(Clone, Debug, PartialEq)]
pub struct PairView {
    pub x1: usize,
    pub x2: usize,
    pub n_used: usize,
    pub mi_x1: f64,
    pub mi_x2: f64,
    pub mi_joint: f64,
    pub ii: f64,
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg adjusted over the tested pairs.
    pub p_adjusted: Option<f64>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SynergyPanel {
    pub settings: SynergySettings,
    #[serde(skip)]
    view: SynergyView,
}

struct SynergyView {
    run: Computation<SynergyRequest, SynergyResult>,
    /// The shown result's pairs, for (result serial).
    pairs: Option<(u64, std::sync::Arc<Vec<PairView>>)>,
    /// The table's row order for (sort, direction, result serial).
    sorted: Option<((SortBy, bool, u64), Vec<usize>)>,
    selected: Option<(usize, usize)>,
    /// The three-variable view of `selected`, built when it was picked.
    triple: Option<Triple>,
    grid_rect: Option<Rect>,
    /// The heatmap's matrix as of the last frame: its cells rank the candidates of a run
    /// so a wide file's relevances are not estimated twice.
    heatmap: Option<SharedMatrix>,
    /// The cells' top-left corner and side, as drawn last frame.
    grid_geo: Option<(egui::Pos2, f32)>,
    triple_rect: Option<Rect>,
}

impl Default for SynergyView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            pairs: None,
            sorted: None,
            selected: None,
            triple: None,
            grid_rect: None,
            heatmap: None,
            grid_geo: None,
            triple_rect: None,
        }
    }
}

/// The pairs with an estimate (the export lists the others with their reason).
fn pairs_of(found: &SynergyResult) -> Vec<PairView> {
    found
        .pairs
        .iter()
        .filter_map(|p| {
            let e = p.estimate.as_ref().ok()?;
            Some(PairView {
                x1: p.x1,
                x2: p.x2,
                n_used: e.n_used,
                mi_x1: e.mi_x1,
                mi_x2: e.mi_x2,
                mi_joint: e.mi_joint,
                ii: e.interaction,
                p_value: p.p_value(),
                p_adjusted: p.p_adjusted,
            })
        })
        .collect()
}

impl SynergyPanel {
    /// The target: the chosen name if the file has it, else a column named like a label,
    /// else the last discrete included column, else the last included one.
    pub fn target_column(&self, data: &Loaded) -> Option<usize> {
        let ds = &data.ds;
        if let Some(i) = self
            .settings
            .target
            .as_deref()
            .and_then(|n| ds.column_index(n))
        {
            return Some(i);
        }
        let included = data.included_columns();
        [
            "target",
            "class",
            "label",
            "species",
            "y",
            "outcome",
            "diagnosis",
        ]
        .iter()
        .find_map(|g| {
            included
                .iter()
                .copied()
                .find(|&i| ds.columns[i].name.eq_ignore_ascii_case(g))
        })
        .or_else(|| {
            included
                .iter()
                .rev()
                .copied()
                .find(|&i| ds.columns[i].kind.is_discrete())
        })
        .or_else(|| included.last().copied())
    }

    /// The pair whose three-variable view is open (dataset indices, smaller first).
    pub fn selected(&self) -> Option<(usize, usize)> {
        self.view.selected
    }

    /// The (Xi, Xj, T) of the three-variable view on screen, if one is open.
    pub fn triple_view(&self) -> Option<(usize, usize, usize)> {
        self.view.triple.as_ref().map(|t| (t.x, t.y, t.target))
    }

    /// Screen centre of the heatmap cell of candidates `x` (across) and `y` (dataset
    /// indices), as drawn last frame.
    pub fn cell_center(&self, x: usize, y: usize) -> Option<egui::Pos2> {
        let cands = &self.view.run.shown()?.candidates;
        let (b, a) = (
            cands.iter().position(|&c| c == x)?,
            cands.iter().position(|&c| c == y)?,
        );
        let (origin, cell) = self.view.grid_geo?;
        Some(origin + egui::vec2((b as f32 + 0.5) * cell, (a as f32 + 0.5) * cell))
    }

    /// Opens the three-variable view of a pair of the shown result.
    pub fn select_pair(&mut self, data: &Loaded, pair: (usize, usize)) {
        let Some(res) = self.view.run.shown() else {
            return;
        };
        self.view.selected = Some(pair);
        self.view.triple = Triple::build(&data.ds, pair.0, pair.1, res.request.target);
    }

    /// I(X;T) of the candidates from the heatmap's finished matrix, when it was computed
    /// on this data with these settings (the engine estimates the ones missing).
    fn relevances_from_heatmap(&self, data: &Loaded, r: &SynergyRequest) -> Vec<(usize, f64)> {
        let Some(hm) = &self.view.heatmap else {
            return Vec::new();
        };
        let m = &hm.result.matrix;
        if hm.generation != data.generation || m.request.settings != r.settings {
            return Vec::new();
        }
        r.candidates
            .iter()
            .filter_map(|&c| Some((c, m.cell(c, r.target)?.1.mi()?)))
            .collect()
    }

    run_panel_accessors!(SynergyResult);
}

impl RunPanel for SynergyPanel {
    run_panel_basics!(
        SynergyRequest,
        SynergyResult,
        "the synergy finder",
        "synergy"
    );

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, SynergyRequest)> {
        let data = cx.data?;
        let target = self.target_column(data)?;
        let candidates: Vec<usize> = data
            .included_columns()
            .into_iter()
            .filter(|&c| c != target)
            .collect();
        Some((
            data.generation,
            SynergyRequest {
                top: self.settings.top.max(2),
                permutations: self.settings.permutations,
                ..SynergyRequest::new(target, candidates, self.settings.estimate.clone())
            },
        ))
    }

    fn refuse(&self, r: &SynergyRequest) -> Option<&'static str> {
        (r.candidates.len() < 2)
            .then_some("Include at least two columns besides the target (Data tab).")
    }

    fn job(&self, data: &Loaded, r: &SynergyRequest) -> (String, Work<SynergyResult>) {
        let (ds, mut r) = (data.ds.clone(), r.clone());
        r.relevance_cache = self.relevances_from_heatmap(data, &r);
        let m = r.candidates.len().min(r.top);
        let label = format!(
            "synergy for {}: {}{} on {} rows",
            data.column_name(r.target),
            widgets::pairs_label(m * m.saturating_sub(1) / 2),
            widgets::permutations_label(r.permutations),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<SynergyResult> =
            Box::new(move |h| Ok(ho::run_synergy(&ds, &r, &h.progress)?));
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.grid_rect
    }

    fn export(&self, data: &Loaded, res: &SynergyResult, units: Units) -> Table {
        let t = widgets::safe_file_part(data.column_name(res.request.target));
        Table {
            file_name: format!("{}_synergy_{t}.csv", file_stem(&data.name)),
            csv: crate::export::synergy_csv(&data.ds, res, units),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.view.heatmap = cx.heatmap.clone();
        super::estimator_row(ui, "ho-synergy", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let current = self.target_column(data);
                let words = ("ho-target", "Target", "The column T whose pairs of predictors are searched for synergy");
                widgets::column_setting(ui, words, data, current, &mut self.settings.target);
                let m = data.included_columns().len().saturating_sub(1);
                number_field(ui, "Candidates", &mut self.settings.top, 2..=200, "Keep the N candidates most relevant to the target, I(X;T), and pair them all: N(N−1)/2 pairs");
                let n = m.min(self.settings.top.max(2));
                ui.weak(format!("top {n} of {m} by relevance, {} pairs", n * n.saturating_sub(1) / 2));
                widgets::permutations_field(ui, &mut self.settings.permutations, 1, "Permutations for p-values of the top pairs (0 = no test): one feature shuffled within the target's strata, which keeps both relevances and breaks only the interaction");
            }
            let run = ("Find synergy", "Compute the interaction information of every candidate pair with the target");
            let tips = ("Save the table as CSV: x1, x2, target, n_used, mi_x1, mi_x2, mi_joint, interaction, unit, estimator, settings (and p_value, p_adjusted), as `mi-workbench synergy` writes it", "Save the heatmap as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, cx: &PanelCtx) -> Messages<'static> {
        let shown = self
            .view
            .run
            .shown()
            .zip(cx.data)
            .map(|(r, d)| d.column_name(r.request.target).to_string());
        Messages {
            failed: "The synergy finder failed",
            computing: "Computing the interaction information of every candidate pair…",
            idle: "Choose a target and press “Find synergy”.",
            stale: format!(
                "Shown: the last run (target {}). The settings changed since: press Find synergy to update.",
                shown.unwrap_or_default()
            ),
        }
    }

    fn header(&self, data: &Loaded, res: &SynergyResult) -> String {
        format!(
            "Shown: target {} · candidates: {} · {} · {} · {}",
            data.column_name(res.request.target),
            res.screen_text(),
            widgets::settings_summary(&res.request.settings),
            widgets::permutations_summary(res.request.permutations),
            widgets::rows_summary(data)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &SynergyResult) {
        let serial = self.view.run.serial();
        if self.view.pairs.as_ref().is_none_or(|(s, _)| *s != serial) {
            self.view.pairs = Some((serial, std::sync::Arc::new(pairs_of(res))));
            self.view.sorted = None;
        }
        let all = self
            .view
            .pairs
            .as_ref()
            .map(|(_, p)| p.clone())
            .unwrap_or_default();
        let pairs: &[PairView] = all.as_slice();
        let stamp = (self.settings.sort, self.settings.descending, serial);
        if self.view.sorted.as_ref().is_none_or(|(s, _)| *s != stamp) {
            let o = table::order(data, pairs, self.settings.sort, self.settings.descending);
            self.view.sorted = Some((stamp, o));
        }
        let target = data.column_name(res.request.target).to_string();
        let best = pairs
            .iter()
            .filter(|p| p.ii.is_finite())
            .max_by(|a, b| a.ii.total_cmp(&b.ii));
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{} pairs for target {target}.", pairs.len()));
            // "Most synergistic" is a finding only when the pair's II passed its test: a
            // review found it announced for a pair whose p_adj was 0.066.
            let name = |b: &PairView| {
                format!(
                    "{} × {} (II {} {})",
                    data.column_name(b.x1),
                    data.column_name(b.x2),
                    widgets::fmt(cx.units.from_nats(b.ii)),
                    cx.units.name()
                )
            };
            let significant = pairs
                .iter()
                .filter(|p| p.ii > 0.0 && p.p_adjusted.is_some_and(|q| q <= widgets::ALPHA))
                .max_by(|a, b| a.ii.total_cmp(&b.ii));
            match (best, significant) {
                (_, Some(s)) => {
                    ui.label(format!("Most synergistic (p_adj ≤ {}): {}.", widgets::ALPHA, name(s)));
                }
                (Some(b), None) if res.request.permutations == 0 => {
                    ui.label(format!("Largest interaction: {}.", name(b)));
                    ui.colored_label(ui.visuals().warn_fg_color, "untested")
                        .on_hover_text("No permutation test: a positive II may be the estimators' bias (plug-in counts over sparse tables lean positive). Set Permutations to test the top pairs against shuffled targets.");
                }
                (Some(b), None) => {
                    ui.label(format!(
                        "No tested pair's interaction is distinguishable from zero (BH at {}); the largest is {}.",
                        widgets::ALPHA,
                        name(b)
                    ));
                }
                (None, None) => {}
            }
            ui.colored_label(table::synergy_color(ui), "red: synergy");
            ui.weak("·");
            ui.colored_label(table::redundancy_color(ui), "blue: redundancy");
        });
        if res.candidates.len() < res.offered {
            ui.weak(format!(
                "Candidates: the {} most relevant of {} features. A feature that matters only \
                 together with another (XOR-like) can have almost no relevance of its own and \
                 be left out: raise Candidates to {} to pair every feature.",
                res.candidates.len(),
                res.offered,
                res.offered
            ));
        }
        if let Some(b) = best
            && res.request.permutations == 0
            && let Some(note) = sparse_note(data, [b.x1, b.x2, res.request.target], b.n_used)
        {
            ui.colored_label(ui.visuals().warn_fg_color, note);
        }
        let mut picked = None;
        // The view beside the heatmap on a wide window, under it on a narrow one.
        let beside = ui.available_width() >= 1300.0;
        let mut draw = |ui: &mut egui::Ui, view: &mut SynergyView| {
            ui.vertical(|ui| {
                ui.set_max_width(930.0);
                let words = (data, cx.units, target.as_str());
                let out = grid::ii_grid(
                    ui,
                    words,
                    &res.candidates,
                    pairs,
                    view.selected,
                    cx.commands,
                );
                view.grid_rect = Some(out.rect);
                view.grid_geo = Some((out.origin, out.cell));
                picked = picked.or(out.clicked);
            });
            if let Some(t) = &view.triple {
                ui.vertical(|ui| {
                    view.triple_rect = Some(t.show(ui, "ho-triple"));
                });
            }
        };
        if beside {
            ui.horizontal_top(|ui| draw(ui, &mut self.view));
        } else {
            draw(ui, &mut self.view);
        }
        if self.view.triple.is_none() {
            ui.weak("Click a cell or a row for the three-variable view of that pair.");
        }
        ui.separator();
        let order: &[usize] = self.view.sorted.as_ref().map_or(&[], |(_, o)| o.as_slice());
        let t = table::TableIn {
            data,
            units: cx.units,
            pairs,
            order,
            tested: res.request.permutations > 0,
            selected: self.view.selected,
        };
        let sort = (&mut self.settings.sort, &mut self.settings.descending);
        picked = picked.or(table::table(ui, &t, sort, cx.commands));
        if let Some(p) = picked {
            self.select_pair(data, p);
        }
    }

    fn forget_selection(&mut self) {
        self.view.selected = None;
        self.view.triple = None;
    }
}

/// A warning when three discrete columns have more joint cells than their rows fill:
/// plug-in counts then overstate I(Xi,Xj;T) far more than I(Xi;T) or I(Xj;T), so every
/// interaction leans positive, and only a permutation test tells synergy from that bias.
fn sparse_note(data: &Loaded, columns: [usize; 3], n: usize) -> Option<String> {
    let mut cells = 1usize;
    for c in columns {
        let col = data.ds.columns.get(c)?;
        if !col.kind.is_discrete() {
            return None;
        }
        cells = cells.saturating_mul(data.summaries.get(c)?.distinct.max(1));
    }
    // Fewer than five rows a cell: the rule of thumb for a usable table of counts.
    (cells.saturating_mul(5) > n).then(|| {
        format!(
            "The joint table of the top pair and the target has up to {cells} cells for {n} rows: \
             plug-in counts overstate the pair's joint information, so interactions lean positive. \
             Set Permutations to tell synergy from this bias."
        )
    })
}
