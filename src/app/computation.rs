//! The request → job → result holder every analysis panel uses.
//!
//! A panel describes what it wants as a request value (columns, settings…) tagged with
//! the dataset generation it is for. [`Computation`] starts a job for it, collects the
//! outcome, keeps finished results in a small cache (so switching settings back shows
//! the earlier result at once), remembers a cancelled request so it is not restarted on
//! its own, and holds the error of a failed run. Panels keep only what is theirs: how to
//! build a request and how to draw a result.

use super::jobs::{JobError, JobHandle, JobKey, JobRunner, Lane};
use std::sync::Arc;

/// One analysis slot of a panel: `Req` is what was asked, `Res` what came back.
pub struct Computation<Req, Res, P = super::jobs::NoPartials> {
    job: JobKey<Res, P>,
    /// The result on screen, with the (generation, request) it answers.
    shown: Option<(u64, Req, Arc<Res>)>,
    /// The (generation, request) the running job computes.
    pending: Option<(u64, Req)>,
    cache: ResultCache<Req, Res>,
    error: Option<String>,
    /// The user cancelled this request: it is not restarted by itself.
    cancelled: Option<(u64, Req)>,
    /// Bumped whenever `shown` changes: a cheap key for what is derived from it.
    serial: u64,
}

impl<Req: Clone + PartialEq, Res, P> Computation<Req, Res, P> {
    pub fn new(job: JobKey<Res, P>, capacity: usize) -> Self {
        Self {
            job,
            shown: None,
            pending: None,
            cache: ResultCache::new(capacity),
            error: None,
            cancelled: None,
            serial: 0,
        }
    }

    pub fn job(&self) -> JobKey<Res, P> {
        self.job
    }

    /// Starts `work` for `request` (superseding any running job of this slot).
    pub fn start<F>(
        &mut self,
        jobs: &mut JobRunner,
        label: impl Into<String>,
        lane: Lane,
        (generation, request): (u64, Req),
        work: F,
    ) where
        Res: Send + 'static,
        P: Send + 'static,
        F: FnOnce(&JobHandle<P>) -> Result<Res, JobError> + Send + 'static,
    {
        jobs.spawn(self.job, label, lane, work);
        self.pending = Some((generation, request));
        self.cancelled = None;
        self.error = None;
    }

    /// Every frame: collects a finished job (true when the shown result changed) and,
    /// when `wanted` was computed before, shows it from the cache.
    pub fn tick(&mut self, jobs: &mut JobRunner, wanted: Option<&(u64, Req)>) -> bool
    where
        Res: 'static,
    {
        let mut changed = false;
        if let Some(done) = jobs.take_done(self.job) {
            let pending = self.pending.take();
            match done {
                Ok(value) => {
                    self.error = None;
                    if let Some((g, req)) = pending {
                        let value = Arc::new(value);
                        self.cache.insert(g, req.clone(), value.clone());
                        self.show(g, req, value);
                        changed = true;
                    }
                }
                Err(JobError::Cancelled) => self.cancelled = pending,
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        if let Some((g, req)) = wanted
            && !self.is_showing(*g, req)
            && let Some(hit) = self.cache.get(*g, req)
        {
            self.show(*g, req.clone(), hit);
            changed = true;
        }
        changed
    }

    fn show(&mut self, generation: u64, request: Req, value: Arc<Res>) {
        self.shown = Some((generation, request, value));
        self.serial += 1;
    }

    /// A new dataset or kinds, or a switch between a large file's subsample and all its
    /// rows: `generation` is analysed now; cached results of generations outside `keep`
    /// are dropped, and a result of another generation leaves the screen.
    pub fn dataset_changed(&mut self, generation: u64, keep: &[u64]) {
        self.cache.retain_generations(keep);
        if self
            .shown
            .as_ref()
            .is_some_and(|(g, _, _)| *g != generation)
        {
            self.shown = None;
            self.serial += 1;
        }
        self.pending = None;
        self.cancelled = None;
    }

    pub fn shown(&self) -> Option<&Arc<Res>> {
        self.shown.as_ref().map(|(_, _, r)| r)
    }

    pub fn shown_request(&self) -> Option<&Req> {
        self.shown.as_ref().map(|(_, r, _)| r)
    }

    pub fn shown_generation(&self) -> Option<u64> {
        self.shown.as_ref().map(|(g, _, _)| *g)
    }

    /// True when the result on screen answers exactly this request.
    pub fn is_showing(&self, generation: u64, request: &Req) -> bool {
        self.shown
            .as_ref()
            .is_some_and(|(g, r, _)| *g == generation && r == request)
    }

    /// True when a result is on screen but answers another request than `wanted`.
    pub fn is_stale(&self, wanted: Option<&(u64, Req)>) -> bool {
        match (wanted, &self.shown) {
            (Some((g, req)), Some(_)) => !self.is_showing(*g, req),
            _ => false,
        }
    }

    pub fn is_computing(&self) -> bool {
        self.pending.is_some()
    }

    pub fn is_computing_for(&self, generation: u64, request: &Req) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|(g, r)| *g == generation && r == request)
    }

    pub fn pending_request(&self) -> Option<&Req> {
        self.pending.as_ref().map(|(_, r)| r)
    }

    pub fn was_cancelled(&self, generation: u64, request: &Req) -> bool {
        self.cancelled
            .as_ref()
            .is_some_and(|(g, r)| *g == generation && r == request)
    }

    pub fn cached(&self, generation: u64, request: &Req) -> Option<Arc<Res>> {
        self.cache.get(generation, request)
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// A request that cannot start (too few columns…): said in the panel.
    pub fn set_error(&mut self, message: impl Into<String>) {
        self.error = Some(message.into());
    }

    pub fn serial(&self) -> u64 {
        self.serial
    }
}

/// Finished results by (dataset generation, request), so toggling settings back or
/// switching panels shows the earlier result at once instead of recomputing.
pub struct ResultCache<K, V> {
    entries: Vec<(u64, K, Arc<V>)>,
    capacity: usize,
}

impl<K: PartialEq, V> ResultCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn get(&self, generation: u64, key: &K) -> Option<Arc<V>> {
        self.entries
            .iter()
            .find(|(g, k, _)| *g == generation && k == key)
            .map(|(_, _, v)| v.clone())
    }

    pub fn insert(&mut self, generation: u64, key: K, value: Arc<V>) {
        self.entries
            .retain(|(g, k, _)| !(*g == generation && *k == key));
        self.entries.push((generation, key, value));
        if self.entries.len() > self.capacity {
            self.entries.remove(0);
        }
    }

    /// Keeps the entries of these generations only (a file and its row subsample).
    pub fn retain_generations(&mut self, keep: &[u64]) {
        self.entries.retain(|(g, _, _)| keep.contains(g));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const JOB: JobKey<u32> = JobKey::new("computation-test");

    fn settle(
        c: &mut Computation<&'static str, u32>,
        jobs: &mut JobRunner,
        wanted: (u64, &'static str),
    ) {
        let start = Instant::now();
        while c.is_computing() {
            jobs.poll();
            c.tick(jobs, Some(&(wanted.0, wanted.1)));
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "job never finished"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn results_are_shown_cached_and_dropped_with_their_generation() {
        let mut jobs = JobRunner::new(egui::Context::default());
        let mut c = Computation::new(JOB, 4);
        c.start(&mut jobs, "a", Lane::Interactive, (1, "a"), |_| Ok(10));
        settle(&mut c, &mut jobs, (1, "a"));
        assert_eq!(c.shown().map(|v| **v), Some(10));
        c.start(&mut jobs, "b", Lane::Interactive, (1, "b"), |_| Ok(11));
        settle(&mut c, &mut jobs, (1, "b"));
        assert!(c.is_stale(Some(&(1, "a"))));
        // Asking for "a" again shows the cached value without a job.
        assert!(c.tick(&mut jobs, Some(&(1, "a"))));
        assert_eq!(c.shown().map(|v| **v), Some(10));
        assert!(!c.is_computing());
        c.dataset_changed(2, &[2]);
        assert!(c.shown().is_none());
        assert!(c.cached(1, &"a").is_none());
    }

    #[test]
    fn a_cancelled_request_is_remembered_and_a_failure_kept() {
        let mut jobs = JobRunner::new(egui::Context::default());
        let mut c = Computation::new(JOB, 4);
        c.start(&mut jobs, "slow", Lane::Interactive, (1, "a"), |h| {
            while !h.progress.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(JobError::Cancelled)
        });
        jobs.cancel(JOB);
        c.tick(&mut jobs, None);
        assert!(c.was_cancelled(1, &"a"));
        assert!(!c.is_computing());
        c.start(&mut jobs, "bad", Lane::Interactive, (1, "b"), |_| {
            Err(JobError::Failed("no rows".into()))
        });
        settle(&mut c, &mut jobs, (1, "b"));
        assert_eq!(c.error(), Some("no rows"));
        assert!(!c.was_cancelled(1, &"a"), "a new start clears the cancel");
    }

    #[test]
    fn cache_is_keyed_by_generation_and_request() {
        let mut c: ResultCache<&str, u32> = ResultCache::new(2);
        c.insert(1, "a", Arc::new(10));
        c.insert(1, "b", Arc::new(11));
        assert_eq!(c.get(1, &"a").as_deref(), Some(&10));
        assert!(c.get(2, &"a").is_none());
        c.insert(1, "c", Arc::new(12));
        assert!(c.get(1, &"a").is_none(), "capacity 2 drops the oldest");
        c.retain_generations(&[2]);
        assert!(c.get(1, &"c").is_none());
    }
}
