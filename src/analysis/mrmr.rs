//! Minimum-redundancy maximum-relevance feature ranking (Peng, Long, Ding 2005) and the
//! conditional variants JMI (Yang & Moody 1999) and CMIM (Fleuret 2004).
//!
//! Greedy: the first feature is the most relevant; each later step picks the remaining
//! feature with the best score against those already selected:
//! - MID: I(f;T) − mean_s I(f;s)
//! - MIQ: I(f;T) / mean_s I(f;s)
//! - JMI: mean_s I(f;T|s)  (= I(f;T) − mean_s [I(f;s) − I(f;s|T)])
//! - CMIM: min_s I(f;T|s)
//!
//! Redundancy is mean_s I(f;s) for MID/MIQ and I(f;T) − score for JMI/CMIM (what the
//! selected features already say about the target).

use super::{Cancelled, Progress};
use crate::data::Dataset;
use crate::estimate::Settings;
use crate::estimate::pair::mi_pair;
use crate::estimate::triple::cmi_triple;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MrmrMethod {
    #[default]
    Mid,
    Miq,
    Jmi,
    Cmim,
}

impl MrmrMethod {
    pub const ALL: [MrmrMethod; 4] = [Self::Mid, Self::Miq, Self::Jmi, Self::Cmim];
    pub fn name(self) -> &'static str {
        match self {
            Self::Mid => "mid",
            Self::Miq => "miq",
            Self::Jmi => "jmi",
            Self::Cmim => "cmim",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(s.trim()))
    }
    pub fn explain(self) -> &'static str {
        match self {
            Self::Mid => {
                "relevance minus mean redundancy with the selected features (difference form)"
            }
            Self::Miq => "relevance divided by mean redundancy (quotient form)",
            Self::Jmi => "joint mutual information: mean of I(f;T|s) over selected s",
            Self::Cmim => "conditional MI maximisation: worst case I(f;T|s) over selected s",
        }
    }
    fn conditional(self) -> bool {
        matches!(self, Self::Jmi | Self::Cmim)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MrmrRow {
    /// 1-based.
    pub rank: usize,
    pub feature: usize,
    /// I(f;T), nats.
    pub relevance: f64,
    pub redundancy: f64,
    pub score: f64,
    /// Every remaining candidate's score at this step, best first (the step made visible).
    pub candidates: Vec<(usize, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MrmrResult {
    pub target: usize,
    pub method: MrmrMethod,
    pub settings: Settings,
    pub rows: Vec<MrmrRow>,
}

/// Ranks up to `select` of `candidates` (the target is left out if present).
pub fn run(
    ds: &Dataset,
    target: usize,
    candidates: &[usize],
    select: usize,
    method: MrmrMethod,
    settings: &Settings,
    progress: &Progress,
) -> Result<MrmrResult, Cancelled> {
    let features: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&c| c != target)
        .collect();
    let select = select.min(features.len());
    let t = &ds.columns[target];
    progress.start("mRMR relevance", features.len() + select * features.len());
    let relevance: Vec<f64> = features
        .par_iter()
        .map(|&f| {
            if progress.is_cancelled() {
                return f64::NAN;
            }
            let r = mi_pair(&ds.columns[f], t, settings).map_or(f64::NAN, |e| e.mi);
            progress.add(1);
            r
        })
        .collect();
    progress.check()?;

    // Per remaining feature: the terms against each selected feature.
    let mut terms: Vec<Vec<f64>> = vec![Vec::new(); features.len()];
    let mut remaining: Vec<usize> = (0..features.len())
        .filter(|&i| !relevance[i].is_nan())
        .collect();
    let mut rows = Vec::with_capacity(select);
    while rows.len() < select && !remaining.is_empty() {
        let mut scored: Vec<(usize, f64, f64)> = remaining
            .iter()
            .map(|&i| {
                let (score, redundancy) = score(method, relevance[i], &terms[i]);
                (i, score, redundancy)
            })
            .collect();
        // Best score first; ties by relevance, then by column order (deterministic).
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(relevance[b.0].total_cmp(&relevance[a.0]))
                .then(a.0.cmp(&b.0))
        });
        let (best, best_score, best_redundancy) = scored[0];
        rows.push(MrmrRow {
            rank: rows.len() + 1,
            feature: features[best],
            relevance: relevance[best],
            redundancy: best_redundancy,
            score: best_score,
            candidates: scored.iter().map(|&(i, s, _)| (features[i], s)).collect(),
        });
        remaining.retain(|&i| i != best);
        if rows.len() == select {
            break;
        }
        let s = &ds.columns[features[best]];
        let new_terms: Vec<f64> = remaining
            .par_iter()
            .map(|&i| {
                if progress.is_cancelled() {
                    return f64::NAN;
                }
                let f = &ds.columns[features[i]];
                let v = if method.conditional() {
                    cmi_triple(f, t, s, settings).map_or(f64::NAN, |e| e.cmi)
                } else {
                    mi_pair(f, s, settings).map_or(f64::NAN, |e| e.mi)
                };
                progress.add(1);
                v
            })
            .collect();
        progress.check()?;
        for (&i, v) in remaining.iter().zip(new_terms) {
            // A pair without enough data says nothing: leave it out of the mean.
            if !v.is_nan() {
                terms[i].push(v);
            }
        }
    }
    Ok(MrmrResult {
        target,
        method,
        settings: settings.clone(),
        rows,
    })
}

/// (score, redundancy) of a candidate with relevance `rel` and its terms.
fn score(method: MrmrMethod, rel: f64, terms: &[f64]) -> (f64, f64) {
    if terms.is_empty() {
        return (rel, 0.0);
    }
    let mean = terms.iter().sum::<f64>() / terms.len() as f64;
    match method {
        MrmrMethod::Mid => (rel - mean, mean),
        // kNN redundancies can be ≤ 0; floor them so the quotient stays finite.
        MrmrMethod::Miq => (rel / mean.max(1e-6), mean),
        MrmrMethod::Jmi => (mean, rel - mean),
        MrmrMethod::Cmim => {
            let min = terms.iter().copied().fold(f64::INFINITY, f64::min);
            (min, rel - min)
        }
    }
}
