//! Higher-order information: what sets of columns share beyond pairs. Three analyses
//! behind one mode selector, each a [`RunPanel`](super::run_panel::RunPanel) of its own
//! (own request, job, cache and export), so this panel only chooses which one is drawn
//! and passes the [`Panel`] calls on:
//! - multivariate MI I(X;Y|Z) between column sets;
//! - the synergy finder: interaction information over candidate pairs for a target,
//!   with a heatmap, a table and the three-variable view of a pair;
//! - total correlation, dual total correlation and O-information of a set.

mod multi;
mod picker;
mod synergy;
mod tc;
mod triple;

pub use multi::MultiPanel;
pub use synergy::SynergyPanel;
pub use tc::TcPanel;

use super::{Panel, PanelCtx};
use crate::analysis::higher_order::ESTIMATORS;
use crate::app::commands::Table;
use crate::app::widgets::{estimator_title, number_field};
use crate::estimate::Settings;
use serde::{Deserialize, Serialize};

/// Estimator, k, Miller–Madow and seed: the settings the higher-order estimators read.
fn estimator_row(ui: &mut egui::Ui, id: &str, s: &mut Settings) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Estimator");
        egui::ComboBox::from_id_salt((id, "estimator"))
            .selected_text(estimator_title(s.estimator))
            .show_ui(ui, |ui| {
                for e in ESTIMATORS {
                    ui.selectable_value(&mut s.estimator, e, estimator_title(e))
                        .on_hover_text(e.explain());
                }
            })
            .response
            .on_hover_text("Auto: KSG for continuous sets, plug-in counts for discrete ones, strata of the discrete part for mixed sets");
        number_field(ui, "k", &mut s.k, 1..=100, "Neighbours for the kNN estimators (KSG, Frenzel–Pompe, Kraskov multi-information)");
        ui.checkbox(&mut s.miller_madow, "Miller–Madow")
            .on_hover_text("Bias correction for the plug-in estimates of discrete sets");
        number_field(ui, "Seed", &mut s.seed, 0..=u64::MAX, "Seed for tie-breaking jitter and permutations: same seed, same numbers");
    });
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Multi,
    #[default]
    Synergy,
    Tc,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Multi, Mode::Synergy, Mode::Tc];

    pub fn title(self) -> &'static str {
        match self {
            Mode::Multi => "Multivariate MI",
            Mode::Synergy => "Synergy finder",
            Mode::Tc => "Total correlation",
        }
    }

    fn explain(self) -> &'static str {
        match self {
            Mode::Multi => {
                "I(X;Y|Z) between sets of columns: what X and Y share, optionally given Z"
            }
            Mode::Synergy => {
                "Pairs of columns that say more about a target together than apart (synergy), or less (redundancy)"
            }
            Mode::Tc => {
                "How much a set of columns shares as a whole: total correlation, dual total correlation, O-information"
            }
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HigherOrderPanel {
    pub mode: Mode,
    pub multi: MultiPanel,
    pub synergy: SynergyPanel,
    pub tc: TcPanel,
}

impl HigherOrderPanel {
    pub const TITLE: &'static str = "Higher-order";
    pub const EXPLAIN: &'static str = "Information beyond pairs: multivariate MI between column sets, synergy between pairs for a target, total correlation of a set";

    fn active(&self) -> &dyn Panel {
        match self.mode {
            Mode::Multi => &self.multi,
            Mode::Synergy => &self.synergy,
            Mode::Tc => &self.tc,
        }
    }

    fn active_mut(&mut self) -> &mut dyn Panel {
        match self.mode {
            Mode::Multi => &mut self.multi,
            Mode::Synergy => &mut self.synergy,
            Mode::Tc => &mut self.tc,
        }
    }
}

impl Panel for HigherOrderPanel {
    fn tick(&mut self, cx: &mut PanelCtx) {
        // Every mode collects its finished job, shown or not.
        self.multi.tick(cx);
        self.synergy.tick(cx);
        self.tc.tick(cx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Analysis");
            for m in Mode::ALL {
                ui.selectable_value(&mut self.mode, m, m.title())
                    .on_hover_text(m.explain());
            }
        });
        ui.separator();
        // A small window scrolls the whole mode instead of clipping its result.
        egui::ScrollArea::vertical()
            .id_salt(("higher-order", self.mode as u8))
            .auto_shrink([false, false])
            .show(ui, |ui| self.active_mut().ui(ui, cx));
    }

    fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.multi.dataset_changed(generation, keep);
        self.synergy.dataset_changed(generation, keep);
        self.tc.dataset_changed(generation, keep);
    }

    fn run(&mut self, cx: &mut PanelCtx) {
        self.active_mut().run(cx);
    }

    fn table(&self, cx: &PanelCtx) -> Result<Table, String> {
        self.active().table(cx)
    }

    fn image(&self, cx: &PanelCtx) -> Result<(String, egui::Rect), String> {
        self.active().image(cx)
    }
}
