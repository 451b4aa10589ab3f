//! While a job runs the window draws only when something changed: the progress at most
//! ten times a second ([`PROGRESS_FRAME`]), the streamed cells in those same frames,
//! and no frame asked for at once by a streamed cell, a spinner or an animated bar (a
//! software-rendered window spends milliseconds of CPU per frame, taken from the job).

use mi_workbench::app::jobs::PROGRESS_FRAME;
use std::io::Write;
use std::time::{Duration, Instant};

use crate::support::{harness, step_until};

#[test]
fn a_streaming_heatmap_asks_for_no_frame_sooner_than_the_progress_step() {
    // 12 continuous columns × 6,000 rows: 66 kNN pairs, long enough to stream over
    // several frames.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("streaming.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        let header: Vec<String> = (0..12).map(|c| format!("x{c}")).collect();
        writeln!(f, "{}", header.join(",")).expect("write");
        let mut state: u64 = 5;
        for r in 0..6000 {
            let base = (f64::from(r) * 0.013).sin();
            let line: Vec<String> = (0..12)
                .map(|c| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                    format!("{:.5}", u + if c % 3 == 0 { base } else { 0.0 })
                })
                .collect();
            writeln!(f, "{}", line.join(",")).expect("write");
        }
    }
    let mut h = harness();
    // The sample opened at start, its heatmap done and no worker left winding down.
    step_until(&mut h, Duration::from_secs(60), "the sample", |a| {
        a.panels().heatmap.result().is_some()
            && !a.panels().heatmap.is_computing()
            && a.jobs().stopping().is_empty()
    });
    h.state_mut().open_path(&path);
    // Each frame while the file's heatmap runs: cells received so far, the delay before
    // the next frame that the frame asked for, and what asked (for the failure message).
    let mut frames = Vec::new();
    let guard = Instant::now();
    loop {
        h.step();
        let a = h.state();
        let running = a.loaded().is_some_and(|l| l.name == "streaming.csv")
            && a.panels().heatmap.is_computing();
        if running {
            let delay = h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
            let causes = format!("{:?}", h.ctx.repaint_causes());
            frames.push((a.panels().heatmap.streamed_cells(), delay, causes));
            // No animations while it runs: a tooltip's fade-in would ask for a frame on
            // every frame for its whole animation time.
            let animation = h.ctx.global_style().animation_time;
            assert!(
                animation == 0.0,
                "animation time {animation} s during a job"
            );
        } else if !frames.is_empty() {
            break;
        }
        // Only turns a hang into a failure; nothing here depends on how fast it runs.
        assert!(
            guard.elapsed() < Duration::from_secs(300),
            "the heatmap never ended"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        h.state()
            .panels()
            .heatmap
            .result()
            .is_some_and(|r| r.cells.len() == 66),
        "the heatmap finished"
    );
    h.step();
    assert_eq!(
        h.ctx.global_style().animation_time,
        egui::Style::default().animation_time,
        "animations are back once no job runs"
    );
    // The first two frames follow the load's result (asked for at once, as they should
    // be); the last one may have been asked for by the job finishing mid-frame.
    let judged = frames.get(2..frames.len().saturating_sub(1)).unwrap_or(&[]);
    let mut counts: Vec<usize> = judged.iter().map(|f| f.0).collect();
    counts.dedup();
    assert!(
        counts.len() >= 2,
        "cells must arrive while the judged frames run (got {counts:?} over {} frames)",
        frames.len()
    );
    for (i, (cells, delay, causes)) in judged.iter().enumerate() {
        assert!(
            *delay >= PROGRESS_FRAME,
            "frame {} ({cells} cells) asked for the next after {delay:?}; causes: {causes}",
            i + 2
        );
    }
}
