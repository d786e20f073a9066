//! Runs and governance: the history of runs a user made (each the same
//! [`RunRecord`] as the CLI's `run.json`, plus a note and the per-SKU
//! segment assignment needed to compare two runs), manual overrides of a
//! SKU's segment, and the audit trail of every override change.
//!
//! core reads no clock: every function that records something takes the
//! time from its caller.

use crate::run::RunRecord;
use serde::{Deserialize, Serialize};

/// How many runs keep their per-SKU assignment (older runs keep only their
/// record, so memory stays bounded however many runs a workshop makes).
pub const KEPT_ASSIGNMENTS: usize = 20;

/// The governance state of a workspace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Governance {
    /// Runs, oldest first.
    pub runs: Vec<Run>,
    /// Manual overrides in force, by SKU code.
    pub overrides: Vec<Override>,
    /// Every override added, changed or removed, oldest first.
    pub audit: Vec<AuditEntry>,
}

/// One recorded run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Number of the run in this workspace, from 1.
    pub id: u32,
    /// Configuration, input hashes, engine version, time and note.
    pub record: RunRecord,
    /// Per-SKU segments; `None` once the run is older than the last
    /// [`KEPT_ASSIGNMENTS`] runs.
    pub assignment: Option<Assignment>,
}

/// The segments of one run, compactly: parallel columns, one row per SKU.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assignment {
    /// SKU codes.
    pub skus: Vec<String>,
    /// Segment labels of the run.
    pub labels: Vec<String>,
    /// Per SKU, its index in `labels`.
    pub segment: Vec<u16>,
}

/// A manual override of one SKU's segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Override {
    /// SKU code.
    pub sku: String,
    /// The segment it is pinned to (`AX` … `CZ`).
    pub segment: String,
    /// Why (never empty).
    pub reason: String,
}

/// One change to the overrides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When (RFC 3339, UTC), as told by the caller.
    pub time: String,
    /// SKU code.
    pub sku: String,
    /// Segment before the change.
    pub from: String,
    /// Segment after the change (`(none)` when an override was removed).
    pub to: String,
    /// The reason given.
    pub reason: String,
    /// The last run when the change was made (0 before any run).
    pub run: u32,
}
