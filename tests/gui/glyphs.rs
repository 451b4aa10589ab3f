//! Every non-ASCII character in the window's source text must exist in egui's bundled
//! fonts: a missing glyph draws as a box for users (and panics under egui_kittest).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn window_text_has_glyphs_in_the_default_fonts() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/app"), &mut files);
    // Engine files whose names, explanations and messages the window shows.
    files.push(root.join("src/analysis/inspect.rs"));
    files.push(root.join("src/estimate/mod.rs"));
    rust_files(&root.join("src/analysis/mrmr"), &mut files);
    rust_files(&root.join("src/analysis/higher_order"), &mut files);
    files.push(root.join("src/estimate/multi/mod.rs"));
    // A renamed or moved folder must fail here, not pass with nothing checked.
    assert!(
        files.len() >= 20,
        "only {} source files found under src/app: did the layout move?",
        files.len()
    );
    for must in [
        "src/app/widgets.rs",
        "src/app/panels/mod.rs",
        "src/app/inspector.rs",
    ] {
        assert!(
            files.contains(&root.join(must)),
            "{must} is not among the checked files"
        );
    }

    let ctx = egui::Context::default();
    let _ = ctx.run_ui(Default::default(), |_| {});
    let mut missing = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for c in code.chars().filter(|c| !c.is_ascii()) {
                for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
                    let id = egui::FontId::new(12.0, family.clone());
                    if !ctx.fonts_mut(|fonts| fonts.has_glyph(&id, c)) {
                        missing.push(format!(
                            "{}:{}: {c:?} (U+{:04X}) in {family:?}",
                            f.display(),
                            n + 1,
                            c as u32
                        ));
                    }
                }
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "characters without a glyph:\n{}",
        missing.join("\n")
    );
}
