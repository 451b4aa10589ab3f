//! Opens the window directly (for screenshots while the binary's entry point is in flux).
fn main() -> eframe::Result<()> {
    mi_workbench::app::run(std::env::args_os().nth(1).map(std::path::PathBuf::from))
}
