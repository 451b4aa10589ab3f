//! The Data panel's full table: every row of the file, painted cell by cell for the
//! cells in view only (a million rows or thousands of columns cost the same per frame
//! as a small file), sortable by clicking a header (sorted off the UI thread), with a
//! right-click copy of a value or a row.

use super::super::PanelCtx;
use crate::app::commands::Command;
use crate::app::computation::Computation;
use crate::app::jobs::{JobKey, Lane};
use crate::app::loaded::Loaded;
use crate::app::widgets::sort_triangle;
use crate::data::order::{CategoryOrder, row_order};
use crate::data::{ColumnKind, Dataset};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Vec2};
use std::sync::Arc;

const JOB: JobKey<Vec<u32>> = JobKey::new("data table sort");

const COL_W: f32 = 136.0;
const NUM_W: f32 = 64.0;
/// The name row and the summary row above the body.
const HEADER_ROWS: usize = 2;

#[derive(Clone, Debug, PartialEq)]
struct SortKey {
    column: usize,
    descending: bool,
    order: CategoryOrder,
}

/// Which column the table is sorted by and the sorted row order.
pub struct RowSort {
    /// (dataset column, descending).
    by: Option<(usize, bool)>,
    run: Computation<SortKey, Vec<u32>>,
    /// The body cell (data row, dataset column) under the last right-click.
    menu_cell: Option<(usize, usize)>,
    /// Header rectangles drawn last frame, per dataset column (for tests and clicks).
    headers: Vec<(usize, Rect)>,
}

impl Default for RowSort {
    fn default() -> Self {
        Self {
            by: None,
            run: Computation::new(JOB, 4),
            menu_cell: None,
            headers: Vec::new(),
        }
    }
}

impl RowSort {
    fn wanted(&self, data: &Loaded) -> Option<(u64, SortKey)> {
        let (column, descending) = self.by?;
        (column < data.full.columns.len()).then(|| {
            let order = data.category_order(column);
            let key = SortKey {
                column,
                descending,
                order,
            };
            (data.full_generation, key)
        })
    }

    /// Collects a finished sort and starts the one the header clicks ask for.
    pub fn tick(&mut self, cx: &mut PanelCtx) {
        let Some(data) = cx.data else { return };
        let wanted = self.wanted(data);
        self.run.tick(cx.jobs, wanted.as_ref());
        let Some((generation, key)) = wanted else {
            return;
        };
        if self.run.is_showing(generation, &key)
            || self.run.is_computing_for(generation, &key)
            || self.run.was_cancelled(generation, &key)
        {
            return;
        }
        let ds = data.full.clone();
        let label = format!("sort rows by {}", data.full.columns[key.column].name);
        let job_key = key.clone();
        self.run.start(
            cx.jobs,
            label,
            Lane::Interactive,
            (generation, key),
            move |h| {
                h.progress.start("sorting rows", 1);
                let rows = row_order(
                    &ds.columns[job_key.column],
                    job_key.order,
                    job_key.descending,
                );
                h.progress.add(1);
                Ok(rows)
            },
        );
    }

    pub fn dataset_changed(&mut self, keep: &[u64]) {
        if let Some(&full) = keep.first() {
            self.run.dataset_changed(full, keep);
        }
        self.menu_cell = None;
    }

    /// The row order on screen: `Some` only when it answers the sort asked for now.
    pub fn sorted(&self, data: &Loaded) -> Option<Arc<Vec<u32>>> {
        let (generation, key) = self.wanted(data)?;
        self.run
            .is_showing(generation, &key)
            .then(|| self.run.shown().cloned())
            .flatten()
    }

    /// Header click: ascending, then descending, then the file's order.
    pub fn toggle(&mut self, column: usize) {
        self.by = match self.by {
            Some((c, false)) if c == column => Some((column, true)),
            Some((c, true)) if c == column => None,
            _ => Some((column, false)),
        };
    }

    /// Centre of a column's header as drawn last frame (dataset column index).
    pub fn header_center(&self, column: usize) -> Option<Pos2> {
        self.headers
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, r)| r.center())
    }

    /// "All 344 rows", with the sort when there is one.
    pub fn caption(&self, data: &Loaded) -> String {
        let rows = crate::app::thousands(data.full.n_rows);
        match self.by {
            Some((c, descending)) if c < data.full.columns.len() => {
                let arrow = if descending {
                    "descending"
                } else {
                    "ascending"
                };
                let name = &data.full.columns[c].name;
                let state = if self.sorted(data).is_some() {
                    ""
                } else {
                    " (sorting…)"
                };
                format!("All {rows} rows, sorted by {name}, {arrow}, missing last{state}")
            }
            _ => format!("All {rows} rows, in file order (click a header to sort)"),
        }
    }

    /// The table: `shown` are the dataset columns that pass the filter.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, shown: &[usize]) {
        let ds: &Dataset = &data.full;
        let order = self.sorted(data);
        let n = ds.n_rows;
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let head_h = HEADER_ROWS as f32 * row_h;
        let total = Vec2::new(
            NUM_W + shown.len() as f32 * COL_W,
            head_h + n as f32 * row_h,
        );
        let visuals = ui.visuals().clone();
        let font = FontId::proportional(13.0);
        let small = FontId::proportional(11.5);
        let data_row = |r: usize| {
            order
                .as_ref()
                .map_or(Some(r), |o| o.get(r).map(|&i| i as usize))
        };
        let mut clicked_header = None;
        let mut headers = Vec::new();
        egui::ScrollArea::both()
            .id_salt("data-rows")
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let origin = ui.min_rect().min;
                let (_, response) = ui.allocate_exact_size(total, Sense::click());
                let painter = ui.painter().clone();
                let first_col = ((viewport.min.x - NUM_W) / COL_W).floor().max(0.0) as usize;
                let last_col =
                    (((viewport.max.x - NUM_W) / COL_W).ceil().max(0.0) as usize).min(shown.len());
                let first_row = ((viewport.min.y / row_h).floor().max(0.0) as usize)
                    .saturating_sub(HEADER_ROWS);
                let last_row =
                    (((viewport.max.y - head_h) / row_h).ceil().max(0.0) as usize + 1).min(n);
                let rect_at = |x: f32, y: f32, w: f32| {
                    Rect::from_min_size(origin + Vec2::new(x, y), Vec2::new(w, row_h))
                };
                let text_in = |rect: Rect, text: &str, color: Color32, font: &FontId| {
                    painter
                        .with_clip_rect(
                            rect.shrink2(Vec2::new(4.0, 0.0))
                                .intersect(painter.clip_rect()),
                        )
                        .text(
                            rect.left_center() + Vec2::new(4.0, 0.0),
                            Align2::LEFT_CENTER,
                            text,
                            font.clone(),
                            color,
                        );
                };
                for r in first_row..last_row {
                    let y = head_h + r as f32 * row_h;
                    if r % 2 == 1 {
                        painter.rect_filled(
                            rect_at(viewport.min.x, y, viewport.width()),
                            0.0,
                            visuals.faint_bg_color,
                        );
                    }
                    let Some(row) = data_row(r) else { continue };
                    for (c, &i) in shown.iter().enumerate().take(last_col).skip(first_col) {
                        let col = &ds.columns[i];
                        let v = col.values.get(row).copied().unwrap_or(f64::NAN);
                        let rect = rect_at(NUM_W + c as f32 * COL_W, y, COL_W);
                        if v.is_nan() {
                            text_in(rect, "missing", visuals.weak_text_color(), &small);
                        } else {
                            text_in(rect, &col.label_of(v), visuals.text_color(), &font);
                        }
                    }
                }
                // The header rows, pinned on top: the name (with the sort arrow) and a
                // one-line summary of the column.
                let (x, y) = (viewport.min.x, viewport.min.y);
                painter.rect_filled(
                    Rect::from_min_size(
                        origin + Vec2::new(x, y),
                        Vec2::new(viewport.width(), head_h),
                    ),
                    0.0,
                    visuals.extreme_bg_color,
                );
                for (c, &i) in shown.iter().enumerate().take(last_col).skip(first_col) {
                    let col = &ds.columns[i];
                    let cx0 = NUM_W + c as f32 * COL_W;
                    let name_rect = rect_at(cx0, y, COL_W);
                    let sorted = self.by.filter(|(s, _)| *s == i);
                    // Room on the right for the sort triangle.
                    let text_rect = match sorted {
                        Some(_) => name_rect.with_max_x(name_rect.max.x - 14.0),
                        None => name_rect,
                    };
                    text_in(text_rect, &col.name, visuals.strong_text_color(), &font);
                    if let Some((_, descending)) = sorted {
                        let c = egui::pos2(name_rect.max.x - 10.0, name_rect.center().y);
                        sort_triangle(&painter, c, descending, visuals.strong_text_color());
                    }
                    text_in(
                        rect_at(cx0, y + row_h, COL_W),
                        &summary_line(data, i),
                        visuals.weak_text_color(),
                        &small,
                    );
                    headers.push((i, name_rect.union(rect_at(cx0, y + row_h, COL_W))));
                }
                // Row numbers (the file's data rows, 1-based), pinned left.
                painter.rect_filled(
                    Rect::from_min_size(
                        origin + Vec2::new(x, y),
                        Vec2::new(NUM_W, viewport.height()),
                    ),
                    0.0,
                    visuals.panel_fill,
                );
                text_in(
                    rect_at(x, y, NUM_W),
                    "row",
                    visuals.weak_text_color(),
                    &font,
                );
                for r in first_row..last_row {
                    let ry = head_h + r as f32 * row_h;
                    if ry >= y + head_h - 1.0
                        && let Some(row) = data_row(r)
                    {
                        text_in(
                            rect_at(x, ry, NUM_W),
                            &(row + 1).to_string(),
                            visuals.weak_text_color(),
                            &font,
                        );
                    }
                }
                let hit = |p: Pos2| -> Hit {
                    let local = p - origin;
                    if local.x < x + NUM_W {
                        return Hit::None;
                    }
                    let c = ((local.x - NUM_W) / COL_W) as usize;
                    let Some(&i) = shown.get(c) else {
                        return Hit::None;
                    };
                    if local.y < y + head_h {
                        return Hit::Header(i);
                    }
                    let r = ((local.y - head_h) / row_h) as usize;
                    data_row(r).map_or(Hit::None, |row| Hit::Cell(row, i))
                };
                if response.clicked()
                    && let Some(Hit::Header(i)) = response.interact_pointer_pos().map(hit)
                {
                    clicked_header = Some(i);
                }
                if response.secondary_clicked() {
                    self.menu_cell = match response.interact_pointer_pos().map(hit) {
                        Some(Hit::Cell(row, i)) => Some((row, i)),
                        _ => None,
                    };
                }
                if let Some(p) = response.hover_pos()
                    && let Hit::Header(i) = hit(p)
                {
                    let col = &ds.columns[i];
                    let tip = format!(
                        "{}\n{} · click to sort (ascending, descending, file order)",
                        col.name,
                        summary_line(data, i)
                    );
                    response.clone().on_hover_text_at_pointer(tip);
                }
                self.cell_menu(&response, cx, ds, shown);
            });
        self.headers = headers;
        if let Some(i) = clicked_header {
            self.toggle(i);
        }
    }

    /// Right-click on a cell: copy its value, or its row over the columns shown.
    fn cell_menu(
        &mut self,
        response: &egui::Response,
        cx: &mut PanelCtx,
        ds: &Dataset,
        shown: &[usize],
    ) {
        let Some((row, i)) = self.menu_cell else {
            return;
        };
        response.context_menu(|ui| {
            ui.strong(format!("Row {}, {}", row + 1, ds.columns[i].name));
            if ui.button("Copy value").clicked() {
                cx.commands.push(Command::Copy {
                    text: cell_text(ds, row, i),
                    what: format!("the value of {} in row {}", ds.columns[i].name, row + 1),
                });
                ui.close();
            }
            if ui
                .button("Copy row")
                .on_hover_text("The row over the columns shown, with their names, tab-separated")
                .clicked()
            {
                let names: Vec<String> = shown
                    .iter()
                    .map(|&c| tsv_cell(&ds.columns[c].name))
                    .collect();
                let cells: Vec<String> = shown
                    .iter()
                    .map(|&c| tsv_cell(&cell_text(ds, row, c)))
                    .collect();
                cx.commands.push(Command::Copy {
                    text: format!("{}\n{}\n", names.join("\t"), cells.join("\t")),
                    what: format!("row {}", row + 1),
                });
                ui.close();
            }
        });
    }
}

enum Hit {
    None,
    Header(usize),
    Cell(usize, usize),
}

/// A cell as the file would hold it; empty for a missing one.
fn cell_text(ds: &Dataset, row: usize, column: usize) -> String {
    let col = &ds.columns[column];
    match col.values.get(row) {
        Some(v) if !v.is_nan() => col.label_of(*v),
        _ => String::new(),
    }
}

fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// "continuous · 3 missing", "categorical · by frequency".
fn summary_line(data: &Loaded, column: usize) -> String {
    let Some(col) = data.full.columns.get(column) else {
        return String::new();
    };
    let kind = data.summaries.get(column).map_or(col.kind, |s| s.kind);
    let mut parts = vec![kind.name().to_string()];
    if kind != ColumnKind::Continuous {
        let order = data.category_order(column);
        if order != CategoryOrder::Label {
            parts.push(order.name().to_string());
        }
    }
    if col.missing > 0 {
        parts.push(format!("{} missing", col.missing));
    }
    parts.join(" · ")
}
