//! Helpers shared by the egui_kittest tests that drive the real app.

use egui_kittest::Harness;
use mi_workbench::app::WorkbenchApp;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A bundled sample dataset by file name.
pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

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

/// Opens a file by path and steps until it is loaded.
pub fn open_file(h: &mut Harness<'static, WorkbenchApp>, path: &std::path::Path) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    h.state_mut().open_path(path);
    step_until(h, Duration::from_secs(120), "the file to load", move |a| {
        a.loaded().is_some_and(|l| l.name == name) && !a.is_loading()
    });
    h.step();
}

/// A press and release of `button` at `pos` (after hovering there), then a frame.
pub fn click_at(
    h: &mut Harness<'static, WorkbenchApp>,
    pos: egui::Pos2,
    button: egui::PointerButton,
) {
    h.hover_at(pos);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.step();
}

/// A CSV `name` of `cols` independent uniform columns `c00, c01, …` and `rows` rows
/// (deterministic), streamed to a temporary directory that lives as long as the returned
/// guard (a million rows never sit in memory as text).
pub fn uniform_csv(name: &str, rows: usize, cols: usize) -> (tempfile::TempDir, PathBuf) {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let header: Vec<String> = (0..cols).map(|c| format!("c{c:02}")).collect();
    writeln!(f, "{}", header.join(",")).expect("write");
    let mut state: u64 = 7;
    for _ in 0..rows {
        let line: Vec<String> = (0..cols)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("{:.5}", (state >> 11) as f64 / (1u64 << 53) as f64)
            })
            .collect();
        writeln!(f, "{}", line.join(",")).expect("write");
    }
    f.flush().expect("write");
    (dir, path)
}
