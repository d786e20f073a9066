//! The messages between the page and the engine worker, and the small views
//! the worker sends back.
//!
//! Both sides are Rust, so a message is one of the enums below as JSON text
//! in a JS object `{ msg, bytes }`, where `bytes` — a file's content — is an
//! `ArrayBuffer` that is transferred, not copied. Views are deliberately small: the whole dataset
//! stays in the worker and never crosses the thread boundary.

use segscope_core::ingest::FileLayout;
use segscope_core::{Date, DqReport, FileKind, IngestError};
use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
}

/// What the worker tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    /// The engine stopped on a bug; the message is the panic text.
    Crashed {
        /// What went wrong.
        message: String,
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
        self.files.iter().find(|f| f.layout.kind == kind)
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

/// Encodes a message as JSON text.
pub fn encode<T: Serialize>(msg: &T) -> String {
    // Serialising plain data structs to JSON cannot fail: no maps with
    // non-string keys, no custom serialisers that error.
    serde_json::to_string(msg).expect("message serialises to JSON")
}

/// Decodes a message from JSON text.
///
/// # Errors
/// The serde error when the text is not a message of this type (a bug: both
/// sides are built from this module).
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// Human name of an input kind, as used in headings.
pub fn kind_label(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Orders => "Orders",
        FileKind::Products => "Products",
        FileKind::Customers => "Customers",
        FileKind::CostPools => "Cost pools",
    }
}

/// The identifier used for an input kind in element ids and test ids.
pub fn kind_id(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Orders => "orders",
        FileKind::Products => "products",
        FileKind::Customers => "customers",
        FileKind::CostPools => "cost-pools",
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
        ];
        for r in cases {
            assert_eq!(decode::<Response>(&encode(&r)).unwrap(), r);
        }
    }

    #[test]
    fn a_workspace_without_orders_has_no_data() {
        assert!(!WorkspaceView::default().has_data());
    }
}
