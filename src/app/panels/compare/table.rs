//! The pair table: correlation (or the association measure), MI with its p-values,
//! r_I, the excess over the Gaussian curve, sortable.

use super::*;

impl ComparePanel {
    pub(super) fn table_view(
        &mut self,
        ui: &mut egui::Ui,
        (res, names): (&CompareResult, &[String]),
        cx: &mut PanelCtx,
    ) {
        let units = cx.units;
        let u = units.name();
        let name = |i: usize| names.get(i).map_or("?", String::as_str);
        ui.strong(format!(
            "{} pairs, ranked by MI above the Gaussian curve (top {} highlighted)",
            res.rows.len(),
            res.top.len()
        ));
        let stamp = (
            self.settings.sort,
            self.settings.descending,
            self.view.run.serial(),
        );
        if self.view.sorted.as_ref().is_none_or(|(s, _)| *s != stamp) {
            let mut order: Vec<usize> = (0..res.rows.len()).collect();
            let key = |r: &CompareRow| -> f64 {
                match self.settings.sort {
                    SortBy::Pearson => r.association.map_or(r.pearson.abs(), |a| a.1),
                    SortBy::Spearman => r.spearman.abs(),
                    SortBy::Mi => r.mi,
                    SortBy::InfoCoefficient => r.r_i,
                    SortBy::Excess => r.excess_over_gaussian(),
                    SortBy::N => r.n_used as f64,
                    SortBy::P => r.p_adjusted.unwrap_or(f64::NAN),
                    SortBy::X | SortBy::Y => 0.0,
                }
            };
            order.sort_by(|&a, &b| {
                let (ra, rb) = (&res.rows[a], &res.rows[b]);
                let by_name = match self.settings.sort {
                    SortBy::X => Some(name(ra.x).cmp(name(rb.x)).then(name(ra.y).cmp(name(rb.y)))),
                    SortBy::Y => Some(name(ra.y).cmp(name(rb.y)).then(name(ra.x).cmp(name(rb.x)))),
                    _ => None,
                };
                widgets::row_order(by_name, (key(ra), key(rb)), self.settings.descending)
            });
            self.view.sorted = Some((stamp, order));
        }

        let w = ui.available_width();
        // Widths fit each header's text plus the sort triangle.
        let tested = res.request.permutations > 0;
        let widths = [
            76.0,
            86.0,
            76.0,
            52.0,
            100.0,
            40.0,
            if tested { 60.0 } else { 0.0 },
        ];
        // Names get what the numbers leave, but never less than a readable width: in a
        // narrow window the table scrolls sideways instead of clipping its last columns.
        let name_w =
            ((w - widths.iter().sum::<f32>() - 9.0 * 4.0 - 16.0) / 2.0).clamp(100.0, 220.0);
        let mut headers: Vec<(SortBy, String, f32, &str)> = vec![
            (
                SortBy::X,
                "x".into(),
                name_w,
                "Sort by the first column's name",
            ),
            (
                SortBy::Y,
                "y".into(),
                name_w,
                "Sort by the second column's name",
            ),
            (
                SortBy::Pearson,
                "|Pearson|".into(),
                widths[0],
                "Sort by absolute Pearson correlation; a pair with a categorical column shows \
                 Cramér's V (V, two categorical columns) or the correlation ratio η instead",
            ),
            (
                SortBy::Spearman,
                "|Spearman|".into(),
                widths[1],
                "Sort by absolute Spearman correlation",
            ),
            (
                SortBy::Mi,
                format!("MI ({u})"),
                widths[2],
                "Sort by mutual information",
            ),
            (
                SortBy::InfoCoefficient,
                "r_I".into(),
                widths[3],
                "Sort by the information coefficient r_I",
            ),
            (
                SortBy::Excess,
                format!("excess ({u})"),
                widths[4],
                "Sort by MI above the Gaussian curve: I − (−½ ln(1 − ρ²)) with Pearson ρ",
            ),
            (
                SortBy::N,
                "n".into(),
                widths[5],
                "Sort by the number of rows used",
            ),
        ];
        if tested {
            headers.push((
                SortBy::P,
                "p_adj".into(),
                widths[6],
                "Sort by the Benjamini–Hochberg adjusted permutation p-value of the MI (faded above 0.05)",
            ));
        }
        let mut clicked = None;
        let mut chosen = Vec::new();
        // A solid bar: a floating one is invisible until hovered, and a user would not
        // know the last columns are there.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt("compare-table-h")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                widgets::sort_headers(
                    ui,
                    &headers,
                    &mut self.settings.sort,
                    &mut self.settings.descending,
                    |k| matches!(k, SortBy::X | SortBy::Y),
                );
                let accent = accent_color(ui);
                let row_h = 20.0;
                let order: &[usize] = self.view.sorted.as_ref().map_or(&[], |(_, o)| o.as_slice());
                egui::ScrollArea::vertical()
                    .id_salt("compare-table")
                    .auto_shrink([false, false])
                    .show_rows(ui, row_h, order.len(), |ui, range| {
                        for &i in &order[range] {
                            let r = &res.rows[i];
                            let top = res.top.contains(&i);
                            let color = top.then_some(accent);
                            let sel = self.view.selected == Some((r.x, r.y));
                            ui.horizontal(|ui| {
                                ui.spacing_mut().item_spacing.x = 4.0;
                                let label = |t: String| {
                                    let mut rt = RichText::new(t);
                                    if let Some(c) = color {
                                        rt = rt.color(c).strong();
                                    }
                                    rt
                                };
                                let pair = ui
                                    .add_sized(
                                        [name_w * 2.0 + 4.0, row_h],
                                        egui::Button::selectable(
                                            sel,
                                            label(format!("{} × {}", name(r.x), name(r.y))),
                                        )
                                        .truncate(),
                                    )
                                    .on_hover_text(format!(
                                        "{} × {}: click to inspect the pair, right-click to copy",
                                        name(r.x),
                                        name(r.y)
                                    ));
                                if pair.clicked() {
                                    clicked = Some(i);
                                }
                                let target = CopyTarget {
                                    row: pair_row(name(r.x), name(r.y)),
                                    image: None,
                                };
                                copy_menu(&pair, target, &mut chosen);
                                let (first, second) = match r.association {
                                    Some((m, v)) => {
                                        (format!("{} {}", m.symbol(), fmt(v)), "–".into())
                                    }
                                    None => (fmt(r.pearson.abs()), fmt(r.spearman.abs())),
                                };
                                num_cell(ui, widths[0], row_h, label(first));
                                num_cell(ui, widths[1], row_h, label(second));
                                let test = (r.test.as_ref(), r.p_adjusted);
                                widgets::info_cell(
                                    ui,
                                    (widths[2], row_h),
                                    (r.mi, units),
                                    test,
                                    label,
                                );
                                for (v, width) in [
                                    (fmt(r.r_i), widths[3]),
                                    (fmt(units.from_nats(r.excess_over_gaussian())), widths[4]),
                                    (r.n_used.to_string(), widths[5]),
                                ] {
                                    num_cell(ui, width, row_h, label(v));
                                }
                                if tested {
                                    widgets::p_cell(ui, (widths[6], row_h), r.p_adjusted);
                                }
                            });
                        }
                    });
            });
        cx.commands.extend(chosen);
        if let Some(i) = clicked {
            self.inspect(cx, &res.rows[i], &res.request.settings);
        }
    }
}
