//! Background jobs: every estimate runs here, never on the UI thread.
//!
//! A job is named by a [`JobKey`] (normally its panel's name). Starting a job for a key
//! that already has one running cancels the old one and ignores anything it still
//! sends, so the newest request always wins. A job's closure gets a [`JobHandle`] with
//! an [`analysis::Progress`] (shown in the status bar, cancelled by its Cancel button)
//! and a way to stream partial results (matrix cells) back while it runs.
//!
//! Results are type-erased on the channel so this module never needs to know the
//! panels' result types: a panel starts a job returning `T` and later takes a `T` back
//! with [`JobRunner::take_done`]. A panic inside a job is caught and delivered as
//! [`JobError::Panicked`]: the app shows it and keeps running.

use crate::analysis::{Cancelled, Progress};
use std::any::Any;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Names a job slot; one running job per key.
pub type JobKey = &'static str;

/// Where a job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// The global rayon pool: the analyses, which saturate every core.
    Heavy,
    /// A separate small rayon pool for short, interactive work (loading a file, the pair
    /// inspector). Rayon serves injected jobs only after a worker's own queue is empty,
    /// so on the global pool these would wait behind a long matrix.
    Interactive,
}

/// Why a job produced no result.
#[derive(Clone, Debug, PartialEq)]
pub enum JobError {
    Cancelled,
    /// The job panicked; the message is shown to the user.
    Panicked(String),
    /// The job ran and reported an error (e.g. a file that cannot be read).
    Failed(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Cancelled => write!(f, "cancelled"),
            JobError::Panicked(m) => write!(f, "internal error (please report): {m}"),
            JobError::Failed(m) => write!(f, "{m}"),
        }
    }
}

impl From<Cancelled> for JobError {
    fn from(_: Cancelled) -> Self {
        JobError::Cancelled
    }
}

type Payload = Box<dyn Any + Send>;

enum Message {
    Partial {
        key: JobKey,
        id: u64,
        payload: Payload,
    },
    Done {
        key: JobKey,
        id: u64,
        result: Result<Payload, JobError>,
    },
}

/// Given to a job's closure: its progress and a sender for partial results.
pub struct JobHandle {
    pub progress: Progress,
    key: JobKey,
    id: u64,
    tx: Sender<Message>,
    ctx: egui::Context,
}

impl JobHandle {
    /// Sends a partial result (any type; the panel takes it back with the same type).
    /// The handle is `Sync`, so this can be called from inside `par_iter` callbacks.
    pub fn send_partial<P: Send + 'static>(&self, payload: P) {
        let _ = self.tx.send(Message::Partial {
            key: self.key,
            id: self.id,
            payload: Box::new(payload),
        });
        self.ctx.request_repaint();
    }
}

/// A job as shown in the status bar.
pub struct RunningJob {
    pub key: JobKey,
    pub id: u64,
    pub label: String,
    pub progress: Progress,
    pub started: Instant,
}

impl RunningJob {
    /// Estimated time left from the rate so far; `None` until there is progress.
    pub fn eta(&self) -> Option<Duration> {
        let f = self.progress.fraction() as f64;
        if f <= 0.01 {
            return None;
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        Some(Duration::from_secs_f64(elapsed * (1.0 - f) / f))
    }
}

/// How a finished job ended, kept until its panel takes it.
struct Finished {
    result: Result<Payload, JobError>,
}

pub struct JobRunner {
    ctx: egui::Context,
    tx: Sender<Message>,
    rx: Receiver<Message>,
    next_id: u64,
    running: Vec<RunningJob>,
    partials: HashMap<JobKey, Vec<Payload>>,
    finished: HashMap<JobKey, Finished>,
    /// Last finish per key (for the status bar: "done in 1.2 s").
    last_elapsed: HashMap<JobKey, Duration>,
    /// Cancelled or superseded jobs whose worker has not returned yet (id, label, when
    /// cancelled): they still occupy cores, so the status bar says so.
    stopping: Vec<(u64, String, Instant)>,
}

fn interactive_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("mi-interactive-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

impl JobRunner {
    pub fn new(ctx: egui::Context) -> Self {
        let (tx, rx) = channel();
        Self {
            ctx,
            tx,
            rx,
            next_id: 1,
            running: Vec::new(),
            partials: HashMap::new(),
            finished: HashMap::new(),
            last_elapsed: HashMap::new(),
            stopping: Vec::new(),
        }
    }

    /// Starts `work` for `key`, cancelling and superseding any job of that key.
    /// Returns the job id.
    pub fn spawn<T, F>(&mut self, key: JobKey, label: impl Into<String>, lane: Lane, work: F) -> u64
    where
        T: Send + 'static,
        F: FnOnce(&JobHandle) -> Result<T, JobError> + Send + 'static,
    {
        self.cancel(key);
        self.partials.remove(key);
        self.finished.remove(key);
        let id = self.next_id;
        self.next_id += 1;
        let progress = Progress::new();
        let handle = JobHandle {
            progress: progress.clone(),
            key,
            id,
            tx: self.tx.clone(),
            ctx: self.ctx.clone(),
        };
        self.running.push(RunningJob {
            key,
            id,
            label: label.into(),
            progress,
            started: Instant::now(),
        });
        let task = move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&handle)));
            let result = match outcome {
                Ok(Ok(v)) => Ok(Box::new(v) as Payload),
                Ok(Err(e)) => Err(e),
                Err(panic) => Err(JobError::Panicked(panic_message(panic.as_ref()))),
            };
            let _ = handle.tx.send(Message::Done { key, id, result });
            handle.ctx.request_repaint();
        };
        match lane {
            Lane::Heavy => rayon::spawn(task),
            Lane::Interactive => match interactive_pool() {
                Some(pool) => pool.spawn(task),
                None => rayon::spawn(task),
            },
        }
        id
    }

    /// Asks the running job of `key` to stop; its later messages are ignored. Its owner
    /// receives `Err(Cancelled)` from `take_done` at once, however the cancel came about
    /// (Cancel button, rows switched, new dataset), so no panel is left waiting for a
    /// result that will never be delivered. `spawn` clears that for a superseding job.
    pub fn cancel(&mut self, key: JobKey) {
        let stopping = &mut self.stopping;
        let mut was_running = false;
        self.running.retain(|j| {
            if j.key == key {
                j.progress.cancel();
                stopping.push((j.id, j.label.clone(), Instant::now()));
                was_running = true;
                false
            } else {
                true
            }
        });
        if was_running {
            self.finished.insert(
                key,
                Finished {
                    result: Err(JobError::Cancelled),
                },
            );
        }
    }

    /// Cancels the job with this id (the status bar's Cancel button).
    pub fn cancel_id(&mut self, id: u64) {
        if let Some(job) = self.running.iter().find(|j| j.id == id) {
            let key = job.key;
            self.cancel(key);
        }
    }

    pub fn cancel_all(&mut self) {
        let keys: Vec<JobKey> = self.running.iter().map(|j| j.key).collect();
        for k in keys {
            self.cancel(k);
        }
    }

    /// Moves arrived messages into per-key inboxes. Call once per frame before drawing.
    pub fn poll(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                Message::Partial { key, id, payload } => {
                    if self.is_current(key, id) {
                        self.partials.entry(key).or_default().push(payload);
                    }
                }
                Message::Done { key, id, result } => {
                    self.stopping.retain(|(s, _, _)| *s != id);
                    if let Some(pos) = self.running.iter().position(|j| j.key == key && j.id == id)
                    {
                        let job = self.running.remove(pos);
                        let elapsed = job.started.elapsed();
                        self.last_elapsed.insert(key, elapsed);
                        self.finished.insert(key, Finished { result });
                    }
                }
            }
        }
        if !self.running.is_empty() || !self.stopping.is_empty() {
            // Keeps the progress bar and clock moving between partial results.
            self.ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn is_current(&self, key: JobKey, id: u64) -> bool {
        self.running.iter().any(|j| j.key == key && j.id == id)
    }

    pub fn is_running(&self, key: JobKey) -> bool {
        self.running.iter().any(|j| j.key == key)
    }

    pub fn running(&self) -> &[RunningJob] {
        &self.running
    }

    /// Cancelled jobs still winding down: (label, time since cancel).
    pub fn stopping(&self) -> Vec<(&str, Duration)> {
        self.stopping
            .iter()
            .map(|(_, l, t)| (l.as_str(), t.elapsed()))
            .collect()
    }

    pub fn any_running(&self) -> bool {
        !self.running.is_empty()
    }

    /// Partial results of the current job of `key`, in arrival order. Payloads of another
    /// type are dropped.
    pub fn take_partials<P: 'static>(&mut self, key: JobKey) -> Vec<P> {
        self.partials
            .remove(key)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.downcast::<P>().ok().map(|b| *b))
            .collect()
    }

    /// The outcome of the last job of `key`, once, if it has finished.
    pub fn take_done<T: 'static>(&mut self, key: JobKey) -> Option<Result<T, JobError>> {
        let f = self.finished.remove(key)?;
        Some(match f.result {
            Ok(p) => p.downcast::<T>().map(|b| *b).map_err(|_| {
                JobError::Panicked(format!("job '{key}' returned an unexpected type"))
            }),
            Err(e) => Err(e),
        })
    }

    /// How long the last finished job of `key` took.
    pub fn last_elapsed(&self, key: JobKey) -> Option<Duration> {
        self.last_elapsed.get(key).copied()
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a job panicked".to_string()
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

    /// Drops entries of older datasets (a new file or a changed column kind).
    pub fn retain_generation(&mut self, generation: u64) {
        self.retain_generations(&[generation]);
    }

    /// Keeps the entries of these generations only (a file and its row subsample).
    pub fn retain_generations(&mut self, keep: &[u64]) {
        self.entries.retain(|(g, _, _)| keep.contains(g));
    }
}

/// "1.2 s", "3 min 05 s": for the status bar.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1} s")
    } else if s < 60.0 {
        format!("{s:.0} s")
    } else {
        let m = (s / 60.0).floor();
        format!("{m:.0} min {:02.0} s", s - m * 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_done<T: 'static>(r: &mut JobRunner, key: JobKey) -> Result<T, JobError> {
        let start = Instant::now();
        loop {
            r.poll();
            if let Some(done) = r.take_done::<T>(key) {
                return done;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "job {key} never finished"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn a_panicking_job_becomes_an_error() {
        let mut r = JobRunner::new(egui::Context::default());
        r.spawn::<(), _>("boom", "boom", Lane::Heavy, |_| panic!("estimator bug"));
        match wait_done::<()>(&mut r, "boom") {
            Err(JobError::Panicked(m)) => assert!(m.contains("estimator bug"), "{m}"),
            other => panic!("expected a caught panic, got {other:?}"),
        }
        assert!(!r.any_running());
    }

    #[test]
    fn a_new_request_supersedes_the_old_one() {
        let mut r = JobRunner::new(egui::Context::default());
        r.spawn("k", "slow", Lane::Heavy, |h| {
            while !h.progress.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            h.send_partial(1u32);
            Ok(1u32)
        });
        r.spawn("k", "fast", Lane::Interactive, |h| {
            h.send_partial(2u32);
            Ok(2u32)
        });
        assert_eq!(wait_done::<u32>(&mut r, "k"), Ok(2));
        // The old job's partial and result never show up.
        let start = Instant::now();
        while !r.stopping().is_empty() {
            r.poll();
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "old job did not stop"
            );
        }
        assert_eq!(r.take_partials::<u32>("k"), vec![2]);
        assert!(r.take_done::<u32>("k").is_none());
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
        c.retain_generation(2);
        assert!(c.get(1, &"c").is_none());
    }
}
