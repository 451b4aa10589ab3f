//! Drives the analysis panels of the real app in egui_kittest: Correlation vs MI,
//! Conditional MI, Sensitivity and mRMR. Each test opens a sample file by path, switches
//! tab by clicking its label, presses the panel's Run button, steps the harness until the
//! job is done, and checks that the numbers the panel holds are the engine's numbers for
//! the same settings. The mRMR test also exports the CSV and compares it with what the
//! command line writes for the same settings.
//!
//! Jobs run on real threads, so the tests step in a bounded loop rather than `run()`.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::analysis::{Progress, compare, conditional, mrmr, sweep};
use mi_workbench::app::WorkbenchApp;
use mi_workbench::app::panels::Tab;
use mi_workbench::estimate::prepare::complete_rows;
use mi_workbench::export;
use std::time::Duration;

use crate::support::{harness, sample, step_until};

/// Opens a sample file by path and waits until it is the loaded dataset.
pub(crate) fn open(h: &mut Harness<'static, WorkbenchApp>, file: &str) {
    h.state_mut().open_path(sample(file));
    let f = file.to_string();
    step_until(h, Duration::from_secs(60), "the file to load", move |a| {
        a.loaded().is_some_and(|l| l.name == f) && !a.is_loading()
    });
    h.step();
}

pub(crate) fn click_tab(h: &mut Harness<'static, WorkbenchApp>, tab: Tab) {
    h.get_by_label(tab.title()).click();
    h.step();
    h.step();
    assert_eq!(
        h.state().state().tab,
        tab,
        "clicking “{}” shows its tab",
        tab.title()
    );
}

/// A primary click at a screen position, as the shell's heatmap test does.
pub(crate) fn click_at(h: &mut Harness<'static, WorkbenchApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.step();
    h.step();
}

fn included(app: &WorkbenchApp) -> Vec<usize> {
    app.loaded().expect("loaded").included_columns()
}

#[test]
fn correlation_vs_mi_matches_the_engine_and_a_row_opens_the_inspector() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    click_tab(&mut h, Tab::Compare);
    h.get_by_label("Run comparison").click();
    h.step();
    assert!(
        h.state().panels().compare.is_computing(),
        "Run starts the job"
    );
    step_until(&mut h, Duration::from_secs(120), "the comparison", |a| {
        !a.panels().compare.is_computing() && a.panels().compare.result().is_some()
    });
    h.step();
    h.check_accessibility();

    let app = h.state();
    let ds = app.dataset().expect("data").clone();
    let shown = app.panels().compare.result().expect("result").clone();
    let cols = included(app);
    let settings = app.panels().compare.settings.estimate.clone();
    assert_eq!(shown.request.columns, cols);
    assert_eq!(shown.request.settings, settings);
    let engine = compare::run(&ds, &cols, &settings, &Progress::new()).expect("engine runs");
    assert_eq!(shown.rows, engine, "the panel holds the engine's rows");
    assert_eq!(shown.rows.len(), cols.len() * (cols.len() - 1) / 2);

    // The highlighted pairs are the ones furthest above the Gaussian curve, in order.
    assert!(!shown.top.is_empty(), "penguins has non-linear dependences");
    let best = engine
        .iter()
        .map(|r| r.excess_over_gaussian())
        .filter(|v| !v.is_nan())
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(shown.rows[shown.top[0]].excess_over_gaussian(), best);
    for w in shown.top.windows(2) {
        assert!(shown.rows[w[0]].excess_over_gaussian() >= shown.rows[w[1]].excess_over_gaussian());
    }

    // Headers sort (click again to reverse); the default is excess, largest first.
    use mi_workbench::app::panels::compare::SortBy;
    assert_eq!(h.state().panels().compare.settings.sort, SortBy::Excess);
    h.get_by_label("n").click();
    h.step();
    assert_eq!(h.state().panels().compare.settings.sort, SortBy::N);
    let excess = format!("excess ({})", h.state().state().units.name());
    h.get_by_label(&excess).click();
    h.step();
    h.step();
    assert_eq!(h.state().panels().compare.settings.sort, SortBy::Excess);
    assert!(h.state().panels().compare.settings.descending);

    // A table row opens the pair inspector (the table is sorted by excess, so this is
    // its second row; rows are clicked first, as the inspector window may cover them).
    let other = &shown.rows[shown.top[1]];
    let label = format!(
        "{} × {}",
        ds.columns[other.x].name, ds.columns[other.y].name
    );
    h.get_by_label(&label).click();
    h.step();
    h.step();
    assert_eq!(h.state().inspector().pair(), Some((other.x, other.y)));

    // Clicking the top pair's point in the scatter moves the inspector to that pair. The
    // docked inspector narrows the panel over a few frames: click once the plot is still.
    let top = &shown.rows[shown.top[0]];
    let mut last = None;
    for _ in 0..20 {
        h.step();
        let now = h.state().panels().compare.point_pos(top.x, top.y);
        if now.is_some() && now == last {
            break;
        }
        last = now;
    }
    let pos = h
        .state()
        .panels()
        .compare
        .point_pos(top.x, top.y)
        .expect("point drawn");
    click_at(&mut h, pos);
    assert_eq!(h.state().inspector().pair(), Some((top.x, top.y)));
    // Export writes the CLI's table.
    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    h.get_by_label("Export CSV").click();
    h.step();
    h.step();
    let text = std::fs::read_to_string(dir.path().join("penguins_correlation_vs_mi.csv"))
        .expect("export written");
    let units = h.state().state().units;
    assert_eq!(text, export::compare_csv(&ds, &engine, units));
}

#[test]
fn conditional_mi_with_a_chosen_conditioner_matches_the_engine() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    click_tab(&mut h, Tab::Conditional);

    // Pick the conditioner from the combo, as a user would.
    h.get_by_label("Conditioner Z").click();
    h.step();
    h.step();
    h.get_by_label_contains("sex  (").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().panels().conditional.settings.given.as_deref(),
        Some("sex")
    );

    h.get_by_label("Run conditional MI").click();
    h.step();
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the conditional MI",
        |a| !a.panels().conditional.is_computing() && a.panels().conditional.result().is_some(),
    );
    h.step();
    h.check_accessibility();

    let app = h.state();
    let ds = app.dataset().expect("data").clone();
    let sex = ds.column_index("sex").expect("sex");
    let shown = app.panels().conditional.result().expect("result").clone();
    assert_eq!(shown.request.given, sex);
    let mut cols = included(app);
    if !cols.contains(&sex) {
        cols.push(sex);
    }
    let settings = app.panels().conditional.settings.estimate.clone();
    let engine =
        conditional::run(&ds, &cols, sex, &settings, &Progress::new()).expect("engine runs");
    assert_eq!(shown.rows, engine, "the panel holds the engine's rows");
    assert!(
        shown.rows.iter().all(|r| r.x != sex && r.y != sex),
        "Z is not paired with itself"
    );
    assert!(shown.rows.iter().filter(|r| r.estimate.is_ok()).count() >= 10);

    // Conditioning on species explains away much of the body-size dependence (a
    // common cause): at least one pair gets the "explained away" badge.
    h.get_by_label("Conditioner Z").click();
    h.step();
    h.step();
    h.get_by_label_contains("species  (").click();
    h.step();
    h.get_by_label("Run conditional MI").click();
    h.step();
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the conditional MI given species",
        |a| {
            !a.panels().conditional.is_computing()
                && a.panels().conditional.result().is_some_and(|r| {
                    r.request.given == ds.column_index("species").unwrap_or(usize::MAX)
                })
        },
    );
    h.step();
    let _ = h
        .get_all_by_label("explained away by Z")
        .next()
        .expect("an “explained away by Z” badge is shown");

    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    h.get_by_label("Export CSV").click();
    h.step();
    h.step();
    let text = std::fs::read_to_string(dir.path().join("penguins_cmi_given_species.csv"))
        .expect("export written");
    let res = h
        .state()
        .panels()
        .conditional
        .result()
        .expect("result")
        .clone();
    assert_eq!(
        text,
        export::conditional_csv(
            &ds,
            &res.rows,
            &res.request.settings,
            h.state().state().units
        )
    );
}

#[test]
fn a_sweep_with_a_null_band_matches_the_engine() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    click_tab(&mut h, Tab::Sensitivity);
    {
        let s = &mut h.state_mut().panels_mut().sensitivity.settings;
        s.x = Some("bill_length_mm".into());
        s.y = Some("flipper_length_mm".into());
        s.repeats = 5;
        s.permutations = 50;
    }
    h.step();
    h.get_by_label("Run sweep").click();
    h.step();
    step_until(&mut h, Duration::from_secs(120), "the sweep", |a| {
        !a.panels().sensitivity.is_computing() && a.panels().sensitivity.result().is_some()
    });
    h.step();
    h.check_accessibility();

    let app = h.state();
    let ds = app.dataset().expect("data").clone();
    let shown = app.panels().sensitivity.result().expect("result").clone();
    let (x, y) = (
        ds.column_index("bill_length_mm").expect("x"),
        ds.column_index("flipper_length_mm").expect("y"),
    );
    let n = complete_rows(&[&ds.columns[x], &ds.columns[y]]).len();
    let mut request = sweep::SweepRequest::with_defaults(
        x,
        y,
        n,
        app.panels().sensitivity.settings.estimate.clone(),
    );
    request.repeats = 5;
    request.permutations = 50;
    assert_eq!(shown.request, request);
    let engine = sweep::run(&ds, &request, &Progress::new()).expect("engine runs");
    assert_eq!(shown, engine, "the panel holds the engine's sweep");

    use sweep::SweepParameter as P;
    for p in [P::Bins, P::K, P::SampleSize] {
        assert!(shown.points.iter().any(|q| q.parameter == p), "{p:?} swept");
    }
    assert_eq!(
        shown.rule_bins.len(),
        4,
        "Sturges, Scott, FD and sqrt markers"
    );
    assert!(
        shown.gaussian.is_some(),
        "a numeric pair has a Gaussian reference"
    );
    let null = shown.null.expect("permutations give a null band");
    assert!(null.null_low <= null.null_high);
    // The band of repeated subsamples brackets each mean.
    for q in shown.points.iter().filter(|q| q.parameter == P::SampleSize) {
        assert!(q.low <= q.mean && q.mean <= q.high);
    }
    let _ = h.get_by_label("Histogram MI vs bin count");

    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    h.get_by_label("Export CSV").click();
    h.step();
    h.step();
    let text = std::fs::read_to_string(
        dir.path()
            .join("penguins_sweep_bill_length_mm_flipper_length_mm.csv"),
    )
    .expect("export written");
    assert_eq!(text, export::sweep_csv(&engine, h.state().state().units));
}

#[test]
fn mrmr_on_breast_cancer_exports_the_cli_rows() {
    let mut h = harness();
    open(&mut h, "breast_cancer.csv");
    click_tab(&mut h, Tab::Mrmr);
    {
        // The defaults the brief names; set explicitly so a saved state cannot change them.
        let s = &mut h.state_mut().panels_mut().mrmr.settings;
        s.target = Some("target".into());
        s.select = 10;
        s.method = mrmr::MrmrMethod::Mid;
    }
    h.step();
    h.get_by_label("Run mRMR").click();
    h.step();
    step_until(&mut h, Duration::from_secs(300), "mRMR", |a| {
        !a.panels().mrmr.is_computing() && a.panels().mrmr.result().is_some()
    });
    h.step();
    h.check_accessibility();

    let app = h.state();
    let ds = app.dataset().expect("data").clone();
    let target = ds.column_index("target").expect("target");
    let mut cols = included(app);
    if !cols.contains(&target) {
        cols.push(target);
    }
    let settings = app.panels().mrmr.settings.estimate.clone();
    let engine = mrmr::run(
        &ds,
        target,
        &cols,
        &mrmr::MrmrOptions {
            select: 10,
            method: mrmr::MrmrMethod::Mid,
            ..mrmr::MrmrOptions::default()
        },
        &settings,
        &Progress::new(),
    )
    .expect("engine runs");
    let shown = app.panels().mrmr.result().expect("result").clone();
    assert_eq!(shown, engine, "the panel holds the engine's ranking");

    // Ten distinct features, the first the most relevant of all candidates.
    assert_eq!(shown.rows.len(), 10);
    let mut features: Vec<usize> = shown.rows.iter().map(|r| r.feature).collect();
    features.sort_unstable();
    features.dedup();
    assert_eq!(features.len(), 10, "distinct features");
    let first = &shown.rows[0];
    let best_relevance = first
        .candidates
        .iter()
        .map(|c| c.1)
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(
        first.relevance, best_relevance,
        "step 1 picks the most relevant feature"
    );
    assert!(shown.rows.iter().all(|r| r.relevance <= first.relevance));

    // The steps are browsable.
    assert_eq!(h.state().panels().mrmr.step(), 0);
    h.get_by_label("Next step ›").click();
    h.step();
    assert_eq!(h.state().panels().mrmr.step(), 1);
    h.step();
    let _ = h.get_by_label("Step 2 of 10");

    // Export from the window, parse it back, compare with the engine's table and with
    // what the command line writes for the same settings.
    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    h.get_by_label("Export CSV").click();
    h.step();
    h.step();
    let path = dir.path().join("breast_cancer_mrmr_target_mid.csv");
    let text = std::fs::read_to_string(&path).expect("export written");
    let units = h.state().state().units;
    assert_eq!(text, export::mrmr_csv(&ds, &engine, units));

    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "rank",
            "feature",
            "relevance",
            "redundancy",
            "score",
            "method",
            "unit",
            "screen",
            "p_value",
            "p_adjusted"
        ]
    );
    // The ranked rows; features the relevance screen left out follow without a rank.
    let records: Vec<csv::StringRecord> = rdr
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("rows parse")
        .into_iter()
        .filter(|r| !r[0].is_empty())
        .collect();
    assert_eq!(records.len(), 10);
    let names: std::collections::HashSet<&str> = records.iter().map(|r| &r[1]).collect();
    assert_eq!(names.len(), 10);
    assert_eq!(&records[0][1], ds.columns[first.feature].name);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r[0].parse::<usize>().expect("rank"), i + 1);
        for c in 2..5 {
            assert!(
                r[c].parse::<f64>().is_ok(),
                "row {i} column {c}: {:?}",
                &r[c]
            );
        }
        assert_eq!(&r[5], "mid");
        assert_eq!(&r[6], units.name());
    }

    let cli_out = dir.path().join("cli.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_mi-workbench"))
        .arg("mrmr")
        .arg(sample("breast_cancer.csv"))
        .args([
            "--target",
            "target",
            "--select",
            "10",
            "--method",
            "mid",
            "--units",
            units.name(),
            "--quiet",
            "-o",
        ])
        .arg(&cli_out)
        .status()
        .expect("the CLI runs");
    assert!(status.success());
    let cli = std::fs::read_to_string(&cli_out).expect("CLI output");
    assert_eq!(text, cli, "window and command line write the same rows");
}

#[test]
fn a_typed_k_range_is_what_the_sweep_runs() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    click_tab(&mut h, Tab::Sensitivity);
    {
        let s = &mut h.state_mut().panels_mut().sensitivity.settings;
        s.x = Some("bill_length_mm".into());
        s.y = Some("flipper_length_mm".into());
        s.repeats = 2;
        s.sample_sizes = false;
    }
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "k")
        .click();
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "k")
        .type_text("1:4");
    h.key_press(egui::Key::Enter);
    h.step();
    assert_eq!(h.state().panels().sensitivity.settings.k_range, "1:4");
    h.get_by_label("Run sweep").click();
    h.step();
    step_until(&mut h, Duration::from_secs(120), "the sweep", |a| {
        !a.panels().sensitivity.is_computing() && a.panels().sensitivity.result().is_some()
    });
    let shown = h.state().panels().sensitivity.result().expect("result");
    assert_eq!(shown.request.ks, vec![1, 2, 3, 4]);
    use sweep::SweepParameter as P;
    let ks: Vec<usize> = shown
        .points
        .iter()
        .filter(|p| p.parameter == P::K)
        .map(|p| p.value)
        .collect();
    assert_eq!(ks, vec![1, 2, 3, 4]);
}

/// Picking X keeps the Y on screen, even when Y was the panel's default pick (a review
/// saw Y jump from age to popul), and picking Y as X swaps the pair.
#[test]
fn picking_x_keeps_the_y_shown() {
    use egui::accesskit::Role;
    let mut h = harness();
    open(&mut h, "penguins.csv");
    click_tab(&mut h, Tab::Sensitivity);
    h.step();
    let pair = |h: &Harness<'static, WorkbenchApp>| {
        let a = h.state();
        let data = a.loaded().expect("loaded");
        let (x, y) = a.panels().sensitivity.pair(data).expect("a pair");
        (
            data.column_name(x).to_string(),
            data.column_name(y).to_string(),
        )
    };
    let (x0, y0) = pair(&h);
    assert!(
        h.state().panels().sensitivity.settings.y.is_none(),
        "Y is the default pick"
    );
    h.get_by_role_and_label(Role::ComboBox, "X").click();
    h.run_steps(2);
    // The list's search field has the focus: the text goes to it.
    h.input_mut()
        .events
        .push(egui::Event::Text("body_mass".into()));
    h.run_steps(2);
    h.get_by_label("body_mass_g  (continuous)").click();
    h.run_steps(2);
    assert_ne!(x0, "body_mass_g", "the test needs another X");
    assert_eq!(pair(&h), ("body_mass_g".to_string(), y0.clone()));
    // Y picked as X: the pair swaps.
    h.get_by_role_and_label(Role::ComboBox, "X").click();
    h.run_steps(2);
    h.input_mut().events.push(egui::Event::Text(y0.clone()));
    h.run_steps(2);
    h.get_by_label(format!("{y0}  (continuous)").as_str())
        .click();
    h.run_steps(2);
    assert_eq!(pair(&h), (y0, "body_mass_g".to_string()));
}
