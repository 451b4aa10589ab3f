//! The `mi-workbench` binary run as a user runs it: the headless commands' contract, bad
//! input files, and exports that never destroy a file. One test crate for all of them;
//! no egui.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod higher_order;
mod ranking;
mod reliability_cli;
mod target;
// Read-only folders, `chattr` and the OS messages checked there are Unix ones.
#[cfg(unix)]
mod reliability_export;

use std::process::Command;

/// The binary under test, ready for arguments.
fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mi-workbench"))
}
