//! The dependence network drawn from a finished MI matrix: which pairs become edges
//! (above an MI or r_I threshold, or significant after Benjamini–Hochberg), how strong
//! each is, and where the nodes sit ([`super::layout`]).

use super::matrix::MatrixResult;
use super::{Cancelled, Progress, layout};
use crate::estimate::info_coefficient;

/// What an edge's strength (threshold, width, layout pull) is measured in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Strength {
    /// Mutual information (nats inside, shown in the chosen unit).
    Mi,
    /// r_I = √(1 − e^(−2I)), on 0..1 like |ρ|.
    #[default]
    InfoCoefficient,
}

/// Which pairs are edges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EdgeRule {
    /// Strength at or above the threshold (nats for MI).
    Above(Strength, f64),
    /// BH-adjusted p-value at or below this level (needs permutations).
    Significant(f64),
}

/// One edge: a pair of the matrix's columns (positions into `request.columns`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    /// Index of the pair's cell in the matrix.
    pub cell: usize,
    /// MI in nats.
    pub mi: f64,
    pub r_i: f64,
    /// NaN when untested.
    pub p_adjusted: f64,
}

impl Edge {
    pub fn strength(&self, s: Strength) -> f64 {
        match s {
            Strength::Mi => self.mi,
            Strength::InfoCoefficient => self.r_i,
        }
    }
}

/// The edges of `m` under `rule`, strongest (by `by`) first, at most `max_edges`.
pub fn edges(m: &MatrixResult, rule: EdgeRule, by: Strength, max_edges: usize) -> Vec<Edge> {
    let cols = &m.request.columns;
    let pos = |c: usize| cols.iter().position(|&x| x == c);
    let mut out: Vec<Edge> = m
        .cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let mi = c.mi()?;
            let p_adjusted = m.p_adjusted.get(i).copied().unwrap_or(f64::NAN);
            let e = Edge {
                a: pos(c.x)?,
                b: pos(c.y)?,
                cell: i,
                mi,
                r_i: info_coefficient(mi),
                p_adjusted,
            };
            let keep = match rule {
                EdgeRule::Above(s, t) => e.strength(s) >= t,
                EdgeRule::Significant(alpha) => p_adjusted <= alpha,
            };
            keep.then_some(e)
        })
        .collect();
    out.sort_by(|x, y| y.strength(by).total_cmp(&x.strength(by)));
    out.truncate(max_edges);
    out
}

/// Node positions in [0, 1]² for the matrix's columns joined by `edges`, pulled by
/// their strength `by` (seeded, so the same network lays out the same way).
pub fn layout(
    m: &MatrixResult,
    edges: &[Edge],
    by: Strength,
    seed: u64,
    progress: &Progress,
) -> Result<Vec<[f64; 2]>, Cancelled> {
    let springs: Vec<(usize, usize, f64)> = edges
        .iter()
        .map(|e| (e.a, e.b, e.strength(by).max(1e-6)))
        .collect();
    layout::fruchterman_reingold(m.request.columns.len(), &springs, 300, seed, progress)
}
