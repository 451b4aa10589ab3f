//! A set of columns kept by name: a drop-down of checkboxes with type-to-search, "all
//! matches" and "clear". The higher-order analyses take sets (X, Y, Given, the TC set)
//! where every other panel takes one column, so the one-column combo does not fit.

use crate::app::loaded::Loaded;
use crate::app::widgets::truncate;
use crate::data::select::{ColumnPattern, Mode};

/// Dataset indices of the names in `names` that the file has, in the order chosen.
pub fn resolve(data: &Loaded, names: &[String]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for i in names.iter().filter_map(|n| data.ds.column_index(n)) {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Column names of dataset indices.
pub fn names_of(data: &Loaded, columns: &[usize]) -> Vec<String> {
    columns
        .iter()
        .map(|&c| data.column_name(c).to_string())
        .collect()
}

/// The chosen columns in one short line: "a, b, c" or "5 columns: a, b, …".
pub fn summary(data: &Loaded, columns: &[usize]) -> String {
    match columns.len() {
        0 => "(none)".into(),
        1..=3 => truncate(&names_of(data, columns).join(", "), 40),
        // The first two names and an ellipsis for the rest, so a list cut short does
        // not read as the whole set.
        n => format!(
            "{n} columns: {}, …",
            truncate(&names_of(data, &columns[..2]).join(", "), 28)
        ),
    }
}

/// The picker: `shown` is the set in effect (the chosen names, or the panel's default
/// when `chosen` is empty); ticking writes the set into `chosen`, and the first tick
/// replaces a default instead of adding to it. Columns in `taken` (used by another set of
/// the same analysis) are listed but disabled. Returns true on a change.
pub fn column_set(
    ui: &mut egui::Ui,
    (id, label, tip): (&str, &str, &str),
    data: &Loaded,
    shown: &[usize],
    taken: &[usize],
    chosen: &mut Vec<String>,
) -> bool {
    let label_resp = ui.label(label);
    let mut set: Vec<usize> = shown.to_vec();
    let before = set.clone();
    let is_default = chosen.is_empty() && !shown.is_empty();
    egui::ComboBox::from_id_salt(id)
        .selected_text(summary(data, shown))
        .width(200.0)
        .height(360.0)
        // Ticking several boxes is the point: the list stays open until a click outside.
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let key = egui::Id::unique((id, "set-search"));
            let mut query: String = ui.data_mut(|d| d.get_temp(key)).unwrap_or_default();
            ui.add(
                egui::TextEdit::singleline(&mut query)
                    .hint_text("type to search")
                    .desired_width(f32::INFINITY),
            );
            ui.data_mut(|d| d.insert_temp(key, query.clone()));
            let pattern = ColumnPattern::parse(&query, Mode::Contains).ok();
            let included = data.included_columns();
            let offered: Vec<usize> = included
                .iter()
                .copied()
                .chain(set.iter().copied().filter(|c| !included.contains(c)))
                .filter(|&i| {
                    pattern
                        .as_ref()
                        .is_none_or(|p| p.matches(data.column_name(i)))
                })
                .collect();
            ui.horizontal(|ui| {
                if ui
                    .button(format!("All {} listed", offered.len()))
                    .on_hover_text("Add every column the search lists")
                    .clicked()
                {
                    for &c in &offered {
                        if !set.contains(&c) && !taken.contains(&c) {
                            set.push(c);
                        }
                    }
                }
                if ui.button("Clear").on_hover_text("Empty this set").clicked() {
                    set.clear();
                }
            });
            ui.separator();
            if offered.is_empty() {
                ui.weak("No column matches.");
            }
            for c in offered {
                let col = &data.ds.columns[c];
                let mut on = set.contains(&c);
                let text = format!("{}  ({})", col.name, col.kind.name());
                let r = ui.add_enabled(!taken.contains(&c), egui::Checkbox::new(&mut on, text));
                if r.changed() {
                    if on && is_default {
                        set = vec![c];
                    } else if on {
                        set.push(c);
                    } else {
                        set.retain(|&s| s != c);
                    }
                }
            }
        })
        .response
        .labelled_by(label_resp.id)
        .on_hover_text(tip);
    if set != before {
        *chosen = names_of(data, &set);
        return true;
    }
    false
}
