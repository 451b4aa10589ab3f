//! The `mi-workbench` binary: the window, or a headless subcommand.
//!
//! On Windows the binary is a GUI-subsystem program, so double-clicking it (or opening a
//! CSV with it from Explorer) opens no console window. A GUI program has no console of its
//! own, so when it is started from a terminal with a subcommand (or `--help`/`--version`)
//! it attaches to the terminal's console to print there: see [`windows_console`]. The
//! docs/packaging.md ("The Windows console") describes what that means in cmd and PowerShell.

#![cfg_attr(windows, windows_subsystem = "windows")]

use mi_workbench::cli::{self, Invocation};
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(windows)]
    windows_console::attach_if_cli();
    match cli::parse() {
        Invocation::Headless(command) => cli::run(*command),
        Invocation::Window(file) => window(file),
    }
}

#[cfg(feature = "gui")]
fn window(file: Option<std::path::PathBuf>) -> ExitCode {
    match mi_workbench::app::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: could not open the window: {e}");
            eprintln!(
                "hint: the subcommands (info, matrix, compare, cmi, sweep, mrmr) work without a display"
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn window(_file: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "error: this build has no window (built without the `gui` feature); use a subcommand: info, matrix, compare, cmi, sweep, mrmr (see --help)"
    );
    ExitCode::FAILURE
}

/// Windows only: print headless output into the console of the terminal that started us.
#[cfg(windows)]
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
