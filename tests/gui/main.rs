//! The window, tested as a user would use it: egui_kittest drives the real app (open a
//! file, run each analysis, click cells and points, export), and snapshot images make
//! any change in what users see fail a test.

mod columns;
mod copy;
mod data_table;
mod followups;
mod glyphs;
mod higher_order;
mod panels;
mod ranking;
mod reliability;
mod repaint;
mod shell;
mod significance;
mod snapshots;
mod support;
mod target_network;
mod trust;
mod wide;
mod zoom;
