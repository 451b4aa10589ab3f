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
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if started.elapsed() < Duration::from_millis(500) {
                    continue;
                }
                let line = format!(
                    "{}: {}/{} ({:.0}%)",
                    progress.stage(),
                    progress.done(),
                    progress.total(),
                    100.0 * progress.fraction()
                );
                if line != last && started.elapsed().as_millis() % 500 < 100 {
                    eprintln!("{line}");
                    last = line;
                }
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
