//! Pair inspector data (owned by the window work).
