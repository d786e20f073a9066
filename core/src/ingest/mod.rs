//! Reading client exports into a [`Dataset`] (SPEC §1 and §6).
//!
//! Each input file is parsed on its own — bytes are decoded
//! ([`text`]), the delimiter is sniffed, headers are mapped to canonical
//! fields ([`mapping`]), and every cell is parsed by its field's type
//! ([`number`], [`dates`]) — into a table plus its data-quality findings.
//! [`assemble`] then joins the tables on SKU and customer codes and applies
//! the rules that need more than one file. Parsing a file never fails on a bad
//! row; it fails only when the file as a whole cannot be read (a required
//! field cannot be mapped, the file is empty or not text), with an
//! [`IngestError`] that names the file and what to do.

use crate::dataset::{Codes, CostPool, Customer, Dataset, OrderLines, Product};
use crate::date::Date;
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The four kinds of input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Order lines (required).
    Orders,
    /// Product master.
    Products,
    /// Customer master.
    Customers,
    /// Activity cost pools.
    CostPools,
}

/// The bytes of one file and the name the user knows it by.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    /// File name, used in every message about the file.
    pub name: &'a str,
    /// Raw content.
    pub bytes: &'a [u8],
}

/// Settings of a load that do not come from the files.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The day of the load; dates after it are flagged. `None` skips that
    /// check (the engine has no clock: the caller supplies the day).
    pub today: Option<Date>,
}

/// How a field was matched to a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Through the synonym table.
    Synonym,
    /// Through the user's mapping override.
    Override,
    /// Not matched.
    Unmatched,
}

/// One canonical field and the column it was matched to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MappedField {
    /// Canonical field name (`order_id`, `sku`, …).
    pub field: String,
    /// Whether the file cannot be loaded without it.
    pub required: bool,
    /// The header it was matched to, as written in the file.
    pub header: Option<String>,
    /// Column index of that header.
    pub column: Option<usize>,
    /// How it was matched.
    pub matched_by: MatchedBy,
}

/// The detected layout of a file: format and column mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileLayout {
    /// File name.
    pub name: String,
    /// Kind of file.
    pub kind: FileKind,
    /// Detected encoding (`UTF-8`, `UTF-16LE`, `windows-1252`, …).
    pub encoding: String,
    /// Detected delimiter.
    pub delimiter: char,
    /// Headers as written, in file order.
    pub headers: Vec<String>,
    /// Every canonical field of the kind, with its column if matched.
    pub fields: Vec<MappedField>,
    /// Data rows read (excluding the header).
    pub rows: usize,
}

/// One parsed file: its table, layout and findings.
#[derive(Clone, Debug)]
pub struct Parsed<T> {
    /// The rows that were kept.
    pub table: T,
    /// Format and mapping.
    pub layout: FileLayout,
    /// Findings of the rules that one file can decide.
    pub report: DqReport,
}

/// The order lines of an orders file, with its own code numbering.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderTable {
    /// SKU codes used by `lines.sku`.
    pub skus: Codes,
    /// Customer codes used by `lines.customer`.
    pub customers: Codes,
    /// Order ids used by `lines.order`.
    pub orders: Codes,
    /// The valid lines.
    pub lines: OrderLines,
}

/// Rows of a products file; `Product::sku` numbers into `skus`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductTable {
    /// SKU codes of the file.
    pub skus: Codes,
    /// First row per SKU.
    pub products: Vec<Product>,
}

/// Rows of a customers file; `Customer::customer` numbers into `customers`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerTable {
    /// Customer codes of the file.
    pub customers: Codes,
    /// First row per customer.
    pub rows: Vec<Customer>,
}

/// Why a file could not be loaded at all.
#[derive(Clone, Debug, Error, PartialEq, Serialize, Deserialize)]
pub enum IngestError {
    /// A required field matches no header.
    #[error(
        "{file}: no column for the required field `{field}`; headers found: {}. \
         Map it to one of these columns or check that this is the right file.",
        headers.join(", ")
    )]
    MissingField {
        /// File name.
        file: String,
        /// The canonical field.
        field: String,
        /// The headers that were found.
        headers: Vec<String>,
    },
    /// A mapping override names a header the file does not have, or a field
    /// that does not exist.
    #[error("{file}: mapping for `{field}` names `{header}`, which {problem}")]
    BadOverride {
        /// File name.
        file: String,
        /// The canonical field of the override.
        field: String,
        /// The header it names.
        header: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The file has no header row, is not text, or cannot be split into rows.
    #[error("{file}, line {line}: {message}")]
    Unreadable {
        /// File name.
        file: String,
        /// 1-based line where reading stopped (1 for the whole file).
        line: u64,
        /// What is wrong and what to do.
        message: String,
    },
}

/// A parsed file of each kind, ready to be joined.
#[derive(Clone, Debug)]
pub struct ParsedInputs {
    /// The orders file.
    pub orders: Parsed<OrderTable>,
    /// The products file, if given.
    pub products: Option<Parsed<ProductTable>>,
    /// The customers file, if given.
    pub customers: Option<Parsed<CustomerTable>>,
    /// The cost pools file, if given.
    pub cost_pools: Option<Parsed<Vec<CostPool>>>,
}

/// A loaded dataset with the whole data-quality report and each file's layout.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The joined data.
    pub dataset: Dataset,
    /// Findings of every file and of the join.
    pub report: DqReport,
    /// Layout of each file, in kind order.
    pub layouts: Vec<FileLayout>,
}

/// Mapping overrides for one file: canonical field → header.
pub type Overrides = BTreeMap<String, String>;

/// Parses an orders file.
///
/// `progress` is called now and then with the share of bytes read (0..=1),
/// so a caller can show progress on large files.
///
/// # Errors
/// [`IngestError`] when the file as a whole cannot be read; bad rows are
/// reported in [`Parsed::report`] instead.
pub fn parse_orders(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Parsed<OrderTable>, IngestError> {
    let _ = (file, overrides, options, progress);
    todo!("ingest helper")
}

/// Parses a products file.
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_products(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
) -> Result<Parsed<ProductTable>, IngestError> {
    let _ = (file, overrides, options);
    todo!("ingest helper")
}

/// Parses a customers file.
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_customers(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
) -> Result<Parsed<CustomerTable>, IngestError> {
    let _ = (file, overrides, options);
    todo!("ingest helper")
}

/// Parses a cost pools file.
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_cost_pools(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
) -> Result<Parsed<Vec<CostPool>>, IngestError> {
    let _ = (file, overrides, options);
    todo!("ingest helper")
}

/// Joins parsed files into one [`Dataset`] and applies the rules that need
/// more than one file (SKU absent from products, unsold products, case
/// variants, …). Never fails.
pub fn assemble(inputs: &ParsedInputs, options: &LoadOptions) -> Loaded {
    let _ = (inputs, options);
    todo!("ingest helper")
}
