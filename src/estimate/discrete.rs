//! Plug-in (maximum-likelihood) entropies and MI from counts, optional Miller–Madow.
//!
//! With counts c over m non-empty cells and n observations, the plug-in entropy is
//! H = −Σ (c/n) ln(c/n) = ln n − (Σ c ln c)/n. It underestimates the true entropy by about
//! (m − 1)/(2n) (Miller 1955), so the Miller–Madow estimate adds that back.
//!
//! Applying the correction to each entropy of I(X;Y) = H(X) + H(Y) − H(X,Y) gives
//!
//!   I_MM = I_plug-in + [(m_x − 1) + (m_y − 1) − (m_xy − 1)]/(2n)
//!        = I_plug-in − (m_xy − m_x − m_y + 1)/(2n),
//!
//! a subtraction whenever the table has more occupied cells than its margins suggest; with
//! every cell of an m_x × m_y table occupied it removes (m_x − 1)(m_y − 1)/(2n), which is the
//! plug-in MI's bias under independence (half the χ² mean with (m_x−1)(m_y−1) degrees of
//! freedom, since 2n·I is the G statistic). The corrected MI can therefore be slightly
//! negative; it is reported as computed. For I(X;Y|Z) the same bookkeeping gives
//! I_MM = I_plug-in + (m_xz + m_yz − m_xyz − m_z)/(2n).
//!
//! Empty input gives 0.0 (never NaN). Codes need not be dense: counting uses a flat table
//! when the code range is small compared with n and a hash map otherwise, so arbitrary
//! `u32` labels are safe.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Dense codes 0..m for the distinct values of a column without missing values.
/// Returns the codes and m.
///
/// Codes follow the sorted order of the values (`f64::total_cmp`), so they are
/// deterministic and independent of row order; −0.0 and +0.0 share a code.
pub fn codes(values: &[f64]) -> (Vec<u32>, usize) {
    let n = values.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&i, &j| values[i as usize].total_cmp(&values[j as usize]));
    let mut out = vec![0u32; n];
    let mut code = 0u32;
    let mut prev: Option<f64> = None;
    for &i in &order {
        let v = values[i as usize];
        if let Some(p) = prev
            && !(p == v || p.total_cmp(&v).is_eq())
        {
            code += 1;
        }
        prev = Some(v);
        out[i as usize] = code;
    }
    let m = if n == 0 { 0 } else { code as usize + 1 };
    (out, m)
}

/// Code of each (a, b) combination, dense.
///
/// Codes follow the lexicographic order of (a, b), whichever counting path is taken, so the
/// result is deterministic. Returns the codes and the number of distinct combinations.
pub fn joint_codes(a: &[u32], b: &[u32]) -> (Vec<u32>, usize) {
    assert_eq!(
        a.len(),
        b.len(),
        "joint_codes: columns of different lengths"
    );
    let n = a.len();
    if n == 0 {
        return (Vec::new(), 0);
    }
    let mb = range(b);
    // Keys are below range(a)·range(b) ≤ 2⁶⁴; only the table size itself can saturate.
    let cells = range(a).saturating_mul(mb);
    let key = |i: usize| a[i] as u64 * mb + b[i] as u64;
    if cells <= flat_limit(n) {
        let mut table = vec![u32::MAX; cells as usize];
        for i in 0..n {
            table[key(i) as usize] = 0;
        }
        let mut m = 0u32;
        for slot in table.iter_mut().filter(|s| **s == 0) {
            *slot = m;
            m += 1;
        }
        let out = (0..n).map(|i| table[key(i) as usize]).collect();
        (out, m as usize)
    } else {
        let mut distinct: Vec<u64> = (0..n).map(key).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let index: HashMap<u64, u32> = distinct
            .iter()
            .enumerate()
            .map(|(c, &k)| (k, c as u32))
            .collect();
        let out = (0..n).map(|i| index[&key(i)]).collect();
        (out, distinct.len())
    }
}

/// Plug-in entropy H in nats; with `miller_madow`, adds (m − 1)/(2n).
pub fn entropy(codes: &[u32], miller_madow: bool) -> f64 {
    let s = stats(codes);
    s.entropy(codes.len(), miller_madow)
}

/// Plug-in joint entropy H(A,B) in nats, without building the joint codes.
pub fn joint_entropy(a: &[u32], b: &[u32], miller_madow: bool) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "joint_entropy: columns of different lengths"
    );
    pair_stats(a, b).entropy(a.len(), miller_madow)
}

/// I(X;Y) = H(X) + H(Y) − H(X,Y), nats.
///
/// Without the correction the result is clamped at 0: the plug-in MI is a KL divergence of
/// the empirical table, so anything below 0 is rounding. With Miller–Madow it is returned
/// as computed (it may be slightly negative for independent columns).
pub fn mi(x: &[u32], y: &[u32], miller_madow: bool) -> f64 {
    assert_eq!(x.len(), y.len(), "mi: columns of different lengths");
    let n = x.len();
    if n == 0 {
        return 0.0;
    }
    let (sx, sy, sxy) = (stats(x), stats(y), pair_stats(x, y));
    combine(n, &[sx, sy], &[sxy], miller_madow)
}

/// A code column held once for many pairwise counts (a matrix): its codes, as bytes
/// when they fit (a quarter of the memory and of the traffic of each joint count), its
/// code range, and its marginal Σ c ln c and cell count.
#[derive(Clone, Debug)]
pub struct CodeSummary {
    codes: CodeStore,
    stats: Stats,
    range: u64,
}

#[derive(Clone, Debug)]
enum CodeStore {
    Bytes(Vec<u8>),
    Wide(Vec<u32>),
}

impl CodeSummary {
    /// From codes of any range (stored as bytes when every code is below 256).
    pub fn new(codes: Vec<u32>) -> Self {
        if range(&codes) <= 256 {
            return Self::from_bytes(codes.iter().map(|&c| c as u8).collect());
        }
        Self {
            stats: stats(&codes),
            range: range(&codes),
            codes: CodeStore::Wide(codes),
        }
    }

    /// From codes that fit a byte.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        // The marginal counts in four interleaved tables (as the joint count), summed in
        // code order exactly as `stats` sums them.
        let mut lanes = [[0u32; 256]; 4];
        let quads = bytes.chunks_exact(4);
        for &b in quads.remainder() {
            lanes[0][b as usize] += 1;
        }
        for q in quads {
            lanes[0][q[0] as usize] += 1;
            lanes[1][q[1] as usize] += 1;
            lanes[2][q[2] as usize] += 1;
            lanes[3][q[3] as usize] += 1;
        }
        let range = bytes.iter().max().map_or(0, |&m| m as u64 + 1);
        let counts = (0..range as usize).map(|c| lanes.iter().map(|l| l[c]).sum::<u32>());
        Self {
            stats: stats_of_counts(counts),
            range,
            codes: CodeStore::Bytes(bytes),
        }
    }

    pub fn len(&self) -> usize {
        match &self.codes {
            CodeStore::Bytes(b) => b.len(),
            CodeStore::Wide(w) => w.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The codes as `u32` (borrowed when stored so, widened otherwise).
    pub fn wide(&self) -> std::borrow::Cow<'_, [u32]> {
        match &self.codes {
            CodeStore::Bytes(b) => b.iter().map(|&c| u32::from(c)).collect(),
            CodeStore::Wide(w) => std::borrow::Cow::Borrowed(w),
        }
    }

    /// Bytes held (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        match &self.codes {
            CodeStore::Bytes(b) => b.len(),
            CodeStore::Wide(w) => w.len() * 4,
        }
    }
}

/// [`mi`] of two columns held as [`CodeSummary`]: the same value bit for bit (the
/// marginal sums are the ones `mi` would compute, and the joint table is counted and
/// summed in the same key order), with only the joint table counted per pair.
pub fn mi_summarised(x: &CodeSummary, y: &CodeSummary, miller_madow: bool) -> f64 {
    assert_eq!(x.len(), y.len(), "mi: columns of different lengths");
    let n = x.len();
    if n == 0 {
        return 0.0;
    }
    let cells = x.range.saturating_mul(y.range);
    let sxy = match (&x.codes, &y.codes) {
        (CodeStore::Bytes(a), CodeStore::Bytes(b)) if cells <= DENSE_CELLS => {
            dense_pair_stats(a, b, y.range as usize, cells as usize)
        }
        _ => pair_stats(&x.wide(), &y.wide()),
    };
    combine(n, &[x.stats, y.stats], &[sxy], miller_madow)
}

/// Largest joint table counted densely from byte codes; at most [`flat_limit`] for any
/// n, so the dense count is the flat count of [`pair_stats`] and sums in the same order.
const DENSE_CELLS: u64 = 1 << 16;

/// Tables up to this many cells are counted in four interleaved copies (64 KiB at most,
/// within L1/L2), so that consecutive rows falling in the same cell do not wait on each
/// other's increment; larger tables use one copy.
const LANED_CELLS: usize = 4096;

thread_local! {
    /// Per-thread key and count buffers reused across pairs (a matrix counts thousands).
    static JOINT_BUFFERS: RefCell<(Vec<u16>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Σ c ln c and occupied cells of the joint table of byte codes `a`, `b` (key a·mb + b,
/// below `cells` ≤ [`DENSE_CELLS`], so it fits a u16). The keys are formed first in a
/// loop the compiler vectorises, then counted: about twice as fast as one fused loop.
fn dense_pair_stats(a: &[u8], b: &[u8], mb: usize, cells: usize) -> Stats {
    debug_assert!(cells as u64 <= DENSE_CELLS);
    JOINT_BUFFERS.with_borrow_mut(|(keys, table)| {
        keys.clear();
        let mb16 = mb as u16;
        keys.extend(a.iter().zip(b).map(|(&p, &q)| p as u16 * mb16 + q as u16));
        table.clear();
        if cells <= LANED_CELLS {
            table.resize(4 * cells, 0);
            let (t01, t23) = table.split_at_mut(2 * cells);
            let (t0, t1) = t01.split_at_mut(cells);
            let (t2, t3) = t23.split_at_mut(cells);
            let quads = keys.chunks_exact(4);
            for &k in quads.remainder() {
                t0[k as usize] += 1;
            }
            for k in quads {
                t0[k[0] as usize] += 1;
                t1[k[1] as usize] += 1;
                t2[k[2] as usize] += 1;
                t3[k[3] as usize] += 1;
            }
            for (((c0, c1), c2), c3) in t0.iter_mut().zip(&*t1).zip(&*t2).zip(&*t3) {
                *c0 += c1 + c2 + c3;
            }
        } else {
            table.resize(cells, 0);
            for &k in keys.iter() {
                table[k as usize] += 1;
            }
        }
        stats_of_counts(table[..cells].iter().copied())
    })
}

/// I(X;Y|Z) = H(X,Z) + H(Y,Z) − H(X,Y,Z) − H(Z), nats.
///
/// Clamped at 0 without Miller–Madow for the same reason as [`mi`].
pub fn cmi(x: &[u32], y: &[u32], z: &[u32], miller_madow: bool) -> f64 {
    assert!(
        x.len() == y.len() && y.len() == z.len(),
        "cmi: columns of different lengths"
    );
    let n = x.len();
    if n == 0 {
        return 0.0;
    }
    // Dense (x,z) codes keep every key of the three-way count below n², which fits u64.
    let (xz, _) = joint_codes(x, z);
    let (yz, _) = joint_codes(y, z);
    let (sxz, syz, sxyz, sz) = (stats(&xz), stats(&yz), pair_stats(&xz, y), stats(z));
    combine(n, &[sxz, syz], &[sxyz, sz], miller_madow)
}

/// Σ c ln c over the non-empty cells and their number.
#[derive(Clone, Copy, Debug)]
struct Stats {
    c_ln_c: f64,
    cells: usize,
}

impl Stats {
    fn entropy(self, n: usize, miller_madow: bool) -> f64 {
        if n == 0 {
            return 0.0;
        }
        let nf = n as f64;
        let h = (nf.ln() - self.c_ln_c / nf).max(0.0);
        h + mm_term(self.cells, n, miller_madow)
    }
}

fn mm_term(cells: usize, n: usize, on: bool) -> f64 {
    if on && n > 0 {
        (cells.saturating_sub(1)) as f64 / (2.0 * n as f64)
    } else {
        0.0
    }
}

/// Σ H(plus) − Σ H(minus) with each H = ln n − S/n, so only one ln n per unmatched term
/// survives and the Σ c ln c parts are combined before dividing by n.
fn combine(n: usize, plus: &[Stats], minus: &[Stats], miller_madow: bool) -> f64 {
    let nf = n as f64;
    let s: f64 =
        minus.iter().map(|s| s.c_ln_c).sum::<f64>() - plus.iter().map(|s| s.c_ln_c).sum::<f64>();
    let logs = plus.len() as f64 - minus.len() as f64;
    let plug_in = logs * nf.ln() + s / nf;
    if !miller_madow {
        return plug_in.max(0.0);
    }
    let cells = |list: &[Stats]| {
        list.iter()
            .map(|s| s.cells.saturating_sub(1) as f64)
            .sum::<f64>()
    };
    plug_in + (cells(plus) - cells(minus)) / (2.0 * nf)
}

/// Number of possible keys 0..=max of a code column (0 when empty).
fn range(codes: &[u32]) -> u64 {
    codes.iter().max().map_or(0, |&m| m as u64 + 1)
}

/// Largest key range counted with a flat table: a few cells per observation (so the table
/// costs no more than the data), never below a size that is trivially cheap, and capped so
/// a huge sparse table never allocates hundreds of megabytes.
fn flat_limit(n: usize) -> u64 {
    ((4 * n) as u64).clamp(1 << 16, 1 << 24)
}

/// Counts below this have c ln c looked up (a table of 128 KiB, built once): summing a
/// joint table is then a few nanoseconds per cell instead of a logarithm each.
const C_LN_C_TABLE: usize = 1 << 14;

fn c_ln_c_direct(c: u32) -> f64 {
    if c > 1 {
        let c = c as f64;
        c * c.ln()
    } else {
        0.0
    }
}

/// c ln c for c below [`C_LN_C_TABLE`].
fn c_ln_c_table() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| (0..C_LN_C_TABLE as u32).map(c_ln_c_direct).collect())
}

fn stats_of_counts(counts: impl Iterator<Item = u32>) -> Stats {
    let mut s = Stats {
        c_ln_c: 0.0,
        cells: 0,
    };
    let table = c_ln_c_table();
    for c in counts.filter(|&c| c > 0) {
        // The same value whether looked up or computed.
        s.c_ln_c += table
            .get(c as usize)
            .copied()
            .unwrap_or_else(|| c_ln_c_direct(c));
        s.cells += 1;
    }
    s
}

fn count_keys(n: usize, keys: impl Iterator<Item = u64>, key_range: u64) -> Stats {
    if key_range <= flat_limit(n) {
        let mut counts = vec![0u32; key_range as usize];
        for k in keys {
            counts[k as usize] += 1;
        }
        stats_of_counts(counts.into_iter())
    } else {
        let mut counts: HashMap<u64, u32> = HashMap::with_capacity(n.min(1 << 16));
        for k in keys {
            *counts.entry(k).or_insert(0) += 1;
        }
        // Summation order of a HashMap varies between runs; sort the counts so the result is
        // bit-for-bit reproducible.
        let mut c: Vec<u32> = counts.into_values().collect();
        c.sort_unstable();
        stats_of_counts(c.into_iter())
    }
}

fn stats(codes: &[u32]) -> Stats {
    count_keys(codes.len(), codes.iter().map(|&c| c as u64), range(codes))
}

fn pair_stats(a: &[u32], b: &[u32]) -> Stats {
    let mb = range(b);
    // ≤ (2³²)·(2³²) − 1 keys: always fits u64.
    let key_range = range(a).saturating_mul(mb);
    count_keys(
        a.len(),
        a.iter().zip(b).map(|(&x, &y)| x as u64 * mb + y as u64),
        key_range,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_dense_and_sorted() {
        let (c, m) = codes(&[3.0, -1.0, 3.0, 0.0, -0.0, 2.5]);
        assert_eq!(m, 4);
        assert_eq!(c, vec![3, 0, 3, 1, 1, 2]);
        assert_eq!(codes(&[]), (vec![], 0));
    }

    #[test]
    fn joint_codes_lexicographic() {
        let (c, m) = joint_codes(&[1, 0, 1, 0], &[0, 5, 0, 2]);
        assert_eq!(m, 3);
        assert_eq!(c, vec![2, 1, 2, 0]);
        // Huge sparse labels take the hash path and give the same codes.
        let (c2, m2) = joint_codes(&[u32::MAX, 0, u32::MAX, 0], &[0, 5, 0, 2]);
        assert_eq!((c2, m2), (c, m));
    }

    #[test]
    fn entropy_of_uniform_and_constant() {
        let x: Vec<u32> = (0..400).map(|i| i % 4).collect();
        assert!((entropy(&x, false) - 4f64.ln()).abs() < 1e-14);
        assert!((entropy(&x, true) - 4f64.ln() - 3.0 / 800.0).abs() < 1e-14);
        assert_eq!(entropy(&[7; 10], false), 0.0);
        assert_eq!(entropy(&[], true), 0.0);
    }

    #[test]
    fn mi_identity_and_independence() {
        let x: Vec<u32> = (0..400).map(|i| i % 4).collect();
        let y: Vec<u32> = (0..400).map(|i| (i / 4) % 2).collect();
        assert!((mi(&x, &x, false) - 4f64.ln()).abs() < 1e-14);
        // Exactly balanced 4×2 table: plug-in MI is exactly 0, MM subtracts 3·1/(2n).
        assert!(mi(&x, &y, false).abs() < 1e-14);
        assert!((mi(&x, &y, true) + 3.0 / 800.0).abs() < 1e-14);
        assert_eq!(mi(&[], &[], true), 0.0);
    }

    #[test]
    fn cmi_xor() {
        let x: Vec<u32> = (0..400).map(|i| i % 2).collect();
        let y: Vec<u32> = (0..400).map(|i| (i / 2) % 2).collect();
        let z: Vec<u32> = x.iter().zip(&y).map(|(a, b)| a ^ b).collect();
        assert!(mi(&x, &y, false).abs() < 1e-14);
        assert!((cmi(&x, &y, &z, false) - 2f64.ln()).abs() < 1e-14);
        assert_eq!(cmi(&[], &[], &[], false), 0.0);
    }
}
