//! The mRMR panel on a generated file with known roles (issue 15): the features the
//! relevance screen leaves out are listed (greyed, with why), the screen can be switched
//! off, and stability reruns show a frequency bar beside each ranked feature.

use egui_kittest::kittest::Queryable;
use mi_workbench::app::panels::Tab;
use mi_workbench::data::synthetic::{SyntheticSpec, generate};
use std::time::Duration;

use crate::support::{harness, open_file, step_until};

#[test]
fn the_mrmr_panel_lists_screened_features_and_stability_bars() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = generate(&SyntheticSpec::classification(3000, 12, 9));
    let path = dir.path().join("roles.csv");
    std::fs::write(&path, s.to_csv()).expect("write");
    let mut h = harness();
    open_file(&mut h, &path);
    h.get_by_label(Tab::Mrmr.title()).click();
    h.step();
    {
        let m = &mut h.state_mut().panels_mut().mrmr.settings;
        m.target = Some("target".into());
        m.select = 10;
        m.screen = true;
        m.stability = 8;
    }
    h.step();
    h.get_by_label("Run mRMR").click();
    h.step();
    step_until(&mut h, Duration::from_secs(120), "mRMR", |a| {
        !a.panels().mrmr.is_computing() && a.panels().mrmr.result().is_some()
    });
    h.step();
    h.step();

    let res = h.state().panels().mrmr.result().expect("result").clone();
    let ds = h.state().dataset().expect("data").clone();
    let out = res.screened_out();
    // Which features the screen keeps is the engine's test (tests/engine/ranking.rs);
    // here: most of the 12 noise features are out, and the window lists what is out.
    let noise_out = out
        .iter()
        .filter(|f| s.is_noise(&ds.columns[f.feature].name) == Some(true))
        .count();
    assert!(noise_out >= 10, "{noise_out} noise features screened out");
    let _ = h.get_by_label_contains(&format!("Screened out ({})", out.len()));
    // Each screened feature is drawn by name, with its reason in numbers.
    let first_out = &ds.columns[out[0].feature].name;
    let _ = h.get_by_label(first_out);
    let reasons = h.query_all_by_label_contains(" sd)").count();
    assert_eq!(reasons, out.len());
    // One frequency bar per ranked feature.
    let bars = h.query_all_by_label_contains("frequency ").count();
    assert_eq!(bars, res.rows.len());
    let _ = h.get_by_label_contains("stability: 8 half-samples of 1,500 rows");
    // A frequency says little when every candidate is selected: the table says so then.
    let trivial = h
        .query_by_label_contains("Every candidate is in the selection")
        .is_some();
    assert_eq!(trivial, res.unranked_candidates().is_empty());
    h.check_accessibility();

    // The switch: with the screen off every feature is a candidate and nothing is listed.
    h.get_by_label("Screen noise").click();
    h.step();
    assert!(!h.state().panels().mrmr.settings.screen);
    h.get_by_label("Run mRMR").click();
    h.step();
    step_until(
        &mut h,
        Duration::from_secs(120),
        "mRMR without the screen",
        |a| {
            a.panels()
                .mrmr
                .result()
                .is_some_and(|r| !r.screen.on && !a.panels().mrmr.is_computing())
        },
    );
    h.step();
    assert!(h.query_by_label_contains("Screened out (").is_none());
    let _ = h.get_by_label_contains("screen off: every feature a candidate");
}
