//! The messages between the page and the engine worker, and the small views
//! the worker sends back.
//!
//! Both sides are Rust, so a message is one of the enums below as JSON text
//! in a JS object `{ msg, bytes }`, where `bytes` — a file's content — is an
//! `ArrayBuffer` that is transferred, not copied. Views are deliberately small: the whole dataset
//! stays in the worker and never crosses the thread boundary.

mod cost;
mod dashboard;
mod export;
mod packed;
mod policies;
mod rows;
mod runs;
mod texts;
mod workspace;

pub use cost::*;
pub use dashboard::*;
pub use export::*;
pub use packed::{decode_beside, encode_beside};
pub use policies::*;
pub use rows::{Assembly, Sender, SkuRows, ROWS_PER_MESSAGE};
pub use runs::*;
pub use texts::Texts;
pub use workspace::SaveStatus;

use segscope_core::classify::stress::Scenario;
use segscope_core::config::{Bucket, Criterion, Feature};
use segscope_core::ingest::FileLayout;
use segscope_core::{Config, Date, DqReport, FileKind, IngestError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What the page asks of the worker.
///
/// Externally tagged, as [`Response`] is and for the same reason: an
/// internally tagged enum is read through serde's `Content` tree, a second
/// copy of every variant's decoding in the worker's wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Parse a file of this kind; its bytes travel beside the message.
    LoadFile {
        /// Which input it is.
        kind: FileKind,
        /// The file's name, used in every message about it.
        name: String,
    },
    /// Generate the demo exports and load them like uploaded files.
    LoadDemo,
    /// Map a canonical field to a header (or back to automatic with
    /// `header: None`) and re-parse the file.
    SetMapping {
        /// Which input.
        kind: FileKind,
        /// The file the user was looking at: the loaded one, or the one that
        /// was just refused.
        file: String,
        /// Canonical field name.
        field: String,
        /// Header text as written in the file; `None` = automatic.
        header: Option<String>,
    },
    /// Forget an optional input file (products, customers, cost pools).
    RemoveFile {
        /// Which input.
        kind: FileKind,
    },
    /// Hide the error about a refused file.
    Dismiss {
        /// Which input.
        kind: FileKind,
    },
    /// Recompute the analysis from the cached parse with new settings. The
    /// engine keeps every other setting of its configuration; `rules` is
    /// the rules' JSON text as the user typed it (an array), checked by
    /// core on the worker.
    Analyze {
        /// The Segments page's settings.
        settings: SegmentSettings,
        /// The business rules as a JSON array.
        rules: String,
    },
    /// Explain one SKU's classes in words.
    Explain {
        /// SKU code.
        sku: String,
    },
    /// Run the stress test on the current segmentation.
    Stress,
    /// Recompute the inventory policies with new target service levels
    /// and models per segment (the Policies page). The levels go over the
    /// configured ones, the models replace them; every other setting
    /// stays, and only the policy stage runs again on the analysis in
    /// memory.
    SetPolicy {
        /// Target cycle service level per segment, shares in (0, 1).
        service_levels: std::collections::BTreeMap<String, f64>,
        /// The model per segment, all of them (absent = normal).
        models: std::collections::BTreeMap<String, segscope_core::policy::PolicyModel>,
    },
    /// What setting one segment's service level would change.
    WhatIf {
        /// Segment label.
        segment: String,
        /// The service level to try, a share in (0, 1).
        service_level: f64,
    },
    /// One SKU's demand history, forecast, backtest and policy.
    SkuDetail {
        /// SKU code.
        sku: String,
    },
    /// Make these the dataset's cost pools (the Cost to serve page's
    /// editor): checked by core as a whole, then only the cost stage runs
    /// again on the analysis in memory. They stay until a cost-pools file
    /// is loaded or removed.
    SetPools {
        /// Every pool, in order.
        pools: Vec<segscope_core::CostPool>,
    },
    /// One customer's orders with their cost to serve.
    CustomerDetail {
        /// Customer code.
        customer: String,
    },
    /// Run one cost-to-serve what-if scenario on the current analysis.
    CostWhatIf {
        /// The scenario and its inputs.
        scenario: WhatIfScenario,
    },
    /// Show the results to this audience: the worker sends every view
    /// again, built for the role, so that figures the role may not see
    /// never reach the page (`segscope_core::roles` decides which).
    SetRole {
        /// The workshop audience.
        role: segscope_core::roles::Role,
    },
    /// The run history, overrides and audit trail (the History page).
    /// Answered with [`Response::Runs`], then the workspace view.
    Runs,
    /// Change a run's note. Answered like [`Request::Runs`].
    SetRunNote {
        /// Run number.
        run: u32,
        /// The new note.
        note: String,
    },
    /// Compare two runs: the migration matrix and the changed SKUs with
    /// their reason. Answered with [`Response::Comparison`], or with
    /// [`Response::GovernanceRejected`] and the workspace view.
    CompareRuns {
        /// The earlier run.
        from: u32,
        /// The later run.
        to: u32,
    },
    /// Pin a SKU to a segment for a reason (required); logged in the audit
    /// trail, then the analysis runs again with it.
    OverrideSku {
        /// SKU code.
        sku: String,
        /// One of `AX` … `CZ`.
        segment: String,
        /// Why.
        reason: String,
    },
    /// Remove a SKU's override for a reason (required); logged, then the
    /// analysis runs again without it.
    RemoveOverride {
        /// SKU code.
        sku: String,
        /// Why.
        reason: String,
    },
    /// Replace the whole workspace with a workspace file, whose bytes
    /// travel beside the message. A file that cannot be read changes
    /// nothing: the answer is [`Response::WorkspaceRejected`].
    ImportWorkspace {
        /// The file's name.
        name: String,
    },
    /// Send the workspace as one file ([`Response::WorkspaceFile`]).
    ExportWorkspace,
    /// Forget everything — files, settings, pools, runs — here and in the
    /// browser's saved copy.
    ClearWorkspace,
    /// Save now; over newer work another tab saved if `overwrite`.
    SaveWorkspace {
        /// Replace another tab's newer save.
        overwrite: bool,
    },
    /// The tables the role may export, the configuration and the input
    /// hashes ([`Response::Export`]).
    ExportView,
    /// Write tables of the current analysis, cut to the role's columns, as
    /// files ([`Response::ExportFile`], or [`Response::ExportFailed`]).
    Export {
        /// The tables, in any order (written in the export order); a CSV
        /// takes the first.
        tables: Vec<segscope_core::roles::TableKind>,
        /// CSV or XLSX.
        format: ExportFormat,
    },
    /// Make this configuration JSON (SPEC §8) the settings: checked by
    /// core as a whole, then the analysis runs again. Answered by
    /// [`Response::ConfigApplied`] or [`Response::ConfigRejected`], then the
    /// workspace view.
    SetConfig {
        /// The document's text.
        json: String,
        /// Where it came from.
        source: SettingsSource,
    },
}

/// What the worker tells the page.
///
/// Externally tagged (`{"segments": {…}}`): serde reads the body straight
/// into its variant. An internally tagged enum (`{"type": …, …}`) first
/// buffers the whole body in serde's generic `Content` tree, which doubled
/// the page's decoding time of a 49,256-SKU view (issue #7); an adjacently
/// tagged one keeps that buffering path beside the direct one, and the
/// page's code grew by half a megabyte.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The worker has started and accepts requests.
    Ready {
        /// The engine version.
        engine_version: String,
    },
    /// Work is under way.
    Progress(Progress),
    /// The state of the workspace after a request was handled.
    Workspace(Box<WorkspaceView>),
    /// The segmentation of a new analysis; sent before the workspace view
    /// of the request that caused it.
    Segments(Box<SegmentsView>),
    /// More rows of the SKU table of the Segments view just sent.
    SkuRows(Box<SkuRows>),
    /// New settings were refused; the analysis shown stays. Followed by the
    /// workspace view.
    SettingsRejected {
        /// What is wrong, from core's validation.
        message: String,
    },
    /// The answer to [`Request::Explain`].
    Explanation(ExplanationView),
    /// The answer to [`Request::Stress`].
    Stress(StressView),
    /// The inventory policies of a new analysis or of new service levels
    /// and models; sent after the segments view of an analysis, and before
    /// the workspace view that ends a [`Request::SetPolicy`].
    Policies(Box<PoliciesView>),
    /// More rows of the SKU table of the Policies view just sent.
    PolicyRows(Box<PolicyRows>),
    /// New service levels or models were refused; the policies shown stay.
    /// Followed by the workspace view.
    PolicyRejected {
        /// What is wrong, from core's validation.
        message: String,
    },
    /// The answer to [`Request::WhatIf`].
    WhatIf(Box<WhatIfView>),
    /// The answer to [`Request::SkuDetail`].
    SkuDetail(Box<SkuDetailView>),
    /// The cost to serve of a new analysis or of new pools; sent after the
    /// segments view of an analysis, and before the workspace view that
    /// ends a [`Request::SetPools`].
    Cost(Box<CostView>),
    /// Edited pools were refused; the pools in use stay. Followed by the
    /// workspace view.
    PoolsRejected {
        /// Every problem, each naming the pool and field (core's).
        problems: Vec<segscope_core::cost::PoolProblem>,
    },
    /// The answer to [`Request::CustomerDetail`].
    CustomerDetail(Box<CustomerDetailView>),
    /// The answer to [`Request::CostWhatIf`].
    CostWhatIf(Box<CostWhatIfView>),
    /// The role's dashboard of a new analysis, of new policies or pools, or
    /// of a new role; sent before the workspace view that ends the request.
    Dashboard(Box<DashboardView>),
    /// The run history, overrides and audit trail; sent after every
    /// analysis (before the workspace view) and for the governance
    /// requests.
    Runs(Box<RunsView>),
    /// The answer to [`Request::CompareRuns`].
    Comparison(Box<segscope_core::governance::Comparison>),
    /// A governance request was refused (no reason, unknown SKU or run);
    /// followed by the workspace view.
    GovernanceRejected {
        /// core's message, saying what to do.
        message: String,
    },
    /// The engine stopped on a bug; the message is the panic text.
    Crashed {
        /// What went wrong.
        message: String,
    },
    /// A workspace file could not be imported; the work in memory and the
    /// saved copy are unchanged. Followed by the workspace view.
    WorkspaceRejected {
        /// What the file is and what to do (core's `WorkspaceError`).
        message: String,
    },
    /// The answer to [`Request::ExportWorkspace`]: the file's name; its
    /// bytes travel beside the message.
    WorkspaceFile {
        /// Suggested file name, with the day.
        name: String,
    },
    /// A saved workspace was opened (at worker start or by an import):
    /// its role, so the page shows the same audience.
    Restored {
        /// The workshop audience saved with it.
        role: segscope_core::roles::Role,
    },
    /// Where the browser's saved copy stands.
    SaveStatus(SaveStatus),
    /// The answer to [`Request::ExportView`].
    Export(Box<ExportView>),
    /// The answer to [`Request::Export`]; the bytes travel beside the
    /// message.
    ExportFile(ExportFileView),
    /// The files could not be written (a table too large for a sheet, no
    /// data): what to do instead.
    ExportFailed {
        /// What went wrong.
        message: String,
    },
    /// Shared settings were applied; the new analysis follows.
    ConfigApplied {
        /// Where they came from.
        source: SettingsSource,
    },
    /// Shared settings were refused; the settings in use stay. Followed by
    /// the workspace view.
    ConfigRejected {
        /// Core's message, naming the field (or line and column).
        message: String,
        /// Where they came from.
        source: SettingsSource,
    },
}

/// A step of work in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// What is being done, in words ("Parsing orders.csv").
    pub stage: String,
    /// Share done (0..=1) when known.
    pub fraction: Option<f64>,
}

/// Everything the page shows about the loaded data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceView {
    /// The files currently loaded, in kind order.
    pub files: Vec<FileView>,
    /// Files that could not be loaded (the earlier file of that kind, if
    /// any, stays loaded).
    pub rejected: Vec<RejectedView>,
    /// Headline figures; `None` until an orders file is loaded.
    pub summary: Option<Summary>,
    /// The data-quality report of the load and the analysis.
    pub report: DqReport,
    /// The SKUs with the highest net revenue.
    pub top_skus: Vec<SkuRow>,
}

impl WorkspaceView {
    /// Whether an orders file is loaded (every analysis page needs one).
    pub fn has_data(&self) -> bool {
        self.summary.is_some()
    }

    /// The loaded file of a kind.
    pub fn file(&self, kind: FileKind) -> Option<&FileView> {
        // Order cells stand in the orders file's place.
        let same = |k: FileKind| k == kind || (kind == FileKind::Orders && k == FileKind::Cells);
        self.files.iter().find(|f| same(f.layout.kind))
    }
}

/// One loaded file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    /// File size in bytes.
    pub size: u64,
    /// Format, headers and column mapping (name and kind included).
    pub layout: FileLayout,
}

/// A file the engine refused, with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedView {
    /// Which input it was meant to be.
    pub kind: FileKind,
    /// Its name.
    pub name: String,
    /// Why it was refused.
    pub error: IngestError,
}

/// Headline figures of the loaded orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Valid order lines.
    pub lines: usize,
    /// SKUs with at least one valid line.
    pub skus: usize,
    /// Customers on the order lines (including `(unknown)`).
    pub customers: usize,
    /// Distinct orders.
    pub orders: usize,
    /// Earliest order date.
    pub first_date: Date,
    /// Latest order date.
    pub last_date: Date,
    /// Calendar weeks (Monday to Sunday) the horizon touches.
    pub weeks: usize,
    /// Net revenue (returns subtract).
    pub revenue: f64,
    /// Net margin.
    pub margin: f64,
    /// Gross demand in units (positive quantities).
    pub quantity: f64,
    /// Lines with a negative quantity (returns and cancellations).
    pub return_lines: u64,
}

/// A few figures of one SKU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkuRow {
    /// SKU code.
    pub sku: String,
    /// Net revenue.
    pub revenue: f64,
    /// Net margin.
    pub margin: f64,
    /// Gross demand in units.
    pub quantity: f64,
    /// Lines with positive quantity.
    pub order_lines: u64,
}

/// The most points a chart's view-model carries: curves are downsampled to
/// this many points.
pub const MAX_CURVE_POINTS: usize = 500;
/// The most SKUs a scatter plot draws; above it a deterministic sample.
pub const MAX_SCATTER_POINTS: usize = 5_000;

/// Everything the Segments page shows, built by the engine from one
/// `Analysis`. Charts get small view-models; the SKU table comes as
/// columns (one vector per field), in ABC rank order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentsView {
    /// Increases with every analysis, so the page can tell a new result.
    pub generation: u64,
    /// The settings the results follow.
    pub settings: SegmentSettings,
    /// The default settings ("Back to defaults").
    pub defaults: SegmentSettings,
    /// The configuration's rules as pretty JSON, for the rules editor.
    pub rules_json: String,
    /// The nine ABC × XYZ cells, rows A, B, C and columns X, Y, Z.
    pub matrix: Vec<MatrixCell>,
    /// SKUs whose segment is a rule's own label rather than `AX` … `CZ`,
    /// per label (they are also counted in their classes' cell).
    pub relabelled: Vec<(String, usize)>,
    /// The Pareto curve of the ABC criterion.
    pub pareto: ParetoView,
    /// The ADI–CV² scatter.
    pub patterns: PatternView,
    /// Clusters, when clustering is on.
    pub clusters: Option<ClusterView>,
    /// Whether the table's other rows follow in [`Response::SkuRows`]
    /// slices (see `worker_api::rows`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more_rows: bool,
    /// With `more_rows`: the rows of the whole table, for which the page
    /// makes room once.
    #[serde(default, skip_serializing_if = "is_zero_rows")]
    pub all_rows: usize,
    /// The generation of the earlier view whose table gives this one's
    /// `kept` columns, left empty here (see `worker_api::rows`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_base: Option<u64>,
    /// The columns taken from `table_base`, as bits in the order of the
    /// fields of [`SkuColumns`] (`sku` = bit 0 … `rule` = bit 12).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub kept: u16,
    /// One entry per SKU. Shared: the page's `Assembly` keeps the table it
    /// handed on as the base of later deltas without a copy, and the
    /// worker's `Sender` the table it sent.
    pub table: Arc<SkuColumns>,
}

impl SegmentsView {
    /// The number of SKUs classified (with the rows still to come).
    pub fn skus(&self) -> usize {
        self.table.sku.len() + self.rows_to_come()
    }

    /// The table's rows still to come: on the page, a big view is shown
    /// with its first rows while the others arrive (`rows::Assembly`).
    pub fn rows_to_come(&self) -> usize {
        if self.more_rows {
            self.all_rows.saturating_sub(self.table.len())
        } else {
            0
        }
    }

    /// The cell of an ABC and an XYZ letter.
    pub fn cell(&self, abc: char, xyz: char) -> Option<&MatrixCell> {
        self.matrix.iter().find(|c| c.abc == abc && c.xyz == xyz)
    }
}

/// The part of core's `Config` the Segments page shows and edits. The page
/// never handles a whole `Config`: the worker owns it (and its column
/// mapping, policy and cost settings) and applies these fields to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentSettings {
    /// What ABC ranks by.
    pub criterion: Criterion,
    /// A cut, a share in (0, 1].
    pub a_cut: f64,
    /// B cut.
    pub b_cut: f64,
    /// XYZ's X cut on cv (shown, not edited here).
    pub x_cut: f64,
    /// XYZ's Y cut on cv (shown, not edited here).
    pub y_cut: f64,
    /// Time bucket.
    pub bucket: Bucket,
    /// Time-decay half-life in buckets; `None` = no decay.
    pub half_life: Option<f64>,
    /// Cap outliers and leave promotions out of XYZ.
    pub cap_outliers: bool,
    /// Clustering on.
    pub cluster: bool,
    /// Fixed k, or `None` to choose it.
    pub k: Option<usize>,
    /// Clustering features.
    pub features: Vec<Feature>,
}

impl SegmentSettings {
    /// The page's fields of a configuration.
    pub fn of(c: &Config) -> SegmentSettings {
        SegmentSettings {
            criterion: c.abc.criterion,
            a_cut: c.abc.a_cut,
            b_cut: c.abc.b_cut,
            x_cut: c.xyz.x_cut,
            y_cut: c.xyz.y_cut,
            bucket: c.bucket,
            half_life: c.xyz.half_life,
            cap_outliers: c.xyz.cap_outliers,
            cluster: c.cluster.enabled,
            k: c.cluster.k,
            features: c.cluster.features.clone(),
        }
    }

    /// Writes the editable fields into a configuration (the XYZ cuts are
    /// not edited on this page and stay).
    pub fn apply_to(&self, c: &mut Config) {
        c.abc.criterion = self.criterion;
        c.abc.a_cut = self.a_cut;
        c.abc.b_cut = self.b_cut;
        c.bucket = self.bucket;
        c.xyz.half_life = self.half_life;
        c.xyz.cap_outliers = self.cap_outliers;
        c.cluster.enabled = self.cluster;
        c.cluster.k = self.k;
        c.cluster.features = self.features.clone();
    }
}

/// One cell of the ABC × XYZ matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatrixCell {
    /// `A`, `B` or `C`.
    pub abc: char,
    /// `X`, `Y` or `Z`.
    pub xyz: char,
    /// SKUs in the cell.
    pub skus: usize,
    /// The cell's share of net revenue (of all SKUs' net revenue).
    pub revenue_share: f64,
}

/// The Pareto (cumulative share) curve: SKUs in ranking order on x, the
/// cumulative share of the criterion on y; with the A and B cuts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParetoView {
    /// What ABC ranks by, in words ("revenue").
    pub criterion: String,
    /// `(share of SKUs, cumulative share of the criterion)`, both in
    /// [0, 1], starting at (0, 0); at most [`MAX_CURVE_POINTS`].
    pub points: Vec<(f64, f64)>,
    /// The A cut (share of the criterion).
    pub a_cut: f64,
    /// The B cut.
    pub b_cut: f64,
    /// Share of SKUs ranked before the first item at or past the A cut.
    pub a_skus: f64,
    /// Share of SKUs ranked before the first item at or past the B cut.
    pub b_skus: f64,
    /// SKUs in the curve.
    pub skus: usize,
}

/// The Syntetos–Boylan scatter: ADI against CV², one point per SKU.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternView {
    /// `(adi, cv2, pattern index into [`PATTERNS`])` per point drawn.
    #[serde(with = "packed::points")]
    pub points: Vec<(f64, f64, u8)>,
    /// SKUs with demand (and so an ADI and a CV²).
    pub with_demand: usize,
    /// SKUs drawn: all of them, or a deterministic sample.
    pub sampled: bool,
    /// The ADI cut (1.32).
    pub adi_cut: f64,
    /// The CV² cut (0.49).
    pub cv2_cut: f64,
    /// SKUs per pattern, in [`PATTERNS`] order (all SKUs, not the sample).
    pub counts: Vec<usize>,
    /// The time bucket ("week"), the unit of the ADI.
    pub bucket: String,
}

/// The demand patterns in the order the app lists them.
pub const PATTERNS: [&str; 5] = ["smooth", "erratic", "intermittent", "lumpy", "none"];

/// Clusters: two features per SKU to plot and each cluster's centroid.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    /// `k-means` or `hierarchical`.
    pub method: String,
    /// The features, in the column order of `values` and the centroids.
    pub features: Vec<Feature>,
    /// Feature values (log features as ln(1 + x)) of the SKUs drawn,
    /// row-major: `features.len()` values per SKU.
    #[serde(with = "packed::f64s")]
    pub values: Vec<f64>,
    /// The cluster of each SKU drawn.
    #[serde(with = "packed::bytes")]
    pub assignment: Vec<u8>,
    /// SKUs clustered.
    pub skus: usize,
    /// Whether `values` is a deterministic sample of them.
    pub sampled: bool,
    /// Whether k was fixed by the settings rather than chosen.
    pub k_fixed: bool,
    /// Mean silhouette of the result.
    pub silhouette: Option<f64>,
    /// The clusters, highest mean log revenue first.
    pub clusters: Vec<ClusterRow>,
    /// Notes from core (sampling, a lowered k, …).
    pub notes: Vec<String>,
}

/// One cluster's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterRow {
    /// Plain-language label.
    pub label: String,
    /// SKUs in it.
    pub size: usize,
    /// Centroid per feature, in original units.
    pub centroid: Vec<f64>,
    /// Centroid per feature in the plotted units (log features as ln(1 + x)).
    pub centroid_plotted: Vec<f64>,
}

/// The SKU table as columns, in ABC rank order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SkuColumns {
    /// SKU code.
    pub sku: Texts,
    /// Net revenue.
    #[serde(with = "packed::f64s")]
    pub revenue: Vec<f64>,
    /// Share of the criterion (`s_i`).
    #[serde(with = "packed::f64s")]
    pub share: Vec<f64>,
    /// Cumulative share of the criterion before it (`P_i`); `None` when its
    /// criterion is not positive.
    #[serde(with = "packed::opt_f64s")]
    pub cumulative: Vec<Option<f64>>,
    /// ABC letter per SKU, as one string.
    pub abc: String,
    /// Coefficient of variation.
    #[serde(with = "packed::opt_f64s")]
    pub cv: Vec<Option<f64>>,
    /// XYZ letter per SKU, as one string.
    pub xyz: String,
    /// Average demand interval.
    #[serde(with = "packed::opt_f64s")]
    pub adi: Vec<Option<f64>>,
    /// Squared cv of the non-zero buckets.
    #[serde(with = "packed::opt_f64s")]
    pub cv2: Vec<Option<f64>>,
    /// Demand pattern, index into [`PATTERNS`].
    #[serde(with = "packed::bytes")]
    pub pattern: Vec<u8>,
    /// Segment label.
    pub segment: Texts,
    /// Cluster index into [`ClusterView::clusters`], when clustering is on.
    #[serde(with = "packed::opt_bytes")]
    pub cluster: Vec<Option<u8>>,
    /// The rule (or `hysteresis`) that changed the computed class.
    pub rule: Vec<Option<String>>,
}

/// Why a SKU is in its classes, in sentences from core.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationView {
    /// SKU code.
    pub sku: String,
    /// Its segment.
    pub segment: String,
    /// One sentence per class, then the rule; empty for an unknown SKU.
    pub lines: Vec<String>,
    /// The analysis generation it was computed for.
    pub generation: u64,
}

/// The stress test's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StressView {
    /// Per scenario, the SKUs per baseline segment and how many change.
    pub scenarios: Vec<Scenario>,
    /// The result in a sentence.
    pub summary: String,
    /// The analysis generation it was computed for.
    pub generation: u64,
}

/// Encodes a message as JSON text.
pub fn encode<T: Serialize>(msg: &T) -> String {
    // Serialising plain data structs to JSON cannot fail: no maps with
    // non-string keys, no custom serialisers that error.
    serde_json::to_string(msg).expect("message serialises to JSON")
}

/// Decodes a message from JSON text.
///
/// Read as bytes, as big views are ([`decode_bytes`]): serde_json's reader
/// is a type parameter of every `Deserialize` it drives, so reading text
/// with `from_str` as well would compile the whole `Response` tree's
/// decoding twice into the page (issue #7's wasm budget).
///
/// # Errors
/// The serde error when the text is not a message of this type (a bug: both
/// sides are built from this module).
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, serde_json::Error> {
    decode_bytes(text.as_bytes())
}

/// Decodes a message from its JSON text's UTF-8 bytes (big views travel so).
///
/// # Errors
/// When the bytes are not UTF-8 JSON of a `T`.
pub fn decode_bytes<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(bytes)
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

fn is_zero_rows(n: &usize) -> bool {
    *n == 0
}

/// Human name of an input kind, as used in headings.
pub fn kind_label(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Orders => "Orders",
        FileKind::Products => "Products",
        FileKind::Customers => "Customers",
        FileKind::CostPools => "Cost pools",
        FileKind::Cells => "Order cells",
    }
}

/// The identifier used for an input kind in element ids and test ids.
pub fn kind_id(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Orders => "orders",
        FileKind::Products => "products",
        FileKind::Customers => "customers",
        FileKind::CostPools => "cost-pools",
        FileKind::Cells => "cells",
    }
}

/// The four kinds in workflow order.
pub const KINDS: [FileKind; 4] =
    [FileKind::Orders, FileKind::Products, FileKind::Customers, FileKind::CostPools];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_through_json() {
        let cases = [
            Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() },
            Request::LoadDemo,
            Request::SetMapping {
                kind: FileKind::Products,
                file: "p.csv".into(),
                field: "sku".into(),
                header: Some("Artikel".into()),
            },
            Request::RemoveFile { kind: FileKind::CostPools },
            Request::Dismiss { kind: FileKind::Customers },
            Request::Analyze {
                settings: SegmentSettings::of(&Config::default()),
                rules: "[]".into(),
            },
            Request::Explain { sku: "A-1".into() },
            Request::Stress,
        ];
        for r in cases {
            assert_eq!(decode::<Request>(&encode(&r)).unwrap(), r);
        }
    }

    #[test]
    fn responses_round_trip_through_json() {
        let view = WorkspaceView {
            rejected: vec![RejectedView {
                kind: FileKind::Orders,
                name: "x.csv".into(),
                error: IngestError::MissingField {
                    file: "x.csv".into(),
                    field: "sku".into(),
                    headers: vec!["a".into()],
                },
            }],
            ..WorkspaceView::default()
        };
        let cases = [
            Response::Ready { engine_version: "0.1.0".into() },
            Response::Progress(Progress { stage: "Parsing".into(), fraction: Some(0.5) }),
            Response::Workspace(Box::new(view)),
            Response::Crashed { message: "boom".into() },
            Response::Segments(Box::default()),
            Response::SettingsRejected { message: "no".into() },
            Response::Explanation(ExplanationView {
                sku: "A-1".into(),
                segment: "AX".into(),
                lines: vec!["A: …".into()],
                generation: 2,
            }),
            Response::Stress(StressView { scenarios: vec![], summary: "s".into(), generation: 1 }),
        ];
        for r in cases {
            assert_eq!(decode::<Response>(&encode(&r)).unwrap(), r);
        }
    }

    #[test]
    fn segment_settings_round_trip_through_a_config() {
        let mut c = Config::default();
        let mut s = SegmentSettings::of(&c);
        s.a_cut = 0.6;
        s.k = Some(3);
        s.apply_to(&mut c);
        assert_eq!((c.abc.a_cut, c.cluster.k), (0.6, Some(3)));
        assert_eq!(SegmentSettings::of(&c), s);
    }

    #[test]
    fn a_workspace_without_orders_has_no_data() {
        assert!(!WorkspaceView::default().has_data());
    }
}
