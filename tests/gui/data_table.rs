//! The Data tab's full table (issue 12 item 5): every row, sorted by a header click off
//! the UI thread with missing cells last, a cell's value copied from its right-click
//! menu, and a per-column category order that the pair inspector follows.

use egui_kittest::kittest::Queryable;
use mi_workbench::app::commands::Command;
use mi_workbench::app::panels::Tab;
use mi_workbench::data::order::CategoryOrder;
use std::time::Duration;

use crate::support::{click_at, harness, open_file, sample, step_until};

#[test]
fn a_header_click_sorts_every_row_and_a_second_click_reverses() {
    let mut h = harness();
    open_file(&mut h, &sample("penguins.csv"));
    h.state_mut().set_tab(Tab::Data);
    h.run_steps(2);
    let _ = h.get_by_label_contains("All 344 rows, in file order");
    let col = h
        .state()
        .dataset()
        .and_then(|d| d.column_index("bill_length_mm"))
        .expect("bill_length_mm");
    let values = h.state().dataset().expect("data").columns[col]
        .values
        .clone();
    for descending in [false, true] {
        let at = h
            .state()
            .panels()
            .data
            .header_center(col)
            .expect("the header is drawn");
        click_at(&mut h, at, egui::PointerButton::Primary);
        step_until(&mut h, Duration::from_secs(30), "the sort", |a| {
            a.loaded()
                .is_some_and(|l| a.panels().data.sorted_rows(l).is_some())
        });
        h.run_steps(2);
        let loaded = h.state().loaded().expect("loaded");
        let rows = h.state().panels().data.sorted_rows(loaded).expect("sorted");
        assert_eq!(rows.len(), 344, "every row, not a preview");
        let shown: Vec<f64> = rows.iter().map(|&r| values[r as usize]).collect();
        let present: Vec<f64> = shown.iter().copied().filter(|v| !v.is_nan()).collect();
        assert_eq!(present.len(), 342);
        assert!(
            shown[342..].iter().all(|v| v.is_nan()),
            "missing cells last"
        );
        assert!(
            present.windows(2).all(|w| if descending {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }),
            "sorted {}",
            if descending {
                "descending"
            } else {
                "ascending"
            }
        );
        let word = if descending {
            "descending"
        } else {
            "ascending"
        };
        let _ = h.get_by_label_contains(&format!("sorted by bill_length_mm, {word}"));
    }
}

#[test]
fn the_category_order_is_followed_by_the_inspector() {
    let mut h = harness();
    open_file(&mut h, &sample("penguins.csv"));
    h.state_mut().set_tab(Tab::Data);
    h.run_steps(2);
    let ds = h.state().dataset().expect("data");
    let species = ds.column_index("species").expect("species");
    let island = ds.column_index("island").expect("island");
    h.state_mut().apply(Command::SetOrder {
        column: species,
        order: CategoryOrder::Frequency,
    });
    let settings = h.state().panels().heatmap.settings.estimate.clone();
    h.state_mut().apply(Command::Inspect {
        x: species,
        y: island,
        settings,
    });
    step_until(&mut h, Duration::from_secs(30), "the inspector", |a| {
        a.inspector().details().is_some()
    });
    let t = h
        .state()
        .inspector()
        .details()
        .and_then(|d| d.contingency.clone())
        .expect("contingency");
    // Adelie 152, Gentoo 124, Chinstrap 68; islands stay alphabetical.
    assert_eq!(t.x_labels, ["Adelie", "Gentoo", "Chinstrap"]);
    assert_eq!(t.row_totals, [152, 124, 68]);
    assert_eq!(t.y_labels, ["Biscoe", "Dream", "Torgersen"]);
    // Back to label order while the inspector is open: it re-lists at once.
    h.state_mut().apply(Command::SetOrder {
        column: species,
        order: CategoryOrder::Label,
    });
    step_until(
        &mut h,
        Duration::from_secs(30),
        "the re-listed table",
        |a| {
            a.inspector()
                .details()
                .and_then(|d| d.contingency.as_ref())
                .is_some_and(|t| t.x_labels[0] == "Adelie" && t.x_labels[1] == "Chinstrap")
        },
    );
}
