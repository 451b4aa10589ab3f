//! The heatmap of a wide file zooms and pans: fewer cells on screen, and name labels
//! once the cells are large enough to hold them.

use egui_kittest::kittest::Queryable;
use std::io::Write;
use std::time::Duration;

use crate::support::{harness, step_until};

/// `cols` columns of seeded values, every fifth sharing a common signal.
fn wide_file(dir: &std::path::Path, rows: usize, cols: usize) -> std::path::PathBuf {
    let path = dir.join(format!("wide_{cols}.csv"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let header: Vec<String> = (0..cols).map(|c| format!("item_{c:03}")).collect();
    writeln!(f, "{}", header.join(",")).expect("write");
    let mut state: u64 = 7;
    for r in 0..rows {
        let base = (r as f64 * 0.37).sin();
        let line: Vec<String> = (0..cols)
            .map(|c| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                format!("{:.4}", u + if c % 5 == 0 { base } else { 0.0 })
            })
            .collect();
        writeln!(f, "{}", line.join(",")).expect("write");
    }
    path
}

#[test]
fn zooming_shows_fewer_cells_with_labels_and_double_click_fits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = wide_file(dir.path(), 300, 120);
    let mut h = harness();
    h.state_mut().open_path(&path);
    step_until(&mut h, Duration::from_secs(60), "the wide file", |a| {
        a.loaded().is_some_and(|l| l.name == "wide_120.csv") && !a.is_loading()
    });
    step_until(&mut h, Duration::from_secs(60), "its heatmap", |a| {
        let hm = &a.panels().heatmap;
        hm.result().is_some_and(|r| r.request.columns.len() == 120) && !hm.is_computing()
    });
    h.run_steps(2);
    let ((rows, cols), labels) = h.state().panels().heatmap.visible_cells().expect("drawn");
    assert_eq!((rows, cols), (120, 120));
    assert!(!labels, "120 columns in 900 px leave no room for labels");

    let centre = h
        .get_by_role_and_label(egui::accesskit::Role::Canvas, "MI heatmap")
        .rect()
        .center();
    h.hover_at(centre);
    for _ in 0..2 {
        h.event(egui::Event::Zoom(4.0));
        h.run_steps(2);
    }
    let ((rows, cols), labels) = h.state().panels().heatmap.visible_cells().expect("drawn");
    assert!(
        rows < 60 && cols < 120,
        "zoomed in: {rows} × {cols} on screen"
    );
    assert!(labels, "cells four times larger carry names");

    // A drag pans the matrix with the pointer.
    let before = h.state().panels().heatmap.cell_center(0, 0).expect("cell");
    h.drag_at(centre);
    h.hover_at(centre + egui::vec2(-40.0, -30.0));
    h.drop_at(centre + egui::vec2(-40.0, -30.0));
    h.run_steps(2);
    let moved = h.state().panels().heatmap.cell_center(0, 0).expect("cell") - before;
    assert!(
        (moved.x + 40.0).abs() < 1.0 && (moved.y + 30.0).abs() < 1.0,
        "moved by {moved:?}"
    );

    h.hover_at(centre);
    h.key_press(egui::Key::Num0);
    h.run_steps(2);
    let ((rows, cols), _) = h.state().panels().heatmap.visible_cells().expect("drawn");
    assert_eq!((rows, cols), (120, 120), "0 fits the whole matrix again");
}
