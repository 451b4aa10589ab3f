//! The dependence network: the heatmap's columns as nodes, an edge for each pair above
//! a threshold (MI or r_I) or significant after Benjamini–Hochberg, edge width by its
//! strength, nodes coloured by average-linkage cluster on 1 − r_I (the heatmap's
//! clustering, cut), laid out force-directed on the job runner
//! (`analysis::network`, `analysis::layout`). Click a node for its target view, an
//! edge to inspect the pair. [`draw`] paints it and finds what the pointer is on.

mod draw;

use super::run_panel::{RunPanel, Work};
use super::{Messages, PanelCtx, SharedMatrix, perform, units_and_actions};
use crate::analysis::matrix::{MatrixRequest, MatrixResult};
use crate::analysis::network::{self, Edge, EdgeRule, Strength};
use crate::app::cluster::average_linkage_groups;
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::{JobError, JobKey};
use crate::app::loaded::Loaded;
use crate::app::widgets::{self, file_stem};
use crate::estimate::{Units, info_coefficient};
use egui::{Pos2, Rect};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub const JOB: JobKey<NetworkResult> = JobKey::new("network");

/// BH level of the "significant" edge rule.
use crate::app::widgets::ALPHA;

/// Nodes whose average 1 − r_I to each other is at most this share a colour: an
/// average r_I of at least 0.5 between the members of a cluster (the default edge
/// threshold, so a cluster is a group the edges tie together).
const CLUSTER_CUT: f64 = 0.5;

/// Which pairs are edges, as the user chose it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EdgeChoice {
    #[default]
    InfoCoefficient,
    Mi,
    Significant,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkSettings {
    pub edges: EdgeChoice,
    /// r_I threshold (0..1).
    pub r_i_threshold: f64,
    /// MI threshold in nats.
    pub mi_threshold: f64,
    /// Edge width (and the layout's pull) by MI or r_I.
    pub width_by: Strength,
    pub max_edges: usize,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        Self {
            edges: EdgeChoice::InfoCoefficient,
            r_i_threshold: 0.5,
            mi_threshold: 0.1,
            width_by: Strength::InfoCoefficient,
            max_edges: 300,
        }
    }
}

impl NetworkSettings {
    fn rule(&self) -> EdgeRule {
        match self.edges {
            EdgeChoice::InfoCoefficient => {
                EdgeRule::Above(Strength::InfoCoefficient, self.r_i_threshold)
            }
            EdgeChoice::Mi => EdgeRule::Above(Strength::Mi, self.mi_threshold),
            EdgeChoice::Significant => EdgeRule::Significant(ALPHA),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkRequest {
    /// The heatmap matrix the network is drawn from.
    pub matrix: MatrixRequest,
    pub rule: EdgeRule,
    pub width_by: Strength,
    pub max_edges: usize,
}

/// A laid-out network.
pub struct NetworkResult {
    pub matrix: Arc<crate::app::panels::heatmap::HeatmapResult>,
    pub edges: Vec<Edge>,
    /// Per node (position in the matrix's columns): where it sits in [0, 1]², its
    /// cluster (`None`: alone).
    pub positions: Vec<[f64; 2]>,
    pub clusters: Vec<Option<usize>>,
    pub rule: EdgeRule,
    pub width_by: Strength,
    /// Pairs that passed the rule before the cap on edges.
    pub capped: bool,
}

impl NetworkResult {
    pub fn columns(&self) -> &[usize] {
        &self.matrix.matrix.request.columns
    }

    fn matrix(&self) -> &MatrixResult {
        &self.matrix.matrix
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NetworkPanel {
    pub settings: NetworkSettings,
    #[serde(skip)]
    view: NetworkView,
}

struct NetworkView {
    run: Computation<NetworkRequest, NetworkResult>,
    heatmap: Option<SharedMatrix>,
    plot_rect: Option<Rect>,
    /// (dataset column, screen centre) of each node drawn last frame.
    nodes: Vec<(usize, Pos2)>,
}

impl Default for NetworkView {
    fn default() -> Self {
        Self {
            run: Computation::new(JOB, 8),
            heatmap: None,
            plot_rect: None,
            nodes: Vec::new(),
        }
    }
}

impl NetworkPanel {
    pub const TITLE: &'static str = "Network";
    pub const EXPLAIN: &'static str =
        "Columns as nodes, strong or significant dependences as edges (from the heatmap's matrix)";

    run_panel_accessors!(NetworkResult);

    /// Screen centre of a dataset column's node as last drawn (tests click it).
    pub fn node_center(&self, column: usize) -> Option<Pos2> {
        self.view
            .nodes
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, p)| *p)
    }

    /// Lays the network out by itself when the heatmap's matrix or the rule changed.
    fn start_if_due(&mut self, cx: &mut PanelCtx) {
        let Some((g, r)) = self.wanted(cx) else {
            return;
        };
        let run = &self.view.run;
        if !(run.is_showing(g, &r) || run.is_computing_for(g, &r) || run.was_cancelled(g, &r)) {
            super::Panel::run(self, cx);
        }
    }

    fn threshold_field(&mut self, ui: &mut egui::Ui, units: Units) {
        match self.settings.edges {
            EdgeChoice::InfoCoefficient => {
                widgets::number_field(
                    ui,
                    "r_I at least",
                    &mut self.settings.r_i_threshold,
                    0.0..=1.0,
                    "An edge for each pair whose information coefficient r_I = √(1−e^(−2I)) reaches this (0..1, like |ρ|)",
                );
            }
            EdgeChoice::Mi => {
                // Typed in the unit shown; kept in nats.
                let per_nat = units.from_nats(1.0);
                let mut shown = self.settings.mi_threshold * per_nat;
                let label = format!("MI at least ({})", units.name());
                if widgets::number_field(
                    ui,
                    &label,
                    &mut shown,
                    0.0..=20.0,
                    "An edge for each pair whose MI reaches this",
                ) {
                    self.settings.mi_threshold = shown / per_nat;
                }
            }
            EdgeChoice::Significant => {
                ui.label("BH-adjusted p ≤ 0.05");
            }
        }
    }
}

impl RunPanel for NetworkPanel {
    run_panel_basics!(NetworkRequest, NetworkResult, "the network", "network");

    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, NetworkRequest)> {
        let data = cx.data?;
        let hm = cx
            .heatmap
            .as_ref()
            .filter(|h| h.generation == data.generation)?;
        Some((
            data.generation,
            NetworkRequest {
                matrix: hm.result.matrix.request.clone(),
                rule: self.settings.rule(),
                width_by: self.settings.width_by,
                max_edges: self.settings.max_edges.max(1),
            },
        ))
    }

    fn refuse(&self, r: &NetworkRequest) -> Option<&'static str> {
        if r.matrix.columns.len() < 2 {
            return Some("The heatmap has fewer than two columns.");
        }
        (matches!(r.rule, EdgeRule::Significant(_)) && r.matrix.permutations == 0).then_some(
            "Significant edges need p-values: set Permutations in the MI heatmap tab first.",
        )
    }

    fn job(&self, _data: &Loaded, r: &NetworkRequest) -> (String, Work<NetworkResult>) {
        let r = r.clone();
        let heatmap = self.view.heatmap.clone();
        let label = format!("network layout of {} columns", r.matrix.columns.len());
        let work: Work<NetworkResult> = Box::new(move |h| {
            let hm = heatmap
                .filter(|hm| hm.result.matrix.request == r.matrix)
                .ok_or_else(|| JobError::Failed("the heatmap changed: lay out again".into()))?;
            let m = &hm.result.matrix;
            let all = network::edges(m, r.rule, r.width_by, usize::MAX);
            let capped = all.len() > r.max_edges;
            let edges: Vec<Edge> = all.into_iter().take(r.max_edges).collect();
            let positions =
                network::layout(m, &edges, r.width_by, m.request.settings.seed, &h.progress)?;
            let n = m.request.columns.len();
            // The heatmap's cluster distance, 1 − r_I, from its dense copy of the cells.
            let dense = &hm.result.dense_mi;
            let dist = |a: usize, b: usize| {
                let (a, b) = (a.min(b), a.max(b));
                let mi = dense[crate::analysis::pair_index(n, a, b)] as f64;
                1.0 - info_coefficient(mi)
            };
            let clusters = average_linkage_groups(n, dist, CLUSTER_CUT);
            Ok(NetworkResult {
                matrix: hm.result.clone(),
                edges,
                positions,
                clusters,
                rule: r.rule,
                width_by: r.width_by,
                capped,
            })
        });
        (label, work)
    }

    fn plot_rect(&self) -> Option<Rect> {
        self.view.plot_rect
    }

    fn export(&self, data: &Loaded, res: &NetworkResult, units: Units) -> Table {
        Table {
            file_name: format!("{}_network_edges.csv", file_stem(&data.name)),
            csv: crate::export::network_edges_csv(&data.ds, res.matrix(), &res.edges, units),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.view.heatmap = cx.heatmap.clone();
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            ui.label("Edges");
            let title = |e: EdgeChoice| match e {
                EdgeChoice::InfoCoefficient => "r_I above a threshold",
                EdgeChoice::Mi => "MI above a threshold",
                EdgeChoice::Significant => "significant after BH",
            };
            egui::ComboBox::from_id_salt("network-edges")
                .selected_text(title(self.settings.edges))
                .show_ui(ui, |ui| {
                    for e in [EdgeChoice::InfoCoefficient, EdgeChoice::Mi, EdgeChoice::Significant] {
                        ui.selectable_value(&mut self.settings.edges, e, title(e));
                    }
                })
                .response
                .on_hover_text("Which pairs of the heatmap's matrix become edges; significance needs the heatmap's permutations");
            self.threshold_field(ui, cx.units);
            ui.label("Width by");
            egui::ComboBox::from_id_salt("network-width")
                .selected_text(match self.settings.width_by {
                    Strength::Mi => "MI",
                    Strength::InfoCoefficient => "r_I",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.settings.width_by, Strength::InfoCoefficient, "r_I");
                    ui.selectable_value(&mut self.settings.width_by, Strength::Mi, "MI");
                })
                .response
                .on_hover_text("Edge width (and how hard an edge pulls in the layout) by MI or by r_I");
            widgets::number_field(
                ui,
                "max edges",
                &mut self.settings.max_edges,
                1..=20_000,
                "Draw at most this many edges, the strongest first",
            );
            let run = ("Lay out", "Compute the layout again for the current edges");
            let tips = (
                "Save the edges as CSV: x, y, mi, unit, estimator (+ p_adjusted with permutations)",
                "Save the network as a PNG image",
            );
            action = units_and_actions(ui, cx, JOB, run, tips);
        });
        if let Some(a) = action {
            perform(self, a, cx);
        }
        self.start_if_due(cx);
    }

    fn messages(&self, cx: &PanelCtx) -> Messages<'static> {
        let waiting = cx.heatmap.is_none();
        Messages {
            failed: "The network failed",
            computing: "Laying out the network…",
            idle: if waiting {
                "The network is drawn from the MI heatmap's matrix: it appears when the heatmap has finished (MI heatmap tab)."
            } else {
                "Press “Lay out”."
            },
            stale: "Shown: an earlier network (the heatmap or the edge rule changed since).".into(),
        }
    }

    fn header(&self, data: &Loaded, res: &NetworkResult) -> String {
        let r = &res.matrix().request;
        let rule = match res.rule {
            EdgeRule::Above(Strength::InfoCoefficient, t) => format!("edges: r_I ≥ {t}"),
            EdgeRule::Above(Strength::Mi, t) => format!("edges: MI ≥ {} nats", widgets::fmt(t)),
            EdgeRule::Significant(a) => format!("edges: BH-adjusted p ≤ {a}"),
        };
        let capped = if res.capped {
            " (the strongest; capped)"
        } else {
            ""
        };
        format!(
            "Shown: {} columns, {} {rule}{capped} · from the heatmap's matrix: {} · {} · {}",
            r.columns.len(),
            res.edges.len(),
            widgets::settings_summary(&r.settings),
            widgets::permutations_summary(r.permutations),
            widgets::rows_summary(data),
        )
    }

    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, res: &NetworkResult) {
        let (rect, nodes) = draw::network(ui, cx, data, res);
        self.view.plot_rect = Some(rect);
        self.view.nodes = nodes;
    }

    fn forget_selection(&mut self) {
        self.view.nodes.clear();
        self.view.plot_rect = None;
    }
}
