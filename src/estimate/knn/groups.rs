//! [`Groups`]: the points of each class that has a within-class neighbour.

/// Points of the groups (classes) with at least two members, grouped by code: the
/// kNN estimators drop singleton groups, which have no within-group neighbour.
pub struct Groups {
    /// Original indices, class by class.
    pub order: Vec<u32>,
    /// [start, end) of each retained group in `order`.
    pub bounds: Vec<(usize, usize)>,
    /// Index into `bounds` of each position of `order`.
    pub group_at: Vec<u32>,
}

impl Groups {
    /// `None` when fewer than two points are retained.
    pub fn new(d: &[u32]) -> Option<Self> {
        let codes = d.iter().map(|&v| v as usize + 1).max().unwrap_or(0);
        let mut counts = vec![0usize; codes];
        for &v in d {
            counts[v as usize] += 1;
        }
        let mut fill = vec![usize::MAX; codes];
        let mut bounds = Vec::new();
        let mut at = 0;
        for (code, &cnt) in counts.iter().enumerate() {
            if cnt > 1 {
                fill[code] = at;
                bounds.push((at, at + cnt));
                at += cnt;
            }
        }
        if at < 2 {
            return None;
        }
        let mut order = vec![0u32; at];
        let mut group_at = vec![0u32; at];
        let mut class_index = vec![0u32; codes];
        let mut next = 0u32;
        for (code, &cnt) in counts.iter().enumerate() {
            if cnt > 1 {
                class_index[code] = next;
                next += 1;
            }
        }
        for (i, &v) in d.iter().enumerate() {
            let v = v as usize;
            if counts[v] > 1 {
                order[fill[v]] = i as u32;
                group_at[fill[v]] = class_index[v];
                fill[v] += 1;
            }
        }
        Some(Self {
            order,
            bounds,
            group_at,
        })
    }
}
