//! Everything remembered between runs, in one serde struct.
//!
//! Loaded with `#[serde(default)]` so a state saved by an older or newer version (or a
//! corrupt one) falls back field by field to defaults instead of failing; nothing here
//! refers to the dataset itself, so a bad file can never lose the settings.

use super::panels::Tab;
use super::panels::compare::CompareSettings;
use super::panels::conditional::ConditionalSettings;
use super::panels::heatmap::HeatmapSettings;
use super::panels::mrmr::MrmrSettings;
use super::panels::sensitivity::SensitivitySettings;
use crate::estimate::Units;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Key under which eframe stores [`State`].
pub const STORAGE_KEY: &str = "mi-workbench-state";

/// Most recent files kept in the File menu.
pub const MAX_RECENT: usize = 10;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// How very large files are analysed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LargeFileSettings {
    /// Files with more rows than this are analysed on a seeded subsample of this many
    /// rows by default (all rows stay one click away).
    pub subsample_rows: usize,
    /// Seed of the subsample: the command line's `--subsample-seed`, so the same seed
    /// picks the same rows in the window and in a script.
    pub seed: u64,
    /// Start large files on the subsample (else on all rows, with the subsample offered).
    pub subsample_by_default: bool,
}

impl Default for LargeFileSettings {
    fn default() -> Self {
        Self {
            // At 200,000 rows a pair's MI is already tight (its spread shrinks like
            // 1/sqrt(n)), while the kNN estimators' cost keeps growing with n.
            subsample_rows: 200_000,
            seed: 42,
            subsample_by_default: true,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub theme: ThemeChoice,
    pub units: Units,
    pub tab: Tab,
    pub recent: Vec<PathBuf>,
    pub last_folder: Option<PathBuf>,
    pub heatmap: HeatmapSettings,
    pub compare: CompareSettings,
    pub conditional: ConditionalSettings,
    pub sensitivity: SensitivitySettings,
    pub mrmr: MrmrSettings,
    pub large_files: LargeFileSettings,
}

impl Default for State {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            // Analysts compare with papers and scikit-learn (nats) but read bits more
            // easily; bits is the friendlier default for display.
            units: Units::Bits,
            tab: Tab::Heatmap,
            recent: Vec::new(),
            last_folder: None,
            heatmap: HeatmapSettings::default(),
            compare: CompareSettings::default(),
            conditional: ConditionalSettings::default(),
            sensitivity: SensitivitySettings::default(),
            mrmr: MrmrSettings::default(),
            large_files: LargeFileSettings::default(),
        }
    }
}

impl State {
    /// Puts `path` first in the recent list (no duplicates, at most [`MAX_RECENT`]).
    pub fn remember(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            self.last_folder = Some(dir.to_path_buf());
        }
    }
}
