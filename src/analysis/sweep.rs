//! Estimator sensitivity for one pair: histogram MI vs bin count, kNN MI vs k, and MI
//! vs sample size over repeated seeded subsamples.

use super::{Cancelled, Progress};
use crate::data::Dataset;
use crate::estimate::pair::{
    PreparedPair, mi_pair_bins, mi_pair_rows_until, pair_tied, resolve, tie_aware,
};
use crate::estimate::parallel::Cancel;
use crate::estimate::prepare::{complete_rows, gather};
use crate::estimate::significance::PermutationResult;
use crate::estimate::{BinRule, Estimator, Method, Settings, correlation, histogram};
use rand::SeedableRng;
use rand::seq::index::sample;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SweepParameter {
    Bins,
    K,
    SampleSize,
    /// A discrete pair's plug-in estimate without (value 0) and with (value 1) the
    /// Miller–Madow correction: what replaces bin rules when there is nothing to bin.
    MillerMadow,
}

impl SweepParameter {
    pub fn name(self) -> &'static str {
        match self {
            Self::Bins => "bins",
            Self::K => "k",
            Self::SampleSize => "n",
            Self::MillerMadow => "miller_madow",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SweepRequest {
    pub x: usize,
    pub y: usize,
    /// Bin counts for the histogram sweep (empty: skip).
    pub bins: Vec<usize>,
    /// k values for the kNN sweep (empty, or a discrete pair: skip).
    pub ks: Vec<usize>,
    /// Subsample sizes (empty: skip); sizes ≥ the complete rows are left out.
    pub sizes: Vec<usize>,
    /// Subsamples per size.
    pub repeats: usize,
    pub settings: Settings,
    /// Permutations for a null band of the estimator in `settings` (0: none).
    pub permutations: usize,
}

impl SweepRequest {
    /// Extends the bin range so that every rule's choice for this pair is on the curve:
    /// past the last count, about 20 more counts up to the largest choice (Freedman–
    /// Diaconis picks over a hundred bins on a few thousand rows), each choice exactly.
    pub fn cover_rules(&mut self, ds: &Dataset) {
        let choices: Vec<usize> = rule_bins(ds, self.x, self.y)
            .into_iter()
            .flat_map(|(_, a, b)| [a, b])
            .collect();
        let last = self.bins.iter().copied().max().unwrap_or(1);
        let Some(top) = choices.iter().copied().max().filter(|&t| t > last) else {
            return;
        };
        let step = (top - last).div_ceil(20).max(1);
        self.bins.extend((last + step..top).step_by(step));
        self.bins.extend(choices.into_iter().filter(|&c| c > last));
        self.bins.sort_unstable();
        self.bins.dedup();
    }

    /// Ranges a user would start from for a pair with `n` complete rows.
    pub fn with_defaults(x: usize, y: usize, n: usize, settings: Settings) -> Self {
        let max_bins = (n / 5).clamp(2, 60);
        let bins = (2..=max_bins).collect();
        let ks = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30]
            .into_iter()
            .filter(|&k| k < n)
            .collect();
        let mut sizes = Vec::new();
        let mut s = 50usize;
        while s < n {
            sizes.push(s);
            s *= 2;
        }
        sizes.push(n);
        Self {
            x,
            y,
            bins,
            ks,
            sizes,
            repeats: 10,
            settings,
            permutations: 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    pub parameter: SweepParameter,
    pub value: usize,
    /// Nats. For deterministic sweeps (bins, k) mean = low = high.
    pub mean: f64,
    /// Mean − 1 sd and mean + 1 sd across subsamples.
    pub low: f64,
    pub high: f64,
    pub method: Method,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SweepResult {
    pub request: SweepRequest,
    pub n_used: usize,
    pub points: Vec<SweepPoint>,
    /// Bin counts each rule would choose for x and for y.
    pub rule_bins: Vec<(BinRule, usize, usize)>,
    /// Gaussian reference −½ ln(1 − ρ²) from Pearson ρ, nats (numeric pairs).
    pub gaussian: Option<f64>,
    /// Null distribution of the settings' estimator on the full pair.
    pub null: Option<PermutationResult>,
    pub method: Method,
}

/// The bin count each rule would choose for the pair's x and y, on their complete rows.
/// Rules apply to a continuous column only: a discrete column is counted, not binned (for
/// a discrete × continuous pair both entries are the continuous column's count); empty
/// for a discrete pair.
pub fn rule_bins(ds: &Dataset, x: usize, y: usize) -> Vec<(BinRule, usize, usize)> {
    let (cx, cy) = (&ds.columns[x], &ds.columns[y]);
    if cx.kind.is_discrete() && cy.kind.is_discrete() {
        return Vec::new();
    }
    let rows = complete_rows(&[cx, cy]);
    let (ax, ay) = (gather(&cx.values, &rows), gather(&cy.values, &rows));
    let (bx, by) = match (cx.kind.is_discrete(), cy.kind.is_discrete()) {
        (true, false) => (&ay, &ay),
        (false, true) => (&ax, &ax),
        _ => (&ax, &ay),
    };
    BinRule::RULES
        .into_iter()
        .map(|r| (r, histogram::bin_count(bx, r), histogram::bin_count(by, r)))
        .collect()
}

/// Most values a sweep range may hold (each is a full estimate).
pub const MAX_VALUES: usize = 10_000;

/// `FROM:TO[:STEP]` (inclusive) or a comma-separated list of positive integers, as the
/// CLI's `--bins-range`/`--k-range`/`--sizes` and the Sensitivity panel's fields take it.
pub fn parse_values(text: &str) -> Result<Vec<usize>, String> {
    let bad =
        || format!("'{text}' is not FROM:TO[:STEP] or a list like 2,5,10 of positive integers");
    let int = |t: &str| t.trim().parse::<usize>().map_err(|_| bad());
    let out: Vec<usize> = if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        let (from, to) = (int(parts[0])?, int(parts.get(1).ok_or_else(bad)?)?);
        let step = match parts.get(2) {
            Some(t) => int(t)?,
            None => 1,
        };
        if parts.len() > 3 || step == 0 || from > to {
            return Err(bad());
        }
        // Counted before collecting: 1:10000000000 must not allocate.
        if (to - from) / step >= MAX_VALUES {
            return Err(format!("'{text}' holds more than {MAX_VALUES} values"));
        }
        (from..=to).step_by(step).collect()
    } else {
        text.split(',').map(int).collect::<Result<_, _>>()?
    };
    if out.is_empty() || out.contains(&0) || out.len() > MAX_VALUES {
        return Err(bad());
    }
    Ok(out)
}

pub fn run(
    ds: &Dataset,
    req: &SweepRequest,
    progress: &Progress,
) -> Result<SweepResult, Cancelled> {
    let (cx, cy) = (&ds.columns[req.x], &ds.columns[req.y]);
    let rows = complete_rows(&[cx, cy]);
    let n = rows.len();
    let method = resolve(req.settings.estimator, cx.kind, cy.kind);
    let method = tie_aware(method, pair_tied(method, [cx, cy], &rows));
    let knn_method = match resolve(Estimator::Auto, cx.kind, cy.kind) {
        Method::Ksg1 if req.settings.estimator == Estimator::Ksg2 => Method::Ksg2,
        m => m,
    };
    let knn_method = tie_aware(knn_method, pair_tied(knn_method, [cx, cy], &rows));
    let sweep_k = matches!(
        knn_method,
        Method::Ksg1 | Method::Ross | Method::MixedKsg | Method::MixedRoss
    );
    let sizes: Vec<usize> = req
        .sizes
        .iter()
        .copied()
        .filter(|&s| s >= 2 && s < n)
        .collect();
    let total = if cx.kind.is_discrete() && cy.kind.is_discrete() {
        2
    } else {
        req.bins.len()
    } + if sweep_k { req.ks.len() } else { 0 }
        + sizes.len() * req.repeats
        + 1;
    progress.start("sensitivity sweep", total);
    // Long kNN estimates (a million rows) poll this as they go; a cut-short estimate
    // gives no point, and the checks below then return `Cancelled`.
    let is_cancelled = || progress.is_cancelled();
    let cancel = Cancel::new(&is_cancelled);

    let step = |f: &dyn Fn() -> Option<SweepPoint>| -> Option<SweepPoint> {
        if progress.is_cancelled() {
            return None;
        }
        let r = f();
        progress.add(1);
        r
    };

    // Two discrete columns have nothing to bin: their codes are values, not a scale.
    let discrete_pair = cx.kind.is_discrete() && cy.kind.is_discrete();
    let bins: &[usize] = if discrete_pair { &[] } else { &req.bins };
    let mut points: Vec<SweepPoint> = bins
        .par_iter()
        .filter_map(|&b| {
            step(&|| {
                let e = mi_pair_bins(cx, cy, &rows, b, &req.settings).ok()?;
                Some(point(SweepParameter::Bins, b, e.mi, e.method))
            })
        })
        .collect();
    progress.check()?;
    if discrete_pair {
        for (value, miller_madow) in [(0, false), (1, true)] {
            let s = Settings {
                miller_madow,
                ..req.settings.clone()
            };
            let e = PreparedPair::with_method(cx, cy, &rows, &s, Method::PlugIn)
                .map_or(f64::NAN, |p| p.estimate());
            progress.add(1);
            points.push(point(SweepParameter::MillerMadow, value, e, Method::PlugIn));
        }
    }
    if sweep_k {
        let ks: Vec<SweepPoint> = req
            .ks
            .par_iter()
            .filter(|&&k| k >= 1 && k < n)
            .filter_map(|&k| {
                step(&|| {
                    let s = Settings {
                        k,
                        ..req.settings.clone()
                    };
                    let p = PreparedPair::with_method(cx, cy, &rows, &s, knn_method).ok()?;
                    let mi = p.estimate_until(cancel)?;
                    Some(point(SweepParameter::K, k, mi, knn_method))
                })
            })
            .collect();
        points.extend(ks);
    }
    progress.check()?;
    for &size in &sizes {
        let draws: Vec<f64> = (0..req.repeats)
            .into_par_iter()
            .filter_map(|rep| {
                if progress.is_cancelled() {
                    return None;
                }
                let mut rng = ChaCha8Rng::seed_from_u64(req.settings.seed);
                rng.set_stream(((size as u64) << 20) ^ rep as u64);
                let mut sub: Vec<usize> = sample(&mut rng, n, size)
                    .into_iter()
                    .map(|i| rows[i])
                    .collect();
                sub.sort_unstable();
                let r = mi_pair_rows_until(cx, cy, &sub, &req.settings, cancel)
                    .and_then(|e| e.ok())
                    .map(|e| e.mi);
                progress.add(1);
                r
            })
            .collect();
        progress.check()?;
        if !draws.is_empty() {
            let m = draws.len() as f64;
            let mean = draws.iter().sum::<f64>() / m;
            let sd = if draws.len() > 1 {
                (draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt()
            } else {
                0.0
            };
            points.push(SweepPoint {
                parameter: SweepParameter::SampleSize,
                value: size,
                mean,
                low: mean - sd,
                high: mean + sd,
                method,
            });
        }
    }
    // The full sample as the last size point, and the null band if asked.
    let full = PreparedPair::with_method(cx, cy, &rows, &req.settings, method).ok();
    let mut null = None;
    if let Some(p) = &full {
        let mi = p.estimate_until(cancel).ok_or(Cancelled)?;
        if !req.sizes.is_empty() {
            points.push(point(SweepParameter::SampleSize, n, mi, method));
        }
        if req.permutations > 0 {
            null = p.permutation_test(mi, req.permutations, &|| progress.is_cancelled());
        }
    }
    progress.check()?;
    progress.add(1);

    let rule_bins = rule_bins(ds, req.x, req.y);
    let (ax, ay) = (gather(&cx.values, &rows), gather(&cy.values, &rows));
    let numeric = !cx.is_text() && !cy.is_text() && n >= 3;
    let gaussian = numeric.then(|| correlation::gaussian_mi(correlation::pearson(&ax, &ay)));
    Ok(SweepResult {
        request: req.clone(),
        n_used: n,
        points,
        rule_bins,
        gaussian,
        null,
        method,
    })
}

fn point(parameter: SweepParameter, value: usize, mi: f64, method: Method) -> SweepPoint {
    SweepPoint {
        parameter,
        value,
        mean: mi,
        low: mi,
        high: mi,
        method,
    }
}
