//! Headless commands: the window's analyses for scripts and batch jobs.
//!
//! `mi-workbench` with no subcommand (or only a file) opens the window; a subcommand
//! never does. Results go to `-o FILE` or stdout as CSV with a header row, progress to
//! stderr, errors to stderr with a non-zero exit code.

mod args;
mod commands;
mod error;
mod progress_printer;

pub use args::Cli;

use clap::Parser;
use std::process::ExitCode;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match crate::app::run(cli.file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: could not open the window: {e}");
                eprintln!(
                    "hint: the subcommands (info, matrix, compare, cmi, sweep, mrmr) work without a display"
                );
                ExitCode::FAILURE
            }
        },
        Some(command) => match commands::run(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
