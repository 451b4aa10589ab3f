//! Drives the real app in egui_kittest: loading, the heatmap job, clicking a cell,
//! a malformed file, cancelling a long job, exports and kind overrides.
//!
//! Jobs run on real threads, so the tests step the harness in a bounded loop (with a
//! short sleep) until the job is done, rather than `run()`, which expects the UI to settle.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::analysis::{Progress, matrix};
use mi_workbench::app::WorkbenchApp;
use mi_workbench::app::commands::Command;
use mi_workbench::app::panels::Tab;
use mi_workbench::data::{ColumnKind, ReadOptions, read_csv_path};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::{harness, heatmap_cell, sample, step_until};

fn loaded_name(app: &WorkbenchApp) -> Option<String> {
    app.loaded().map(|l| l.name.clone())
}

fn heatmap_done(app: &WorkbenchApp) -> bool {
    !app.panels().heatmap.is_computing() && app.panels().heatmap.result().is_some()
}

/// Opens a file by path and waits for it and its heatmap.
fn open_and_wait(h: &mut Harness<'static, WorkbenchApp>, file: &str) {
    h.state_mut().open_path(sample(file));
    let f = file.to_string();
    step_until(h, Duration::from_secs(60), "the file to load", move |a| {
        loaded_name(a).as_deref() == Some(f.as_str()) && !a.is_loading()
    });
    step_until(h, Duration::from_secs(120), "the heatmap", heatmap_done);
}

#[test]
fn heatmap_matches_the_engine() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    let app = h.state();
    let shown = app
        .panels()
        .heatmap
        .result()
        .expect("heatmap result")
        .clone();

    let ds =
        read_csv_path(&sample("penguins.csv"), &ReadOptions::default()).expect("penguins reads");
    let request = matrix::MatrixRequest {
        columns: ds.default_included(),
        settings: app.panels().heatmap.settings.estimate.clone(),
        permutations: 0,
    };
    assert_eq!(
        shown.request, request,
        "the window asked for the default request"
    );
    let engine = matrix::run(&ds, &request, &Progress::new(), &|_, _| {}).expect("engine runs");
    assert_eq!(shown.cells.len(), engine.cells.len());
    let mut compared = 0;
    for (a, b) in shown.cells.iter().zip(&engine.cells) {
        assert_eq!((a.x, a.y), (b.x, b.y));
        assert_eq!(a.n_used(), b.n_used());
        match (a.mi(), b.mi()) {
            (Some(x), Some(y)) => {
                assert!(
                    (x - y).abs() <= 1e-12 * (1.0 + y.abs()),
                    "{}×{}: window {x} vs engine {y}",
                    a.x,
                    a.y
                );
                compared += 1;
            }
            (None, None) => {}
            other => panic!("one side has no estimate: {other:?}"),
        }
    }
    assert!(compared >= 10, "only {compared} cells compared");
}

#[test]
fn clicking_a_cell_opens_the_inspector() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    h.step();
    let ds = h.state().dataset().expect("data").clone();
    let x = ds.column_index("bill_length_mm").expect("column");
    let y = ds.column_index("flipper_length_mm").expect("column");
    let pos = heatmap_cell(&h, x, y);
    h.hover_at(pos);
    h.step();
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
    assert_eq!(
        h.state().inspector().pair(),
        Some((x, y)),
        "the clicked pair is inspected"
    );
    step_until(
        &mut h,
        Duration::from_secs(30),
        "the inspector's numbers",
        |a| a.inspector().details().is_some(),
    );
    h.step();
    let d = h.state().inspector().details().expect("details").clone();
    assert_eq!(d.x_name, "bill_length_mm");
    assert_eq!(d.y_name, "flipper_length_mm");
    assert!(
        d.n_used > 300 && d.n_used < 344,
        "pairwise-complete rows: {}",
        d.n_used
    );
    assert!(!d.points.is_empty(), "a numeric pair has a scatter plot");
    let e = d.entropies.expect("entropies");
    assert!((e.mi() - (e.h_x + e.h_y - e.h_xy)).abs() < 1e-12);
    // The window shows the pair's names.
    let _ = h.get_by_label_contains("Pair inspector: bill_length_mm × flipper_length_mm");

    // A discrete pair gets a contingency table.
    let s = ds.column_index("species").expect("species");
    let i = ds.column_index("island").expect("island");
    let settings = h.state().panels().heatmap.settings.estimate.clone();
    h.state_mut().apply(Command::Inspect {
        x: s,
        y: i,
        settings,
    });
    step_until(&mut h, Duration::from_secs(30), "the discrete pair", |a| {
        a.inspector()
            .details()
            .is_some_and(|d| d.x_name == "species")
    });
    h.step();
    let d = h.state().inspector().details().expect("details").clone();
    let t = d
        .contingency
        .expect("contingency table for two categorical columns");
    assert_eq!(t.n as usize, d.n_used);
    assert_eq!(t.counts.iter().sum::<u64>(), t.n);
    h.get_by_label("PMI").click();
    h.step();
}

#[test]
fn a_malformed_file_shows_its_error_and_keeps_the_data() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("ragged.csv");
    std::fs::write(&bad, "a,b,c\n1,2,3\n4,5\n6,7,8,9\n").expect("write");
    h.state_mut().open_path(&bad);
    step_until(&mut h, Duration::from_secs(30), "the load to fail", |a| {
        !a.is_loading()
    });
    h.step();
    let errors = h.state().errors().to_vec();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("ragged.csv"),
        "the error names the file: {}",
        errors[0]
    );
    assert!(
        errors[0].contains("line"),
        "the error names the line: {}",
        errors[0]
    );
    assert_eq!(
        loaded_name(h.state()).as_deref(),
        Some("penguins.csv"),
        "the previous data stays"
    );
    assert!(
        h.state().panels().heatmap.result().is_some(),
        "and so does its heatmap"
    );
    // The banner is visible and can be dismissed.
    h.get_by_label("Dismiss").click();
    h.step();
    assert!(h.state().errors().is_empty());
    // A failed open's banner goes once another file opens (a review found it stayed
    // above the new file's data on every tab).
    h.state_mut().open_path(&bad);
    step_until(&mut h, Duration::from_secs(30), "the second failure", |a| {
        !a.is_loading() && !a.errors().is_empty()
    });
    open_and_wait(&mut h, "wine.csv");
    assert!(h.state().errors().is_empty(), "{:?}", h.state().errors());
}

#[test]
fn a_long_job_can_be_cancelled_and_the_ui_keeps_drawing() {
    let mut h = harness();
    open_and_wait(&mut h, "breast_cancer.csv");
    h.state_mut().panels_mut().heatmap.settings.permutations = 1000;
    h.step();
    assert!(
        h.state().panels().heatmap.is_computing(),
        "the permutation job started"
    );

    // Frame times while the job saturates every core.
    let mut times = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(3) {
        let t = Instant::now();
        h.step();
        times.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(10));
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let p95 = times[times.len() * 95 / 100];
    let max = times[times.len() - 1];
    let streamed = h.state().panels().heatmap.streamed_cells();
    println!(
        "frame times while a 465-pair × 1000-permutation job runs: {} frames, mean {:.2} ms, p95 {:.2} ms, max {:.2} ms; {streamed} cells streamed in 3 s",
        times.len(),
        mean.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
    assert!(
        h.state().panels().heatmap.is_computing(),
        "still running after 3 s (else the test proves nothing)"
    );

    h.get_by_label("Cancel").click();
    h.step();
    let cancelled_at = Instant::now();
    assert!(
        !h.state()
            .jobs()
            .is_running(mi_workbench::app::panels::heatmap::JOB)
    );
    // The worker polls the cancel between pairs and inside each one; how fast it
    // returns is measured (printed), not asserted: the limit only turns a hang into a
    // failure.
    step_until(
        &mut h,
        Duration::from_secs(300),
        "the worker to stop",
        |a| a.jobs().stopping().is_empty(),
    );
    let stop = cancelled_at.elapsed();
    println!(
        "cancel → worker returned in {:.0} ms",
        stop.as_secs_f64() * 1e3
    );
    assert!(!h.state().panels().heatmap.is_computing());
    // Cancelled means cancelled: it does not restart by itself.
    for _ in 0..5 {
        h.step();
    }
    assert!(!h.state().panels().heatmap.is_computing());
}

#[test]
fn ctrl_e_exports_the_heatmap_and_it_parses_back() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    h.state_mut().set_tab(Tab::Heatmap);
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.step();
    h.step();
    let path = dir.path().join("penguins_mi_long.csv");
    let text = std::fs::read_to_string(&path).expect("export written");
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = rdr.headers().expect("header").clone();
    assert!(headers.iter().any(|c| c == "mi"), "{headers:?}");
    let rows = rdr.records().count();
    let m = h
        .state()
        .panels()
        .heatmap
        .result()
        .expect("result")
        .request
        .columns
        .len();
    assert_eq!(rows, m * (m - 1) / 2);

    h.get_by_label("Export wide CSV").click();
    h.step();
    h.step();
    assert!(dir.path().join("penguins_mi_wide.csv").exists());
}

#[test]
fn kind_override_recomputes_and_text_cannot_be_continuous() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    let ds = h.state().dataset().expect("data").clone();
    let year = ds.column_index("year").expect("year");
    let species = ds.column_index("species").expect("species");
    let generation = h.state().loaded().expect("loaded").generation;
    let new_kind = if ds.columns[year].kind == ColumnKind::Continuous {
        ColumnKind::Discrete
    } else {
        ColumnKind::Continuous
    };
    h.state_mut().apply(Command::SetKind {
        column: year,
        kind: new_kind,
    });
    h.step();
    assert_ne!(h.state().loaded().expect("loaded").generation, generation);
    assert!(
        h.state().panels().heatmap.is_computing(),
        "a kind change invalidates the heatmap"
    );
    step_until(
        &mut h,
        Duration::from_secs(60),
        "the recomputed heatmap",
        heatmap_done,
    );

    h.state_mut().apply(Command::SetKind {
        column: species,
        kind: ColumnKind::Continuous,
    });
    h.step();
    assert_eq!(
        h.state().errors().len(),
        1,
        "text → continuous is refused with a message"
    );
    assert_eq!(
        h.state().dataset().expect("data").columns[species].kind,
        ds.columns[species].kind
    );
}

#[test]
fn the_data_tab_lists_every_column() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    h.get_by_label("Data").click();
    h.step();
    h.step();
    assert_eq!(h.state().state().tab, Tab::Data);
    for name in ["species", "bill_length_mm", "body_mass_g"] {
        let _ = h.get_by_label(&format!("Include {name}"));
    }
    // Unticking a column drops it from the heatmap's request.
    h.get_by_label("Include year").click();
    h.step();
    h.step();
    let year = h
        .state()
        .dataset()
        .expect("data")
        .column_index("year")
        .expect("year");
    assert!(
        !h.state()
            .loaded()
            .expect("loaded")
            .included_columns()
            .contains(&year)
    );
    step_until(
        &mut h,
        Duration::from_secs(60),
        "the smaller heatmap",
        |a| {
            heatmap_done(a)
                && !a
                    .panels()
                    .heatmap
                    .result()
                    .is_some_and(|r| r.request.columns.contains(&year))
        },
    );
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_file_opens_and_goes_into_recent_files() {
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(sample("wine.csv"))));
    h.step();
    step_until(&mut h, Duration::from_secs(30), "the dropped file", |a| {
        loaded_name(a).as_deref() == Some("wine.csv")
    });
    assert_eq!(h.state().state().recent.first(), Some(&sample("wine.csv")));
    assert_eq!(
        h.state().state().last_folder.as_deref(),
        sample("wine.csv").parent()
    );
}

#[derive(Default)]
struct MemStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn settings_survive_a_restart_and_a_corrupt_store_falls_back_to_defaults() {
    use eframe::{App, Storage};
    use mi_workbench::app::state::{STORAGE_KEY, Saved, ThemeChoice};
    let mut h = harness();
    open_and_wait(&mut h, "penguins.csv");
    {
        let app = h.state_mut();
        app.panels_mut().heatmap.settings.estimate.k = 7;
        app.panels_mut().heatmap.settings.cluster = true;
        app.state_mut().theme = ThemeChoice::Dark;
        app.state_mut().units = mi_workbench::estimate::Units::Nats;
        app.set_tab(Tab::Data);
    }
    let mut store = MemStorage::default();
    h.state_mut().save(&mut store);
    let back = Saved::load(Some(&store));
    assert_eq!(back.panels.heatmap.settings.estimate.k, 7);
    assert!(back.panels.heatmap.settings.cluster);
    assert_eq!(back.app.theme, ThemeChoice::Dark);
    assert_eq!(back.app.units, mi_workbench::estimate::Units::Nats);
    assert_eq!(back.app.tab, Tab::Data);
    assert_eq!(back.app.recent.first(), Some(&sample("penguins.csv")));

    // A store from another version (missing and unknown fields) keeps what it can.
    store.set_string(
        STORAGE_KEY,
        "(app: (units: Nats, no_such_field: 3), panels: (heatmap: (cluster: true)))".into(),
    );
    let partial = Saved::load(Some(&store));
    assert_eq!(partial.app.units, mi_workbench::estimate::Units::Nats);
    assert!(partial.panels.heatmap.settings.cluster);
    assert_eq!(partial.panels.heatmap.settings.estimate.k, 3);
    // Garbage gives defaults, and the app starts from them.
    store.set_string(STORAGE_KEY, "\u{0}not ron at all".into());
    let fresh = Saved::load(Some(&store));
    assert_eq!(fresh.app.units, mi_workbench::estimate::Units::Bits);
    assert_eq!(fresh.panels.heatmap.settings.estimate.k, 3);
}

/// A store written before panels owned their settings (one flat `State` under the old
/// key) is migrated field by field.
#[test]
fn settings_saved_by_the_previous_version_are_migrated() {
    use eframe::Storage;
    use mi_workbench::analysis::mrmr::MrmrMethod;
    use mi_workbench::app::panels::heatmap::{ColumnPick, Scale};
    use mi_workbench::app::state::{LEGACY_STORAGE_KEY, Saved, ThemeChoice};
    use mi_workbench::estimate::{BinRule, Estimator, Units};
    let legacy = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/settings/legacy_state.ron"),
    )
    .expect("the legacy settings fixture exists");
    let mut store = MemStorage::default();
    store.set_string(LEGACY_STORAGE_KEY, legacy);
    let s = Saved::load(Some(&store));
    assert_eq!(s.app.theme, ThemeChoice::Dark);
    assert_eq!(s.app.units, Units::Nats);
    assert_eq!(s.app.tab, Tab::Mrmr);
    assert_eq!(s.app.recent.len(), 2);
    assert_eq!(s.app.large_files.subsample_rows, 50_000);
    assert!(!s.app.large_files.subsample_by_default);
    let hm = &s.panels.heatmap.settings;
    assert_eq!(hm.estimate.estimator, Estimator::Ksg2);
    assert_eq!(hm.estimate.k, 7);
    assert_eq!(hm.estimate.bins, BinRule::Fixed(12));
    assert_eq!(hm.permutations, 99);
    assert_eq!(hm.scale, Scale::InfoCoefficient);
    assert_eq!(hm.pick, ColumnPick::FileOrder);
    assert_eq!(hm.max_columns, 60);
    assert!(!s.panels.compare.settings.descending);
    assert_eq!(
        s.panels.conditional.settings.given.as_deref(),
        Some("island")
    );
    assert_eq!(s.panels.conditional.settings.estimate.k, 5);
    assert_eq!(s.panels.sensitivity.settings.repeats, 4);
    assert!(!s.panels.sensitivity.settings.sample_sizes);
    assert_eq!(s.panels.mrmr.settings.method, MrmrMethod::Jmi);
    assert_eq!(s.panels.mrmr.settings.select, 4);
    assert_eq!(s.panels.mrmr.settings.estimate.seed, 7);
}

/// Two jobs at 1000 px: each keeps its Cancel button inside the window (a review found
/// the second job's bar, time and Cancel cut off).
#[test]
fn two_jobs_keep_their_cancel_buttons_in_a_narrow_window() {
    let (_dir, path) = crate::support::uniform_csv("large.csv", 60_000, 40);
    let mut h = Harness::builder()
        .with_size([1000.0, 700.0])
        .build_eframe(|cc| WorkbenchApp::new(cc, None));
    h.state_mut().open_path(&path);
    step_until(&mut h, Duration::from_secs(60), "the file", |a| {
        a.loaded().is_some() && !a.is_loading()
    });
    h.run_steps(3);
    h.get_by_label("Compute heatmap").click();
    h.run_steps(2);
    h.state_mut().set_tab(Tab::Sensitivity);
    h.run_steps(2);
    h.get_by_label("Run sweep").click();
    h.run_steps(2);
    let running = h.state().jobs().running().len();
    assert_eq!(running, 2, "the heatmap and the sweep run");
    let cancels: Vec<egui::Rect> = h.get_all_by_label("Cancel").map(|n| n.rect()).collect();
    assert_eq!(cancels.len(), 2);
    for r in &cancels {
        assert!(r.max.x <= 1000.0, "a Cancel button is cut off: {r:?}");
    }
    for _ in 0..20 {
        if h.state().jobs().running().is_empty() {
            break;
        }
        if let Some(c) = h.query_all_by_label("Cancel").next() {
            c.click();
        }
        h.run_steps(2);
    }
    step_until(&mut h, Duration::from_secs(120), "the jobs to stop", |a| {
        a.jobs().running().is_empty() && a.jobs().stopping().is_empty()
    });
}
