//! The egui application (behind the default cargo feature `gui`): one module per
//! panel, all of one shape ([`panels::Panel`]); a job runner that keeps all estimation
//! off the UI thread; the pair inspector; and the window's own parts, one module each:
//! loading files, kind overrides, large files, dialogs, chrome (menus, status bar) and
//! the frame loop.
//!
//! Each frame: poll the job runner, let every panel collect results and start due work
//! (`tick`), draw the menu, tabs, status bar and the visible panel, then apply the
//! [`commands::Command`]s the views pushed. Views never reach into each other.

pub mod cluster;
pub mod colormap;
pub mod commands;
pub mod computation;
pub mod inspector;
pub mod jobs;
pub mod loaded;
pub mod panels;
pub mod png;
pub mod samples;
pub mod state;
pub mod widgets;

mod chrome;
mod copy_menu;
mod dialogs;
mod file_browser;
mod frame;
mod info_cells;
mod kinds;
mod large_files;
mod loading;
mod measure;

use crate::data::Dataset;
use commands::Command;
use dialogs::Reply;
use inspector::Inspector;
use jobs::JobRunner;
use kinds::KindPending;
use loaded::Loaded;
use panels::{Panels, Tab};
use state::{Saved, State};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Opens the window. `initial_file` (the command-line path) is opened at start;
/// without it the bundled sample dataset is.
pub fn run(initial_file: Option<PathBuf>) -> eframe::Result<()> {
    let title = match &initial_file {
        Some(p) => window_title(&display_name(p)),
        None => window_title(samples::SAMPLES[samples::DEFAULT_SAMPLE].name),
    };
    let viewport = egui::ViewportBuilder::default()
        .with_title(title)
        .with_inner_size([1400.0, 900.0])
        .with_min_inner_size([640.0, 420.0])
        .with_drag_and_drop(true)
        .with_icon(Arc::new(icon()));
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        // Dithering adds noise against banding in smooth gradients, which the window has
        // none of (the heatmap's texture is sampled nearest); without it a frame on Mesa's
        // software renderer costs about a fifth less CPU (docs/performance.md).
        dithering: false,
        ..Default::default()
    };
    eframe::run_native(
        "MI Workbench",
        options,
        Box::new(move |cc| Ok(Box::new(WorkbenchApp::new(cc, initial_file)))),
    )
}

fn window_title(file: &str) -> String {
    format!("MI Workbench — {file}")
}

fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The window icon, drawn in code (a 64×64 viridis heatmap glyph) so no image decoder
/// is needed.
pub fn icon() -> egui::IconData {
    let n = 64u32;
    let mut rgba = Vec::with_capacity((n * n * 4) as usize);
    for y in 0..n {
        for x in 0..n {
            let (cx, cy) = (x / 16, y / 16);
            let inset = x % 16 != 0 && y % 16 != 0;
            let t = if cx == cy {
                1.0
            } else {
                // A fixed pattern of "dependences" for a recognisable glyph.
                let v = ((cx * 7 + cy * 7 + cx * cy) % 5) as f32 / 5.0;
                0.15 + 0.6 * v
            };
            let c = colormap::viridis(t);
            if inset {
                rgba.extend_from_slice(&[c.r(), c.g(), c.b(), 255]);
            } else {
                rgba.extend_from_slice(&[30, 30, 36, 255]);
            }
        }
    }
    egui::IconData {
        rgba,
        width: n,
        height: n,
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub struct WorkbenchApp {
    state: State,
    jobs: JobRunner,
    panels: Panels,
    inspector: Inspector,
    loaded: Option<Loaded>,
    next_generation: u64,
    /// Dismissible errors, newest last.
    errors: Vec<String>,
    /// Short confirmations ("Saved …").
    notice: Option<(String, std::time::Instant)>,
    reply_tx: Sender<Reply>,
    reply_rx: Receiver<Reply>,
    /// Tests: write exports here instead of asking with a dialog.
    export_dir: Option<PathBuf>,
    ctx: egui::Context,
    applied_theme: Option<state::ThemeChoice>,
    /// Animations are off while a job runs (see `frame_ui`).
    still: bool,
    /// The title last sent to the window.
    title: String,
    kind_pending: Option<KindPending>,
    /// The built-in file browser, while it is open.
    file_browser: Option<file_browser::FileBrowser>,
    /// The scripted window measurement ([`measure::ENV`]), when asked for.
    measure: Option<measure::Measure>,
}

impl WorkbenchApp {
    pub fn new(cc: &eframe::CreationContext, initial_file: Option<PathBuf>) -> Self {
        let Saved { app: state, panels } = Saved::load(cc.storage);
        let (reply_tx, reply_rx) = channel();
        let mut app = Self {
            panels,
            state,
            jobs: JobRunner::new(cc.egui_ctx.clone()),
            inspector: Inspector::default(),
            loaded: None,
            next_generation: 1,
            errors: Vec::new(),
            notice: None,
            reply_tx,
            reply_rx,
            // Scripted runs (screenshots, smoke tests) have no file dialog to answer.
            export_dir: std::env::var_os("MI_WORKBENCH_EXPORT_DIR").map(PathBuf::from),
            ctx: cc.egui_ctx.clone(),
            applied_theme: None,
            still: false,
            title: String::new(),
            kind_pending: None,
            file_browser: None,
            measure: measure::Measure::from_env(),
        };
        if app.measure.is_some() {
            app.state.tab = Tab::Heatmap;
        }
        match (initial_file, &mut app.measure) {
            // The measurement opens it once the window has drawn its first frames.
            (Some(p), Some(m)) => m.open_later(p),
            (Some(p), None) => app.open_path(p),
            (None, _) => app.open_sample(samples::DEFAULT_SAMPLE),
        }
        app
    }
}

impl WorkbenchApp {
    /// Tests: exports go into this folder without a dialog.
    pub fn set_export_dir(&mut self, dir: impl Into<PathBuf>) {
        self.export_dir = Some(dir.into());
    }

    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    pub fn dataset(&self) -> Option<&Dataset> {
        self.loaded.as_ref().map(|l| l.ds.as_ref())
    }

    pub fn panels(&self) -> &Panels {
        &self.panels
    }

    pub fn panels_mut(&mut self) -> &mut Panels {
        &mut self.panels
    }

    pub fn inspector(&self) -> &Inspector {
        &self.inspector
    }

    pub fn jobs(&self) -> &JobRunner {
        &self.jobs
    }

    pub fn jobs_mut(&mut self) -> &mut JobRunner {
        &mut self.jobs
    }

    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// True while the file is loading.
    pub fn is_loading(&self) -> bool {
        self.jobs.is_running(loading::LOAD_JOB)
    }

    /// True while a kind override is being applied to a copy of the data.
    pub fn is_applying_kinds(&self) -> bool {
        self.jobs.is_running(kinds::KIND_JOB)
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.state.tab = tab;
    }

    /// Applies a command as a panel would (tests use it for Inspect and exports).
    pub fn apply(&mut self, command: Command) {
        self.apply_commands(vec![command], None);
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(200_000), "200,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
