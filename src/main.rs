//! The `mi-workbench` binary: the window, or a headless subcommand.

fn main() -> std::process::ExitCode {
    mi_workbench::cli::main()
}
