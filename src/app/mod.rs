//! The egui application (filled in by the window work).
