//! Follow-ups to the window, driven in egui_kittest like the shell tests: a large file
//! analysed on a seeded row subsample with all rows one click away, the "Sweep this
//! pair" hand-off from the pair inspector and the heatmap's context menu to the
//! Sensitivity tab, and kind overrides of a large file applied in a job.
//!
//! Jobs run on real threads, so the tests step the harness in a bounded loop.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::app::WorkbenchApp;
use mi_workbench::app::commands::Command;
use mi_workbench::app::panels::Tab;
use mi_workbench::app::state::LargeFileSettings;
use mi_workbench::data::ColumnKind;
use mi_workbench::estimate::Estimator;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::support::{click_at, harness, heatmap_cell, open_file as open, sample, step_until};

/// The heatmap of the data now analysed is on screen and nothing is computing.
fn heatmap_current(app: &WorkbenchApp) -> bool {
    let h = &app.panels().heatmap;
    !h.is_computing()
        && h.result().is_some()
        && h.shown_generation() == app.loaded().map(|l| l.generation)
}

/// Every cell's n used (the generated file has no missing cells).
fn heatmap_n_used(app: &WorkbenchApp) -> Vec<usize> {
    app.panels()
        .heatmap
        .result()
        .map(|r| r.cells.iter().map(|c| c.n_used()).collect())
        .unwrap_or_default()
}

/// `rows` × 3: a, b = a + noise (dependent), c = a small integer (discrete).
fn write_big_csv(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(f, "a,b,c").expect("write");
    let mut state: u64 = 12345;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..rows {
        let a = next();
        let b = a + 0.5 * next();
        let c = (next() * 5.0) as u32;
        writeln!(f, "{a:.6},{b:.6},{c}").expect("write");
    }
}

#[test]
fn a_large_file_is_analysed_on_a_subsample_with_all_rows_one_click_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.csv");
    write_big_csv(&path, 250_000);

    let mut h = harness();
    // The histogram estimator keeps the test about rows, not about kNN speed.
    h.state_mut()
        .panels_mut()
        .heatmap
        .settings
        .estimate
        .estimator = Estimator::Histogram;
    assert_eq!(
        h.state().state().large_files,
        LargeFileSettings::default(),
        "a fresh start uses the default threshold"
    );
    assert_eq!(h.state().state().large_files.subsample_rows, 200_000);
    open(&mut h, &path);

    let l = h.state().loaded().expect("loaded");
    assert_eq!(l.full.n_rows, 250_000, "the whole file is kept");
    assert_eq!(l.ds.n_rows, 200_000, "the analyses read the subsample");
    assert!(l.is_subsampled());
    let sub_generation = l.generation;
    let _ = h.get_by_label("Analysing a seeded subsample of 200,000 of 250,000 rows");
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the subsample heatmap",
        heatmap_current,
    );
    let n = heatmap_n_used(h.state());
    assert_eq!(n.len(), 3);
    assert!(n.iter().all(|&n| n == 200_000), "n used per cell: {n:?}");

    // The Data tab shows the whole file.
    h.get_by_label("Data").click();
    h.step();
    h.step();
    let _ = h.get_by_label("250,000 rows × 3 columns, 3 included");

    // One click to all rows: another generation, every row in every cell.
    h.get_by_label("Use all rows").click();
    h.step();
    let l = h.state().loaded().expect("loaded");
    assert!(!l.is_subsampled());
    assert_eq!(l.ds.n_rows, 250_000);
    assert_ne!(
        l.generation, sub_generation,
        "switching bumps the generation"
    );
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the all-rows heatmap",
        heatmap_current,
    );
    let n = heatmap_n_used(h.state());
    assert!(n.iter().all(|&n| n == 250_000), "n used per cell: {n:?}");
    let _ = h.get_by_label("Analysing all 250,000 rows");

    // And back: the subsample's heatmap comes from the cache, without a new job.
    h.get_by_label("Use the 200,000-row subsample").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().loaded().expect("loaded").generation,
        sub_generation
    );
    assert!(
        heatmap_current(h.state()),
        "the cached subsample heatmap is shown at once"
    );
    assert!(heatmap_n_used(h.state()).iter().all(|&n| n == 200_000));

    // A kind override of a large file copies the data in a job, both file and subsample.
    let c = h
        .state()
        .dataset()
        .expect("data")
        .column_index("c")
        .expect("c");
    let before = h.state().loaded().expect("loaded").generation;
    h.state_mut().apply(Command::SetKind {
        column: c,
        kind: ColumnKind::Continuous,
    });
    assert!(
        h.state().is_applying_kinds(),
        "1.35 million values are copied off the UI thread"
    );
    assert_eq!(
        h.state().loaded().expect("loaded").summaries[c].kind,
        ColumnKind::Continuous,
        "the Data panel shows the choice at once"
    );
    step_until(
        &mut h,
        Duration::from_secs(60),
        "the kind override",
        move |a| a.loaded().is_some_and(|l| l.generation != before),
    );
    let l = h.state().loaded().expect("loaded");
    assert_eq!(l.full.columns[c].kind, ColumnKind::Continuous);
    assert_eq!(l.ds.columns[c].kind, ColumnKind::Continuous);
    assert!(l.is_subsampled(), "the override keeps the subsample on");
    assert!(h.state().errors().is_empty(), "{:?}", h.state().errors());

    // The threshold is a setting: above the file's rows there is no subsample, and a
    // lower one makes a new, smaller subsample.
    let mut s = h.state().state().large_files.clone();
    s.subsample_rows = 300_000;
    h.state_mut().set_large_file_settings(s.clone());
    h.step();
    let l = h.state().loaded().expect("loaded");
    assert!(l.subsample.is_none() && l.ds.n_rows == 250_000);
    assert!(h.query_by_label_contains("Analysing").is_none());
    s.subsample_rows = 100_000;
    h.state_mut().set_large_file_settings(s);
    step_until(&mut h, Duration::from_secs(60), "the new subsample", |a| {
        a.loaded().is_some_and(|l| l.ds.n_rows == 100_000)
    });
    let _ = h.get_by_label("Analysing a seeded subsample of 100,000 of 250,000 rows");
    assert_eq!(h.state().state().large_files.subsample_rows, 100_000);
}

pub(crate) fn open_penguins(h: &mut Harness<'static, WorkbenchApp>) -> (usize, usize) {
    open(h, &sample("penguins.csv"));
    step_until(h, Duration::from_secs(120), "the heatmap", heatmap_current);
    h.step();
    let ds = h.state().dataset().expect("data").clone();
    (
        ds.column_index("bill_length_mm").expect("column"),
        ds.column_index("flipper_length_mm").expect("column"),
    )
}

fn sweep_done(app: &WorkbenchApp) -> bool {
    !app.panels().sensitivity.is_computing() && app.panels().sensitivity.result().is_some()
}

#[test]
fn sweep_this_pair_opens_the_sensitivity_tab_on_the_inspected_pair() {
    let mut h = harness();
    let (x, y) = open_penguins(&mut h);
    let pos = heatmap_cell(&h, x, y);
    click_at(&mut h, pos, egui::PointerButton::Primary);
    assert_eq!(h.state().inspector().pair(), Some((x, y)));
    step_until(&mut h, Duration::from_secs(30), "the inspector", |a| {
        a.inspector().details().is_some()
    });
    h.step();

    h.get_by_label("Sweep this pair").click();
    h.step();
    let app = h.state();
    assert_eq!(app.state().tab, Tab::Sensitivity);
    assert!(
        !app.inspector().open,
        "the inspector steps aside for the plots"
    );
    let s = &app.panels().sensitivity.settings;
    assert_eq!(s.x.as_deref(), Some("bill_length_mm"));
    assert_eq!(s.y.as_deref(), Some("flipper_length_mm"));
    let data = app.loaded().expect("loaded");
    assert_eq!(app.panels().sensitivity.pair(data), Some((x, y)));
    assert!(
        app.panels().sensitivity.is_computing(),
        "the sweep starts by itself"
    );
    step_until(&mut h, Duration::from_secs(120), "the sweep", sweep_done);
    let r = h.state().panels().sensitivity.result().expect("sweep");
    assert_eq!((r.request.x, r.request.y), (x, y));
}

#[test]
fn the_heatmap_context_menu_hands_a_pair_to_the_sensitivity_tab() {
    let mut h = harness();
    let (x, y) = open_penguins(&mut h);
    // The other triangle: the menu names the pair as the cell shows it (x across).
    let pos = heatmap_cell(&h, y, x);
    click_at(&mut h, pos, egui::PointerButton::Secondary);
    h.step();
    let _ = h.get_by_label("Pair: flipper_length_mm × bill_length_mm");
    h.get_by_label("Sweep this pair").click();
    h.step();
    let app = h.state();
    assert_eq!(app.state().tab, Tab::Sensitivity);
    let data = app.loaded().expect("loaded");
    assert_eq!(app.panels().sensitivity.pair(data), Some((y, x)));
    step_until(&mut h, Duration::from_secs(120), "the sweep", sweep_done);
}
