//! Numbers an analyst can trust (issue 11), in the window: a typed permutation count
//! starts one job, Cancel leaves every label true to what is shown, too few permutations
//! for Benjamini–Hochberg are flagged, the status bar reports each finished analysis, and
//! File > Open falls back to the built-in browser.

use crate::support::{harness, sample, step_until};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::app::WorkbenchApp;
use mi_workbench::app::panels::Tab;
use std::time::Duration;

fn open(h: &mut Harness<'static, WorkbenchApp>, file: &str) {
    h.state_mut().open_path(sample(file));
    step_until(
        h,
        Duration::from_secs(30),
        "the file and its heatmap",
        |a| {
            !a.is_loading()
                && a.loaded().is_some_and(|l| l.name == file)
                && !a.panels().heatmap.is_computing()
                && a.panels().heatmap.result().is_some()
        },
    );
}

/// Types `text` into the number field labelled `label` and presses Enter.
fn type_number(h: &mut Harness<'static, WorkbenchApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::SpinButton, label).click();
    h.step();
    h.get_by_role_and_label(Role::SpinButton, label)
        .type_text(text);
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
}

#[test]
fn typing_200_permutations_starts_one_job() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    let before = h.state().jobs().started();
    type_number(&mut h, "Permutations", "200");
    h.step();

    assert_eq!(h.state().panels().heatmap.settings.permutations, 200);
    assert_eq!(
        h.state().jobs().started(),
        before + 1,
        "one job for the committed value, none per keystroke"
    );
}

#[test]
fn too_few_permutations_are_flagged_beside_the_field() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    assert!(h.query_by_label_contains("too few").is_none());
    type_number(&mut h, "Permutations", "20");
    h.step();
    assert!(
        h.query_by_label_contains("too few for a lone pair to pass BH")
            .is_some(),
        "28 pairs need 559 permutations for a lone pair to pass at 0.05"
    );
}

#[test]
fn after_cancel_the_header_says_what_is_shown() {
    let mut h = harness();
    open(&mut h, "breast_cancer.csv");
    assert!(
        h.query_by_label_contains("no permutation test").is_some(),
        "the header names the shown result's settings"
    );
    type_number(&mut h, "Permutations", "2000");
    step_until(
        &mut h,
        Duration::from_secs(10),
        "the permutation job",
        |a| a.panels().heatmap.is_computing(),
    );
    h.get_by_label("Cancel").click();
    for _ in 0..4 {
        h.step();
    }
    assert!(!h.state().panels().heatmap.is_computing());
    // The field keeps the user's 2000; the header says the grid is the older result.
    assert_eq!(h.state().panels().heatmap.settings.permutations, 2000);
    assert!(h.query_by_label_contains("older settings").is_some());
    assert!(h.query_by_label_contains("no permutation test").is_some());
    assert!(
        h.query_by_label_contains("The heatmap was cancelled")
            .is_some()
    );
    assert!(h.query_by_label_contains("Computing:").is_none());
}

#[test]
fn the_status_bar_reports_a_finished_conditional_run() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    h.state_mut().set_tab(Tab::Conditional);
    h.step();
    h.get_by_label("Run conditional MI").click();
    step_until(
        &mut h,
        Duration::from_secs(30),
        "the conditional run",
        |a| !a.panels().conditional.is_computing() && a.panels().conditional.result().is_some(),
    );
    h.step();
    let ended = h
        .state()
        .jobs()
        .last_ended()
        .expect("a job ended")
        .label
        .clone();
    assert!(ended.starts_with("I(X;Y|"), "{ended}");
    assert!(ended.contains("344 rows"), "{ended}");
    assert!(h.query_by_label_contains("finished in").is_some());
}

#[test]
fn open_csv_falls_back_to_the_built_in_browser() {
    let mut h = harness();
    open(&mut h, "penguins.csv");
    h.state_mut().state_mut().builtin_file_browser = true;
    h.get_by_label("File").click();
    h.step();
    h.step();
    h.get_by_label_contains("Open CSV…").click();
    h.step();
    h.step();
    assert!(h.state().is_browsing_for_csv());
    assert!(h.query_by_label_contains("Open CSV").is_some());
}

/// Correlation vs MI on a file with categorical columns: those pairs get no Pearson or
/// Spearman but Cramér's V or η, and the scatter's x axis names them.
#[test]
fn correlation_vs_mi_names_the_categorical_measures_on_its_axis() {
    use mi_workbench::estimate::association::Measure;
    let mut h = harness();
    open(&mut h, "penguins.csv");
    h.get_by_label(Tab::Compare.title()).click();
    h.step();
    h.get_by_label("Run comparison").click();
    step_until(&mut h, Duration::from_secs(120), "the comparison", |a| {
        !a.panels().compare.is_computing() && a.panels().compare.result().is_some()
    });
    h.step();
    let res = h.state().panels().compare.result().expect("result").clone();
    let ds = h.state().dataset().expect("data").clone();
    let mut seen = [false; 2];
    for r in &res.rows {
        let cat = |c: usize| ds.columns[c].is_text();
        match (cat(r.x), cat(r.y)) {
            (false, false) => assert!(r.association.is_none() && !r.pearson.is_nan()),
            (a, b) => {
                assert!(r.pearson.is_nan() && r.spearman.is_nan(), "{r:?}");
                let want = if a && b {
                    Measure::CramersV
                } else {
                    Measure::CorrelationRatio
                };
                assert_eq!(r.association.map(|m| m.0), Some(want));
                seen[usize::from(a && b)] = true;
            }
        }
    }
    assert_eq!(
        seen,
        [true, true],
        "penguins has both kinds of categorical pair"
    );
    let label = "Correlation vs MI scatter, x: |Pearson ρ|; pairs with a categorical \
                 column: Cramér's V, correlation ratio η";
    h.get_by_label(label);
}
