//! The History page's views: the runs the user made (core's `RunRecord`
//! and a note each), the manual overrides in force, the audit trail, and a
//! comparison of two runs (core's `Comparison`: migration matrix and the
//! changed SKUs with their reason). Built by the worker (`engine::runs`)
//! from its `Governance`.

use segscope_core::governance::{AuditEntry, Override};
use serde::{Deserialize, Serialize};

/// The run history, overrides and audit trail.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunsView {
    /// Runs, newest first.
    pub runs: Vec<RunRow>,
    /// Overrides in force, in the order they were made.
    pub overrides: Vec<Override>,
    /// Every override change, newest first.
    pub audit: Vec<AuditEntry>,
    /// How many of the newest runs keep their SKU classes for comparing.
    pub kept: usize,
    /// Whether the role sees governance at all (sales does not).
    pub visible: bool,
}

/// One run as the history lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// Run number, from 1.
    pub id: u32,
    /// When (RFC 3339, UTC).
    pub created: String,
    /// The user's note.
    pub note: String,
    /// The settings that decide segments, in a line.
    pub settings: String,
    /// Input files: kind, name and the first 8 hex digits of the SHA-256.
    pub inputs: Vec<(String, String, String)>,
    /// Engine name and version.
    pub engine: String,
    /// SKUs classified.
    pub skus: usize,
    /// Whether its SKU classes are kept, so it can be compared.
    pub comparable: bool,
}
