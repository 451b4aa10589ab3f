//! The Higher-order tab driven as a user would: each of its three modes is picked with
//! its selector, its sets chosen in the pickers (or from the Data tab's filter), run with
//! its button, compared with the engine's numbers for the same request, and exported
//! (the file must be what the CLI writes). The synergy finder runs on an XOR file, where
//! the interacting pair is known, and a click on its row and on a heatmap cell opens the
//! three-variable view of that pair.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::analysis::Progress;
use mi_workbench::analysis::higher_order as ho;
use mi_workbench::app::WorkbenchApp;
use mi_workbench::app::panels::Tab;
use mi_workbench::export;
use std::time::Duration;

use crate::panels::{click_at, click_tab, open};
use crate::support::{harness, open_file, step_until};

/// Fair bits a, b with t = a XOR b, and two noise bits c, d: only (a, b) tells t, and
/// only together. A fixed LCG keeps the file the same run after run.
fn xor_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut bit = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 62) & 1
    };
    let mut csv = String::from("a,b,c,d,t\n");
    for _ in 0..600 {
        let (a, b, c, d) = (bit(), bit(), bit(), bit());
        csv.push_str(&format!("{a},{b},{c},{d},{}\n", a ^ b));
    }
    let path = dir.join("xor.csv");
    std::fs::write(&path, csv).expect("write xor.csv");
    path
}

fn pick_mode(h: &mut Harness<'static, WorkbenchApp>, title: &str) {
    h.get_by_label(title).click();
    h.step();
    h.step();
}

/// Opens a set picker and ticks the columns whose labels start with these names.
fn tick(h: &mut Harness<'static, WorkbenchApp>, picker: &str, names: &[&str]) {
    h.get_by_role_and_label(Role::ComboBox, picker).click();
    h.step();
    h.step();
    for n in names {
        h.get_by_label_contains(&format!("{n}  (")).click();
        h.step();
        h.step();
    }
    h.key_press(egui::Key::Escape);
    h.step();
    h.step();
}

fn export_text(h: &mut Harness<'static, WorkbenchApp>, file: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    h.get_by_label("Export CSV").click();
    h.step();
    h.step();
    std::fs::read_to_string(dir.path().join(file)).expect("export written")
}

#[test]
fn multivariate_mi_of_chosen_sets_matches_the_engine_and_exports_the_cli_row() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    click_tab(&mut h, Tab::HigherOrder);
    pick_mode(&mut h, "Multivariate MI");
    let ds = h.state().dataset().expect("data").clone();
    let col = |n: &str| ds.column_index(n).expect("column");
    let y_shown = |h: &Harness<'static, WorkbenchApp>| {
        let a = h.state();
        a.panels()
            .higher_order
            .multi
            .sets(a.loaded().expect("loaded"))
            .1
    };
    assert_eq!(y_shown(&h), vec![col("island")], "the default Y");
    tick(&mut h, "X set", &["bill_length_mm", "bill_depth_mm"]);
    // The first tick replaced the default X (species); Y stays what it showed (a review
    // saw it jump to the first column outside the new X).
    assert_eq!(y_shown(&h), vec![col("island")], "Y kept");
    tick(&mut h, "Y set", &["species", "island"]);
    tick(&mut h, "Given", &["sex"]);
    h.get_by_label("Run multivariate MI").click();
    h.step();
    step_until(&mut h, Duration::from_secs(120), "multivariate MI", |a| {
        let p = &a.panels().higher_order.multi;
        !p.is_computing() && p.result().is_some()
    });
    h.step();
    h.check_accessibility();

    let shown = h
        .state()
        .panels()
        .higher_order
        .multi
        .result()
        .expect("result")
        .clone();
    assert_eq!(
        shown.request.x,
        vec![col("bill_length_mm"), col("bill_depth_mm")]
    );
    assert_eq!(shown.request.y, vec![col("species")]);
    assert_eq!(shown.request.given, vec![col("sex")]);
    let engine = ho::run_multi(&ds, &shown.request, &Progress::new()).expect("engine runs");
    assert_eq!(shown, engine, "the panel holds the engine's result");
    let e = engine.estimate.as_ref().expect("an estimate");
    assert!(
        e.mi > 0.3,
        "bill shape tells the species given sex: {}",
        e.mi
    );
    let _ = h.get_by_label("not tested (set Permutations for a p-value)");

    let text = export_text(&mut h, "penguins_multi_mi.csv");
    assert_eq!(
        text,
        export::multi_csv(&ds, &engine, h.state().state().units)
    );
    assert!(
        text.starts_with("x,y,given,n_used,mi,unit,estimator,settings\n"),
        "{text}"
    );
    assert!(
        text.contains("bill_length_mm;bill_depth_mm,species,sex,"),
        "{text}"
    );
}

#[test]
fn the_synergy_finder_ranks_xor_first_and_a_pair_opens_the_three_variable_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = xor_file(dir.path());
    let mut h = harness();
    open_file(&mut h, &path);
    click_tab(&mut h, Tab::HigherOrder);
    pick_mode(&mut h, "Synergy finder");
    let ds = h.state().dataset().expect("data").clone();
    let col = |n: &str| ds.column_index(n).expect("column");
    let data = h.state().loaded().expect("loaded");
    assert_eq!(
        h.state().panels().higher_order.synergy.target_column(data),
        Some(col("t")),
        "the last discrete column is the default target"
    );
    h.get_by_label("Find synergy").click();
    h.step();
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the synergy finder",
        |a| {
            let p = &a.panels().higher_order.synergy;
            !p.is_computing() && p.result().is_some()
        },
    );
    h.step();
    h.step();
    h.check_accessibility();

    let shown = h
        .state()
        .panels()
        .higher_order
        .synergy
        .result()
        .expect("result")
        .clone();
    let engine = ho::run_synergy(&ds, &shown.request, &Progress::new()).expect("engine runs");
    assert_eq!(shown, engine, "the panel holds the engine's result");
    // The heatmap's relevances only rank candidates: without them, the same pairs.
    let mut plain = shown.request.clone();
    plain.relevance_cache.clear();
    let uncached = ho::run_synergy(&ds, &plain, &Progress::new()).expect("engine runs");
    assert_eq!(uncached.pairs, shown.pairs);
    assert_eq!(shown.pairs.len(), 6, "four candidates, six pairs");
    let top = &shown.pairs[0];
    assert_eq!(
        (top.x1.min(top.x2), top.x1.max(top.x2)),
        (col("a"), col("b"))
    );
    // II of XOR of fair bits is ln 2 = 0.693 nats; the plug-in estimate on 600 rows is
    // within a few hundredths of it, and every noise pair is near 0.
    let ii = top.interaction().expect("estimated");
    assert!(ii > 0.6, "XOR interaction {ii}");
    assert!(
        shown.pairs[1..]
            .iter()
            .all(|p| p.interaction().is_some_and(|v| v < 0.1))
    );

    // The top table row (sorted by interaction) opens the view of (a, b).
    h.get_all_by_label("a").next().expect("a row cell").click();
    h.step();
    h.step();
    let p = &h.state().panels().higher_order.synergy;
    assert_eq!(p.selected(), Some((col("a"), col("b"))));
    assert_eq!(p.triple_view(), Some((col("a"), col("b"), col("t"))));
    let _ = h.get_by_label("Three-variable view: t by a and b");

    // A heatmap cell opens its own pair.
    let pos = h
        .state()
        .panels()
        .higher_order
        .synergy
        .cell_center(col("c"), col("d"))
        .expect("cell drawn");
    click_at(&mut h, pos);
    let p = &h.state().panels().higher_order.synergy;
    assert_eq!(p.selected(), Some((col("c"), col("d"))));
    assert_eq!(p.triple_view(), Some((col("c"), col("d"), col("t"))));

    let text = export_text(&mut h, "xor_synergy_t.csv");
    assert_eq!(
        text,
        export::synergy_csv(&ds, &engine, h.state().state().units)
    );
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("x1,x2,target,n_used,mi_x1,mi_x2,mi_joint,interaction,unit,estimator,settings")
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("a,b,t,600,") || l.starts_with("b,a,t,600,")),
        "{text}"
    );
}

#[test]
fn total_correlation_of_the_data_filter_matches_matches_the_engine() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    h.state_mut().set_tab(Tab::Data);
    h.run_steps(2);
    h.get_by_role(Role::TextInput).click();
    h.run_steps(1);
    h.get_by_role(Role::TextInput).type_text("_mm");
    h.run_steps(2);
    click_tab(&mut h, Tab::HigherOrder);
    pick_mode(&mut h, "Total correlation");
    h.get_by_label("Use the Data filter's matches").click();
    h.step();
    h.step();
    let ds = h.state().dataset().expect("data").clone();
    let col = |n: &str| ds.column_index(n).expect("column");
    let mm = vec![
        col("bill_length_mm"),
        col("bill_depth_mm"),
        col("flipper_length_mm"),
    ];
    let data = h.state().loaded().expect("loaded");
    assert_eq!(h.state().panels().higher_order.tc.set(data), mm);

    h.get_by_label("Run total correlation").click();
    h.step();
    step_until(&mut h, Duration::from_secs(120), "total correlation", |a| {
        let p = &a.panels().higher_order.tc;
        !p.is_computing() && p.result().is_some()
    });
    h.step();
    h.check_accessibility();
    let shown = h
        .state()
        .panels()
        .higher_order
        .tc
        .result()
        .expect("result")
        .clone();
    assert_eq!(shown.request.columns, mm);
    let engine = ho::run_tc(&ds, &shown.request, &Progress::new()).expect("engine runs");
    assert_eq!(shown, engine, "the panel holds the engine's result");
    let e = engine.estimate.as_ref().expect("an estimate");
    assert!(
        e.total_correlation > 0.0,
        "penguin body sizes share information"
    );
    let reading = if e.o_information > 0.0 {
        "redundancy-dominated"
    } else {
        "synergy-dominated"
    };
    let _ = h.get_by_label_contains(reading);

    let text = export_text(&mut h, "penguins_total_correlation.csv");
    assert_eq!(text, export::tc_csv(&ds, &engine, h.state().state().units));
    assert!(text.starts_with(
        "columns,n_used,total_correlation,dual_total_correlation,o_information,unit,estimator,settings\n"
    ));
    assert!(
        text.contains("bill_length_mm;bill_depth_mm;flipper_length_mm,342,"),
        "{text}"
    );
}

#[test]
fn snapshot_higher_order() {
    crate::snapshots::run_and_snapshot(
        "penguins.csv",
        Tab::HigherOrder,
        Some("Find synergy"),
        "higher_order_penguins",
    );
}
