//! Conditional MI panel (placeholder: being built; see the pattern in `panels/mod.rs`).

use super::PanelCtx;
use serde::{Deserialize, Serialize};

/// Persisted choices of this panel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConditionalSettings {}

pub struct ConditionalPanel {
    pub settings: ConditionalSettings,
}

impl ConditionalPanel {
    pub fn new(settings: ConditionalSettings) -> Self {
        Self { settings }
    }

    pub fn tick(&mut self, _cx: &mut PanelCtx) {}

    pub fn ui(&mut self, ui: &mut egui::Ui, _cx: &mut PanelCtx) {
        ui.heading("Conditional MI");
        ui.label("not built yet");
    }

    pub fn export(&mut self, _cx: &mut PanelCtx) {}

    pub fn dataset_changed(&mut self, _generation: u64) {}
}
