//! File dialogs and writes, off the UI thread: rfd's async dialogs awaited on helper
//! threads, atomic writes, PNG screenshots; replies come back over a channel.

use super::{WorkbenchApp, png};
use std::path::PathBuf;

/// Replies from helper threads (file dialogs, writes).
pub(super) enum Reply {
    Open(PathBuf),
    Saved(PathBuf),
    Folder(PathBuf),
    Error(String),
    /// A screenshot cropped to the requested region, ready to save.
    Png {
        file_name: String,
        image: egui::ColorImage,
    },
}

impl WorkbenchApp {
    pub(super) fn poll_replies(&mut self, frame: Option<&eframe::Frame>) {
        while let Ok(reply) = self.reply_rx.try_recv() {
            match reply {
                Reply::Open(p) => self.open_path(p),
                Reply::Saved(p) => {
                    if let Some(dir) = p.parent() {
                        self.state.last_folder = Some(dir.to_path_buf());
                    }
                    self.notice =
                        Some((format!("Saved {}", p.display()), std::time::Instant::now()));
                }
                Reply::Folder(dir) => self.state.last_folder = Some(dir),
                Reply::Error(e) => self.errors.push(e),
                Reply::Png { file_name, image } => match png::encode_rgba(
                    image.size[0] as u32,
                    image.size[1] as u32,
                    image.as_raw(),
                ) {
                    Ok(bytes) => self.save_bytes(file_name, bytes, "PNG image", "png", frame),
                    Err(e) => self.errors.push(format!("Could not encode the PNG: {e}")),
                },
            }
        }
    }

    /// Asks where to save (off the UI thread) and writes atomically; in tests, writes
    /// into the export folder directly.
    pub(super) fn save_bytes(
        &mut self,
        file_name: String,
        bytes: Vec<u8>,
        filter_name: &str,
        ext: &str,
        frame: Option<&eframe::Frame>,
    ) {
        let tx = self.reply_tx.clone();
        let ctx = self.ctx.clone();
        if let Some(dir) = &self.export_dir {
            let path = dir.join(&file_name);
            let reply = match crate::export::atomic_write(&path, &bytes) {
                Ok(()) => Reply::Saved(path),
                Err(e) => Reply::Error(format!("Export failed: {e}")),
            };
            let _ = tx.send(reply);
            return;
        }
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_file_name(&file_name)
            .add_filter(filter_name, &[ext]);
        if let Some(dir) = &self.state.last_folder {
            dialog = dialog.set_directory(dir);
        }
        if let Some(f) = frame {
            dialog = dialog.set_parent(f);
        }
        let future = dialog.save_file();
        std::thread::spawn(move || {
            let Some(handle) = pollster::block_on(future) else {
                return;
            };
            let path = handle.path().to_path_buf();
            let reply = match crate::export::atomic_write(&path, &bytes) {
                Ok(()) => Reply::Saved(path),
                Err(e) => Reply::Error(format!(
                    "Export failed; any existing file is unchanged. {e}"
                )),
            };
            let _ = tx.send(reply);
            ctx.request_repaint();
        });
    }

    pub(super) fn open_dialog(&mut self, frame: Option<&eframe::Frame>) {
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title("Open CSV")
            .add_filter("CSV / TSV", &["csv", "tsv", "txt", "tab"])
            .add_filter("All files", &["*"]);
        if let Some(dir) = &self.state.last_folder {
            dialog = dialog.set_directory(dir);
        }
        if let Some(f) = frame {
            dialog = dialog.set_parent(f);
        }
        let future = dialog.pick_file();
        let tx = self.reply_tx.clone();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            if let Some(handle) = pollster::block_on(future) {
                let path = handle.path().to_path_buf();
                if let Some(dir) = path.parent() {
                    let _ = tx.send(Reply::Folder(dir.to_path_buf()));
                }
                let _ = tx.send(Reply::Open(path));
                ctx.request_repaint();
            }
        });
    }

    pub(super) fn request_png(&mut self, file_name: String, rect: egui::Rect) {
        let tx = self.reply_tx.clone();
        let ppp = self.ctx.pixels_per_point();
        let ctx = self.ctx.clone();
        // The callback runs inside the painter, with egui's context locked: touching the
        // context there (even `request_repaint`) deadlocks. Hand the image to a thread.
        self.ctx.request_screenshot(move |image| {
            std::thread::spawn(move || {
                let [w, h] = image.size;
                let px = |v: f32, max: usize| ((v * ppp).round().max(0.0) as usize).min(max);
                let (x0, x1) = (px(rect.min.x, w), px(rect.max.x, w));
                let (y0, y1) = (px(rect.min.y, h), px(rect.max.y, h));
                let reply = if x1 <= x0 || y1 <= y0 {
                    Reply::Error("Nothing to save: the plot is not visible.".into())
                } else {
                    let region = image.region(
                        &egui::Rect::from_min_max(
                            egui::pos2(x0 as f32, y0 as f32),
                            egui::pos2(x1 as f32, y1 as f32),
                        ),
                        None,
                    );
                    Reply::Png {
                        file_name,
                        image: region,
                    }
                };
                let _ = tx.send(reply);
                ctx.request_repaint();
            });
        });
    }
}
