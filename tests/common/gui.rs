//! Helpers shared by the egui_kittest tests that drive the real app. Not a module of
//! `common` (whose helpers the engine and CLI tests use without linking egui): a GUI test
//! crate includes this file itself, `#[path = "common/gui.rs"] mod gui_common;` from a
//! file in `tests/`, `#[path = "../common/gui.rs"]` from `tests/gui/main.rs`.
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use egui_kittest::Harness;
use mi_workbench::app::WorkbenchApp;
use std::time::{Duration, Instant};

/// The app in a 1400×900 window, as it starts for a user (no storage).
pub fn harness() -> Harness<'static, WorkbenchApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(|cc| WorkbenchApp::new(cc, None))
}

/// Steps until `done` holds, at most `limit`; panics with `what` otherwise. Jobs run on
/// real threads, so tests step in a bounded loop instead of `run()`, which expects the
/// UI to settle.
pub fn step_until(
    h: &mut Harness<'static, WorkbenchApp>,
    limit: Duration,
    what: &str,
    done: impl Fn(&WorkbenchApp) -> bool,
) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Screen position of the heatmap cell of dataset columns `x` (across) and `y`.
pub fn heatmap_cell(h: &Harness<'static, WorkbenchApp>, x: usize, y: usize) -> egui::Pos2 {
    h.state()
        .panels()
        .heatmap
        .cell_center(x, y)
        .expect("cell is drawn")
}
