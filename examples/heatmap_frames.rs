//! Frame times of the heatmap of a 500-column file while it zooms and pans, drawn and
//! rendered by egui_kittest on the software renderer (wgpu on Mesa's lavapipe here):
//!
//!   cargo run --release --example heatmap_frames [-- COLUMNS]
//!
//! Prints mean and 95th-percentile milliseconds per frame at zoom 1, zoomed, and while
//! panning: the UI pass (our code: layout, the heatmap texture, labels) and the software
//! render with its read-back of the whole frame to the CPU, which a real window does not
//! pay (it presents on the GPU). It measures; it checks nothing.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mi_workbench::app::WorkbenchApp;
use std::io::Write;
use std::time::{Duration, Instant};

fn main() {
    let cols: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(format!("wide_{cols}.csv"));
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        let header: Vec<String> = (0..cols).map(|c| format!("sensor_{c:04}")).collect();
        writeln!(f, "{}", header.join(",")).expect("write");
        let mut state: u64 = 11;
        for r in 0..400 {
            let base = (r as f64 * 0.21).sin();
            let line: Vec<String> = (0..cols)
                .map(|c| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let u = (state >> 11) as f64 / (1u64 << 53) as f64;
                    format!("{:.4}", u + if c % 7 == 0 { base } else { 0.0 })
                })
                .collect();
            writeln!(f, "{}", line.join(",")).expect("write");
        }
    }
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .wgpu()
        .build_eframe(|cc| WorkbenchApp::new(cc, None));
    h.state_mut().open_path(&path);
    // The heatmap of every column (the cap raised to the file's width).
    h.state_mut().panels_mut().heatmap.settings.max_columns = cols;
    let start = Instant::now();
    loop {
        h.step();
        // A matrix this size waits for the user's go-ahead.
        if let Some(b) = h.query_by_label("Compute heatmap") {
            b.click();
        }
        let hm = &h.state().panels().heatmap;
        if hm.result().is_some_and(|r| r.request.columns.len() == cols) && !hm.is_computing() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "heatmap timed out"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "{cols} columns: heatmap ready after {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let centre = egui::pos2(500.0, 500.0);
    // (UI pass, render) milliseconds of one frame.
    let frame = |h: &mut Harness<'static, WorkbenchApp>| {
        let t = Instant::now();
        h.step();
        let ui = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let _ = h.render();
        (ui, t.elapsed().as_secs_f64() * 1e3)
    };
    let report = |what: &str, t: Vec<(f64, f64)>| {
        let stats = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            (mean, v[(v.len() * 95 / 100).min(v.len() - 1)])
        };
        let (ui_mean, ui_p95) = stats(t.iter().map(|f| f.0).collect());
        let (all_mean, all_p95) = stats(t.iter().map(|f| f.0 + f.1).collect());
        println!(
            "{what}: UI pass mean {ui_mean:.1} ms (p95 {ui_p95:.1}); with software render and \
             read-back mean {all_mean:.1} ms (p95 {all_p95:.1}) over {} frames",
            t.len()
        );
    };
    h.hover_at(centre);
    report("zoom 1", (0..30).map(|_| frame(&mut h)).collect());
    let zooming: Vec<(f64, f64)> = (0..30)
        .map(|_| {
            h.event(egui::Event::Zoom(1.1));
            frame(&mut h)
        })
        .collect();
    report("zooming in", zooming);
    h.drag_at(centre);
    let panning: Vec<(f64, f64)> = (0..30)
        .map(|i| {
            h.hover_at(centre + egui::vec2(-(i as f32) * 8.0, -(i as f32) * 5.0));
            frame(&mut h)
        })
        .collect();
    h.drop_at(centre);
    report("panning", panning);
}
