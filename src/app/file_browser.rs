//! The built-in file browser: used when the system file dialog cannot open (on Linux
//! rfd needs an XDG desktop portal or zenity; a bare X server has neither, and rfd then
//! returns nothing, indistinguishable from Cancel), or when the user prefers it
//! (View > Built-in file browser). egui_file draws it inside the window.

use std::path::{Path, PathBuf};

/// What the browser was opened for.
pub(super) enum Purpose {
    Open,
    /// Save these bytes to the file the user picks.
    Save {
        bytes: Vec<u8>,
    },
}

pub(super) struct FileBrowser {
    dialog: egui_file::FileDialog,
    purpose: Purpose,
}

/// What the user did this frame.
pub(super) enum Outcome {
    Still,
    Closed,
    Chosen(PathBuf, Purpose),
}

impl FileBrowser {
    pub(super) fn open_csv(folder: Option<&Path>) -> Self {
        let csv_like = Box::new(|p: &Path| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["csv", "tsv", "txt", "tab"].contains(&e.to_ascii_lowercase().as_str())
            })
        });
        let mut dialog = egui_file::FileDialog::open_file()
            .title("Open CSV")
            .show_files_filter(csv_like);
        if let Some(dir) = folder {
            dialog = dialog.initial_path(dir);
        }
        dialog.open();
        Self {
            dialog,
            purpose: Purpose::Open,
        }
    }

    pub(super) fn save(folder: Option<&Path>, file_name: &str, bytes: Vec<u8>) -> Self {
        let mut dialog = egui_file::FileDialog::save_file()
            .title("Save as")
            .default_filename(file_name);
        if let Some(dir) = folder {
            dialog = dialog.initial_path(dir);
        }
        dialog.open();
        Self {
            dialog,
            purpose: Purpose::Save { bytes },
        }
    }

    pub(super) fn is_open_for_reading(&self) -> bool {
        matches!(self.purpose, Purpose::Open)
    }

    /// Draws the browser; what the user chose, if anything.
    pub(super) fn show(mut self, ctx: &egui::Context) -> (Option<Self>, Outcome) {
        self.dialog.show(ctx);
        match self.dialog.state() {
            egui_file::State::Open => (Some(self), Outcome::Still),
            egui_file::State::Selected => match self.dialog.path().map(Path::to_path_buf) {
                Some(path) => (None, Outcome::Chosen(path, self.purpose)),
                None => (None, Outcome::Closed),
            },
            egui_file::State::Closed | egui_file::State::Cancelled => (None, Outcome::Closed),
        }
    }
}

/// Whether the system dialog can work here. On Linux and the BSDs rfd talks to the XDG
/// desktop portal over the session bus, else runs zenity; with neither it cannot open.
pub(super) fn system_dialog_possible() -> bool {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || on_path("zenity")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
