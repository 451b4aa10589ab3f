//! A scripted measurement of the real window (`scripts/window_bench.sh`, see
//! docs/performance.md). With `MI_WORKBENCH_MEASURE=heatmap` in the environment the app
//! shows the heatmap tab, draws [`WARM_FRAMES`] frames (the renderer's one-off start-up
//! work: shader compilation, font atlas), then opens the file it was started with, as a
//! user opening a file in a running window would. When the first heatmap job on that
//! file ends it prints one line to stdout — the job's wall time, the CPU time the UI
//! thread and the other threads used while it ran, the frames drawn — and closes.
//!
//! CPU times come from `/proc/self/task/<tid>/schedstat` (nanoseconds on CPU), so the
//! figures are Linux-only; elsewhere they print as NaN and the job time stays valid.

use super::jobs::JobRunner;
use super::panels::heatmap::{self, HeatmapPanel};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The environment variable that turns the measurement on.
pub const ENV: &str = "MI_WORKBENCH_MEASURE";

/// Frames drawn before the file is opened.
const WARM_FRAMES: u32 = 20;

pub(super) struct Measure {
    phase: Phase,
}

enum Phase {
    /// The window draws its first frames; then the file opens.
    Warming {
        file: PathBuf,
        frames: u32,
    },
    /// No heatmap job has started yet (the file is loading).
    Waiting,
    Running {
        job: u64,
        ui_tid: Option<String>,
        ui: Option<Duration>,
        threads: HashMap<String, (String, Duration)>,
        frames: u64,
        /// When the measurement saw the job start, and each frame's offset from then
        /// (to see which frames compete with the job: the first after opening, progress).
        since: Instant,
        frame_ms: Vec<u64>,
    },
    Reported,
}

impl Measure {
    /// `Some` when the environment asks for the heatmap measurement.
    pub(super) fn from_env() -> Option<Self> {
        let what = std::env::var(ENV).ok()?;
        if what != "heatmap" {
            eprintln!("{ENV}={what}: only 'heatmap' is measured; ignoring it");
            return None;
        }
        Some(Self {
            phase: Phase::Waiting,
        })
    }

    /// The command line's file: opened by [`Self::frame`] once the window is warm.
    pub(super) fn open_later(&mut self, file: PathBuf) {
        self.phase = Phase::Warming { file, frames: 0 };
    }

    /// Called once a frame from the UI thread, after the panels' tick (which starts the
    /// heatmap job and collects its result); returns the file to open now, if any.
    pub(super) fn frame(
        &mut self,
        ctx: &egui::Context,
        jobs: &JobRunner,
        hm: &HeatmapPanel,
    ) -> Option<PathBuf> {
        match &mut self.phase {
            Phase::Warming { file, frames } => {
                *frames += 1;
                if *frames < WARM_FRAMES {
                    ctx.request_repaint();
                    return None;
                }
                let file = std::mem::take(file);
                self.phase = Phase::Waiting;
                return Some(file);
            }
            Phase::Waiting => {
                let job = jobs.running().iter().find(|j| j.key == heatmap::JOB.name)?;
                let ui_tid = current_tid();
                self.phase = Phase::Running {
                    job: job.id,
                    ui: ui_tid.as_deref().and_then(cpu_of),
                    ui_tid,
                    threads: thread_times(),
                    frames: 0,
                    since: Instant::now(),
                    frame_ms: Vec::new(),
                };
            }
            Phase::Running {
                job,
                ui_tid,
                ui,
                threads,
                frames,
                since,
                frame_ms,
            } => {
                *frames += 1;
                frame_ms.push(since.elapsed().as_millis() as u64);
                if jobs.running().iter().any(|j| j.id == *job) {
                    return None;
                }
                let ui_now = ui_tid.as_deref().and_then(cpu_of);
                let wall = jobs.last_elapsed(heatmap::JOB);
                let outcome = jobs.last_ended().map_or("unknown", |e| e.outcome);
                let pairs = hm.result().map_or(0, |r| r.cells.len());
                let secs = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64());
                let ui_s = match (*ui, ui_now) {
                    (Some(a), Some(b)) => secs(Some(b.saturating_sub(a))),
                    _ => f64::NAN,
                };
                let job_s = secs(wall);
                // Everyone else's CPU over the job, by kind of thread.
                let (mut workers, mut render, mut other) = (0.0, 0.0, 0.0);
                for (tid, (name, now)) in thread_times() {
                    if Some(&tid) == ui_tid.as_ref() {
                        continue;
                    }
                    let before = threads.get(&tid).map_or(Duration::ZERO, |t| t.1);
                    let d = now.saturating_sub(before).as_secs_f64();
                    if name.starts_with("llvmpipe") || name.starts_with("gallium") {
                        render += d;
                    } else if name.starts_with("mi-workbench") {
                        // The global rayon pool's threads are unnamed: they carry the
                        // program's name (the interactive pool's are named).
                        workers += d;
                    } else {
                        other += d;
                    }
                }
                println!(
                    "window-measure job=heatmap outcome={outcome} pairs={pairs} job_wall_s={job_s:.3} \
                     ui_cpu_s={ui_s:.3} ui_share_pct={:.1} frames={frames} workers_cpu_s={workers:.3} \
                     render_cpu_s={render:.3} other_cpu_s={other:.3} frame_ms={}",
                    100.0 * ui_s / job_s,
                    frame_ms
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                );
                self.phase = Phase::Reported;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Phase::Reported => {}
        }
        None
    }
}

/// The calling thread's id, from the `/proc/thread-self` link (`<pid>/task/<tid>`).
fn current_tid() -> Option<String> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(link.file_name()?.to_string_lossy().into_owned())
}

/// CPU time of one thread of this process.
fn cpu_of(tid: &str) -> Option<Duration> {
    let s = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Every thread of this process: id → (name, CPU time so far).
fn thread_times() -> HashMap<String, (String, Duration)> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for entry in dir.flatten() {
        let tid = entry.file_name().to_string_lossy().into_owned();
        let name = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        if let Some(cpu) = cpu_of(&tid) {
            out.insert(tid, (name.trim().to_string(), cpu));
        }
    }
    out
}
