//! Column selection in files with many columns: the Data tab's pattern filter (lists,
//! globs, /regex/), its match count and "Only matches", and type-to-search in a column
//! drop-down.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use mi_workbench::app::panels::Tab;
use std::time::Duration;

use crate::support::{harness, sample, step_until};

#[test]
fn the_filter_takes_globs_and_regexes_and_includes_only_matches() {
    let mut h = harness();
    h.state_mut().open_path(sample("breast_cancer.csv"));
    step_until(&mut h, Duration::from_secs(30), "the file", |a| {
        a.loaded().is_some() && !a.is_loading()
    });
    h.state_mut().set_tab(Tab::Data);
    h.run_steps(2);
    h.get_by_role(Role::TextInput).click();
    h.run_steps(1);
    h.get_by_role(Role::TextInput)
        .type_text("worst*| /^mean (radius|area)$/");
    h.run_steps(2);
    // 10 "worst …" columns by the glob and two by the regex.
    let _ = h.get_by_label("12 of 31 columns match");
    h.get_by_label("Only matches").click();
    h.run_steps(2);
    let loaded = h.state().loaded().expect("loaded");
    let included: Vec<&str> = loaded
        .included_columns()
        .into_iter()
        .map(|i| loaded.column_name(i))
        .collect();
    assert_eq!(included.len(), 12, "{included:?}");
    assert!(included.contains(&"mean area") && included.contains(&"worst symmetry"));
    assert!(!included.contains(&"mean texture"));

    // A broken regex says why and hides nothing.
    h.get_by_role(Role::TextInput).click();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role(Role::TextInput).type_text("/mean (/");
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("is not a valid regular expression")
            .is_some()
    );
}

#[test]
fn a_column_drop_down_searches_as_you_type() {
    let mut h = harness();
    h.state_mut().open_path(sample("breast_cancer.csv"));
    step_until(&mut h, Duration::from_secs(30), "the file", |a| {
        a.loaded().is_some() && !a.is_loading()
    });
    h.state_mut().set_tab(Tab::Conditional);
    h.run_steps(2);
    h.get_by_role_and_label(Role::ComboBox, "Conditioner Z")
        .click();
    h.run_steps(2);
    // The search field has the focus as soon as the list opens.
    h.get_by_role(Role::TextInput).type_text("texture");
    h.run_steps(2);
    assert!(h.query_by_label("mean radius  (continuous)").is_none());
    let _ = h.get_by_label("mean texture  (continuous)");
    let _ = h.get_by_label("texture error  (continuous)");
    h.get_by_label("worst texture  (continuous)").click();
    h.run_steps(2);
    assert_eq!(
        h.state().panels().conditional.settings.given.as_deref(),
        Some("worst texture")
    );
}

/// The review's wide file: a heatmap too large to start by itself, started with its
/// button and cancelled, must not start again by itself after the column filter goes
/// to a few columns and back (the approval was for that one run).
#[test]
fn a_large_heatmap_waits_again_after_a_filter_round_trip() {
    // 780 pairs × 60k rows: above the auto-start budget.
    let (_dir, path) = crate::support::uniform_csv("large.csv", 60_000, 40);
    let mut h = harness();
    h.state_mut().open_path(&path);
    step_until(&mut h, Duration::from_secs(60), "the file", |a| {
        a.loaded().is_some() && !a.is_loading()
    });
    h.run_steps(3);
    assert!(
        !h.state().panels().heatmap.is_computing(),
        "waits for a click"
    );
    h.get_by_label("Compute heatmap").click();
    h.run_steps(1);
    assert!(h.state().panels().heatmap.is_computing());
    for _ in 0..10 {
        if !h.state().panels().heatmap.is_computing() {
            break;
        }
        if let Some(cancel) = h.query_by_label("Cancel") {
            cancel.click();
        }
        h.run_steps(2);
    }
    assert!(!h.state().panels().heatmap.is_computing(), "cancelled");
    step_until(&mut h, Duration::from_secs(120), "the job to stop", |a| {
        a.jobs().stopping().is_empty()
    });
    // Ten columns: small enough to start by itself.
    h.get_by_role(Role::TextInput).click();
    h.run_steps(1);
    h.get_by_role(Role::TextInput).type_text("c0");
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the ten-column heatmap",
        |a| {
            let hm = &a.panels().heatmap;
            !hm.is_computing() && hm.result().is_some_and(|r| r.request.columns.len() == 10)
        },
    );
    let started = h.state().jobs().started();
    h.get_by_role(Role::TextInput).click();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run_steps(5);
    assert!(
        !h.state().panels().heatmap.is_computing(),
        "the 780-pair heatmap does not start by itself"
    );
    assert_eq!(h.state().jobs().started(), started, "no job started");
    assert!(
        h.query_by_label("Compute heatmap").is_some() || h.query_by_label("Run again").is_some(),
        "it offers the button again"
    );
}
