//! Copy: a heatmap cell's right-click copies that pair's row, Ctrl+C copies the visible
//! tab's table, both as tab-separated text that pastes into a spreadsheet.

use crate::followups::{click_at, open_penguins};
use crate::support::{harness, heatmap_cell};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::app::WorkbenchApp;

/// The text the last few frames put on the clipboard, if any.
fn copied(h: &mut Harness<'static, WorkbenchApp>) -> Option<String> {
    for _ in 0..4 {
        h.step();
        let text = h
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyText(t) => Some(t.clone()),
                _ => None,
            });
        if text.is_some() {
            return text;
        }
    }
    None
}

/// What the CLI's long matrix CSV holds for the heatmap now shown, as TSV lines.
fn expected_lines(app: &WorkbenchApp) -> Vec<String> {
    let ds = app.dataset().expect("loaded");
    let m = app.panels().heatmap.result().expect("matrix");
    let csv = mi_workbench::export::matrix_long_csv(ds, m, app.state().units);
    // The penguins' names and settings hold no commas or quotes, so the CSV splits plainly.
    assert!(!csv.contains('"'), "{csv}");
    csv.lines().map(|l| l.replace(',', "\t")).collect()
}

#[test]
fn the_cell_menu_copies_the_pairs_row_as_tsv() {
    let mut h = harness();
    let (x, y) = open_penguins(&mut h);
    let lines = expected_lines(h.state());
    let pos = heatmap_cell(&h, y, x);
    click_at(&mut h, pos, egui::PointerButton::Secondary);
    h.step();
    h.get_by_label("Copy this pair's row").click();
    let text = copied(&mut h).expect("the row is copied");
    let row = lines
        .iter()
        .find(|l| l.starts_with("bill_length_mm\tflipper_length_mm\t"))
        .expect("the pair is in the table");
    assert_eq!(text, format!("{}\n{row}\n", lines[0]));
    // The MI field is the heatmap's value for the pair.
    let mi: f64 = row
        .split('\t')
        .nth(3)
        .and_then(|v| v.parse().ok())
        .expect("mi");
    let m = h.state().panels().heatmap.result().expect("matrix");
    let cell = m
        .cell(x, y)
        .and_then(|(_, c)| c.mi())
        .expect("the pair has a value");
    let cell = h.state().state().units.from_nats(cell);
    assert!(
        (mi - cell).abs() <= 1e-9 * cell.abs().max(1.0),
        "{mi} vs {cell}"
    );
}

#[test]
fn ctrl_c_copies_the_visible_table() {
    let mut h = harness();
    open_penguins(&mut h);
    let lines = expected_lines(h.state());
    h.event(egui::Event::Copy);
    let text = copied(&mut h).expect("Ctrl+C copies the table");
    assert_eq!(text, format!("{}\n", lines.join("\n")));
    assert!(lines.len() > 2, "penguins has more than one pair");
}
