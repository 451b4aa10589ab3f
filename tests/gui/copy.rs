//! Copy: a heatmap cell's right-click copies that pair's row, Ctrl+C copies the visible
//! tab's table, both as tab-separated text that pastes into a spreadsheet.

use crate::followups::open_penguins;
use crate::support::{click_at, harness, heatmap_cell};
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

/// Right-clicks the widget labelled `label` and picks `item` from its menu.
fn menu_item(h: &mut Harness<'static, WorkbenchApp>, label: &str, item: &str) {
    h.run_steps(2);
    // The row's button, not the menu title that names the same pair.
    let at = h
        .get_by_role_and_label(egui::accesskit::Role::Button, label)
        .rect()
        .center();
    click_at(h, at, egui::PointerButton::Secondary);
    h.step();
    h.get_by_label(item).click();
}

fn run_compare(h: &mut Harness<'static, WorkbenchApp>) {
    open_penguins(h);
    h.state_mut()
        .set_tab(mi_workbench::app::panels::Tab::Compare);
    h.run_steps(2);
    h.get_by_label("Run comparison").click();
    crate::support::step_until(
        h,
        std::time::Duration::from_secs(120),
        "the comparison",
        |a| !a.panels().compare.is_computing() && a.panels().compare.result().is_some(),
    );
    h.run_steps(2);
}

#[test]
fn a_table_rows_menu_copies_that_row_and_the_whole_table() {
    let mut h = harness();
    run_compare(&mut h);
    let app = h.state();
    let res = app.panels().compare.result().expect("result").clone();
    let csv = mi_workbench::export::compare_csv(
        app.dataset().expect("data"),
        &res.rows,
        app.state().units,
    );
    let table = mi_workbench::app::commands::Table {
        file_name: String::new(),
        csv,
    };
    let tsv = table.tsv().expect("tsv");
    let header = tsv.lines().next().expect("header").to_string();
    let row = tsv
        .lines()
        .find(|l| l.starts_with("bill_length_mm\tflipper_length_mm\t"))
        .expect("the pair's row")
        .to_string();
    menu_item(
        &mut h,
        "bill_length_mm × flipper_length_mm",
        "Copy this pair's row",
    );
    assert_eq!(
        copied(&mut h).as_deref(),
        Some(format!("{header}\n{row}\n").as_str())
    );
    menu_item(&mut h, "bill_length_mm × flipper_length_mm", "Copy table");
    assert_eq!(copied(&mut h).as_deref(), Some(tsv.as_str()));
}

#[test]
fn a_plots_menu_copies_its_image() {
    let mut h = harness();
    run_compare(&mut h);
    let at = h
        .get_by_label_contains("Correlation vs MI scatter")
        .rect()
        .center();
    click_at(&mut h, at, egui::PointerButton::Secondary);
    h.step();
    h.get_by_label("Copy image").click();
    let mut image = None;
    for _ in 0..40 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
        image = h
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyImage(i) => Some(i.size),
                _ => None,
            });
        if image.is_some() {
            break;
        }
    }
    let [w, hgt] = image.expect("the plot is copied as an image");
    assert!(w > 100 && hgt > 100, "{w}×{hgt} pixels");
}
