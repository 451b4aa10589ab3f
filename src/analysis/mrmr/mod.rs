//! Minimum-redundancy maximum-relevance feature ranking (Peng, Long, Ding 2005) and the
//! conditional variants JMI (Yang & Moody 1999) and CMIM (Fleuret 2004).
//!
//! 1. [`screen`]: every feature's relevance I(f;T) and its permutation null; features
//!    indistinguishable from zero are not candidates (unless the screen is off).
//! 2. Greedy: the first pick is the most relevant candidate; each later step picks the
//!    remaining candidate with the best score against those already selected, by the
//!    noise-proof formulas of [`criteria`].
//! 3. Optionally [`stability`]: the selection rerun on seeded half-samples, and how often
//!    each feature lands in the top K.
//!
//! The default method is JMI: on the project's ranking benchmark (docs/ranking-benchmark.md)
//! it keeps the most non-noise features in the top K across classification and
//! regression files, as Brown, Pocock, Zhao and Luján (JMLR 2012) found.

pub mod criteria;
pub mod screen;
pub mod stability;

use super::{Cancelled, Progress};
use crate::data::Dataset;
use crate::estimate::Settings;
use crate::estimate::cmi_null::cmi_permutation_test;
use crate::estimate::pair::mi_pair;
use crate::estimate::triple::cmi_triple;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use screen::{FeatureRelevance, ScreenInfo};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MrmrMethod {
    Mid,
    Miq,
    #[default]
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

/// What to rank and how, besides the data and the estimator.
#[derive(Clone, Debug, PartialEq)]
pub struct MrmrOptions {
    pub select: usize,
    pub method: MrmrMethod,
    /// Leave features whose relevance is indistinguishable from zero out.
    pub screen: bool,
    /// Permutations per feature for the relevance's null (0: the screen's default when
    /// the screen or MIQ needs one, else none).
    pub permutations: usize,
    /// Half-sample reruns for the selection frequencies (0: none).
    pub stability: usize,
}

impl Default for MrmrOptions {
    fn default() -> Self {
        Self {
            select: 10,
            method: MrmrMethod::default(),
            screen: true,
            permutations: 0,
            stability: 0,
        }
    }
}

impl MrmrOptions {
    /// Permutations the relevance null gets.
    pub fn null_permutations(&self) -> usize {
        if self.permutations > 0 {
            self.permutations
        } else if self.screen || self.method == MrmrMethod::Miq {
            screen::DEFAULT_PERMUTATIONS
        } else {
            0
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MrmrRow {
    /// 1-based.
    pub rank: usize,
    pub feature: usize,
    /// I(f;T), nats.
    pub relevance: f64,
    /// Raw (unclamped) redundancy, nats.
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
    /// Every feature considered, in the order given, with its relevance test.
    pub relevance: Vec<FeatureRelevance>,
    pub screen: ScreenInfo,
    /// Selection frequency per candidate, when asked.
    pub stability: Option<stability::Stability>,
}

impl MrmrResult {
    pub fn relevance_of(&self, feature: usize) -> Option<&FeatureRelevance> {
        self.relevance.iter().find(|r| r.feature == feature)
    }

    /// With the screen on, whether `feature` fails it alone: a ranked one was then picked
    /// on its score given the selected ones (the export's `screen=conditional`).
    pub fn is_reserve(&self, feature: usize) -> bool {
        self.screen.on
            && !self
                .relevance_of(feature)
                .is_some_and(|f| f.passes(self.screen.z))
    }

    pub fn is_ranked(&self, feature: usize) -> bool {
        self.rows.iter().any(|row| row.feature == feature)
    }

    /// Features left out by the screen (or for lack of data) and not ranked, most
    /// relevant first.
    pub fn screened_out(&self) -> Vec<&FeatureRelevance> {
        let mut out: Vec<&FeatureRelevance> = self
            .relevance
            .iter()
            .filter(|r| r.no_data.is_some() || (self.screen.on && !r.passes(self.screen.z)))
            .filter(|r| !self.is_ranked(r.feature))
            .collect();
        out.sort_by(|a, b| b.relevance.total_cmp(&a.relevance));
        out
    }

    /// Candidates the screen passed that the ranking did not reach (fewer asked for).
    pub fn unranked_candidates(&self) -> Vec<&FeatureRelevance> {
        let mut out: Vec<&FeatureRelevance> = self
            .relevance
            .iter()
            .filter(|r| r.no_data.is_none() && (!self.screen.on || r.passes(self.screen.z)))
            .filter(|r| !self.is_ranked(r.feature))
            .collect();
        out.sort_by(|a, b| b.relevance.total_cmp(&a.relevance));
        out
    }

    pub fn frequency_of(&self, feature: usize) -> Option<f64> {
        self.stability
            .as_ref()
            .and_then(|s| s.frequency_of(feature))
    }
}

/// Ranks up to `options.select` of `candidates` (the target is left out if present).
pub fn run(
    ds: &Dataset,
    target: usize,
    candidates: &[usize],
    options: &MrmrOptions,
    settings: &Settings,
    progress: &Progress,
) -> Result<MrmrResult, Cancelled> {
    let features: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&c| c != target)
        .collect();
    let select = options.select.min(features.len());
    let permutations = options.null_permutations();
    progress.start(
        "mRMR relevance",
        features.len() * (1 + permutations) + select * features.len(),
    );
    let relevance = screen::relevances(ds, target, &features, permutations, settings, progress)?;
    rank(ds, target, relevance, options, settings, progress)
}

/// The ranking given every feature's relevance (from [`screen::relevances`] with
/// `options.null_permutations()`): several methods can share one screen.
pub fn rank(
    ds: &Dataset,
    target: usize,
    relevance: Vec<FeatureRelevance>,
    options: &MrmrOptions,
    settings: &Settings,
    progress: &Progress,
) -> Result<MrmrResult, Cancelled> {
    let tested: Vec<&FeatureRelevance> = relevance.iter().filter(|r| r.null.is_some()).collect();
    let info = ScreenInfo {
        on: options.screen && !tested.is_empty(),
        permutations: tested
            .first()
            .and_then(|r| r.null)
            .map_or(0, |n| n.permutations),
        z: screen::critical_z(tested.len()),
        noise_floor: screen::noise_floor(&relevance, ds.n_rows),
    };
    // With the screen on, JMI and CMIM keep a screened-out feature in reserve: it becomes
    // a candidate once its conditional score clears the same bar (see `screen`).
    let reserve = info.on && options.method.conditional();
    let pool: Vec<Candidate> = relevance
        .iter()
        .filter(|r| r.no_data.is_none())
        .filter_map(|r| {
            let passes = !info.on || r.passes(info.z);
            (passes || reserve).then(|| Candidate {
                feature: r.feature,
                relevance: r.relevance,
                gate: if passes { None } else { r.threshold(info.z) },
            })
        })
        .collect();
    let select = options.select.min(pool.len());
    let tick = || progress.add(1);
    let test = reserve.then_some(ReserveTest {
        permutations: info.permutations.max(screen::DEFAULT_PERMUTATIONS),
        z: info.z,
    });
    let rows = greedy(
        ds,
        target,
        (&pool, test),
        select,
        options.method,
        info.noise_floor,
        settings,
        &|| progress.is_cancelled(),
        &tick,
    );
    progress.check()?;
    let stability = if options.stability > 0 {
        Some(stability::run(
            ds,
            target,
            (&pool, test),
            select,
            options,
            info.noise_floor,
            settings,
            progress,
        )?)
    } else {
        None
    };
    Ok(MrmrResult {
        target,
        method: options.method,
        settings: settings.clone(),
        rows,
        relevance,
        screen: info,
        stability,
    })
}

/// A feature the greedy selection may pick.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    feature: usize,
    relevance: f64,
    /// A reserve feature (screened out on its relevance) is a candidate only at a step
    /// where its score exceeds this.
    gate: Option<f64>,
}

/// The second bar a reserve feature clears before it is picked. Its gate compares the
/// step's score with the null of its relevance alone, but conditioning inflates the
/// estimators' bias (a plug-in I(f;T|s) of a 60-level noise column given a selected
/// feature cleared it: a review found pure noise ranked "conditional"). So the term its
/// score rests on, I(f;T|s) for the selected s that gives it (the largest for JMI; for
/// CMIM the smallest, its score), is tested by conditional permutation (f shuffled
/// within s's strata or neighbourhoods) and must exceed that null's mean by z sd.
#[derive(Clone, Copy, Debug)]
pub(super) struct ReserveTest {
    permutations: usize,
    z: f64,
}

fn reserve_passes(
    ds: &Dataset,
    (target, feature): (usize, usize),
    (terms, sources): (&[f64], &[usize]),
    (method, test): (MrmrMethod, ReserveTest),
    settings: &Settings,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> bool {
    let pick = |a: &(usize, &f64), b: &(usize, &f64)| a.1.total_cmp(b.1);
    let term = if matches!(method, MrmrMethod::Cmim) {
        terms.iter().enumerate().min_by(pick)
    } else {
        terms.iter().enumerate().max_by(pick)
    };
    let Some((j, &observed)) = term else {
        return false;
    };
    let Some(&s) = sources.get(j) else {
        return false;
    };
    let cols = (&ds.columns[feature], &ds.columns[target], &ds.columns[s]);
    match cmi_permutation_test(cols, observed, test.permutations, settings, cancelled) {
        Some(Ok(null)) => observed > null.null_mean + test.z * null.null_sd,
        _ => false,
    }
}

/// The greedy selection over `pool`. Returns what was selected when cancelled; the
/// caller checks.
#[allow(clippy::too_many_arguments)]
fn greedy(
    ds: &Dataset,
    target: usize,
    (pool, test): (&[Candidate], Option<ReserveTest>),
    select: usize,
    method: MrmrMethod,
    floor: f64,
    settings: &Settings,
    cancelled: &(dyn Fn() -> bool + Sync),
    tick: &(dyn Fn() + Sync),
) -> Vec<MrmrRow> {
    let t = &ds.columns[target];
    let select = select.min(pool.len());
    // Per remaining candidate: the raw terms against each selected feature.
    let mut terms: Vec<Vec<f64>> = vec![Vec::new(); pool.len()];
    // The selected feature behind each term.
    let mut sources: Vec<Vec<usize>> = vec![Vec::new(); pool.len()];
    let mut remaining: Vec<usize> = (0..pool.len()).collect();
    let mut rows = Vec::with_capacity(select);
    while rows.len() < select && !remaining.is_empty() && !cancelled() {
        let mut scored: Vec<(usize, f64, f64)> = remaining
            .iter()
            .map(|&i| {
                let (score, redundancy) =
                    criteria::score(method, pool[i].relevance, &terms[i], floor);
                (i, score, redundancy)
            })
            .filter(|&(i, score, _)| {
                pool[i]
                    .gate
                    .is_none_or(|g| !terms[i].is_empty() && score > g)
            })
            .collect();
        if scored.is_empty() {
            // Only reserve features are left, and none carries information given the
            // selected ones: the ranking stops here.
            break;
        }
        // Best score first; ties by relevance, then by column order (deterministic).
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(pool[b.0].relevance.total_cmp(&pool[a.0].relevance))
                .then(a.0.cmp(&b.0))
        });
        // The best candidate that is not a reserve feature failing its conditional test;
        // those that fail leave the pool.
        let mut rejected = Vec::new();
        let mut chosen = None;
        for &(i, score, redundancy) in &scored {
            let ok = match (pool[i].gate, test) {
                (Some(_), Some(test)) => reserve_passes(
                    ds,
                    (target, pool[i].feature),
                    (&terms[i], &sources[i]),
                    (method, test),
                    settings,
                    cancelled,
                ),
                _ => true,
            };
            if ok {
                chosen = Some((i, score, redundancy));
                break;
            }
            rejected.push(i);
        }
        remaining.retain(|i| !rejected.contains(i));
        scored.retain(|(i, _, _)| !rejected.contains(i));
        let Some((best, best_score, best_redundancy)) = chosen else {
            break;
        };
        rows.push(MrmrRow {
            rank: rows.len() + 1,
            feature: pool[best].feature,
            relevance: pool[best].relevance,
            redundancy: best_redundancy,
            score: best_score,
            candidates: scored
                .iter()
                .map(|&(i, s, _)| (pool[i].feature, s))
                .collect(),
        });
        remaining.retain(|&i| i != best);
        if rows.len() == select {
            break;
        }
        let s = &ds.columns[pool[best].feature];
        let new_terms: Vec<f64> = remaining
            .par_iter()
            .map(|&i| {
                if cancelled() {
                    return f64::NAN;
                }
                let f = &ds.columns[pool[i].feature];
                let v = if method.conditional() {
                    cmi_triple(f, t, s, settings).map_or(f64::NAN, |e| e.cmi)
                } else {
                    mi_pair(f, s, settings).map_or(f64::NAN, |e| e.mi)
                };
                tick();
                v
            })
            .collect();
        for (&i, v) in remaining.iter().zip(new_terms) {
            // A pair without enough data says nothing: leave it out of the mean.
            if !v.is_nan() {
                terms[i].push(v);
                sources[i].push(pool[best].feature);
            }
        }
    }
    rows
}
