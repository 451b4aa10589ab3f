//! Snapshot images of every panel and the pair inspector on a bundled sample, rendered
//! on the software renderer (wgpu on Mesa's lavapipe), so a change in what users see
//! fails a test. Each panel is drawn alone in a fixed 1000×700 window at one pixel per
//! point (no status bar, whose timings vary). After a deliberate change: run
//! `UPDATE_SNAPSHOTS=1 cargo test --release --test gui snapshot`, look at the images in
//! `tests/snapshots/`, and commit them.

use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use mi_workbench::app::commands::Command;
use mi_workbench::app::inspector::Inspector;
use mi_workbench::app::jobs::JobRunner;
use mi_workbench::app::loaded::Loaded;
use mi_workbench::app::panels::{PanelCtx, Panels, Tab};
use mi_workbench::data::{self, ReadOptions};
use mi_workbench::estimate::{Settings, Units};
use std::time::{Duration, Instant};

/// One panel (or the inspector) over a loaded sample, without the app around it.
struct Host {
    panels: Panels,
    tab: Tab,
    inspector: Inspector,
    loaded: Loaded,
    jobs: JobRunner,
    /// Commands the panel pushed (Run-button panels push none while drawing).
    commands: Vec<Command>,
}

impl Host {
    fn new(sample: &str, tab: Tab) -> Self {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample_data")
            .join(sample);
        let ds = data::read_csv_path(&path, &ReadOptions::default()).expect("sample reads");
        let summaries = ds.summaries();
        let variances = mi_workbench::data::stats::variances(&ds);
        let mut next = 0;
        let loaded = Loaded::new(
            ds,
            None,
            false,
            summaries,
            variances,
            sample.into(),
            None,
            || {
                next += 1;
                next
            },
        );
        Self {
            panels: Panels::default(),
            tab,
            inspector: Inspector::default(),
            loaded,
            jobs: JobRunner::new(egui::Context::default()),
            commands: Vec::new(),
        }
    }

    fn frame(&mut self, ui: &mut egui::Ui) {
        self.jobs.poll();
        self.inspector.tick(&mut self.jobs);
        let heatmap = self.panels.heatmap.shared_matrix();
        let mut cx = PanelCtx {
            data: Some(&self.loaded),
            jobs: &mut self.jobs,
            units: Units::Bits,
            commands: &mut self.commands,
            heatmap,
        };
        self.panels.tick(&mut cx);
        self.inspector.show(ui, Units::Bits, cx.commands);
        egui::CentralPanel::default().show(ui, |ui| self.panels.ui(self.tab, ui, &mut cx));
    }
}

/// Whether a wgpu adapter exists (a GPU, or Mesa's lavapipe: `apt install
/// mesa-vulkan-drivers`). Without one the snapshot tests cannot render: under CI that is
/// a failure; on a developer's machine each test says so loudly and stops.
fn renderer_available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *AVAILABLE.get_or_init(|| {
        std::panic::catch_unwind(|| {
            egui_kittest::wgpu::create_render_state(
                egui_kittest::wgpu::default_wgpu_setup(),
                Default::default(),
            )
        })
        .is_ok()
    });
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "no wgpu adapter: install Mesa's lavapipe (apt install mesa-vulkan-drivers)"
        );
        eprintln!(
            "SNAPSHOT NOT CHECKED: no wgpu adapter on this machine; install mesa-vulkan-drivers to check the images"
        );
    }
    ok
}

fn harness(host: Host) -> Harness<'static, Host> {
    Harness::builder()
        .with_size([1000.0, 700.0])
        .with_pixels_per_point(1.0)
        .wgpu()
        .build_ui_state(|ui, host: &mut Host| host.frame(ui), host)
}

/// Steps until no job runs (and the UI has drawn the result), at most 60 s.
fn settle(h: &mut Harness<'static, Host>) {
    let start = Instant::now();
    loop {
        h.step();
        if !h.state().jobs.any_running() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "jobs never finished"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Two more frames: results collected in one, drawn in the next.
    h.step();
    h.step();
}

/// kittest's colour tolerance per pixel (enough for antialiasing differences between
/// renderers) and at most 20 pixels beyond it: the images render identically run after
/// run on the same Mesa, and a one-character change in a label moves hundreds.
fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(0.6).max_failed_pixels(20)
}

pub(crate) fn run_and_snapshot(sample: &str, tab: Tab, run_label: Option<&str>, name: &str) {
    if !renderer_available() {
        return;
    }
    let mut h = harness(Host::new(sample, tab));
    settle(&mut h);
    if let Some(label) = run_label {
        h.get_by_label(label).click();
        settle(&mut h);
    }
    h.snapshot_options(name, &options());
}

#[test]
fn snapshot_heatmap() {
    run_and_snapshot("penguins.csv", Tab::Heatmap, None, "heatmap_penguins");
}

#[test]
fn snapshot_data() {
    run_and_snapshot("penguins.csv", Tab::Data, None, "data_penguins");
}

#[test]
fn snapshot_compare() {
    run_and_snapshot(
        "wine.csv",
        Tab::Compare,
        Some("Run comparison"),
        "compare_wine",
    );
}

#[test]
fn snapshot_conditional() {
    run_and_snapshot(
        "penguins.csv",
        Tab::Conditional,
        Some("Run conditional MI"),
        "conditional_penguins",
    );
}

#[test]
fn snapshot_sensitivity() {
    run_and_snapshot(
        "penguins.csv",
        Tab::Sensitivity,
        Some("Run sweep"),
        "sensitivity_penguins",
    );
}

#[test]
fn snapshot_mrmr() {
    run_and_snapshot("wine.csv", Tab::Mrmr, Some("Run mRMR"), "mrmr_wine");
}

#[test]
fn snapshot_inspector() {
    if !renderer_available() {
        return;
    }
    let mut host = Host::new("penguins.csv", Tab::Data);
    let (x, y) = (
        host.loaded
            .ds
            .column_index("bill_length_mm")
            .expect("column"),
        host.loaded.ds.column_index("species").expect("column"),
    );
    host.inspector
        .open_pair(&mut host.jobs, &host.loaded, x, y, Settings::default());
    let mut h = harness(host);
    settle(&mut h);
    h.snapshot_options("inspector_penguins", &options());
}

/// Steps until `done` holds for the host's panels (the views drawn from the heatmap
/// start a frame after it finishes, so `settle` alone could stop between the two).
fn settle_until(h: &mut Harness<'static, Host>, done: impl Fn(&Panels) -> bool) {
    let start = Instant::now();
    while !done(&h.state().panels) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the view never finished"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    settle(h);
}

#[test]
fn snapshot_target() {
    if !renderer_available() {
        return;
    }
    // The heatmap first, so the row is read from its matrix (the header says so) instead
    // of racing it with an own run.
    let mut h = harness(Host::new("wine.csv", Tab::Heatmap));
    settle_until(&mut h, |p| p.heatmap.result().is_some());
    h.state_mut().tab = Tab::Target;
    settle_until(&mut h, |p| {
        p.target.result().is_some() && !p.target.is_computing()
    });
    h.snapshot_options("target_wine", &options());
}

#[test]
fn snapshot_network() {
    if !renderer_available() {
        return;
    }
    let mut h = harness(Host::new("wine.csv", Tab::Network));
    settle_until(&mut h, |p| {
        p.network.result().is_some() && !p.network.is_computing()
    });
    h.snapshot_options("network_wine", &options());
}
