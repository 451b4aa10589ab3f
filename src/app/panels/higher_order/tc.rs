//! Total correlation of a set of columns: TC = Σ H(Xi) − H(X1…Xn), the dual total
//! correlation and the O-information (TC − DTC: positive when redundancy dominates the
//! set, negative when synergy does). The set comes from the picker, the Data tab's
//! filter or a cluster of the heatmap.

use super::picker::{self, column_set, names_of, resolve};
use crate::analysis::higher_order::{self as ho, TcRequest, TcResult};
use crate::app::cluster::average_linkage_groups;
use crate::app::commands::{Command, Table};
use crate::app::computation::Computation;
use crate::app::jobs::JobKey;
use crate::app::loaded::Loaded;
use crate::app::panels::run_panel::{RunPanel, Work};
use crate::app::panels::{Messages, PanelCtx, SharedMatrix, perform, units_and_actions};
use crate::app::widgets::{self, file_stem, fmt};
use crate::estimate::{Settings, Units, info_coefficient};
use egui::{Rect, RichText};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub const JOB: JobKey<TcResult> = JobKey::new("total correlation");

/// The heatmap's clusters are cut where the members' average r_I drops below 0.5, as
/// the Network tab colours them.
const CLUSTER_CUT: f64 = 0.5;
/// Columns in the default set (the first included ones).
const DEFAULT_SET: usize = 4;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TcSettings {
    /// The set by column name; empty: the first few included columns.
    pub columns: Vec<String>,
    pub estimate: Settings,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TcPanel {
    pub settings: TcSettings,
    #[serde(skip)]
    view: TcView,
}

struct TcView {
    run: Computation<TcRequest, TcResult>,
    card: Option<Rect>,
    /// The heatmap's clusters (dataset indices, largest first) for the matrix they were
    /// computed from.
    clusters: Option<(
        Arc<crate::app::panels::heatmap::HeatmapResult>,
        Vec<Vec<usize>>,
    )>,
}

impl Default for TcView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            card: None,
            clusters: None,
        }
    }
}

/// Average-linkage clusters of the heatmap's columns on 1 − r_I, largest first.
fn clusters_of(hm: &SharedMatrix) -> Vec<Vec<usize>> {
    let cols = &hm.result.matrix.request.columns;
    let n = cols.len();
    let dense = &hm.result.dense_mi;
    let dist = |a: usize, b: usize| {
        let (a, b) = (a.min(b), a.max(b));
        let mi = dense
            .get(crate::analysis::pair_index(n, a, b))
            .copied()
            .unwrap_or(f32::NAN) as f64;
        1.0 - info_coefficient(mi)
    };
    let groups = average_linkage_groups(n, dist, CLUSTER_CUT);
    let count = groups.iter().flatten().max().map_or(0, |m| m + 1);
    (0..count)
        .map(|g| {
            (0..n)
                .filter(|&i| groups[i] == Some(g))
                .map(|i| cols[i])
                .collect()
        })
        .collect()
}

impl TcPanel {
    /// The set in effect: the chosen names the file has, else the first included columns.
    pub fn set(&self, data: &Loaded) -> Vec<usize> {
        let chosen = resolve(data, &self.settings.columns);
        if chosen.is_empty() {
            data.included_columns()
                .into_iter()
                .take(DEFAULT_SET)
                .collect()
        } else {
            chosen
        }
    }

    /// Makes `columns` (dataset indices) the set, e.g. the Data tab's filter matches.
    pub fn use_columns(&mut self, data: &Loaded, columns: &[usize]) {
        self.settings.columns = names_of(data, columns);
    }

    fn cluster_picker(&mut self, ui: &mut egui::Ui, data: &Loaded, hm: Option<&SharedMatrix>) {
        let Some(hm) = hm.filter(|h| h.generation == data.generation) else {
            ui.add_enabled(false, egui::Button::new("Use a heatmap cluster"))
                .on_disabled_hover_text(
                    "Open the MI heatmap tab first: its clusters become available here",
                );
            return;
        };
        if self
            .view
            .clusters
            .as_ref()
            .is_none_or(|(r, _)| !Arc::ptr_eq(r, &hm.result))
        {
            self.view.clusters = Some((hm.result.clone(), clusters_of(hm)));
        }
        let clusters: &[Vec<usize>] = self
            .view
            .clusters
            .as_ref()
            .map_or(&[], |(_, c)| c.as_slice());
        let mut picked = None;
        egui::ComboBox::from_id_salt("ho-tc-cluster")
            .selected_text("Use a heatmap cluster")
            .width(200.0)
            .show_ui(ui, |ui| {
                if clusters.is_empty() {
                    ui.weak("The heatmap has no cluster (no group with mean r_I ≥ 0.5).");
                }
                for (i, c) in clusters.iter().enumerate() {
                    let text = format!("cluster {}: {}", i + 1, picker::summary(data, c));
                    if ui.selectable_label(false, text).clicked() {
                        picked = Some(i);
                    }
                }
            })
            .response
            .on_hover_text("Average-linkage clusters of the heatmap on 1 − r_I, cut at a mean r_I of 0.5 (the Network tab's colours)");
        if let Some(i) = picked {
            self.settings.columns = names_of(data, &clusters[i]);
        }
    }

    run_panel_accessors!(TcResult);
}

impl RunPanel for TcPanel {
    run_panel_basics!(
        TcRequest,
        TcResult,
        "the total correlation",
        "total_correlation"
    );

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, TcRequest)> {
        let data = cx.data?;
        Some((
            data.generation,
            TcRequest {
                columns: self.set(data),
                settings: self.settings.estimate.clone(),
            },
        ))
    }

    fn refuse(&self, r: &TcRequest) -> Option<&'static str> {
        (r.columns.len() < 2).then_some("Choose at least two columns for the set.")
    }

    fn job(&self, data: &Loaded, r: &TcRequest) -> (String, Work<TcResult>) {
        let (ds, r) = (data.ds.clone(), r.clone());
        let label = format!(
            "total correlation of {} columns on {} rows",
            r.columns.len(),
            crate::app::thousands(data.ds.n_rows)
        );
        let work: Work<TcResult> = Box::new(move |h| Ok(ho::run_tc(&ds, &r, &h.progress)?));
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.card
    }

    fn export(&self, data: &Loaded, res: &TcResult, units: Units) -> Table {
        Table {
            file_name: format!("{}_total_correlation.csv", file_stem(&data.name)),
            csv: crate::export::tc_csv(&data.ds, res, units),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        super::estimator_row(ui, "ho-tc", &mut self.settings.estimate);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if let Some(data) = cx.data {
                let set = self.set(data);
                column_set(ui, ("ho-tc-set", "Set", "The columns whose shared information is measured"), data, &set, &[], &mut self.settings.columns);
                if ui
                    .button("Use the Data filter's matches")
                    .on_hover_text("Make the set the columns the Data tab's filter matches")
                    .clicked()
                {
                    cx.commands.push(Command::SetFromDataFilter);
                }
                let hm = cx.heatmap.clone();
                self.cluster_picker(ui, data, hm.as_ref());
            }
            let run = ("Run total correlation", "Compute TC, dual TC and O-information of the set");
            let tips = ("Save the row as CSV: columns, n_used, total_correlation, dual_total_correlation, o_information, unit, estimator, settings, as `mi-workbench tc` writes it", "Save the result card as a PNG image");
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
    }

    fn messages(&self, _cx: &PanelCtx) -> Messages<'static> {
        Messages {
            failed: "Total correlation failed",
            computing: "Computing TC, dual TC and O-information…",
            idle: "Choose a set of columns and press “Run total correlation”.",
            stale: "Shown: the last run. The set or settings changed since: press Run to update."
                .into(),
        }
    }

    fn header(&self, data: &Loaded, res: &TcResult) -> String {
        format!(
            "Shown: {} columns · {} · {}",
            res.request.columns.len(),
            widgets::settings_summary(&res.request.settings),
            widgets::rows_summary(data)
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &TcResult) {
        let units = cx.units;
        let u = units.name();
        let frame = egui::Frame::group(ui.style())
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_max_width(680.0);
                let names = names_of(data, &res.request.columns).join(", ");
                ui.add(egui::Label::new(RichText::new(format!("Set: {names}")).strong()).wrap());
                let e = match &res.estimate {
                    Ok(e) => e,
                    Err(err) => {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            format!("No estimate: {err}"),
                        );
                        ui.weak(format!(
                            "{} of {} rows complete for every column",
                            res.n_used(),
                            data.ds.n_rows
                        ));
                        return;
                    }
                };
                egui::Grid::new("ho-tc-card")
                    .num_columns(3)
                    .spacing([16.0, 6.0])
                    .show(ui, |ui| {
                        let big = |v: f64| {
                            RichText::new(format!("{} {u}", fmt(units.from_nats(v))))
                                .size(20.0)
                                .strong()
                        };
                        ui.label("Total correlation");
                        ui.label(big(e.total_correlation));
                        ui.weak("Σ H(Xi) − H(X1…Xn): all the information the columns share");
                        ui.end_row();
                        ui.label("Dual total correlation");
                        ui.label(big(e.dual_total_correlation));
                        ui.weak(
                            "H(X1…Xn) − Σ H(Xi | the others): information shared by at least two",
                        );
                        ui.end_row();
                        ui.label("O-information");
                        ui.label(big(e.o_information));
                        ui.weak("TC − DTC");
                        ui.end_row();
                    });
                let reading = o_reading(
                    e.o_information,
                    e.total_correlation,
                    res.request.columns.len(),
                );
                ui.label(RichText::new(reading).strong());
                if e.o_information.is_finite() && res.request.columns.len() >= 3 {
                    ui.weak("The sign is read against a rule of thumb on O's size (0.02 nats + 5% of TC), not a test: with sparse discrete columns or few rows the estimators' bias can set it.");
                }
                ui.weak(format!(
                    "estimator {} ({}) · {} of {} rows used (every column present)",
                    e.method.name(),
                    e.method.settings_text(&res.request.settings),
                    e.n_used,
                    data.ds.n_rows
                ));
            });
        self.view.card = Some(frame.response.rect);
    }
}

/// The one-line reading of the O-information (Rosas et al. 2019) of `columns` columns
/// with total correlation `tc` (nats).
pub fn o_reading(o: f64, tc: f64, columns: usize) -> &'static str {
    // Below this the sign says little: kNN estimates of TC and DTC at a few thousand rows
    // scatter by hundredths of a nat across seeds (the calibration table in
    // tests/engine/higher_order.rs) and their bias grows with TC. A rule of thumb for
    // the wording, not a test.
    let small = 0.02 + 0.05 * tc.abs();
    if columns < 3 {
        "O-information needs three or more columns: for two it is 0 by definition"
    } else if !o.is_finite() {
        "O-information could not be estimated"
    } else if o.abs() < small {
        "O ≈ 0: too small to tell redundancy from synergy without a test"
    } else if o > 0.0 {
        "O > 0: redundancy-dominated (the columns mostly repeat the same information)"
    } else {
        "O < 0: synergy-dominated (information that only appears in combinations)"
    }
}
