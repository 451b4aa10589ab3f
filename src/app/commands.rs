//! What views ask of the app. A panel, the inspector or the menu never calls into
//! another view: it pushes a [`Command`], and the app applies the queue after the frame
//! is drawn (the pattern of egui_demo_app and rerun's command queue).

use super::panels::Tab;
use crate::data::ColumnKind;
use crate::data::order::CategoryOrder;
use crate::estimate::{Settings, Units};

/// The window's shortcuts, named once so the menus show the keys that work.
pub const OPEN: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
pub const EXPORT: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::E);
/// Ctrl+C copies the current tab's table when no text field has the keyboard (egui
/// delivers it as `Event::Copy`, not as a key press).
pub const COPY: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::C);

/// A menu button that shows the keys of its shortcut beside its text.
pub fn shortcut_button<'a>(
    ui: &egui::Ui,
    text: &'a str,
    shortcut: &egui::KeyboardShortcut,
) -> egui::Button<'a> {
    egui::Button::new(text).shortcut_text(ui.ctx().format_shortcut(shortcut))
}

#[derive(Clone, Debug)]
pub enum Command {
    /// Open the pair inspector on two dataset columns with these estimator settings.
    Inspect {
        x: usize,
        y: usize,
        settings: Settings,
    },
    /// Save a CSV table (save dialog, or the test export folder).
    ExportCsv { file_name: String, contents: String },
    /// Save this screen rectangle as a PNG.
    ExportPng { file_name: String, rect: egui::Rect },
    /// Put text on the clipboard (a table as TSV, a value).
    Copy { text: String, what: String },
    /// Copy the current tab's whole table (as Ctrl+C does).
    CopyTable,
    /// Copy the header and the rows of the current tab's table that belong to these
    /// column names (a pair's row from a right-click); `what` names the row in the notice.
    CopyRows { keys: Vec<String>, what: String },
    /// Put this screen rectangle on the clipboard as an image.
    CopyImage { rect: egui::Rect },
    /// Include or exclude a column from analyses.
    SetIncluded { column: usize, included: bool },
    /// List a column's categories in this order (inspector, data table sort).
    SetOrder { column: usize, order: CategoryOrder },
    /// Override a column's kind.
    SetKind { column: usize, kind: ColumnKind },
    /// Show a dismissible error.
    Error(String),
    /// Switch to a tab.
    ShowTab(Tab),
    /// Show the Sensitivity tab on this pair of dataset columns and start its sweep.
    SweepPair { x: usize, y: usize },
    /// Show the Target tab for this dataset column (one column against all) and run it.
    ShowTarget { column: usize },
    /// Make the Higher-order total-correlation set the columns the Data tab's filter
    /// matches.
    SetFromDataFilter,
    /// Change the display unit everywhere.
    SetUnits(Units),
}

/// A panel's main table, ready to export (Ctrl+E) or copy.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub file_name: String,
    /// CSV with a header row, from the `crate::export` writers the CLI uses too.
    pub csv: String,
}

impl Table {
    /// The same table as tab-separated text (what spreadsheets paste), or `None` if the
    /// CSV cannot be read back (it always can: we wrote it).
    pub fn tsv(&self) -> Option<String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(self.csv.as_bytes());
        let mut out = String::with_capacity(self.csv.len());
        for record in reader.records() {
            let record = record.ok()?;
            let cells: Vec<String> = record
                .iter()
                .map(|c| c.replace(['\t', '\n', '\r'], " "))
                .collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        Some(out)
    }

    /// The header and the rows whose leading cells are `keys` (in either order for a
    /// pair, as matrices list a pair once), as TSV; `None` if no row matches.
    pub fn tsv_rows(&self, keys: &[String]) -> Option<String> {
        let tsv = self.tsv()?;
        let mut lines = tsv.lines();
        let header = lines.next()?;
        let mut reversed = keys.to_vec();
        reversed.reverse();
        let leads = |line: &str, k: &[String]| {
            let cells: Vec<&str> = line.split('\t').collect();
            cells.len() >= k.len() && cells.iter().zip(k).all(|(c, k)| c == k)
        };
        let rows: Vec<&str> = lines
            .filter(|l| leads(l, keys) || leads(l, &reversed))
            .collect();
        if rows.is_empty() {
            return None;
        }
        let mut out = format!("{header}\n");
        for r in rows {
            out.push_str(r);
            out.push('\n');
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn tsv_unquotes_csv_fields() {
        let t = Table {
            file_name: "t.csv".into(),
            csv: "x,y,mi\n\"a, b\",c,0.5\n\"say \"\"hi\"\"\",d,1\n".into(),
        };
        assert_eq!(
            t.tsv().as_deref(),
            Some("x\ty\tmi\na, b\tc\t0.5\nsay \"hi\"\td\t1\n")
        );
    }

    #[test]
    fn tsv_rows_picks_a_pair_in_either_order() {
        let t = Table {
            file_name: "t.csv".into(),
            csv: "x,y,mi\na,b,0.5\nb,c,0.25\na,c,1\n".into(),
        };
        let keys = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        assert_eq!(
            t.tsv_rows(&keys("c", "b")).as_deref(),
            Some("x\ty\tmi\nb\tc\t0.25\n")
        );
        assert_eq!(
            t.tsv_rows(&keys("a", "c")).as_deref(),
            Some("x\ty\tmi\na\tc\t1\n")
        );
        assert_eq!(t.tsv_rows(&keys("a", "z")), None);
    }
}
