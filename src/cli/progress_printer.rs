//! Prints a job's progress to stderr about twice a second while it runs.

use crate::analysis::Progress;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct ProgressPrinter {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl ProgressPrinter {
    pub fn start(progress: Progress) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            let mut last = String::new();
            let line = || {
                format!(
                    "{}: {}/{} ({:.0}%)",
                    progress.stage(),
                    progress.done(),
                    progress.total(),
                    100.0 * progress.fraction()
                )
            };
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if started.elapsed() < Duration::from_millis(500) {
                    continue;
                }
                let now = line();
                if now != last && started.elapsed().as_millis() % 500 < 100 {
                    eprintln!("{now}");
                    last = now;
                }
            }
            // A job long enough to show progress shows where it ended, not the last
            // half-second tick (which left "26/28 (93%)" as the final word).
            let end = line();
            if !last.is_empty() && end != last {
                eprintln!("{end}");
            }
        });
        Self {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for ProgressPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
