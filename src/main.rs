//! The `mi-workbench` binary: the window, or a headless subcommand.
//!
//! On Windows the binary is a GUI-subsystem program, so double-clicking it (or opening a
//! CSV with it from Explorer) opens no console window. A GUI program has no console of its
//! own, so when it is started from a terminal with a subcommand (or `--help`/`--version`)
//! it attaches to the terminal's console to print there: see [`windows_console`]. The
//! README's "Install" section describes what that means in cmd and PowerShell.
//!
//! Built without the `gui` feature the binary is the headless CLI alone: an ordinary
//! console program, which says so when asked for the window.

#![cfg_attr(all(windows, feature = "gui"), windows_subsystem = "windows")]

use mi_workbench::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(all(windows, feature = "gui"))]
    windows_console::attach_if_cli();
    let parsed = cli::parse();
    match parsed.command {
        Some(command) => cli::run(command),
        None => open_window(parsed.file),
    }
}

#[cfg(feature = "gui")]
fn open_window(file: Option<std::path::PathBuf>) -> ExitCode {
    match mi_workbench::app::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: could not open the window: {e}");
            eprintln!(
                "hint: the subcommands ({}) work without a display",
                cli::subcommand_names()
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_file: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "error: this build has no window; use a subcommand: {} (see --help)",
        cli::subcommand_names()
    );
    ExitCode::FAILURE
}

/// Windows only: print headless output into the console of the terminal that started us.
/// (A build without the window is a console program and has its console already.)
#[cfg(all(windows, feature = "gui"))]
mod windows_console {
    use windows_sys::Win32::Foundation::{HANDLE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
        STD_OUTPUT_HANDLE, SetStdHandle,
    };

    /// When the first argument names a subcommand (or is a flag such as `--help`), attach
    /// to the parent process's console so that stdout and stderr reach it. Streams that
    /// were already redirected (`> out.csv`, a pipe) keep their redirection. Without a
    /// parent console (started from Explorer) nothing happens. The window (no subcommand,
    /// or only a CSV path) never attaches, so closing the terminal does not close it.
    pub fn attach_if_cli() {
        let Some(first) = std::env::args_os().nth(1) else {
            return;
        };
        let first = first.to_string_lossy();
        let is_subcommand = {
            use clap::CommandFactory as _;
            let cli = mi_workbench::cli::Cli::command();
            first == "help"
                || cli
                    .get_subcommands()
                    .any(|c| c.get_name() == first || c.get_all_aliases().any(|a| a == first))
        };
        if !(is_subcommand || first.starts_with('-')) {
            return;
        }
        let valid = |h: HANDLE| !h.is_null() && h != INVALID_HANDLE_VALUE;
        // SAFETY: plain Win32 calls with constant arguments; handles are only compared
        // and passed back to SetStdHandle unchanged.
        unsafe {
            let saved: [(STD_HANDLE, HANDLE); 2] = [
                (STD_OUTPUT_HANDLE, GetStdHandle(STD_OUTPUT_HANDLE)),
                (STD_ERROR_HANDLE, GetStdHandle(STD_ERROR_HANDLE)),
            ];
            if saved.iter().all(|&(_, h)| valid(h)) {
                return; // both streams already go somewhere (redirected or piped)
            }
            if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
                return; // no parent console: started from Explorer or a shortcut
            }
            for (which, h) in saved {
                if valid(h) {
                    SetStdHandle(which, h); // keep `> file` and pipes as they were
                }
            }
        }
    }
}
