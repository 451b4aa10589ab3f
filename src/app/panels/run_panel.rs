//! The shape of a panel with a Run button and one analysis (compare, conditional,
//! sensitivity, mRMR). Such a panel says only what differs (its request, its job, its
//! words, its export and its drawing) by implementing [`RunPanel`]; every
//! [`Panel`] method comes from the one blanket implementation below, so the state
//! machine (run, tick, stale/idle/computing notes, export, PNG) cannot drift between
//! panels.

use super::{Messages, Panel, PanelCtx, plot_image, result_to_draw, shown_for_export};
use crate::app::commands::Table;
use crate::app::computation::Computation;
use crate::app::jobs::{JobError, JobHandle, Lane};
use crate::app::loaded::Loaded;
use crate::app::widgets;
use crate::estimate::Units;
use egui::Rect;

/// The part of a [`RunPanel`] impl that only names things: its request and result
/// types, the analysis's name and PNG suffix, and its `view.run` computation.
macro_rules! run_panel_basics {
    ($req:ty, $res:ty, $analysis:literal, $image:literal) => {
        type Request = $req;
        type Output = $res;
        const ANALYSIS: &'static str = $analysis;
        const IMAGE: &'static str = $image;

        fn computation(&self) -> &Computation<$req, $res> {
            &self.view.run
        }

        fn computation_mut(&mut self) -> &mut Computation<$req, $res> {
            &mut self.view.run
        }
    };
}

/// A job's work: runs on the job runner, reports progress through the handle.
pub type Work<Res> = Box<dyn FnOnce(&JobHandle) -> Result<Res, JobError> + Send>;

/// What a Run-button panel says about itself; [`Panel`] follows from it.
pub trait RunPanel {
    /// Everything the result depends on (compared to tell a stale result on screen).
    type Request: Clone + PartialEq + Send + 'static;
    type Output: Send + Sync + 'static;

    /// The analysis in "run … first": "the comparison", "mRMR".
    const ANALYSIS: &'static str;
    /// The PNG is saved as `{file stem}_{IMAGE}.png`.
    const IMAGE: &'static str;

    fn computation(&self) -> &Computation<Self::Request, Self::Output>;
    fn computation_mut(&mut self) -> &mut Computation<Self::Request, Self::Output>;
    /// The request the current settings and data ask for (generation, request).
    fn wanted(&self, cx: &PanelCtx) -> Option<(u64, Self::Request)>;
    /// Why `request` cannot run (too few columns…), if it cannot.
    fn refuse(&self, request: &Self::Request) -> Option<&'static str>;
    /// The job's label for the status bar, and its work.
    fn job(&self, data: &Loaded, request: &Self::Request) -> (String, Work<Self::Output>);
    /// The plot drawn last frame, for Save PNG.
    fn plot_rect(&self) -> Option<Rect>;
    /// The CSV of the result on screen.
    fn export(&self, data: &Loaded, shown: &Self::Output, units: Units) -> Table;
    /// The control row above the result (settings, units, action buttons).
    fn controls(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx);
    /// The notes shown instead of, or above, the result.
    fn messages(&self, cx: &PanelCtx) -> Messages<'static>;
    /// "Shown: …": what the result on screen was computed with.
    fn header(&self, data: &Loaded, shown: &Self::Output) -> String;
    /// The result itself.
    fn body(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx, data: &Loaded, shown: &Self::Output);
    /// Drops a selection once no result on screen backs it.
    fn forget_selection(&mut self) {}
}

impl<T: RunPanel> Panel for T {
    fn tick(&mut self, cx: &mut PanelCtx) {
        let wanted = self.wanted(cx);
        self.computation_mut().tick(cx.jobs, wanted.as_ref());
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelCtx) {
        self.controls(ui, cx);
        ui.separator();
        let wanted = self.wanted(cx);
        let words = self.messages(cx);
        let Some((data, shown)) =
            result_to_draw(ui, cx.data, self.computation(), wanted.as_ref(), words)
        else {
            return;
        };
        widgets::result_header(ui, &self.header(data, &shown));
        self.body(ui, cx, data, &shown);
    }

    fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.computation_mut().dataset_changed(generation, keep);
        if self.computation().shown().is_none() {
            self.forget_selection();
        }
    }

    fn run(&mut self, cx: &mut PanelCtx) {
        let (Some(data), Some((generation, request))) = (cx.data, self.wanted(cx)) else {
            return;
        };
        if let Some(why) = self.refuse(&request) {
            self.computation_mut().set_error(why);
            return;
        }
        let (label, work) = self.job(data, &request);
        self.computation_mut()
            .start(cx.jobs, label, Lane::Heavy, (generation, request), work);
    }

    fn table(&self, cx: &PanelCtx) -> Result<Table, String> {
        let missing = format!("Nothing to export yet: run {} first.", T::ANALYSIS);
        let (data, shown) = shown_for_export(cx.data, self.computation(), &missing)?;
        Ok(self.export(data, shown, cx.units))
    }

    fn image(&self, cx: &PanelCtx) -> Result<(String, Rect), String> {
        let drawn = (self.plot_rect(), self.computation().shown().is_some());
        let missing = format!("Nothing to save yet: run {} first.", T::ANALYSIS);
        plot_image(cx, drawn, T::IMAGE, &missing)
    }
}
