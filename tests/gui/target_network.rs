//! The Target tab (one column against all) and the Network tab (dependence network),
//! driven in the real app: the bars are sorted, a bar opens the inspector, the network
//! lays out a 50-column file and a node opens its target view.

use crate::panels::{click_at, click_tab, open};
use crate::support::step_until;
use egui_kittest::kittest::Queryable;
use mi_workbench::analysis::{Progress, matrix};
use mi_workbench::app::panels::Tab;
use mi_workbench::app::panels::target::Source;
use std::time::Duration;

/// The views drawn from the heatmap's matrix need it finished.
fn wait_for_heatmap(h: &mut egui_kittest::Harness<'static, mi_workbench::app::WorkbenchApp>) {
    step_until(h, Duration::from_secs(180), "the heatmap", |a| {
        a.panels().heatmap.result().is_some() && !a.panels().heatmap.is_computing()
    });
}

#[test]
fn target_view_is_sorted_from_the_heatmap_and_a_bar_inspects_the_pair() {
    let mut h = crate::support::harness();
    open(&mut h, "wine.csv");
    wait_for_heatmap(&mut h);
    click_tab(&mut h, Tab::Target);
    step_until(&mut h, Duration::from_secs(60), "the target row", |a| {
        a.panels().target.result().is_some() && !a.panels().target.is_computing()
    });
    h.step();
    h.step();
    let app = h.state();
    let ds = app.dataset().expect("loaded");
    let res = app.panels().target.result().expect("a row");
    let t = ds.column_index("target").expect("wine has target");
    // The default target is the last included column; the default settings equal the
    // heatmap's, so the row is the heatmap's.
    assert_eq!(res.target, t);
    assert!(matches!(res.source, Source::Heatmap(_)), "{:?}", res.source);
    // Same cells as the engine's own run of the target's pairs.
    let own = matrix::run_target(ds, &res.matrix.request, t, &Progress::new()).expect("runs");
    assert_eq!(own.cells, res.matrix.cells);
    assert_eq!(res.order.len(), 13);
    // Sorted descending, and drawn in that order from the top.
    let mi: Vec<f64> = res
        .order
        .iter()
        .map(|&i| {
            res.matrix.cells[i]
                .mi()
                .expect("wine has no missing values")
        })
        .collect();
    assert!(mi.windows(2).all(|w| w[0] >= w[1]), "{mi:?}");
    let ys: Vec<f32> = res
        .order
        .iter()
        .map(|&i| {
            let p = app.panels().target.bar_center(res.other(i));
            p.expect("every bar of 13 is drawn").y
        })
        .collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
    let first = res.other(res.order[0]);
    let pos = app.panels().target.bar_center(first).expect("drawn");
    click_at(&mut h, pos);
    let pair = h
        .state()
        .inspector()
        .pair()
        .expect("a bar opens the inspector");
    assert!(
        pair == (first, t) || pair == (t, first),
        "{pair:?} vs ({first}, {t})"
    );
}

/// 600 rows × 50 columns in ten groups of five that share a latent factor, written to
/// `dir`; returns the path.
fn fifty_columns(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("fifty.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let header: Vec<String> = (0..50).map(|c| format!("g{}_{}", c / 5, c % 5)).collect();
    writeln!(f, "{}", header.join(",")).expect("write");
    // A fixed LCG, so the file is the same on every run.
    let mut state: u64 = 7;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    for _ in 0..600 {
        let latent: Vec<f64> = (0..10).map(|_| uniform()).collect();
        let row: Vec<String> = (0..50)
            .map(|c| format!("{:.5}", latent[c / 5] + 0.3 * uniform()))
            .collect();
        writeln!(f, "{}", row.join(",")).expect("write");
    }
    path
}

#[test]
fn network_lays_out_fifty_columns_and_a_node_opens_its_target_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fifty_columns(dir.path());
    let mut h = crate::support::harness();
    h.state_mut().open_path(&path);
    step_until(&mut h, Duration::from_secs(60), "the file", |a| {
        a.loaded().is_some_and(|l| l.name == "fifty.csv") && !a.is_loading()
    });
    wait_for_heatmap(&mut h);
    // Across groups the true MI is 0; at 600 rows the KSG estimates of 1,125 such pairs
    // reach r_I ≈ 0.3 now and then (MI ≈ 0.05), far below 0.5 (MI ≈ 0.14).
    h.state_mut().panels_mut().network.settings.r_i_threshold = 0.5;
    click_tab(&mut h, Tab::Network);
    step_until(&mut h, Duration::from_secs(60), "the layout", |a| {
        a.panels().network.result().is_some() && !a.panels().network.is_computing()
    });
    h.step();
    h.step();
    let app = h.state();
    let net = app.panels().network.result().expect("laid out");
    assert_eq!(net.columns().len(), 50);
    assert_eq!(net.positions.len(), 50);
    assert!(net.positions.iter().flatten().all(|v| v.is_finite()));
    // Within a group ρ of two members is 1/(1 + 0.09) ≈ 0.92, across groups 0: at
    // r_I ≥ 0.5 every edge joins two members of one group, and each group's ten pairs
    // are there.
    let group = |i: usize| net.columns()[i] / 5;
    assert!(
        net.edges.iter().all(|e| group(e.a) == group(e.b)),
        "edges across groups"
    );
    assert_eq!(net.edges.len(), 10 * 10);
    // The clustering colours the groups: five members share a cluster, other groups not.
    for g in 0..10 {
        let c: Vec<_> = (0..50)
            .filter(|&i| group(i) == g)
            .map(|i| net.clusters[i])
            .collect();
        assert!(
            c[0].is_some() && c.iter().all(|&x| x == c[0]),
            "group {g}: {c:?}"
        );
    }
    // An edge, clicked at the point of it farthest from every node, inspects its pair.
    let centre = |i: usize| {
        let p = app.panels().network.node_center(net.columns()[i]);
        p.expect("every node is drawn")
    };
    let (edge, mid) = net
        .edges
        .iter()
        .map(|e| (e, centre(e.a).lerp(centre(e.b), 0.5)))
        .max_by(|(_, a), (_, b)| {
            let clear = |p: &egui::Pos2| {
                (0..50)
                    .map(|i| centre(i).distance(*p))
                    .fold(f32::MAX, f32::min)
            };
            clear(a).total_cmp(&clear(b))
        })
        .expect("there are edges");
    let pair = (net.columns()[edge.a], net.columns()[edge.b]);
    let node = net.columns()[17];
    click_at(&mut h, mid);
    let inspected = h
        .state()
        .inspector()
        .pair()
        .expect("an edge opens the inspector");
    assert!(
        inspected == pair || inspected == (pair.1, pair.0),
        "{inspected:?} vs {pair:?}"
    );
    // The docked inspector narrowed the picture: the node's place as drawn now.
    let pos = h.state().panels().network.node_center(node).expect("drawn");
    click_at(&mut h, pos);
    assert_eq!(
        h.state().state().tab,
        Tab::Target,
        "a node opens the Target tab"
    );
    step_until(
        &mut h,
        Duration::from_secs(60),
        "the target row",
        move |a| a.panels().target.result().is_some_and(|r| r.target == node),
    );
    let row = h.state().panels().target.result().expect("a row");
    assert_eq!(row.order.len(), 49);
    // Its own group first: the four strongest bars are the node's group mates.
    let top: Vec<usize> = row.order[..4].iter().map(|&i| row.other(i) / 5).collect();
    assert_eq!(top, vec![node / 5; 4]);
}

#[test]
fn target_view_takes_the_heatmaps_p_values_or_tests_its_own_row() {
    let mut h = crate::support::harness();
    open(&mut h, "wine.csv");
    h.state_mut().panels_mut().heatmap.settings.permutations = 30;
    h.state_mut().panels_mut().target.settings.permutations = 30;
    step_until(
        &mut h,
        Duration::from_secs(180),
        "the tested heatmap",
        |a| {
            a.panels()
                .heatmap
                .result()
                .is_some_and(|m| m.request.permutations == 30)
                && !a.panels().heatmap.is_computing()
        },
    );
    click_tab(&mut h, Tab::Target);
    step_until(&mut h, Duration::from_secs(60), "the heatmap's row", |a| {
        a.panels()
            .target
            .result()
            .is_some_and(|r| matches!(r.source, Source::Heatmap(_)))
    });
    let app = h.state();
    let full = app.panels().heatmap.result().expect("heatmap");
    let row = app.panels().target.result().expect("row");
    for (i, c) in row.matrix.cells.iter().enumerate() {
        let (k, cell) = full.cell(c.x, c.y).expect("in the heatmap");
        assert_eq!(c, cell);
        // BH over the heatmap's 91 pairs, not over the row's 13.
        assert_eq!(
            row.matrix.p_adjusted[i].to_bits(),
            full.p_adjusted[k].to_bits()
        );
    }
    // Other permutations than the heatmap's: the row tests itself, BH over its 13 pairs.
    h.state_mut().panels_mut().target.settings.permutations = 40;
    step_until(&mut h, Duration::from_secs(120), "the own row", |a| {
        a.panels()
            .target
            .result()
            .is_some_and(|r| r.source == Source::Own && r.matrix.request.permutations == 40)
    });
    let row = h.state().panels().target.result().expect("row");
    let p: Vec<f64> = row
        .matrix
        .cells
        .iter()
        .map(|c| c.test.expect("tested").p_value)
        .collect();
    assert_eq!(
        row.matrix.p_adjusted,
        mi_workbench::estimate::significance::benjamini_hochberg(&p)
    );
}

/// Save PNG writes the target chart (its scale, bars and labels) as a PNG file.
#[test]
fn the_target_chart_saves_as_a_png() {
    let mut h = crate::support::harness();
    let dir = tempfile::tempdir().expect("tempdir");
    h.state_mut().set_export_dir(dir.path());
    open(&mut h, "wine.csv");
    wait_for_heatmap(&mut h);
    click_tab(&mut h, Tab::Target);
    step_until(&mut h, Duration::from_secs(60), "the target row", |a| {
        a.panels().target.result().is_some() && !a.panels().target.is_computing()
    });
    h.run_steps(2);
    h.get_by_label("Save PNG").click();
    let file = dir.path().join("wine_target.png");
    let start = std::time::Instant::now();
    while !file.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no PNG written; errors: {:?}",
            h.state().errors()
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(h.state().errors().is_empty(), "{:?}", h.state().errors());
    let bytes = std::fs::read(&file).expect("read the PNG");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Width and height from the IHDR chunk: the chart, not a sliver.
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let hgt = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert!(w > 300 && hgt > 200, "{w}×{hgt}");
}
