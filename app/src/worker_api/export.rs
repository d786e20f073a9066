//! Messages of the Export page, the printable report and shared settings:
//! which tables the role may take away, the files the worker writes for
//! them, the run they come from, and settings applied from a file or a
//! link.

use segscope_core::roles::{Role, TableKind};
use segscope_core::InputRecord;
use serde::{Deserialize, Serialize};

/// How the tables are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// One CSV file (UTF-8) for one table.
    Csv {
        /// `,` or `;` (spreadsheets set to a decimal-comma locale).
        delimiter: char,
        /// Start with a byte-order mark, so Excel reads UTF-8.
        bom: bool,
    },
    /// One XLSX workbook, a sheet per table.
    Xlsx,
}

/// One table the role may export, as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportTableView {
    /// Which table.
    pub kind: TableKind,
    /// Its name for people (the workbook's tab).
    pub title: String,
    /// Its file name as CSV.
    pub file: String,
    /// The columns the role sees, in file order.
    pub columns: Vec<String>,
    /// Rows (without the header).
    pub rows: usize,
}

/// What the Export page and the report show about the results' origin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportView {
    /// The role the tables were cut for.
    pub role: Role,
    /// The tables the role may export, in the one export order
    /// (`segscope_core::export::EXPORTED`); empty before data is loaded.
    pub tables: Vec<ExportTableView>,
    /// The configuration as pretty JSON (SPEC §8): what "Download
    /// settings" saves and "Copy link" encodes. Never the data.
    pub config_json: String,
    /// The loaded input files with their SHA-256 (as in `run.json`).
    pub inputs: Vec<InputRecord>,
    /// The engine version.
    pub engine_version: String,
    /// Counts analyses; the view describes this one.
    pub generation: u64,
}

/// A file the worker wrote; its bytes travel beside the message (they are
/// not part of the JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportFileView {
    /// Suggested file name.
    pub name: String,
    /// Media type.
    pub mime: String,
    /// The content, moved out of the JSON and transferred as an
    /// `ArrayBuffer`.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Where shared settings came from (for the message that answers them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsSource {
    /// A settings file the user loaded.
    File,
    /// A link (`#/…?settings=…`) the app was opened with.
    Link,
}

impl SettingsSource {
    /// How messages name it ("configuration from the link: …").
    pub fn label(self) -> &'static str {
        match self {
            SettingsSource::File => "from the file",
            SettingsSource::Link => "from the link",
        }
    }
}
