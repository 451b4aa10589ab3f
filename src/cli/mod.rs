//! Headless commands (filled in).
