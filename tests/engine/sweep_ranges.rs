//! Sweep ranges: the default bin range reaches every rule's choice, and typed ranges are
//! parsed (and refused) without allocating what they name.

use crate::common::normals;
use mi_workbench::analysis::sweep::{SweepRequest, parse_values, rule_bins};
use mi_workbench::data::{Column, Dataset};
use mi_workbench::estimate::Settings;

#[test]
fn the_default_bin_range_covers_every_rule() {
    // 50,000 normal rows: Freedman–Diaconis picks over a hundred bins, past the 60 that
    // the plain range stops at.
    let n = 50_000;
    let ds = Dataset::new(
        "normals",
        vec![
            Column::numeric("x", normals(n, 1)),
            Column::numeric("y", normals(n, 2)),
        ],
    );
    let mut req = SweepRequest::with_defaults(0, 1, n, Settings::default());
    assert_eq!(req.bins.iter().max(), Some(&60));
    let choices = rule_bins(&ds, 0, 1);
    let top = choices.iter().map(|c| c.1.max(c.2)).max().expect("rules");
    assert!(top > 60, "FD on 50k normals: {choices:?}");
    req.cover_rules(&ds);
    for (rule, a, b) in &choices {
        assert!(
            req.bins.contains(a) && req.bins.contains(b),
            "{rule:?} picks {a}/{b}, not in {:?}",
            req.bins
        );
    }
    assert!(
        req.bins.windows(2).all(|w| w[0] < w[1]),
        "sorted, no repeats"
    );
    // About 20 counts between 60 and the largest choice, not one per count.
    assert!(req.bins.len() < 60 + 30, "{}", req.bins.len());
}

#[test]
fn ranges_parse_and_refuse_clearly() {
    assert_eq!(parse_values("2:10:4"), Ok(vec![2, 6, 10]));
    assert_eq!(parse_values("3, 5,8"), Ok(vec![3, 5, 8]));
    for bad in ["", "0:5", "5:2", "a:b", "1:2:0", "1,0", "1:2:3:4"] {
        assert!(parse_values(bad).is_err(), "{bad:?} accepted");
    }
    let huge = parse_values("1:100000000000").expect_err("refused");
    assert!(huge.contains("more than"), "{huge}");
}
