//! Significance in Correlation vs MI and Conditional MI (issue 11): the Permutations
//! field is part of the request, the tables gain a p column, and the window's export is
//! what `compare/cmi --permutations N` writes.

use crate::support::{harness, sample, step_until};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::app::WorkbenchApp;
use mi_workbench::app::panels::Tab;
use mi_workbench::app::panels::run_panel::RunPanel;
use mi_workbench::estimate::Units;
use std::time::Duration;

const N: usize = 19;

fn cli(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mi-workbench"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 CSV")
}

/// Opens penguins, switches to `tab`, types N permutations and presses `run`.
fn run_with_permutations(tab: Tab, run: &str) -> Harness<'static, WorkbenchApp> {
    let mut h = harness();
    crate::support::open_file(&mut h, &sample("penguins.csv"));
    h.state_mut().set_tab(tab);
    h.step();
    h.get_by_role_and_label(Role::SpinButton, "Permutations")
        .click();
    h.step();
    h.get_by_role_and_label(Role::SpinButton, "Permutations")
        .type_text(&N.to_string());
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
    h.get_by_label(run).click();
    h.step();
    h
}

#[test]
fn compare_with_permutations_shows_p_and_exports_what_the_cli_writes() {
    let mut h = run_with_permutations(Tab::Compare, "Run comparison");
    step_until(&mut h, Duration::from_secs(120), "the comparison", |a| {
        !a.panels().compare.is_computing() && a.panels().compare.result().is_some()
    });
    h.step();
    let panel = &h.state().panels().compare;
    let res = panel.result().expect("result");
    assert_eq!(res.request.permutations, N);
    assert!(res.rows.iter().any(|r| r.test.is_some()));
    let window = panel.export(h.state().loaded().expect("data"), res, Units::Nats);
    let perms = N.to_string();
    let cli = cli(&[
        "compare",
        "sample_data/penguins.csv",
        "--quiet",
        "--permutations",
        &perms,
    ]);
    assert!(
        window
            .csv
            .lines()
            .next()
            .is_some_and(|l| l.contains("p_adjusted"))
    );
    assert_eq!(window.csv, cli, "the window's export is the CLI's table");
    h.get_by_label("p_adj");
    assert!(
        h.query_all_by_label_contains("· 19 permutations")
            .next()
            .is_some(),
        "the header says it"
    );
}

#[test]
fn conditional_with_permutations_shows_p_and_exports_what_the_cli_writes() {
    let mut h = run_with_permutations(Tab::Conditional, "Run conditional MI");
    step_until(
        &mut h,
        Duration::from_secs(120),
        "the conditional run",
        |a| !a.panels().conditional.is_computing() && a.panels().conditional.result().is_some(),
    );
    h.step();
    let panel = &h.state().panels().conditional;
    let res = panel.result().expect("result");
    assert_eq!(res.request.permutations, N);
    let data = h.state().loaded().expect("data");
    let given = data.column_name(res.request.given).to_string();
    let window = panel.export(data, res, Units::Nats);
    let perms = N.to_string();
    let args = [
        "cmi",
        "sample_data/penguins.csv",
        "--given",
        &given,
        "--quiet",
        "--permutations",
        &perms,
    ];
    assert_eq!(
        window.csv,
        cli(&args),
        "the window's export is the CLI's table"
    );
    assert!(
        window
            .csv
            .lines()
            .next()
            .is_some_and(|l| l.contains("p_value"))
    );
    h.get_by_label("p_adj");
    assert!(
        h.query_by_label_contains("finished in").is_some(),
        "the status bar reports it"
    );
}
