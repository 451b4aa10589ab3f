//! The Target tab (one column against all) and the Network tab (dependence network),
//! driven in the real app: the bars are sorted, a bar opens the inspector, the network
//! lays out a 50-column file and a node opens its target view.

use crate::panels::{click_at, click_tab, open};
use crate::support::step_until;
use mi_workbench::analysis::{Progress, matrix};
use mi_workbench::app::panels::Tab;
use mi_workbench::app::panels::target::Source;
use std::time::Duration;

#[test]
fn target_view_is_sorted_from_the_heatmap_and_a_bar_inspects_the_pair() {
    let mut h = crate::support::harness();
    open(&mut h, "wine.csv");
    step_until(&mut h, Duration::from_secs(120), "the heatmap", |a| {
        a.panels().heatmap.result().is_some() && !a.panels().heatmap.is_computing()
    });
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
