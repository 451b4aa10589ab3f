//! Headless commands: the window's analyses for scripts and batch jobs.
//!
//! `mi-workbench` with no subcommand (or only a file) opens the window; a subcommand
//! never does. Results go to `-o FILE` or stdout as CSV with a header row, progress to
//! stderr, errors to stderr with a non-zero exit code.

mod args;
mod commands;
mod progress_printer;

pub use args::Cli;

use clap::Parser as _;
use std::process::ExitCode;

/// What the command line asks for.
pub enum Invocation {
    /// A subcommand: run headless.
    Headless(Box<args::Command>),
    /// No subcommand: open the window, on this file if given.
    Window(Option<std::path::PathBuf>),
}

/// Parses the command line (clap prints help or a usage error and exits on its own).
pub fn parse() -> Invocation {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => Invocation::Headless(Box::new(command)),
        None => Invocation::Window(cli.file),
    }
}

/// Runs a subcommand: CSV out, progress and errors on stderr.
pub fn run(command: args::Command) -> ExitCode {
    match commands::run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
