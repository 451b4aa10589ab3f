//! The app's own settings remembered between runs (theme, units, tab, recent files,
//! large-file handling). Each panel persists its own settings; [`Saved`] puts the two
//! together for eframe's storage.
//!
//! Loaded with `#[serde(default)]` so a state saved by an older or newer version (or a
//! corrupt one) falls back field by field to defaults instead of failing; nothing here
//! refers to the dataset itself, so a bad file can never lose the settings.

use super::panels::{Panels, Tab};
use crate::estimate::Units;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Key under which eframe stores [`Saved`].
pub const STORAGE_KEY: &str = "mi-workbench-settings-v2";

/// Key of the layout before panels owned their settings (read once, then migrated).
pub const LEGACY_STORAGE_KEY: &str = "mi-workbench-state";

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
    pub large_files: LargeFileSettings,
    /// Open and save with the built-in file browser instead of the system dialog.
    pub builtin_file_browser: bool,
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
            large_files: LargeFileSettings::default(),
            builtin_file_browser: false,
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

/// Everything eframe stores: the app's settings and every panel's.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    pub app: State,
    pub panels: Panels,
}

impl Saved {
    /// What the storage holds: the current layout, else the layout of earlier versions
    /// migrated, else defaults.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        let Some(storage) = storage else {
            return Self::default();
        };
        if let Some(saved) = eframe::get_value::<Saved>(storage, STORAGE_KEY) {
            return saved;
        }
        eframe::get_value::<legacy::LegacyState>(storage, LEGACY_STORAGE_KEY)
            .map(legacy::LegacyState::migrate)
            .unwrap_or_default()
    }
}

/// The single-struct layout saved before panels owned their settings.
pub mod legacy {
    use super::{LargeFileSettings, Saved, State, ThemeChoice};
    use crate::app::panels::Tab;
    use crate::app::panels::compare::{ComparePanel, CompareSettings};
    use crate::app::panels::conditional::{ConditionalPanel, ConditionalSettings};
    use crate::app::panels::heatmap::{HeatmapPanel, HeatmapSettings};
    use crate::app::panels::mrmr::{MrmrPanel, MrmrSettings};
    use crate::app::panels::sensitivity::{SensitivityPanel, SensitivitySettings};
    use crate::estimate::Units;
    use serde::Deserialize;
    use std::path::PathBuf;

    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct LegacyState {
        theme: ThemeChoice,
        units: Units,
        tab: Tab,
        recent: Vec<PathBuf>,
        last_folder: Option<PathBuf>,
        heatmap: HeatmapSettings,
        compare: CompareSettings,
        conditional: ConditionalSettings,
        sensitivity: SensitivitySettings,
        mrmr: MrmrSettings,
        large_files: LargeFileSettings,
    }

    impl LegacyState {
        pub fn migrate(self) -> Saved {
            let mut saved = Saved {
                app: State {
                    theme: self.theme,
                    units: self.units,
                    tab: self.tab,
                    recent: self.recent,
                    last_folder: self.last_folder,
                    large_files: self.large_files,
                    builtin_file_browser: false,
                },
                ..Saved::default()
            };
            let p = &mut saved.panels;
            p.heatmap = HeatmapPanel::new(self.heatmap);
            p.compare = ComparePanel::new(self.compare);
            p.conditional = ConditionalPanel::new(self.conditional);
            p.sensitivity = SensitivityPanel::new(self.sensitivity);
            p.mrmr = MrmrPanel::new(self.mrmr);
            saved
        }
    }
}
