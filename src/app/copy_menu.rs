//! The copy items of every right-click menu: a table row, the whole table (as Ctrl+C),
//! the plot as an image. Panels call these so every table and plot offers the same
//! words, shortcuts and clipboard formats (TSV that pastes into a spreadsheet).

use super::commands::{COPY, Command, shortcut_button};
use egui::{Rect, Response, Ui};

/// What a menu can copy besides the whole table.
#[derive(Default)]
pub struct CopyTarget<'a> {
    /// The row's leading cells in the exported table ("x", "y" of a pair; "rank",
    /// "feature" of a ranking), and the menu item's words ("Copy this pair's row").
    pub row: Option<(Vec<String>, &'a str)>,
    /// The plot drawn in this rectangle.
    pub image: Option<Rect>,
}

/// The copy items, added to a menu being built; pushes what was chosen to `out`.
pub fn copy_items(ui: &mut Ui, target: &CopyTarget, out: &mut Vec<Command>) {
    if let Some((keys, words)) = &target.row
        && ui
            .button(*words)
            .on_hover_text("This row of the exported table, with its header, tab-separated")
            .clicked()
    {
        out.push(Command::CopyRows { keys: keys.clone() });
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

/// A right-click menu on `response` holding only the copy items.
pub fn copy_menu(response: &Response, target: CopyTarget, out: &mut Vec<Command>) {
    response.context_menu(|ui| copy_items(ui, &target, out));
}

/// The keys of a pair's row (dataset names in table order).
pub fn pair_row<'a>(x: &str, y: &str) -> Option<(Vec<String>, &'a str)> {
    Some((vec![x.to_string(), y.to_string()], "Copy this pair's row"))
}
