//! Ordering columns so that dependent ones sit together: average-linkage (UPGMA)
//! hierarchical clustering on a distance matrix, read out as the dendrogram's leaf order.
//!
//! O(m³) in the number of columns, which is instant for the hundreds a heatmap shows
//! readably; callers skip it for very wide matrices.

/// Leaf order of average-linkage clustering of `m` items with symmetric distances
/// `dist(i, j)`. NaN distances count as the largest possible (1.0 for 1 − r_I).
pub fn average_linkage_order(m: usize, dist: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    if m <= 2 {
        return (0..m).collect();
    }
    agglomerate(m, dist, f64::INFINITY)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The clusters of average-linkage clustering cut at distance `cut` (merging stops
/// before two clusters farther apart than it): a cluster number per item, numbered by
/// size (0 the largest); items alone in their cluster get `None`.
pub fn average_linkage_groups(
    m: usize,
    dist: impl Fn(usize, usize) -> f64,
    cut: f64,
) -> Vec<Option<usize>> {
    let mut clusters = agglomerate(m, dist, cut);
    clusters.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let mut out = vec![None; m];
    for (g, members) in clusters.iter().filter(|c| c.len() > 1).enumerate() {
        for &i in members {
            out[i] = Some(g);
        }
    }
    out
}

/// Average-linkage (UPGMA) merging until the closest two clusters are farther than
/// `stop`; the clusters left, each as its members in dendrogram leaf order.
fn agglomerate(m: usize, dist: impl Fn(usize, usize) -> f64, stop: f64) -> Vec<Vec<usize>> {
    // Cluster distances, members (leaf order so far) and sizes; inactive clusters are None.
    let mut d = vec![0.0f64; m * m];
    for i in 0..m {
        for j in 0..m {
            if i != j {
                let v = dist(i, j);
                d[i * m + j] = if v.is_nan() { 1.0 } else { v };
            }
        }
    }
    let mut members: Vec<Option<Vec<usize>>> = (0..m).map(|i| Some(vec![i])).collect();
    for _ in 0..m.saturating_sub(1) {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..m {
            if members[i].is_none() {
                continue;
            }
            for j in i + 1..m {
                if members[j].is_some() && d[i * m + j] < best.0 {
                    best = (d[i * m + j], i, j);
                }
            }
        }
        let (closest, a, b) = best;
        if closest > stop {
            break;
        }
        let (Some(ma), Some(mb)) = (members[a].take(), members[b].take()) else {
            break;
        };
        let (na, nb) = (ma.len() as f64, mb.len() as f64);
        for k in 0..m {
            if k != a && members[k].is_some() {
                let v = (d[a * m + k] * na + d[b * m + k] * nb) / (na + nb);
                d[a * m + k] = v;
                d[k * m + a] = v;
            }
        }
        let mut merged = ma;
        merged.extend(mb);
        members[a] = Some(merged);
    }
    members.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_close_items() {
        // Items 0 and 2 are close, 1 and 3 are close; the order puts each pair together.
        let pos: [f64; 4] = [0.0, 10.0, 0.1, 10.2];
        let order = average_linkage_order(4, |i, j| (pos[i] - pos[j]).abs());
        let at = |x: usize| order.iter().position(|&o| o == x).unwrap_or(99);
        assert_eq!(at(0).abs_diff(at(2)), 1, "{order:?}");
        assert_eq!(at(1).abs_diff(at(3)), 1, "{order:?}");
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, vec![0, 1, 2, 3]);
    }

    #[test]
    fn groups_stop_at_the_cut() {
        // Two tight pairs 10 apart and a loner: cut at 1, two groups and one alone.
        let pos: [f64; 5] = [0.0, 10.0, 0.1, 10.2, 30.0];
        let g = average_linkage_groups(5, |i, j| (pos[i] - pos[j]).abs(), 1.0);
        assert!(g[0].is_some() && g[0] == g[2], "{g:?}");
        assert!(g[1].is_some() && g[1] == g[3] && g[1] != g[0], "{g:?}");
        assert_eq!(g[4], None);
        // A cut beyond every distance: one group of all.
        let all = average_linkage_groups(5, |i, j| (pos[i] - pos[j]).abs(), 100.0);
        assert!(all.iter().all(|&x| x == Some(0)), "{all:?}");
    }
}
