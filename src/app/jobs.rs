//! Background jobs: every estimate runs here, never on the UI thread.
//!
//! A job is named by a [`JobKey`] (normally its panel's name). Starting a job for a key
//! that already has one running cancels the old one and ignores anything it still
//! sends, so the newest request always wins. A job's closure gets a [`JobHandle`] with
//! an [`analysis::Progress`] (shown in the status bar, cancelled by its Cancel button)
//! and a way to stream partial results (matrix cells) back while it runs.
//!
//! A [`JobKey<T, P>`] carries the job's result type `T` and partial-result type `P`, so
//! starting a job, streaming its partials and taking its result all agree at compile
//! time; the channel itself is type-erased so this module never needs to know the
//! panels' types. A panic inside a job is caught and delivered as
//! [`JobError::Panicked`]: the app shows it and keeps running.

use crate::analysis::{Cancelled, Progress};
use std::any::Any;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// While any job runs the window redraws at most this often (4 Hz): for the progress
/// bar, the clock and the cells streamed in. A frame of a software-rendered window costs
/// about 15 ms of CPU (Mesa llvmpipe, 1400 × 900) that the job's workers would otherwise
/// have, so nothing a job does asks for an immediate frame except finishing; at 10 Hz the
/// renderer still took 0.3 s of CPU beside a heatmap job's 0.75 s (docs/performance.md).
pub const PROGRESS_FRAME: Duration = Duration::from_millis(250);

/// Names a job slot (one running job per name) and fixes the type of its result `T` and
/// of its streamed partial results `P`. Declare one `const` per slot:
/// `const JOB: JobKey<MyResult> = JobKey::new("mine");`.
pub struct JobKey<T, P = NoPartials> {
    pub name: &'static str,
    _types: PhantomData<fn() -> (T, P)>,
}

/// The partial-result type of jobs that stream nothing.
pub enum NoPartials {}

impl<T, P> JobKey<T, P> {
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            _types: PhantomData,
        }
    }
}

impl<T, P> Clone for JobKey<T, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, P> Copy for JobKey<T, P> {}

impl<T, P> std::fmt::Debug for JobKey<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JobKey({})", self.name)
    }
}

/// A slot's name, untyped: for the runner's own bookkeeping and the status bar.
type Slot = &'static str;

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
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum JobError {
    #[error("cancelled")]
    Cancelled,
    /// The job panicked; the message is shown to the user.
    #[error("internal error (please report): {0}")]
    Panicked(String),
    /// The job ran and reported an error (e.g. a file that cannot be read).
    #[error("{0}")]
    Failed(String),
}

impl From<Cancelled> for JobError {
    fn from(_: Cancelled) -> Self {
        JobError::Cancelled
    }
}

type Payload = Box<dyn Any + Send>;

enum Message {
    Partial {
        key: Slot,
        id: u64,
        payload: Payload,
    },
    Done {
        key: Slot,
        id: u64,
        result: Result<Payload, JobError>,
        /// When the worker returned: a job's time excludes the wait for the next frame.
        finished: Instant,
    },
}

/// Given to a job's closure: its progress and a sender for partial results of type `P`.
pub struct JobHandle<P = NoPartials> {
    pub progress: Progress,
    key: Slot,
    id: u64,
    tx: Sender<Message>,
    ctx: egui::Context,
    _partial: PhantomData<fn(P)>,
}

impl<P: Send + 'static> JobHandle<P> {
    /// Sends a partial result; the panel takes it back with `take_partials` of the same
    /// key. The handle is `Sync`, so this can be called from inside `par_iter` callbacks.
    pub fn send_partial(&self, payload: P) {
        let _ = self.tx.send(Message::Partial {
            key: self.key,
            id: self.id,
            payload: Box::new(payload),
        });
        // Not an immediate repaint per partial (a matrix streams hundreds a second): the
        // cells show in the next progress frame.
        self.ctx.request_repaint_after(PROGRESS_FRAME);
    }
}

/// A job as shown in the status bar.
pub struct RunningJob {
    pub key: Slot,
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

/// The last job that ended, for the status bar ("correlation vs MI … finished in 1.2 s").
#[derive(Clone, Debug)]
pub struct EndedJob {
    pub label: String,
    pub elapsed: Duration,
    /// "finished", "failed" or "stopped".
    pub outcome: &'static str,
    pub at: Instant,
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
    partials: HashMap<Slot, Vec<Payload>>,
    finished: HashMap<Slot, Finished>,
    /// Last finish per key (for the status bar: "done in 1.2 s").
    last_elapsed: HashMap<Slot, Duration>,
    /// Cancelled or superseded jobs whose worker has not returned yet (id, label, when
    /// cancelled): they still occupy cores, so the status bar says so.
    stopping: Vec<(u64, String, Instant)>,
    last_ended: Option<EndedJob>,
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
            last_ended: None,
        }
    }

    /// Starts `work` for `key`, cancelling and superseding any job of that key.
    /// Returns the job id.
    pub fn spawn<T, P, F>(
        &mut self,
        job: JobKey<T, P>,
        label: impl Into<String>,
        lane: Lane,
        work: F,
    ) -> u64
    where
        T: Send + 'static,
        P: Send + 'static,
        F: FnOnce(&JobHandle<P>) -> Result<T, JobError> + Send + 'static,
    {
        let key = job.name;
        self.cancel_slot(key);
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
            _partial: PhantomData,
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
            let _ = handle.tx.send(Message::Done {
                key,
                id,
                result,
                finished: Instant::now(),
            });
            if handle.progress.is_cancelled() {
                // Only the status bar's "stopping …" changes: no need to draw at once.
                handle.ctx.request_repaint_after(PROGRESS_FRAME);
            } else {
                handle.ctx.request_repaint();
            }
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
    pub fn cancel<T, P>(&mut self, job: JobKey<T, P>) {
        self.cancel_slot(job.name);
    }

    fn cancel_slot(&mut self, key: Slot) {
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
            self.cancel_slot(key);
        }
    }

    pub fn cancel_all(&mut self) {
        self.cancel_where(|_| true);
    }

    /// Cancels every running job whose slot name passes `pick`.
    pub fn cancel_where(&mut self, pick: impl Fn(&str) -> bool) {
        let keys: Vec<Slot> = self
            .running
            .iter()
            .map(|j| j.key)
            .filter(|k| pick(k))
            .collect();
        for k in keys {
            self.cancel_slot(k);
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
                Message::Done {
                    key,
                    id,
                    result,
                    finished,
                } => {
                    self.stopping.retain(|(s, _, _)| *s != id);
                    if let Some(pos) = self.running.iter().position(|j| j.key == key && j.id == id)
                    {
                        let job = self.running.remove(pos);
                        let elapsed = finished.saturating_duration_since(job.started);
                        self.last_elapsed.insert(key, elapsed);
                        self.last_ended = Some(EndedJob {
                            label: job.label,
                            elapsed,
                            outcome: match &result {
                                Ok(_) => "finished",
                                Err(JobError::Cancelled) => "stopped",
                                Err(_) => "failed",
                            },
                            at: Instant::now(),
                        });
                        self.finished.insert(key, Finished { result });
                    }
                }
            }
        }
        if !self.running.is_empty() || !self.stopping.is_empty() {
            // Keeps the progress bar and clock moving between partial results.
            self.ctx.request_repaint_after(PROGRESS_FRAME);
        }
    }

    fn is_current(&self, key: Slot, id: u64) -> bool {
        self.running.iter().any(|j| j.key == key && j.id == id)
    }

    pub fn is_running<T, P>(&self, job: JobKey<T, P>) -> bool {
        self.running.iter().any(|j| j.key == job.name)
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

    /// Partial results of the current job of `job`, in arrival order.
    pub fn take_partials<T, P: 'static>(&mut self, job: JobKey<T, P>) -> Vec<P> {
        let payloads = self.partials.remove(job.name).unwrap_or_default();
        let n = payloads.len();
        let out: Vec<P> = payloads
            .into_iter()
            .filter_map(|p| p.downcast::<P>().ok().map(|b| *b))
            .collect();
        // Only two keys of one name with different types could get here: a bug to see.
        debug_assert_eq!(out.len(), n, "job '{}' streamed another type", job.name);
        out
    }

    /// The outcome of the last job of `job`, once, if it has finished.
    pub fn take_done<T: 'static, P>(&mut self, job: JobKey<T, P>) -> Option<Result<T, JobError>> {
        let f = self.finished.remove(job.name)?;
        Some(match f.result {
            Ok(p) => p.downcast::<T>().map(|b| *b).map_err(|_| {
                JobError::Panicked(format!(
                    "two job keys named '{}' have different result types",
                    job.name
                ))
            }),
            Err(e) => Err(e),
        })
    }

    /// How many jobs were ever started (tests: one keystroke must not start one).
    pub fn started(&self) -> u64 {
        self.next_id - 1
    }

    /// The job that ended last (any slot).
    pub fn last_ended(&self) -> Option<&EndedJob> {
        self.last_ended.as_ref()
    }

    /// How long the last finished job of `job` took.
    pub fn last_elapsed<T, P>(&self, job: JobKey<T, P>) -> Option<Duration> {
        self.last_elapsed.get(job.name).copied()
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

    fn wait_done<T: 'static, P>(r: &mut JobRunner, key: JobKey<T, P>) -> Result<T, JobError> {
        let start = Instant::now();
        loop {
            r.poll();
            if let Some(done) = r.take_done(key) {
                return done;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "job {key:?} never finished"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn a_panicking_job_becomes_an_error() {
        const BOOM: JobKey<()> = JobKey::new("boom");
        let mut r = JobRunner::new(egui::Context::default());
        r.spawn(BOOM, "boom", Lane::Heavy, |_| panic!("estimator bug"));
        match wait_done(&mut r, BOOM) {
            Err(JobError::Panicked(m)) => assert!(m.contains("estimator bug"), "{m}"),
            other => panic!("expected a caught panic, got {other:?}"),
        }
        assert!(!r.any_running());
    }

    #[test]
    fn a_new_request_supersedes_the_old_one() {
        const K: JobKey<u32, u32> = JobKey::new("k");
        let mut r = JobRunner::new(egui::Context::default());
        r.spawn(K, "slow", Lane::Heavy, |h| {
            while !h.progress.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            h.send_partial(1u32);
            Ok(1u32)
        });
        r.spawn(K, "fast", Lane::Interactive, |h| {
            h.send_partial(2u32);
            Ok(2u32)
        });
        assert_eq!(wait_done(&mut r, K), Ok(2));
        // The old job's partial and result never show up.
        let start = Instant::now();
        while !r.stopping().is_empty() {
            r.poll();
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "old job did not stop"
            );
        }
        assert_eq!(r.take_partials(K), vec![2]);
        assert!(r.take_done(K).is_none());
    }
}
