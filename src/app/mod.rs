//! The egui application: app state, one module per panel, a job runner that keeps all
//! estimation off the UI thread, and the pair inspector.
//!
//! Each frame: poll the job runner, let every panel collect results and start due work
//! (`tick`), draw the menu, tabs, status bar and the visible panel, then apply the
//! [`panels::Command`]s the panels pushed. Panels never reach into each other.

pub mod cluster;
pub mod colormap;
pub mod inspector;
pub mod jobs;
pub mod loaded;
pub mod panels;
pub mod png;
pub mod samples;
pub mod state;

use crate::analysis::Progress;
use crate::data::{self, ColumnSummary, Dataset, ReadOptions};
use inspector::Inspector;
use jobs::{JobError, JobKey, JobRunner, Lane, format_duration};
use loaded::Loaded;
use panels::{Command, PanelCtx, Panels, Tab};
use state::State;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

const LOAD_JOB: JobKey = "load";
/// Recomputes a loaded file's row subsample after the threshold or seed changed.
const SUBSAMPLE_JOB: JobKey = "subsample";
/// Applies a column kind override to a copy of the data (a copy of a million rows is
/// not UI-thread work).
const KIND_JOB: JobKey = "kind";

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

/// Reader options that report into `progress` (bytes read) and stop when it is cancelled.
fn read_options(progress: &Progress) -> ReadOptions {
    let cancel = Arc::new(AtomicBool::new(false));
    let last = Arc::new(AtomicU64::new(0));
    let (p, flag) = (progress.clone(), cancel.clone());
    let report: Arc<dyn Fn(u64, u64) + Send + Sync> = Arc::new(move |done: u64, total: u64| {
        if last.load(Ordering::Relaxed) == 0 && done > 0 {
            p.start("reading CSV", usize::try_from(total).unwrap_or(usize::MAX));
        }
        let before = last.swap(done, Ordering::Relaxed);
        p.add(usize::try_from(done.saturating_sub(before)).unwrap_or(0));
        // The reader checks its flag as it goes; the job's Cancel button sets ours.
        if p.is_cancelled() {
            flag.store(true, Ordering::Relaxed);
        }
    });
    ReadOptions {
        progress: Some(report),
        cancel: Some(cancel),
        ..ReadOptions::default()
    }
}

/// The load job's work after reading: statistics of the whole file and, for a file
/// over the threshold, the seeded row subsample the panels analyse by default.
fn finish_load(
    ds: Dataset,
    large: &state::LargeFileSettings,
    name: String,
    path: Option<PathBuf>,
    progress: &Progress,
) -> Result<LoadOutcome, JobError> {
    progress.start("column statistics", 2);
    let summaries = ds.summaries();
    let variances = loaded::variances(&ds);
    progress.add(1);
    progress.check()?;
    if ds.n_rows > large.subsample_rows {
        progress.start("row subsample", 1);
    }
    let subsample = ds
        .subsample(large.subsample_rows, large.seed)
        .map(|s| (s, large.seed));
    progress.add(1);
    Ok(LoadOutcome {
        ds,
        subsample,
        summaries,
        variances,
        name,
        path,
    })
}

fn load_error(e: data::DataError, progress: &Progress) -> JobError {
    if progress.is_cancelled() {
        JobError::Cancelled
    } else {
        JobError::Failed(e.to_string())
    }
}

/// What a finished load job hands back.
struct LoadOutcome {
    ds: Dataset,
    /// The seeded row subsample and its seed, when the file is over the threshold.
    subsample: Option<(Dataset, u64)>,
    summaries: Vec<ColumnSummary>,
    variances: Vec<f64>,
    name: String,
    path: Option<PathBuf>,
}

/// Above this many values (file and subsample together), a kind override copies the
/// data in a job; below it the copy takes a few milliseconds and is done at once.
const SYNC_KIND_VALUES: usize = 1_000_000;

/// The file and its subsample with the accepted kind overrides applied (`None` when
/// every one was refused), and why any was refused.
struct KindOutcome {
    data: Option<(Dataset, Option<Dataset>)>,
    refused: Vec<String>,
}

/// Kind overrides being applied, all to the data of generation `base`: a second
/// override while the first is still copying is applied together with it.
struct KindPending {
    base: u64,
    /// (column, new kind), in the order chosen.
    kinds: Vec<(usize, data::ColumnKind)>,
}

fn with_kinds(
    full: &Dataset,
    sub: Option<&Dataset>,
    kinds: &[(usize, data::ColumnKind)],
) -> KindOutcome {
    let mut full = full.clone();
    let mut sub = sub.cloned();
    let mut refused = Vec::new();
    let mut applied = 0;
    for &(column, kind) in kinds {
        // The file and its subsample share their columns' kinds and labels, so an
        // override the file accepts the subsample accepts too.
        match full.set_kind(column, kind) {
            Ok(()) => {
                applied += 1;
                if let Some(s) = &mut sub {
                    let _ = s.set_kind(column, kind);
                }
            }
            Err(e) => refused.push(e.to_string()),
        }
    }
    KindOutcome {
        data: (applied > 0).then_some((full, sub)),
        refused,
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

/// Replies from helper threads (file dialogs, writes).
enum Reply {
    Open(PathBuf),
    Saved(PathBuf),
    Folder(PathBuf),
    Error(String),
    /// A screenshot cropped to the requested region, ready to save.
    Png {
        file_name: String,
        image: egui::ColorImage,
    },
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
    /// The title last sent to the window.
    title: String,
    kind_pending: Option<KindPending>,
}

impl WorkbenchApp {
    pub fn new(cc: &eframe::CreationContext, initial_file: Option<PathBuf>) -> Self {
        let state: State = cc
            .storage
            .and_then(|s| eframe::get_value(s, state::STORAGE_KEY))
            .unwrap_or_default();
        let (reply_tx, reply_rx) = channel();
        let mut app = Self {
            panels: Panels::new(&state),
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
            title: String::new(),
            kind_pending: None,
        };
        match initial_file {
            Some(p) => app.open_path(p),
            None => app.open_sample(samples::DEFAULT_SAMPLE),
        }
        app
    }

    /// Starts loading a CSV file in the background; the current dataset stays until it
    /// has loaded, and stays for good if it fails.
    pub fn open_path(&mut self, path: impl Into<PathBuf>) {
        let path: PathBuf = path.into();
        let name = display_name(&path);
        let label = format!("reading {name}");
        let large = self.state.large_files.clone();
        self.jobs
            .spawn(LOAD_JOB, label, Lane::Interactive, move |h| {
                h.progress.start("reading CSV", 0);
                let ds = data::read_csv_path(&path, &read_options(&h.progress))
                    .map_err(|e| load_error(e, &h.progress))?;
                h.progress.check()?;
                finish_load(ds, &large, name, Some(path), &h.progress)
            });
    }

    /// Loads one of the bundled samples (by index into [`samples::SAMPLES`]).
    pub fn open_sample(&mut self, index: usize) {
        let Some(sample) = samples::SAMPLES.get(index) else {
            return;
        };
        self.open_bytes(sample.name.to_string(), sample.bytes.to_vec());
    }

    fn open_bytes(&mut self, name: String, bytes: Vec<u8>) {
        let large = self.state.large_files.clone();
        self.jobs.spawn(
            LOAD_JOB,
            format!("reading {name}"),
            Lane::Interactive,
            move |h| {
                h.progress.start("reading CSV", 0);
                let ds = data::read_csv_bytes(&name, &bytes, &read_options(&h.progress))
                    .map_err(|e| load_error(e, &h.progress))?;
                h.progress.check()?;
                finish_load(ds, &large, name, None, &h.progress)
            },
        );
    }

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
        self.jobs.is_running(LOAD_JOB)
    }

    /// Changes the large-file threshold or seed as the View menu does: the open
    /// file's subsample follows (recomputed in a job).
    pub fn set_large_file_settings(&mut self, settings: state::LargeFileSettings) {
        self.state.large_files = settings;
        self.apply_large_file_settings();
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.state.tab = tab;
    }

    /// Applies a command as a panel would (tests use it for Inspect and exports).
    pub fn apply(&mut self, command: Command) {
        self.apply_commands(vec![command], None);
    }

    fn poll_load(&mut self) {
        let Some(done) = self.jobs.take_done::<LoadOutcome>(LOAD_JOB) else {
            return;
        };
        match done {
            Ok(out) => {
                if let Some(p) = &out.path {
                    self.state.remember(p);
                }
                // Results of the old dataset are meaningless now.
                self.jobs.cancel_all();
                let next = &mut self.next_generation;
                let loaded = Loaded::new(
                    out.ds,
                    out.subsample,
                    self.state.large_files.subsample_by_default,
                    out.summaries,
                    out.variances,
                    out.name,
                    out.path,
                    || {
                        *next += 1;
                        *next - 1
                    },
                );
                self.panels
                    .dataset_changed(loaded.generation, &loaded.generations());
                self.loaded = Some(loaded);
                self.kind_pending = None;
                self.inspector.dataset_changed();
            }
            Err(JobError::Cancelled) => {}
            Err(e) => self.errors.push(format!(
                "Could not open the file. {e}\nThe previous data stays loaded."
            )),
        }
    }

    fn poll_replies(&mut self, frame: Option<&eframe::Frame>) {
        while let Ok(reply) = self.reply_rx.try_recv() {
            match reply {
                Reply::Open(p) => self.open_path(p),
                Reply::Saved(p) => {
                    if let Some(dir) = p.parent() {
                        self.state.last_folder = Some(dir.to_path_buf());
                    }
                    self.notice =
                        Some((format!("Saved {}", p.display()), std::time::Instant::now()));
                }
                Reply::Folder(dir) => self.state.last_folder = Some(dir),
                Reply::Error(e) => self.errors.push(e),
                Reply::Png { file_name, image } => match png::encode_rgba(
                    image.size[0] as u32,
                    image.size[1] as u32,
                    image.as_raw(),
                ) {
                    Ok(bytes) => self.save_bytes(file_name, bytes, "PNG image", "png", frame),
                    Err(e) => self.errors.push(format!("Could not encode the PNG: {e}")),
                },
            }
        }
    }

    /// Asks where to save (off the UI thread) and writes atomically; in tests, writes
    /// into the export folder directly.
    fn save_bytes(
        &mut self,
        file_name: String,
        bytes: Vec<u8>,
        filter_name: &str,
        ext: &str,
        frame: Option<&eframe::Frame>,
    ) {
        let tx = self.reply_tx.clone();
        let ctx = self.ctx.clone();
        if let Some(dir) = &self.export_dir {
            let path = dir.join(&file_name);
            let reply = match crate::export::atomic_write(&path, &bytes) {
                Ok(()) => Reply::Saved(path),
                Err(e) => Reply::Error(format!("Export failed: {e}")),
            };
            let _ = tx.send(reply);
            return;
        }
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_file_name(&file_name)
            .add_filter(filter_name, &[ext]);
        if let Some(dir) = &self.state.last_folder {
            dialog = dialog.set_directory(dir);
        }
        if let Some(f) = frame {
            dialog = dialog.set_parent(f);
        }
        let future = dialog.save_file();
        std::thread::spawn(move || {
            let Some(handle) = pollster::block_on(future) else {
                return;
            };
            let path = handle.path().to_path_buf();
            let reply = match crate::export::atomic_write(&path, &bytes) {
                Ok(()) => Reply::Saved(path),
                Err(e) => Reply::Error(format!(
                    "Export failed; any existing file is unchanged. {e}"
                )),
            };
            let _ = tx.send(reply);
            ctx.request_repaint();
        });
    }

    fn open_dialog(&mut self, frame: Option<&eframe::Frame>) {
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title("Open CSV")
            .add_filter("CSV / TSV", &["csv", "tsv", "txt", "tab"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = &self.state.last_folder {
            dialog = dialog.set_directory(dir);
        }
        if let Some(f) = frame {
            dialog = dialog.set_parent(f);
        }
        let future = dialog.pick_file();
        let tx = self.reply_tx.clone();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            if let Some(handle) = pollster::block_on(future) {
                let path = handle.path().to_path_buf();
                if let Some(dir) = path.parent() {
                    let _ = tx.send(Reply::Folder(dir.to_path_buf()));
                }
                let _ = tx.send(Reply::Open(path));
                ctx.request_repaint();
            }
        });
    }

    fn apply_commands(&mut self, commands: Vec<Command>, frame: Option<&eframe::Frame>) {
        for c in commands {
            match c {
                Command::Inspect { x, y, settings } => {
                    if let Some(data) = &self.loaded {
                        self.inspector
                            .open_pair(&mut self.jobs, data, x, y, settings);
                    }
                }
                Command::ExportCsv {
                    file_name,
                    contents,
                } => {
                    self.save_bytes(file_name, contents.into_bytes(), "CSV", "csv", frame);
                }
                Command::ExportPng { file_name, rect } => self.request_png(file_name, rect),
                Command::SetIncluded { column, included } => {
                    if let Some(data) = &mut self.loaded
                        && let Some(slot) = data.included.get_mut(column)
                    {
                        *slot = included;
                    }
                }
                Command::SetKind { column, kind } => self.set_kind(column, kind),
                Command::Error(e) => self.errors.push(e),
                Command::ShowTab(t) => self.state.tab = t,
                Command::SweepPair { x, y } => {
                    self.state.tab = Tab::Sensitivity;
                    // The inspector window would cover the sweep's plots.
                    self.inspector.open = false;
                    let mut more = Vec::new();
                    let mut cx = PanelCtx {
                        data: self.loaded.as_ref(),
                        jobs: &mut self.jobs,
                        units: self.state.units,
                        commands: &mut more,
                    };
                    self.panels.sensitivity.sweep_pair(&mut cx, x, y);
                    self.apply_commands(more, frame);
                }
                Command::SetUnits(u) => self.state.units = u,
            }
        }
    }

    /// Overrides a column's kind in the whole file and its subsample. The data are
    /// copied (jobs still read the old `Arc`s and file their results under the old
    /// generations); a large copy runs as a job so the window keeps drawing.
    fn set_kind(&mut self, column: usize, kind: data::ColumnKind) {
        let Some(data) = &mut self.loaded else { return };
        // Show the choice at once; a refused override puts the old kind back.
        if let Some(s) = data.summaries.get_mut(column) {
            s.kind = kind;
        }
        let mut kinds = match &self.kind_pending {
            Some(p) if p.base == data.full_generation => p.kinds.clone(),
            _ => Vec::new(),
        };
        kinds.push((column, kind));
        let base = data.full_generation;
        let full = data.full.clone();
        let sub = data.subsample.as_ref().map(|s| s.ds.clone());
        let values = full.n_rows.saturating_mul(full.columns.len())
            + sub
                .as_ref()
                .map_or(0, |s| s.n_rows.saturating_mul(s.columns.len()));
        let overrides = kinds.clone();
        if values <= SYNC_KIND_VALUES {
            let outcome = with_kinds(&full, sub.as_deref(), &overrides);
            self.kind_pending = Some(KindPending { base, kinds });
            self.finish_kind(outcome);
            return;
        }
        self.jobs.spawn(
            KIND_JOB,
            format!("changing the kind of {}", data.column_name(column)),
            Lane::Interactive,
            move |h| {
                h.progress.start("copying the data", 1);
                let outcome = with_kinds(&full, sub.as_deref(), &overrides);
                h.progress.add(1);
                Ok(outcome)
            },
        );
        self.kind_pending = Some(KindPending { base, kinds });
    }

    fn poll_kind(&mut self) {
        if let Some(done) = self.jobs.take_done::<KindOutcome>(KIND_JOB) {
            match done {
                Ok(outcome) => self.finish_kind(outcome),
                Err(JobError::Cancelled) => {}
                Err(e) => {
                    self.kind_pending = None;
                    self.revert_kinds();
                    self.errors.push(e.to_string());
                }
            }
        }
    }

    fn finish_kind(&mut self, outcome: KindOutcome) {
        let Some(pending) = self.kind_pending.take() else {
            return;
        };
        let Some(data) = &mut self.loaded else { return };
        if data.full_generation != pending.base {
            // Another file was opened meanwhile: the copy belongs to the old one.
            return;
        }
        if let Some((full, sub)) = outcome.data {
            data.full_generation = self.next_generation;
            data.full = Arc::new(full);
            self.next_generation += 1;
            if let (Some(s), Some(ds)) = (&mut data.subsample, sub) {
                s.ds = Arc::new(ds);
                s.generation = self.next_generation;
                self.next_generation += 1;
            }
            data.refresh();
            self.panels
                .dataset_changed(data.generation, &data.generations());
        }
        if !outcome.refused.is_empty() {
            self.revert_kinds();
            self.errors.extend(outcome.refused);
        }
    }

    /// Puts the Data panel's kinds back to those of the data (after a refused override).
    fn revert_kinds(&mut self) {
        if let Some(data) = &mut self.loaded {
            for (s, c) in data.summaries.iter_mut().zip(&data.full.columns) {
                s.kind = c.kind;
            }
        }
    }

    /// Analyse the large file's subsample (`true`) or all its rows. Results of both stay
    /// cached, so switching back shows the earlier results at once.
    pub fn use_subsample(&mut self, on: bool) {
        if !self.loaded.as_mut().is_some_and(|d| d.use_subsample(on)) {
            return;
        }
        self.cancel_analyses();
        if let Some(data) = &self.loaded {
            self.panels
                .dataset_changed(data.generation, &data.generations());
            self.inspector.data_switched(&mut self.jobs, data);
        }
    }

    /// Stops the analyses of the data no longer shown (not a load or a kind change).
    fn cancel_analyses(&mut self) {
        let keys: Vec<JobKey> = self
            .jobs
            .running()
            .iter()
            .map(|j| j.key)
            .filter(|k| ![LOAD_JOB, SUBSAMPLE_JOB, KIND_JOB].contains(k))
            .collect();
        for k in keys {
            self.jobs.cancel(k);
        }
    }

    /// After the threshold or seed changed: recompute the open file's subsample (in a
    /// job), or drop it when the file is no longer over the threshold.
    fn apply_large_file_settings(&mut self) {
        let Some(data) = &mut self.loaded else { return };
        let large = self.state.large_files.clone();
        let wanted = data.full.n_rows > large.subsample_rows && large.subsample_rows > 0;
        let current = data.subsample.as_ref().map(|s| (s.ds.n_rows, s.seed));
        if !wanted {
            self.jobs.cancel(SUBSAMPLE_JOB);
            if current.is_some() {
                let was_active = data.is_subsampled();
                data.replace_subsample(None, 0);
                if was_active {
                    self.cancel_analyses();
                    if let Some(data) = &self.loaded {
                        self.panels
                            .dataset_changed(data.generation, &data.generations());
                        self.inspector.data_switched(&mut self.jobs, data);
                    }
                }
            }
            return;
        }
        if current == Some((large.subsample_rows, large.seed)) {
            self.jobs.cancel(SUBSAMPLE_JOB);
            return;
        }
        let full = data.full.clone();
        let base = data.full_generation;
        self.jobs.spawn(
            SUBSAMPLE_JOB,
            format!("subsampling {} rows", thousands(large.subsample_rows)),
            Lane::Interactive,
            move |h| {
                h.progress.start("row subsample", 1);
                let sub = full.subsample(large.subsample_rows, large.seed);
                h.progress.add(1);
                Ok((base, sub.map(|s| (s, large.seed))))
            },
        );
    }

    fn poll_subsample(&mut self) {
        type Outcome = (u64, Option<(Dataset, u64)>);
        let Some(done) = self.jobs.take_done::<Outcome>(SUBSAMPLE_JOB) else {
            return;
        };
        match done {
            Ok((base, sub)) => {
                let Some(data) = &mut self.loaded else { return };
                if data.full_generation != base {
                    return;
                }
                let generation = self.next_generation;
                self.next_generation += 1;
                data.replace_subsample(sub, generation);
                self.cancel_analyses();
                if let Some(data) = &self.loaded {
                    self.panels
                        .dataset_changed(data.generation, &data.generations());
                    self.inspector.data_switched(&mut self.jobs, data);
                }
            }
            Err(JobError::Cancelled) => {}
            Err(e) => self
                .errors
                .push(format!("Could not subsample the rows: {e}")),
        }
    }

    fn request_png(&mut self, file_name: String, rect: egui::Rect) {
        let tx = self.reply_tx.clone();
        let ppp = self.ctx.pixels_per_point();
        let ctx = self.ctx.clone();
        // The callback runs inside the painter, with egui's context locked: touching the
        // context there (even `request_repaint`) deadlocks. Hand the image to a thread.
        self.ctx.request_screenshot(move |image| {
            std::thread::spawn(move || {
                let [w, h] = image.size;
                let px = |v: f32, max: usize| ((v * ppp).round().max(0.0) as usize).min(max);
                let (x0, x1) = (px(rect.min.x, w), px(rect.max.x, w));
                let (y0, y1) = (px(rect.min.y, h), px(rect.max.y, h));
                let reply = if x1 <= x0 || y1 <= y0 {
                    Reply::Error("Nothing to save: the plot is not visible.".into())
                } else {
                    let region = image.region(
                        &egui::Rect::from_min_max(
                            egui::pos2(x0 as f32, y0 as f32),
                            egui::pos2(x1 as f32, y1 as f32),
                        ),
                        None,
                    );
                    Reply::Png {
                        file_name,
                        image: region,
                    }
                };
                let _ = tx.send(reply);
                ctx.request_repaint();
            });
        });
    }

    fn handle_input(&mut self, ctx: &egui::Context, frame: Option<&eframe::Frame>) {
        let open = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
        let export = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::E);
        if ctx.input_mut(|i| i.consume_shortcut(&open)) {
            self.open_dialog(frame);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&export)) {
            let mut commands = Vec::new();
            let mut cx = PanelCtx {
                data: self.loaded.as_ref(),
                jobs: &mut self.jobs,
                units: self.state.units,
                commands: &mut commands,
            };
            self.panels.export_current(self.state.tab, &mut cx);
            self.apply_commands(commands, frame);
        }
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(f) = dropped.into_iter().next() {
            self.open_path(f.path().to_path_buf());
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, frame: Option<&eframe::Frame>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .button("Open CSV…")
                    .on_hover_text("Choose a CSV file to open (Ctrl+O)")
                    .clicked()
                {
                    self.open_dialog(frame);
                    ui.close();
                }
                ui.menu_button("Open recent", |ui| {
                    if self.state.recent.is_empty() {
                        ui.weak("no recent files");
                    }
                    let mut chosen = None;
                    for p in &self.state.recent {
                        if ui
                            .button(display_name(p))
                            .on_hover_text(p.display().to_string())
                            .clicked()
                        {
                            chosen = Some(p.clone());
                        }
                    }
                    if let Some(p) = chosen {
                        self.open_path(p);
                        ui.close();
                    }
                });
                ui.menu_button("Sample data", |ui| {
                    for (i, s) in samples::SAMPLES.iter().enumerate() {
                        if ui.button(s.name).on_hover_text(s.about).clicked() {
                            self.open_sample(i);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui
                    .button("Export current table…")
                    .on_hover_text("Save the visible panel's table as CSV (Ctrl+E)")
                    .clicked()
                {
                    let mut commands = Vec::new();
                    let mut cx = PanelCtx {
                        data: self.loaded.as_ref(),
                        jobs: &mut self.jobs,
                        units: self.state.units,
                        commands: &mut commands,
                    };
                    self.panels.export_current(self.state.tab, &mut cx);
                    self.apply_commands(commands, frame);
                    ui.close();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                ui.label("Theme");
                for (choice, name, tip) in [
                    (
                        state::ThemeChoice::System,
                        "Follow system",
                        "Light or dark as the operating system is set",
                    ),
                    (state::ThemeChoice::Light, "Light", "Always light"),
                    (state::ThemeChoice::Dark, "Dark", "Always dark"),
                ] {
                    ui.radio_value(&mut self.state.theme, choice, name)
                        .on_hover_text(tip);
                }
                ui.separator();
                ui.label("Units");
                ui.radio_value(&mut self.state.units, crate::estimate::Units::Bits, "bits")
                    .on_hover_text("Information in bits (log base 2)");
                ui.radio_value(&mut self.state.units, crate::estimate::Units::Nats, "nats")
                    .on_hover_text("Information in nats (natural log)");
                ui.separator();
                self.large_file_menu(ui);
            });
            ui.menu_button("Help", |ui| {
                ui.label("Open a CSV (Ctrl+O or drop it on the window).");
                ui.label("Click a heatmap cell to inspect the pair.");
                ui.label("Ctrl+E exports the visible table.");
                ui.label("Every number uses the estimator, settings and unit shown beside it.");
            });
        });
    }

    /// View > Large files: the subsample threshold and seed (persisted).
    fn large_file_menu(&mut self, ui: &mut egui::Ui) {
        ui.label("Large files");
        let lf = &mut self.state.large_files;
        ui.checkbox(&mut lf.subsample_by_default, "Open on a subsample")
            .on_hover_text("Files with more rows than the threshold open on a seeded row subsample; all rows stay one click away");
        let mut apply = false;
        ui.horizontal(|ui| {
            let l = ui.label("Subsample above");
            let r = ui
                .add(
                    egui::DragValue::new(&mut lf.subsample_rows)
                        .range(1_000..=100_000_000)
                        .speed(1_000.0)
                        .update_while_editing(false)
                        .custom_formatter(|v, _| thousands(v.max(0.0) as usize))
                        .custom_parser(|t| t.replace([',', '_', ' '], "").parse::<f64>().ok()),
                )
                .labelled_by(l.id)
                .on_hover_text("Files with more rows than this are analysed on a seeded subsample of this many rows");
            ui.label("rows");
            apply |= r.drag_stopped() || (r.changed() && !r.dragged());
        });
        ui.horizontal(|ui| {
            let l = ui.label("Subsample seed");
            let r = ui
                .add(egui::DragValue::new(&mut lf.seed).update_while_editing(false))
                .labelled_by(l.id)
                .on_hover_text("Same seed, same rows: the command line's --subsample-seed");
            apply |= r.drag_stopped() || (r.changed() && !r.dragged());
        });
        if apply {
            self.apply_large_file_settings();
        }
    }

    /// Shown while a file is over the large-file threshold: which rows the panels
    /// analyse, and the switch between the subsample and all rows.
    fn subsample_banner(&mut self, ui: &mut egui::Ui) {
        let Some(data) = &self.loaded else { return };
        let Some(sub) = &data.subsample else { return };
        let (n_sub, n_all) = (thousands(sub.ds.n_rows), thousands(data.full.n_rows));
        let (seed, active) = (sub.seed, sub.active);
        let mut switch = None;
        egui::Frame::group(ui.style())
            .fill(ui.visuals().selection.bg_fill.gamma_multiply(0.2))
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    if active {
                        ui.strong(format!(
                            "Analysing a seeded subsample of {n_sub} of {n_all} rows"
                        ))
                        .on_hover_text(format!(
                            "Every panel uses the same {n_sub} rows, drawn at random with seed {seed}, so the window stays interactive. \
                             The command line picks the same rows with --subsample {} --subsample-seed {seed}.",
                            sub.ds.n_rows
                        ));
                        ui.label("—");
                        if ui
                            .button("Use all rows")
                            .on_hover_text(format!(
                                "Analyse all {n_all} rows (slower); the subsample's results stay cached"
                            ))
                            .clicked()
                        {
                            switch = Some(false);
                        }
                    } else {
                        ui.strong(format!("Analysing all {n_all} rows"));
                        ui.label("—");
                        if ui
                            .button(format!("Use the {n_sub}-row subsample"))
                            .on_hover_text(format!(
                                "Go back to the seeded subsample of {n_sub} rows (seed {seed}): faster, and its results are cached"
                            ))
                            .clicked()
                        {
                            switch = Some(true);
                        }
                    }
                    ui.weak("Threshold and seed: View > Large files");
                });
            });
        if let Some(on) = switch {
            self.use_subsample(on);
        }
    }

    fn tabs(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            for t in Tab::ALL {
                ui.selectable_value(&mut self.state.tab, t, t.title())
                    .on_hover_text(t.explain());
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        let mut cancel = None;
        ui.horizontal(|ui| {
            if self.jobs.running().is_empty() {
                match &self.loaded {
                    Some(d) => {
                        ui.label(format!(
                            "{} — {} rows × {} columns ({} included)",
                            d.name,
                            thousands(d.full.n_rows),
                            d.full.columns.len(),
                            d.included.iter().filter(|&&b| b).count()
                        ));
                        if d.is_subsampled() {
                            ui.weak(format!(
                                "· analysing a seeded subsample of {}",
                                thousands(d.ds.n_rows)
                            ));
                        }
                    }
                    None => {
                        ui.label("No data loaded");
                    }
                };
                if let Some(t) = self.jobs.last_elapsed(panels::heatmap::JOB) {
                    ui.weak(format!("· heatmap computed in {}", format_duration(t)));
                }
            }
            for job in self.jobs.running() {
                let stage = job.progress.stage();
                let (done, total) = (job.progress.done(), job.progress.total());
                ui.label(&job.label)
                    .on_hover_text(format!("stage: {stage}"));
                let bar = if total > 0 {
                    egui::ProgressBar::new(job.progress.fraction())
                        .desired_width(200.0)
                        .text(format!("{done}/{total}"))
                } else {
                    egui::ProgressBar::new(0.0)
                        .desired_width(200.0)
                        .animate(true)
                        .text(stage)
                };
                ui.add(bar);
                let elapsed = format_duration(job.started.elapsed());
                match job.eta() {
                    Some(eta) => {
                        ui.label(format!("{elapsed} elapsed, ~{} left", format_duration(eta)))
                    }
                    None => ui.label(format!("{elapsed} elapsed")),
                };
                if ui
                    .button("Cancel")
                    .on_hover_text("Stop this job (results so far are kept on screen)")
                    .clicked()
                {
                    cancel = Some(job.id);
                }
                ui.separator();
            }
            for (label, since) in self.jobs.stopping() {
                ui.weak(format!("stopping {label}… ({})", format_duration(since)));
            }
            if let Some((msg, at)) = &self.notice {
                if at.elapsed().as_secs() < 6 {
                    ui.weak(msg);
                } else {
                    self.notice = None;
                }
            }
        });
        if let Some(id) = cancel {
            self.jobs.cancel_id(id);
        }
    }

    fn error_banner(&mut self, ui: &mut egui::Ui) {
        let mut dismiss = None;
        for (i, e) in self.errors.iter().enumerate() {
            egui::Frame::group(ui.style())
                .fill(ui.visuals().error_fg_color.gamma_multiply(0.15))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(ui.visuals().error_fg_color, "Error:");
                        ui.label(e);
                        if ui
                            .button("Dismiss")
                            .on_hover_text("Hide this message")
                            .clicked()
                        {
                            dismiss = Some(i);
                        }
                    });
                });
        }
        if let Some(i) = dismiss {
            self.errors.remove(i);
        }
    }

    /// One frame; `frame` is `None` only in unit tests that drive the UI directly.
    fn frame_ui(&mut self, ui: &mut egui::Ui, frame: Option<&eframe::Frame>) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.state.theme) {
            ctx.set_theme(self.state.theme.preference());
            self.applied_theme = Some(self.state.theme);
        }
        self.jobs.poll();
        self.poll_load();
        self.poll_kind();
        self.poll_subsample();
        self.poll_replies(frame);
        self.inspector.tick(&mut self.jobs);
        self.handle_input(&ctx, frame);

        let title = window_title(self.loaded.as_ref().map_or("no file", |l| l.name.as_str()));
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        let mut commands = Vec::new();
        {
            let mut cx = PanelCtx {
                data: self.loaded.as_ref(),
                jobs: &mut self.jobs,
                units: self.state.units,
                commands: &mut commands,
            };
            self.panels.tick(&mut cx);
        }

        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_bar(ui, frame);
            self.tabs(ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.loaded.as_ref().is_some_and(|d| d.subsample.is_some()) {
            egui::Panel::top("subsample").show(ui, |ui| self.subsample_banner(ui));
        }
        if !self.errors.is_empty() {
            egui::Panel::top("errors").show(ui, |ui| self.error_banner(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let mut cx = PanelCtx {
                data: self.loaded.as_ref(),
                jobs: &mut self.jobs,
                units: self.state.units,
                commands: &mut commands,
            };
            self.panels.ui(self.state.tab, ui, &mut cx);
        });
        self.inspector.show(&ctx, self.state.units, &mut commands);

        if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Drop the CSV file to open it",
                egui::FontId::proportional(24.0),
                egui::Color32::WHITE,
            );
        }
        self.apply_commands(commands, frame);
    }

    fn current_state(&self) -> State {
        let mut s = self.state.clone();
        s.heatmap = self.panels.heatmap.settings.clone();
        s.compare = self.panels.compare.settings.clone();
        s.conditional = self.panels.conditional.settings.clone();
        s.sensitivity = self.panels.sensitivity.settings.clone();
        s.mrmr = self.panels.mrmr.settings.clone();
        s
    }
}

impl eframe::App for WorkbenchApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.frame_ui(ui, Some(frame));
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, state::STORAGE_KEY, &self.current_state());
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
