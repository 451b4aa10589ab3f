//! The copy items of every right-click menu: a table row, the whole table (as Ctrl+C),
//! the plot as an image. Panels call these so every table and plot offers the same
//! words, shortcuts and clipboard formats (TSV that pastes into a spreadsheet).

use super::commands::{COPY, Command, shortcut_button};
use egui::{Rect, Response, Ui};

/// What a menu can copy besides the whole table.
#[derive(Default)]
pub struct CopyTarget<'a> {
    pub row: Option<RowCopy<'a>>,
    /// The plot drawn in this rectangle.
    pub image: Option<Rect>,
}

/// One row of the exported table.
pub struct RowCopy<'a> {
    /// Its leading cells ("x", "y" of a pair; "rank", "feature" of a ranking).
    pub keys: Vec<String>,
    /// The menu item's words ("Copy this pair's row").
    pub item: &'a str,
    /// What the row is about, for the menu's title and the notice ("a × b", "proline").
    pub what: String,
}

/// The copy items, added to a menu being built; pushes what was chosen to `out`.
pub fn copy_items(ui: &mut Ui, target: &CopyTarget, out: &mut Vec<Command>) {
    if let Some(row) = &target.row
        && ui
            .button(row.item)
            .on_hover_text("This row of the exported table, with its header, tab-separated")
            .clicked()
    {
        out.push(Command::CopyRows {
            keys: row.keys.clone(),
            what: row.what.clone(),
        });
        ui.close();
    }
    if ui
        .add(shortcut_button(ui, "Copy table", &COPY))
        .on_hover_text("The whole table, tab-separated: pastes into a spreadsheet")
        .clicked()
    {
        out.push(Command::CopyTable);
        ui.close();
    }
    if let Some(rect) = target.image
        && ui
            .button("Copy image")
            .on_hover_text("The plot as it is drawn now, as an image")
            .clicked()
    {
        out.push(Command::CopyImage { rect });
        ui.close();
    }
}

/// A right-click menu on `response` holding only the copy items, titled with the row
/// it was opened on.
pub fn copy_menu(response: &Response, target: CopyTarget, out: &mut Vec<Command>) {
    response.context_menu(|ui| {
        if let Some(row) = &target.row {
            ui.strong(&row.what);
        }
        copy_items(ui, &target, out);
    });
}

/// A pair's row (dataset names in table order).
pub fn pair_row<'a>(x: &str, y: &str) -> Option<RowCopy<'a>> {
    Some(RowCopy {
        keys: vec![x.to_string(), y.to_string()],
        item: "Copy this pair's row",
        what: format!("{x} × {y}"),
    })
}
