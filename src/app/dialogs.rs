//! File dialogs and writes, off the UI thread: rfd's async dialogs awaited on helper
//! threads, atomic writes, PNG screenshots; replies come back over a channel.

use super::file_browser::{self, FileBrowser, Outcome, Purpose};
use super::{WorkbenchApp, png};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A system dialog that returns nothing sooner than this did not open (no portal, no
/// zenity): no person cancels a dialog that fast. The built-in browser takes over.
const TOO_FAST_TO_BE_A_CANCEL: Duration = Duration::from_millis(300);

/// Replies from helper threads (file dialogs, writes).
pub(super) enum Reply {
    Open(PathBuf),
    Saved(PathBuf),
    Folder(PathBuf),
    Error(String),
    /// A screenshot cropped to the requested region, ready to save (or, without a
    /// file name, to put on the clipboard).
    Png {
        file_name: Option<String>,
        image: egui::ColorImage,
    },
    /// The system dialog could not open: use the built-in browser for this purpose.
    NoSystemDialog {
        file_name: String,
        purpose: Purpose,
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
                Reply::NoSystemDialog { file_name, purpose } => {
                    self.notice = Some((
                        "The system file dialog could not open (no desktop portal or zenity): using the built-in file browser".into(),
                        Instant::now(),
                    ));
                    self.open_browser(file_name, purpose);
                }
                Reply::Png {
                    file_name: None,
                    image,
                } => {
                    self.ctx.copy_image(image);
                    self.notice = Some(("Copied the image".into(), Instant::now()));
                }
                Reply::Png {
                    file_name: Some(file_name),
                    image,
                } => match png::encode_rgba(
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
        if !self.use_system_dialog() {
            self.open_browser(file_name, Purpose::Save { bytes });
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
        let asked = Instant::now();
        std::thread::spawn(move || {
            let Some(handle) = pollster::block_on(future) else {
                if asked.elapsed() < TOO_FAST_TO_BE_A_CANCEL {
                    let purpose = Purpose::Save { bytes };
                    let _ = tx.send(Reply::NoSystemDialog { file_name, purpose });
                    ctx.request_repaint();
                }
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

    /// Whether to try the system dialog first (else the built-in browser).
    fn use_system_dialog(&self) -> bool {
        !self.state.builtin_file_browser && file_browser::system_dialog_possible()
    }

    /// Opens the built-in browser (Open CSV, or Save for an export).
    pub(super) fn open_browser(&mut self, file_name: String, purpose: Purpose) {
        let folder = self.state.last_folder.as_deref();
        self.file_browser = Some(match purpose {
            Purpose::Open => FileBrowser::open_csv(folder),
            Purpose::Save { bytes } => FileBrowser::save(folder, &file_name, bytes),
        });
    }

    /// Draws the built-in browser when it is open and acts on the user's choice.
    pub(super) fn show_file_browser(&mut self, ctx: &egui::Context) {
        let Some(browser) = self.file_browser.take() else {
            return;
        };
        let (still, outcome) = browser.show(ctx);
        self.file_browser = still;
        let Outcome::Chosen(path, purpose) = outcome else {
            return;
        };
        if let Some(dir) = path.parent() {
            self.state.last_folder = Some(dir.to_path_buf());
        }
        match purpose {
            Purpose::Open => self.open_path(path),
            Purpose::Save { bytes } => {
                let reply = match crate::export::atomic_write(&path, &bytes) {
                    Ok(()) => Reply::Saved(path),
                    Err(e) => Reply::Error(format!(
                        "Export failed; any existing file is unchanged. {e}"
                    )),
                };
                let _ = self.reply_tx.send(reply);
            }
        }
    }

    /// True while the built-in browser is open to pick a CSV (tests).
    pub fn is_browsing_for_csv(&self) -> bool {
        self.file_browser
            .as_ref()
            .is_some_and(FileBrowser::is_open_for_reading)
    }

    pub(super) fn open_dialog(&mut self, frame: Option<&eframe::Frame>) {
        if !self.use_system_dialog() {
            self.open_browser(String::new(), Purpose::Open);
            return;
        }
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
        let asked = Instant::now();
        std::thread::spawn(move || {
            let picked = pollster::block_on(future);
            if picked.is_none() && asked.elapsed() < TOO_FAST_TO_BE_A_CANCEL {
                let (file_name, purpose) = (String::new(), Purpose::Open);
                let _ = tx.send(Reply::NoSystemDialog { file_name, purpose });
                ctx.request_repaint();
            }
            if let Some(handle) = picked {
                let path = handle.path().to_path_buf();
                if let Some(dir) = path.parent() {
                    let _ = tx.send(Reply::Folder(dir.to_path_buf()));
                }
                let _ = tx.send(Reply::Open(path));
                ctx.request_repaint();
            }
        });
    }

    /// Captures `rect` of the next frame: saved under `file_name`, or copied with `None`.
    pub(super) fn request_png(&mut self, file_name: Option<String>, rect: egui::Rect) {
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
