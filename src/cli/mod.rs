//! Headless commands: the window's analyses for scripts and batch jobs.
//!
//! `mi-workbench` with no subcommand (or only a file) opens the window; a subcommand
//! never does. Results go to `-o FILE` or stdout as CSV with a header row, progress to
//! stderr, errors to stderr with a non-zero exit code. Which of the two runs is the
//! binary's choice (src/main.rs): this module never opens a window, so it builds
//! without the `gui` feature.

mod args;
mod commands;
mod error;
mod higher_order;
mod progress_printer;

pub use args::{Cli, Command};
pub use error::{ArgError, CliError};

use clap::{CommandFactory as _, Parser as _};
use std::process::ExitCode;

/// The command line of this process (clap exits with usage text on a bad one).
pub fn parse() -> Cli {
    Cli::parse()
}

/// Runs one subcommand, printing its error (if any) to stderr.
pub fn run(command: Command) -> ExitCode {
    match commands::run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The subcommands' names, comma-separated ("info, matrix, …"), for hints that point
/// from the window to the headless commands.
pub fn subcommand_names() -> String {
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn subcommand_names_in_help_order() {
        assert_eq!(
            super::subcommand_names(),
            "info, matrix, compare, cmi, sweep, mrmr, multi, synergy, tc"
        );
    }
}
