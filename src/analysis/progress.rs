//! Progress reporting and cooperative cancellation shared between a job and its viewer.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The job was cancelled before it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

#[derive(Debug, Default)]
struct Inner {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
    stage: Mutex<String>,
}

/// Cheap to clone; all clones see the same counters.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    inner: Arc<Inner>,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }
    /// Starts a new stage of `total` steps.
    pub fn start(&self, stage: &str, total: usize) {
        if let Ok(mut s) = self.inner.stage.lock() {
            *s = stage.to_string();
        }
        self.inner.done.store(0, Ordering::Relaxed);
        self.inner.total.store(total, Ordering::Relaxed);
    }
    pub fn add(&self, steps: usize) {
        self.inner.done.fetch_add(steps, Ordering::Relaxed);
    }
    pub fn done(&self) -> usize {
        self.inner.done.load(Ordering::Relaxed)
    }
    pub fn total(&self) -> usize {
        self.inner.total.load(Ordering::Relaxed)
    }
    /// 0..=1; 0 before the total is known.
    pub fn fraction(&self) -> f32 {
        let t = self.total();
        if t == 0 {
            0.0
        } else {
            (self.done() as f32 / t as f32).min(1.0)
        }
    }
    pub fn stage(&self) -> String {
        self.inner
            .stage
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }
    /// `Err(Cancelled)` once cancel was asked: use with `?` between steps.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}
